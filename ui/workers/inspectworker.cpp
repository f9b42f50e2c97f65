#include "diskcache/decode.h"
#include "workers/inspectworker.h"

#include <QCoreApplication>

#include <algorithm>

#include "common/format.h"
#include "common/logging.h"

namespace cachescope {

namespace {

QString describe(const diskcache::Status& status)
{
    using diskcache::StatusCode;
    const QString detail = format::fromStd(status.message());
    switch (status.code()) {
    case StatusCode::NotFound:
        return QCoreApplication::translate("InspectWorker", "This folder is not a diskcache cache.\n%1").arg(detail);
    case StatusCode::Corrupt:
        return QCoreApplication::translate("InspectWorker", "The cache database is damaged or is not a diskcache database.\n%1").arg(detail);
    case StatusCode::Timeout:
        return QCoreApplication::translate("InspectWorker", "The cache is locked by another process; try Refresh (F5) later.\n%1").arg(detail);
    case StatusCode::Io:
        return QCoreApplication::translate("InspectWorker", "The cache could not be read (permissions?).\n%1").arg(detail);
    default:
        return format::fromStd(status.toString());
    }
}

}  // namespace

InspectWorker::InspectWorker(QObject* parent) : QObject(parent) {}
InspectWorker::~InspectWorker() = default;

QString InspectWorker::noStore() const
{
    return m_openError.isEmpty() ? tr("No cache is open.") : m_openError;
}

void InspectWorker::openStore(quint64 generation, const QString& directory)
{
    StoreReply reply;
    reply.generation = generation;
    reply.directory = directory;
    m_inspector.reset();
    m_openError.clear();
    auto opened = diskcache::inspect::open(std::filesystem::path(directory.toStdString()));
    if (!opened) {
        reply.code = opened.status().code();
        reply.error = describe(opened.status());
        m_openError = reply.error;
        qCInfo(lcUi) << "cannot open" << directory << opened.status().toString().c_str();
    } else {
        m_inspector = std::move(opened).value();
        // A query for a superseded sort, filter or store stops where it is.
        m_inspector->setCancelCheck([this] { return stale(m_running); });
        reply.ok = true;
        reply.kind = m_inspector->kind();
        reply.pickleProtocol = m_inspector->pickleProtocol();
    }
    Q_EMIT storeOpened(reply);
}

void InspectWorker::fetchPage(quint64 generation, const diskcache::PageRequest& request, bool append)
{
    if (stale(generation)) return;
    running(generation);
    PageReply reply;
    reply.generation = generation;
    reply.append = append;
    if (!m_inspector) {
        reply.error = noStore();
    } else if (m_inspector->kind() == diskcache::StoreKind::Collection) {
        reply.ok = true;  // a collection has no rows of its own
    } else {
        auto page = m_inspector->list(request);
        if (page) {
            reply.ok = true;
            reply.page = std::move(page).value();
        } else {
            reply.error = describe(page.status());
        }
    }
    Q_EMIT pageReady(reply);
}

void InspectWorker::fetchSummary(quint64 generation, SummaryDetail detail)
{
    if (stale(generation)) return;
    running(generation);
    SummaryReply reply;
    reply.generation = generation;
    if (!m_inspector) {
        reply.error = noStore();
        Q_EMIT summaryReady(reply);
        return;
    }
    auto summary = m_inspector->summary();
    if (!summary) {
        reply.error = describe(summary.status());
        Q_EMIT summaryReady(reply);
        return;
    }
    reply.ok = true;
    reply.summary = std::move(summary).value();
    reply.settings = diskcache::settingsFromRows(reply.summary.settings);
    if (detail == SummaryDetail::WithEstimates && m_inspector->kind() != diskcache::StoreKind::Collection) {
        diskcache::EntryFilter expired;
        expired.expiry = diskcache::EntryFilter::Expiry::Expired;
        if (auto n = m_inspector->count(expired)) reply.expired = *n;
        if (auto cull = m_inspector->estimateCull()) reply.cullEstimate = *cull;
    }
    Q_EMIT summaryReady(reply);
}

// Runs the engine's decoder on the stored bytes, so the pane can say what
// they are and why (a JSONDisk zlib stream, a PNG, pickle protocol 5...).
void InspectWorker::describeValue(ValueReply& reply)
{
    const diskcache::decode::ValueHint hint{reply.entry.mode, reply.entry.valueType};
    auto decoded = diskcache::decode::decodeValue(reply.stored, hint);
    if (!decoded) {
        reply.decodedReason = "not decoded: " + decoded.status().message();
        return;
    }
    reply.decodedFormat = diskcache::decode::formatName(decoded->format);
    reply.decodedReason = std::move(decoded->reason);
    reply.decodedText = std::move(decoded->text);
}

void InspectWorker::fetchValue(quint64 generation, const diskcache::Entry& entry)
{
    if (stale(generation)) return;
    running(generation);
    ValueReply reply;
    reply.generation = generation;
    reply.entry = entry;
    if (!m_inspector) {
        reply.error = noStore();
    } else if (auto value = m_inspector->readValue(entry); !value) {
        reply.error = describe(value.status());
    } else {
        reply.ok = true;
        reply.value = std::move(value).value();
        if (auto stored = m_inspector->readStoredBytes(entry)) reply.stored = std::move(stored).value();
        describeValue(reply);
    }
    Q_EMIT valueReady(reply);
}

void InspectWorker::fetchStats(quint64 generation)
{
    if (stale(generation)) return;
    running(generation);
    StatsReply reply;
    reply.generation = generation;
    if (!m_inspector || m_inspector->kind() == diskcache::StoreKind::Collection) {
        reply.ok = m_inspector != nullptr;
        reply.error = m_inspector ? QString() : noStore();
        Q_EMIT statsReady(reply);
        return;
    }
    // The scan asks every few thousand rows whether to go on: a newer
    // request (another store, a refresh) stops it there.
    const auto progress = [this, generation](std::int64_t rows) {
        if (stale(generation)) return false;
        Q_EMIT statsProgress(generation, rows);
        return true;
    };
    auto summary = m_inspector->summary();
    auto statistics = summary ? m_inspector->statistics({}, progress) : diskcache::Result<diskcache::Statistics>(summary.status());
    if (statistics.status().code() == diskcache::StatusCode::Cancelled) return;
    auto space = statistics ? m_inspector->space(progress) : diskcache::Result<diskcache::SpaceLedger>(statistics.status());
    if (space.status().code() == diskcache::StatusCode::Cancelled) return;
    if (!space) {
        reply.error = describe(space.status());
    } else {
        reply.ok = true;
        reply.statistics = std::move(statistics).value();
        reply.space = std::move(space).value();
        reply.advice = diskcache::inspect::adviseSettings(*summary, &reply.statistics);
    }
    Q_EMIT statsReady(reply);
}

void InspectWorker::fetchFunctions(quint64 generation)
{
    if (stale(generation)) return;
    running(generation);
    FunctionsReply reply;
    reply.generation = generation;
    if (!m_inspector || m_inspector->kind() == diskcache::StoreKind::Collection) {
        reply.ok = m_inspector != nullptr;  // a collection's stores have their own items
        reply.error = m_inspector ? QString() : noStore();
        Q_EMIT functionsReady(reply);
        return;
    }
    auto functions = m_inspector->memoizedFunctions(100, [this, generation](std::int64_t) { return !stale(generation); });
    if (functions.status().code() == diskcache::StatusCode::Cancelled) return;
    if (!functions) {
        reply.error = describe(functions.status());
    } else {
        reply.ok = true;
        reply.functions = std::move(functions).value();
    }
    Q_EMIT functionsReady(reply);
}

}  // namespace cachescope

