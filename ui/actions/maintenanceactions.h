// MaintenanceActions: the action handler of maintenance — the write-mode
// switch and the QActions Check, Expire, Cull, Evict Tag, Clear, Delete and
// Touch Selected, Settings, and Export (which only reads) — and each one's path: read what it would do (in the
// worker), ask the user with the exact counts, bytes and directory, run it in
// the worker with progress and Cancel, tell the outcome and let the views
// refresh. The cache opens read-only: everything but Check is disabled until
// write mode is switched on, and nothing writes without a confirmation.
#pragma once

#include <QObject>

#include <optional>

#include "actions/maintenancetext.h"
#include "workers/maintenancetypes.h"

class QAction;
class QMessageBox;
class QWidget;

namespace cachescope {

class CheckDialog;
class EntriesView;
class MaintenanceClient;
class TaskPanel;

class MaintenanceActions : public QObject {
    Q_OBJECT
public:
    MaintenanceActions(QWidget* window, EntriesView* entries, TaskPanel* panel);

    QAction* writeModeAction() const { return m_writeMode; }
    QAction* checkAction() const { return m_check; }
    QAction* expireAction() const { return m_expire; }
    QAction* cullAction() const { return m_cull; }
    QAction* evictAction() const { return m_evict; }
    QAction* clearAction() const { return m_clear; }
    QAction* deleteAction() const { return m_delete; }
    QAction* touchAction() const { return m_touch; }
    QAction* settingsAction() const { return m_settings; }
    QAction* exportFilteredAction() const { return m_exportFiltered; }
    QAction* exportSelectedAction() const { return m_exportSelected; }

    bool writeMode() const;
    void setWriteMode(bool on);
    // The store the actions apply to, and its kind once known (nullopt while it opens).
    void setStore(const QString& directory, std::optional<diskcache::StoreKind> kind);
    // Seconds a job waits in all for another process's lock (60 like the library).
    void setLockTimeout(double seconds) { m_lockTimeout = seconds; }

    bool isBusy() const;
    MaintenanceClient* client() const { return m_client; }
    CheckDialog* checkDialog() const { return m_checkDialog; }  // nullptr until Check ran
    const MaintenanceResult& lastResult() const { return m_last; }

Q_SIGNALS:
    void writeModeChanged(bool on);
    // A job changed the cache: the views should read it again.
    void cacheChanged();
    // A line for the status bar.
    void message(const QString& text);
    void finished(const cachescope::MaintenanceResult& result);

private:
    QAction* makeAction(const QString& text, const QString& tip, bool needsWrite);
    void plan(MaintenanceKind kind, const diskcache::Value& tag = {});
    void onPlan(const MaintenancePlan& plan);
    void ask(const maintenancetext::Confirmation& confirmation, const MaintenanceRequest& request, qint64 total);
    void run(const MaintenanceRequest& request, qint64 total);
    void onFinished(const MaintenanceResult& result);
    void evictTag();
    void changeSelected(MaintenanceKind kind);
    void askTouchExpiry();
    void editSettings(const MaintenancePlan& plan);
    void askExportFile(bool selected);
    void check();
    void askFix();
    void showError(const QString& title, const QString& text);
    void updateEnabled();
    MaintenanceRequest request(MaintenanceKind kind) const;

    QWidget* m_window;
    EntriesView* m_entries;
    TaskPanel* m_panel;
    MaintenanceClient* m_client;
    CheckDialog* m_checkDialog = nullptr;
    QAction* m_writeMode;
    QAction* m_check;
    QAction* m_expire;
    QAction* m_cull;
    QAction* m_evict;
    QAction* m_clear;
    QAction* m_delete;
    QAction* m_touch;
    QAction* m_settings;
    QAction* m_exportFiltered;
    QAction* m_exportSelected;
    QList<QAction*> m_writeActions;
    QString m_store;
    std::optional<diskcache::StoreKind> m_kind;
    double m_lockTimeout = 60.0;
    bool m_planCancelled = false;
    std::optional<double> m_touchExpire;  // what the Touch dialog chose
    MaintenanceResult m_last;
};

}  // namespace cachescope
