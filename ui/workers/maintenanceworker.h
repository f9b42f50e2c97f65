// MaintenanceWorker: runs one maintenance job at a time on its own thread,
// with its own engine handles: it reads plans through a read-only Inspector
// and changes caches through diskcache::Cache opened for writing only for
// the job at hand (closed again when it ends). Lives in the thread
// MaintenanceClient gives it.
//
// Waiting for another process's lock is done in short slices, so that Cancel
// works while waiting too and the user can be told that it waits; the whole
// wait is bounded by MaintenanceRequest::lockTimeout.
#pragma once

#include <QElapsedTimer>
#include <QObject>

#include <atomic>
#include <filesystem>
#include <functional>

#include "workers/maintenancetypes.h"

namespace cachescope {

class MaintenanceWorker : public QObject {
    Q_OBJECT
public:
    explicit MaintenanceWorker(QObject* parent = nullptr);

    // Thread-safe: asks the running job to stop after its current batch (or
    // its current wait for a lock).
    void cancel() { m_cancel.store(true); }
    // Thread-safe: clears Cancel before a new job is posted (not when it
    // starts, so a Cancel pressed while it is queued still counts).
    void arm() { m_cancel.store(false); }

    // Called on the worker's thread (queued by MaintenanceClient).
    void plan(const MaintenanceRequest& request);
    void run(const MaintenanceRequest& request);

    // Seconds one attempt waits for a lock before the worker looks at Cancel again.
    static constexpr double kLockSlice = 0.25;

Q_SIGNALS:
    void planReady(const cachescope::MaintenancePlan& plan);
    // Entries done so far; waiting: the last attempt found the cache locked.
    void progress(qint64 done, bool waiting);
    void finished(const cachescope::MaintenanceResult& result);

private:
    using Path = std::filesystem::path;
    using Job = std::function<diskcache::Result<diskcache::Removal>(diskcache::Cache&, const diskcache::ProgressFn&)>;

    // Cull: the entries it would remove, expired first, then in policy order.
    bool planCull(MaintenancePlan& plan, diskcache::Inspector& inspector);
    bool planRows(MaintenancePlan& plan, diskcache::Inspector& inspector, const diskcache::EntryFilter& filter);
    diskcache::Status removeAll(const MaintenanceRequest& request, const std::vector<Path>& dirs, MaintenanceResult& result);
    diskcache::Status removeFrom(const Path& dir, const Job& job, MaintenanceResult& result);
    diskcache::Status changeEntries(const MaintenanceRequest& request, MaintenanceResult& result);
    diskcache::Status exportEntries(const MaintenanceRequest& request, MaintenanceResult& result);
    diskcache::Status applySettings(const SettingsChange& change, const std::vector<Path>& dirs, MaintenanceResult& result);
    // Runs `step` again while it times out on a lock (and there is time left).
    diskcache::Status retrying(const std::function<diskcache::Status()>& step);
    // Check, or Fix of `chosen` (all of them when empty), then a new check.
    diskcache::Status check(const std::vector<Path>& dirs, bool fix, const std::vector<diskcache::Finding>& chosen,
                            MaintenanceResult& result);
    // Opens `dir` for writing, waiting for a lock in slices; Cancelled or Timeout when it gives up.
    diskcache::Result<std::unique_ptr<diskcache::Cache>> openWritable(const Path& dir);
    // After a Timeout: true when there is time left to try again (and Cancel was not pressed).
    bool waitMore();
    // What to report when waitMore() said no: Cancelled, or a Timeout that names the whole wait.
    diskcache::Status gaveUp(const diskcache::Status& last) const;
    bool cancelled() const { return m_cancel.load(); }
    void beginJob(const MaintenanceRequest& request);

    std::atomic<bool> m_cancel{false};
    QElapsedTimer m_waiting;  // valid while the job waits for a lock
    double m_lockTimeout = 60.0;
};

// The plain-words text of a failed Status: a first line saying what happened
// and what the user can do, then the engine's detail.
QString describeMaintenanceError(const diskcache::Status& status);

}  // namespace cachescope
