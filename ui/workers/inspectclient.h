// InspectClient: the UI-thread side of one InspectWorker. It owns the worker
// and its QThread, numbers requests with generations, and forwards only the
// answers of the current generation (a late answer for an old sort, filter
// or store is dropped here). One per consumer: each has its own engine handle.
#pragma once

#include <QObject>
#include <QThread>

#include "workers/replies.h"

namespace cachescope {

class InspectWorker;

class InspectClient : public QObject {
    Q_OBJECT
public:
    explicit InspectClient(QObject* parent = nullptr);
    ~InspectClient() override;

    // Starts a new generation: everything asked before is dropped.
    quint64 newGeneration();
    quint64 generation() const { return m_generation; }

    // Opens `directory` read-only in the worker (a new generation).
    void open(const QString& directory);
    QString directory() const { return m_directory; }

    void requestPage(const diskcache::PageRequest& request, bool append);
    void requestSummary(SummaryDetail detail = SummaryDetail::Counts);
    void requestValue(const diskcache::Entry& entry);
    // Reads every row once for the dashboard's figures; statsProgress tells
    // how far it got, and a newer request stops it.
    void requestStats();
    // The functions memoize() made keys for, from the pickled keys alone.
    void requestFunctions();
    // Rows [chunk * rows, (chunk + 1) * rows) of `request`'s listing (its `after` is ignored).
    void requestChunk(const diskcache::PageRequest& request, int chunk, int rows);
    void requestChangeToken();

Q_SIGNALS:
    void storeOpened(const cachescope::StoreReply& reply);
    void pageReady(const cachescope::PageReply& reply);
    void summaryReady(const cachescope::SummaryReply& reply);
    void valueReady(const cachescope::ValueReply& reply);
    void statsReady(const cachescope::StatsReply& reply);
    void statsProgress(qint64 rows);
    void functionsReady(const cachescope::FunctionsReply& reply);
    void chunkReady(const cachescope::ChunkReply& reply);
    void changeTokenReady(const cachescope::ChangeReply& reply);

private:
    template <typename Fn>
    void post(Fn&& fn);

    // Heap-held: when the engine is stuck waiting on a lock at shutdown, the
    // thread is left to finish on its own instead of blocking the UI.
    QThread* m_thread;
    InspectWorker* m_worker = nullptr;  // lives in m_thread, deleted when it finishes
    quint64 m_generation = 0;
    QString m_directory;
};

}  // namespace cachescope
