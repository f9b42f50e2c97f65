// MaintenanceClient: the UI-thread side of one MaintenanceWorker. It owns the
// worker and its QThread, runs one plan or job at a time and forwards the
// worker's answers; cancel() reaches the worker at once, even while it waits
// for a lock.
#pragma once

#include <QObject>
#include <QThread>

#include "workers/maintenancetypes.h"

namespace cachescope {

class MaintenanceWorker;

class MaintenanceClient : public QObject {
    Q_OBJECT
public:
    explicit MaintenanceClient(QObject* parent = nullptr);
    ~MaintenanceClient() override;

    // Reads what `request` would do (read-only); planReady tells. False when busy.
    bool plan(const MaintenanceRequest& request);
    // Runs `request`; progress while it runs, finished at the end. False when busy.
    bool run(const MaintenanceRequest& request);
    void cancel();
    bool isBusy() const { return m_busy; }
    // The worker itself, for tests that must act between two batches of a
    // job (they connect to its progress with Qt::BlockingQueuedConnection).
    MaintenanceWorker* worker() const { return m_worker; }

Q_SIGNALS:
    void planReady(const cachescope::MaintenancePlan& plan);
    void progress(qint64 done, bool waiting);
    void finished(const cachescope::MaintenanceResult& result);

private:
    QThread* m_thread;  // heap-held: see ~MaintenanceClient
    MaintenanceWorker* m_worker;
    bool m_busy = false;
};

}  // namespace cachescope
