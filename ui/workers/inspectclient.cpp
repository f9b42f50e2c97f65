#include "workers/inspectclient.h"

#include "workers/inspectworker.h"

#include <QDeadlineTimer>

#include "common/logging.h"

namespace cachescope {

InspectClient::InspectClient(QObject* parent) : QObject(parent), m_thread(new QThread)
{
    static const bool registered = [] {
        qRegisterMetaType<StoreReply>();
        qRegisterMetaType<PageReply>();
        qRegisterMetaType<SummaryReply>();
        qRegisterMetaType<ValueReply>();
        qRegisterMetaType<StatsReply>();
        qRegisterMetaType<FunctionsReply>();
        qRegisterMetaType<ChunkReply>();
        qRegisterMetaType<ChangeReply>();
        return true;
    }();
    Q_UNUSED(registered);

    m_worker = new InspectWorker;
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &InspectWorker::storeOpened, this, [this](const StoreReply& r) {
        if (r.generation == m_generation) Q_EMIT storeOpened(r);
    });
    connect(m_worker, &InspectWorker::pageReady, this, [this](const PageReply& r) {
        if (r.generation == m_generation) Q_EMIT pageReady(r);
    });
    connect(m_worker, &InspectWorker::summaryReady, this, [this](const SummaryReply& r) {
        if (r.generation == m_generation) Q_EMIT summaryReady(r);
    });
    connect(m_worker, &InspectWorker::valueReady, this, [this](const ValueReply& r) {
        if (r.generation == m_generation) Q_EMIT valueReady(r);
    });
    connect(m_worker, &InspectWorker::statsReady, this, [this](const StatsReply& r) {
        if (r.generation == m_generation) Q_EMIT statsReady(r);
    });
    connect(m_worker, &InspectWorker::functionsReady, this, [this](const FunctionsReply& r) {
        if (r.generation == m_generation) Q_EMIT functionsReady(r);
    });
    connect(m_worker, &InspectWorker::statsProgress, this, [this](quint64 generation, qint64 rows) {
        if (generation == m_generation) Q_EMIT statsProgress(rows);
    });
    connect(m_worker, &InspectWorker::chunkReady, this, [this](const ChunkReply& r) {
        if (r.generation == m_generation) Q_EMIT chunkReady(r);
    });
    connect(m_worker, &InspectWorker::changeTokenReady, this, [this](const ChangeReply& r) {
        if (r.generation == m_generation) Q_EMIT changeTokenReady(r);
    });
    m_thread->setObjectName(QStringLiteral("cachescope-inspect"));
    m_thread->start();
}

InspectClient::~InspectClient()
{
    m_worker->supersede(~quint64{0});  // skip whatever is still queued
    disconnect(m_worker, nullptr, this, nullptr);
    m_thread->quit();
    if (m_thread->wait(QDeadlineTimer(3000))) {
        delete m_thread;
        return;
    }
    // The engine is still waiting (a locked database): let it finish alone.
    qCWarning(lcUi) << "an engine query is still running; leaving it to finish in the background";
    QThread* thread = m_thread;
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
}

template <typename Fn>
void InspectClient::post(Fn&& fn)
{
    QMetaObject::invokeMethod(m_worker, std::forward<Fn>(fn), Qt::QueuedConnection);
}

quint64 InspectClient::newGeneration()
{
    ++m_generation;
    m_worker->supersede(m_generation);
    return m_generation;
}

void InspectClient::open(const QString& directory)
{
    m_directory = directory;
    const quint64 gen = newGeneration();
    InspectWorker* worker = m_worker;
    post([worker, gen, directory] { worker->openStore(gen, directory); });
}

void InspectClient::requestPage(const diskcache::PageRequest& request, bool append)
{
    const quint64 gen = m_generation;
    InspectWorker* worker = m_worker;
    post([worker, gen, request, append] { worker->fetchPage(gen, request, append); });
}

void InspectClient::requestSummary(SummaryDetail detail)
{
    const quint64 gen = m_generation;
    InspectWorker* worker = m_worker;
    post([worker, gen, detail] { worker->fetchSummary(gen, detail); });
}

void InspectClient::requestValue(const diskcache::Entry& entry)
{
    const quint64 gen = newGeneration();  // a newer selection replaces an older one
    InspectWorker* worker = m_worker;
    post([worker, gen, entry] { worker->fetchValue(gen, entry); });
}

void InspectClient::requestStats()
{
    const quint64 gen = m_generation;
    InspectWorker* worker = m_worker;
    post([worker, gen] { worker->fetchStats(gen); });
}

void InspectClient::requestFunctions()
{
    const quint64 gen = m_generation;
    InspectWorker* worker = m_worker;
    post([worker, gen] { worker->fetchFunctions(gen); });
}

void InspectClient::requestChunk(const diskcache::PageRequest& request, int chunk, int rows)
{
    const quint64 gen = m_generation;
    InspectWorker* worker = m_worker;
    post([worker, gen, request, chunk, rows] { worker->fetchChunk(gen, request, chunk, rows); });
}

void InspectClient::requestChangeToken()
{
    const quint64 gen = m_generation;
    InspectWorker* worker = m_worker;
    post([worker, gen] { worker->fetchChangeToken(gen); });
}

}  // namespace cachescope
