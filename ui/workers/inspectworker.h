// InspectWorker: runs engine queries for one consumer on its own thread with
// its own read-only Inspector handle. Requests carry a generation; a request
// older than the latest generation announced through supersede() is skipped
// without touching the engine, and a query already running for an older
// generation is interrupted inside SQLite (Inspector::setCancelCheck).
// Lives in the thread InspectClient gives it.
#pragma once

#include <QObject>

#include <atomic>
#include <memory>

#include "workers/chunkcursors.h"
#include "workers/replies.h"

namespace cachescope {

class InspectWorker : public QObject {
    Q_OBJECT
public:
    explicit InspectWorker(QObject* parent = nullptr);
    ~InspectWorker() override;

    // Thread-safe: requests older than `generation` are skipped from now on.
    void supersede(quint64 generation) { m_latest.store(generation); }

    // Called on the worker's thread (queued by InspectClient).
    void openStore(quint64 generation, const QString& directory);
    void fetchPage(quint64 generation, const diskcache::PageRequest& request, bool append);
    void fetchSummary(quint64 generation, SummaryDetail detail);
    void fetchValue(quint64 generation, const diskcache::Entry& entry);
    void fetchStats(quint64 generation);
    void fetchFunctions(quint64 generation);
    // Rows [chunk * rows, (chunk + 1) * rows) of `request`'s listing: from
    // the nearest chunk start found so far, Inspector::seek skips to it.
    void fetchChunk(quint64 generation, const diskcache::PageRequest& request, int chunk, int rows);
    void fetchChangeToken(quint64 generation);

Q_SIGNALS:
    void storeOpened(const cachescope::StoreReply& reply);
    void pageReady(const cachescope::PageReply& reply);
    void summaryReady(const cachescope::SummaryReply& reply);
    void valueReady(const cachescope::ValueReply& reply);
    void statsReady(const cachescope::StatsReply& reply);
    // Rows read so far by fetchStats.
    void statsProgress(quint64 generation, qint64 rows);
    void functionsReady(const cachescope::FunctionsReply& reply);
    void chunkReady(const cachescope::ChunkReply& reply);
    void changeTokenReady(const cachescope::ChangeReply& reply);

private:
    bool stale(quint64 generation) const { return generation < m_latest.load(); }
    // Marks the request now running, for the engine's cancel check.
    void running(quint64 generation) { m_running = generation; }
    QString noStore() const;
    static void describeValue(ValueReply& reply);

    std::atomic<quint64> m_latest{0};
    quint64 m_running = 0;  // worker thread only
    ChunkCursors m_chunkStarts;
    std::unique_ptr<diskcache::Inspector> m_inspector;
    QString m_openError;
};

}  // namespace cachescope