namespace cachescope {

void InspectWorker::fetchChunk(quint64 generation, const diskcache::PageRequest& request, int chunk, int rows)
{
    if (stale(generation)) return;
    running(generation);
    ChunkReply reply;
    reply.generation = generation;
    reply.chunk = chunk;
    if (!m_inspector || m_inspector->kind() == diskcache::StoreKind::Collection) {
        reply.ok = m_inspector != nullptr;  // a collection has no rows of its own
        reply.error = m_inspector ? QString() : noStore();
        Q_EMIT chunkReady(reply);
        return;
    }
    m_chunkStarts.useGeneration(generation);
    auto [from, cursor] = m_chunkStarts.nearest(chunk, rows);
    diskcache::PageRequest page = request;
    page.limit = static_cast<std::size_t>(rows);
    page.after = cursor;
    if (from < chunk) {
        auto start = m_inspector->seek(page, static_cast<std::int64_t>(chunk - from) * rows);
        if (!start) {
            reply.code = start.status().code();
            reply.error = describe(start.status());
            Q_EMIT chunkReady(reply);
            return;
        }
        page.after = *start;
        m_chunkStarts.remember(chunk, *start);
    }
    auto listed = m_inspector->list(page);
    if (!listed) {
        reply.code = listed.status().code();
        reply.error = describe(listed.status());
    } else {
        reply.ok = true;
        reply.total = listed->total;
        reply.entries = std::move(listed->entries);
        m_chunkStarts.remember(chunk + 1, listed->next);
        m_chunkStarts.rememberTotal(listed->total);
    }
    Q_EMIT chunkReady(reply);
}

void InspectWorker::fetchChangeToken(quint64 generation)
{
    if (stale(generation)) return;
    running(generation);
    ChangeReply reply;
    reply.generation = generation;
    if (!m_inspector) {
        reply.error = noStore();
    } else if (m_inspector->kind() == diskcache::StoreKind::Collection) {
        reply.ok = true;  // its stores are watched through the folder
    } else if (auto token = m_inspector->changeToken()) {
        reply.ok = true;
        reply.token = *token;
    } else {
        reply.error = describe(token.status());
    }
    Q_EMIT changeTokenReady(reply);
}

}  // namespace cachescope
