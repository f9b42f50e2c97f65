// SettingsDialog: the settings a user may change on a cache — size limit,
// cull limit, eviction policy, statistics (and zeroing hits/misses), tag
// index — filled from what the worker read. It only collects the change and
// says it in words; MaintenanceActions confirms and applies it through the
// engine.
#pragma once

#include <QDialog>

#include "workers/maintenancetypes.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLineEdit;
class QSpinBox;

namespace cachescope {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(const MaintenancePlan& plan, QWidget* parent = nullptr);

    // Only what differs from the stored settings.
    SettingsChange change() const;
    // One line per change: "size limit: 1.0 GiB → 300.0 KiB".
    QStringList describe() const;
    const MaintenancePlan& plan() const { return m_plan; }

    QLineEdit* sizeLimitEdit() const { return m_sizeLimit; }
    QSpinBox* cullLimitSpin() const { return m_cullLimit; }
    QComboBox* policyCombo() const { return m_policy; }
    QCheckBox* statisticsCheck() const { return m_statistics; }
    QCheckBox* resetStatisticsCheck() const { return m_resetStatistics; }
    QCheckBox* tagIndexCheck() const { return m_tagIndex; }
    QDialogButtonBox* buttons() const { return m_buttons; }

private:
    std::optional<std::int64_t> sizeLimit() const;

    MaintenancePlan m_plan;
    QLineEdit* m_sizeLimit;
    QSpinBox* m_cullLimit;
    QComboBox* m_policy;
    QCheckBox* m_statistics;
    QCheckBox* m_resetStatistics;
    QCheckBox* m_tagIndex;
    QDialogButtonBox* m_buttons;
};

}  // namespace cachescope
