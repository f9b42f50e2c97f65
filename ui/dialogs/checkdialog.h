// CheckDialog: the findings of Check grouped by kind, each with its path and
// a tick box, and the way to Fix the ticked ones. Unknown files are listed
// one by one, since a cache folder may hold files that are not the cache's:
// the user unticks what must stay. Not modal: the window stays usable while
// it is open.
#pragma once

#include <QDialog>

#include "workers/maintenancetypes.h"

class QDialogButtonBox;
class QLabel;
class QPushButton;
class QTreeWidget;

namespace cachescope {

class CheckDialog : public QDialog {
    Q_OBJECT
public:
    explicit CheckDialog(QWidget* parent = nullptr);

    // Shows the findings of a dry run of `store`.
    void showCheck(const QString& store, const MaintenanceResult& result);
    // Shows what a fix did and what a new check finds.
    void showFix(const MaintenanceResult& result);
    // Fix needs write mode; `why` tells the user when it is off.
    void setFixAllowed(bool allowed, const QString& why = {});
    void setBusy(bool busy);

    const std::vector<diskcache::Finding>& findings() const { return m_findings; }
    // The findings still ticked, in the order of findings().
    std::vector<diskcache::Finding> chosenFindings() const;
    QString store() const { return m_store; }
    QTreeWidget* tree() const { return m_tree; }
    QLabel* summaryLabel() const { return m_summary; }
    QPushButton* fixButton() const { return m_fix; }

Q_SIGNALS:
    void fixRequested();
    void checkAgainRequested();

private:
    void fill(const std::vector<diskcache::Finding>& findings);
    void updateButtons();

    QLabel* m_summary;
    QTreeWidget* m_tree;
    QLabel* m_note;
    QPushButton* m_fix;
    QPushButton* m_again;
    QDialogButtonBox* m_buttons;
    QString m_store;
    std::vector<diskcache::Finding> m_findings;
    bool m_fixAllowed = false;
    bool m_busy = false;
};

}  // namespace cachescope
