#include "workers/maintenanceworker.h"

#include <QCoreApplication>
#include <QSaveFile>
#include <QThread>

#include <cstdio>
#include <map>

#include "common/format.h"
#include "common/logging.h"
#include "workers/entryexport.h"

namespace cachescope {

using diskcache::Result;
using diskcache::Status;
using diskcache::StatusCode;

namespace {

QString tr(const char* text) { return QCoreApplication::translate("MaintenanceWorker", text); }

std::filesystem::path toPath(const QString& directory) { return std::filesystem::path(directory.toStdString()); }

// The caches whose rows a removal works on: the cache itself or every shard.
Result<std::vector<std::filesystem::path>> removalDirectories(diskcache::Inspector& inspector)
{
    auto dirs = inspector.cacheDirectories();
    if (dirs.empty() || inspector.kind() == diskcache::StoreKind::DjangoFile)
        return Status::unsupported(std::string("maintenance applies to caches and FanoutCaches, not to a ") +
                                   diskcache::storeKindName(inspector.kind()));
    return dirs;
}

// What Check looks at: the caches above plus a fanout's sub-stores, as the CLI's check does.
Result<std::vector<std::filesystem::path>> checkedDirectories(diskcache::Inspector& inspector)
{
    std::vector<std::filesystem::path> dirs = inspector.cacheDirectories();
    if (inspector.kind() == diskcache::StoreKind::DjangoFile) return Status::unsupported("check does not apply to Django's file cache");
    for (const auto& child : inspector.children()) {
        if (child.kind == diskcache::StoreKind::DjangoFile) continue;
        if (child.kind != diskcache::StoreKind::Fanout) {
            dirs.push_back(child.path);
            continue;
        }
        auto inner = diskcache::inspect::open(child.path);
        if (!inner) return inner.status();
        auto more = checkedDirectories(**inner);
        if (!more) return more.status();
        dirs.insert(dirs.end(), more->begin(), more->end());
    }
    return dirs;
}

// The findings of `chosen` that are about the cache in `dir` (a shard's own
// files, or its rows' stored names for unsafe filenames, which carry no directory).
std::vector<diskcache::Finding> findingsIn(const std::filesystem::path& dir, const std::vector<diskcache::Finding>& chosen)
{
    const std::string prefix = (dir / "").string();
    std::vector<diskcache::Finding> mine;
    for (const auto& finding : chosen)
        if (finding.kind == diskcache::Finding::Kind::UnsafeFilename || finding.path.rfind(prefix, 0) == 0) mine.push_back(finding);
    return mine;
}

Result<std::vector<std::filesystem::path>> directoriesOf(const MaintenanceRequest& request)
{
    auto inspector = diskcache::inspect::open(toPath(request.store));
    if (!inspector) return inspector.status();
    const bool check = request.kind == MaintenanceKind::Check || request.kind == MaintenanceKind::Fix;
    return check ? checkedDirectories(**inspector) : removalDirectories(**inspector);
}

}  // namespace

QString maintenanceName(MaintenanceKind kind)
{
    switch (kind) {
    case MaintenanceKind::Expire: return tr("Expire");
    case MaintenanceKind::Cull: return tr("Cull");
    case MaintenanceKind::Evict: return tr("Evict tag");
    case MaintenanceKind::Clear: return tr("Clear");
    case MaintenanceKind::Delete: return tr("Delete");
    case MaintenanceKind::Touch: return tr("Touch");
    case MaintenanceKind::Check: return tr("Check");
    case MaintenanceKind::Fix: return tr("Fix");
    case MaintenanceKind::Settings: return tr("Settings");
    case MaintenanceKind::Export: return tr("Export");
    }
    return {};
}

QString describeMaintenanceError(const Status& status)
{
    const QString detail = format::fromStd(status.toString());
    QString what;
    switch (status.code()) {
    case StatusCode::Timeout:
        what = tr("Another process kept the cache locked, so Cachescope stopped waiting. What was done before that stays "
                  "done; nothing else was changed.");
        break;
    case StatusCode::ReadOnly: what = tr("The cache cannot be written: its files or its file system are read-only."); break;
    case StatusCode::Io: what = tr("The operating system refused (permission denied, disk full…)."); break;
    case StatusCode::Corrupt: what = tr("The cache database is damaged or is not a diskcache database."); break;
    case StatusCode::NotFound: what = tr("The cache is not there any more (moved or deleted?)."); break;
    case StatusCode::Unsupported: what = tr("This action does not apply to the selected store."); break;
    default: what = tr("The action failed."); break;
    }
    return what + QLatin1Char('\n') + detail;
}

MaintenanceWorker::MaintenanceWorker(QObject* parent) : QObject(parent) {}

void MaintenanceWorker::beginJob(const MaintenanceRequest& request)
{
    m_waiting.invalidate();
    m_lockTimeout = request.lockTimeout;
}

bool MaintenanceWorker::waitMore()
{
    if (cancelled()) return false;
    if (!m_waiting.isValid()) m_waiting.start();
    if (static_cast<double>(m_waiting.elapsed()) > m_lockTimeout * 1000.0) return false;
    Q_EMIT progress(-1, true);
    QThread::msleep(50);
    return !cancelled();
}

Status MaintenanceWorker::gaveUp(const Status& last) const
{
    if (cancelled()) return Status::cancelled();
    if (last.code() != StatusCode::Timeout) return last;
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3g", m_lockTimeout);
    return Status::timeout(std::string("the database stayed locked by another process for ") + seconds + " s");
}

Result<std::unique_ptr<diskcache::Cache>> MaintenanceWorker::openWritable(const Path& dir)
{
    diskcache::OpenOptions options;
    options.timeout = kLockSlice;
    while (true) {
        auto cache = diskcache::Cache::open(dir, options);
        if (cache || cache.status().code() != StatusCode::Timeout) return cache;
        if (!waitMore()) return gaveUp(cache.status());
    }
}

// ---- plans -------------------------------------------------------------------

// Counts the rows under `filter` and adds up their stored bytes, page by page.
bool MaintenanceWorker::planRows(MaintenancePlan& plan, diskcache::Inspector& inspector, const diskcache::EntryFilter& filter)
{
    diskcache::PageRequest request;
    request.filter = filter;
    request.limit = 2000;
    request.now = format::nowSeconds();
    plan.count = 0;
    plan.bytes = 0;
    while (!cancelled()) {
        auto page = inspector.list(request);
        if (!page) {
            plan.error = describeMaintenanceError(page.status());
            return false;
        }
        for (const auto& entry : page->entries) plan.bytes += entry.storedLength >= 0 ? entry.storedLength : entry.size;
        plan.count += static_cast<std::int64_t>(page->entries.size());
        Q_EMIT progress(plan.count, false);
        if (page->next.empty()) return true;
        request.after = page->next;
    }
    plan.error = tr("Cancelled.");
    return false;
}

bool MaintenanceWorker::planCull(MaintenancePlan& plan, diskcache::Inspector& inspector)
{
    using diskcache::EntryFilter;
    using diskcache::EvictionPolicy;
    using diskcache::SortColumn;
    std::int64_t left = plan.count;
    plan.bytes = 0;
    const auto take = [&](EntryFilter::Expiry expiry, SortColumn sort) {
        diskcache::PageRequest request;
        request.filter.expiry = expiry;
        request.sort = sort;
        request.limit = 2000;
        request.now = format::nowSeconds();
        while (left > 0 && !cancelled()) {
            auto page = inspector.list(request);
            if (!page) return page.status();
            for (const auto& entry : page->entries) {
                if (left-- <= 0) break;
                plan.bytes += entry.storedLength >= 0 ? entry.storedLength : entry.size;
                if (plan.victims.size() < 500) plan.victims << format::repr(entry.key, 200);
            }
            if (page->next.empty()) break;
            request.after = page->next;
        }
        return cancelled() ? Status::cancelled() : Status::ok();
    };
    Status status = take(EntryFilter::Expiry::Expired, SortColumn::ExpireTime);
    const auto policy = plan.settings.evictionPolicy;
    if (status && policy != EvictionPolicy::None) {
        const SortColumn order = policy == EvictionPolicy::LeastRecentlyUsed     ? SortColumn::AccessTime
                                 : policy == EvictionPolicy::LeastFrequentlyUsed ? SortColumn::AccessCount
                                                                                 : SortColumn::StoreTime;
        status = take(EntryFilter::Expiry::Live, order);
    }
    if (!status) plan.error = describeMaintenanceError(status);
    return status.isOk();
}

void MaintenanceWorker::plan(const MaintenanceRequest& request)
{
    beginJob(request);
    MaintenancePlan plan;
    plan.request = request;
    auto inspector = diskcache::inspect::open(toPath(request.store));
    auto dirs = inspector ? removalDirectories(**inspector) : Result<std::vector<Path>>(inspector.status());
    auto summary = dirs ? (*inspector)->summary() : Result<diskcache::Summary>(dirs.status());
    if (!summary) {
        plan.error = describeMaintenanceError(summary.status());
        Q_EMIT planReady(plan);
        return;
    }
    const auto settings = diskcache::settingsFromRows(summary->settings);
    plan.caches = static_cast<int>(dirs->size());
    plan.total = summary->count;
    plan.fileBytes = summary->size;
    plan.volume = summary->volume;
    plan.sizeLimit = settings.sizeLimit * plan.caches;  // each shard has its share of the total
    plan.policy = QString::fromLatin1(diskcache::evictionPolicyName(settings.evictionPolicy));
    plan.settings = settings;
    plan.hits = summary->hits;
    plan.misses = summary->misses;
    diskcache::EntryFilter expired;
    expired.expiry = diskcache::EntryFilter::Expiry::Expired;
    if (auto n = (*inspector)->count(expired)) plan.expired = *n;
    plan.ok = true;
    if (request.kind == MaintenanceKind::Expire) plan.ok = planRows(plan, **inspector, expired);
    else if (request.kind == MaintenanceKind::Evict) {
        diskcache::EntryFilter tagged;
        tagged.tag = request.tag;
        plan.ok = planRows(plan, **inspector, tagged);
    } else if (request.kind == MaintenanceKind::Cull) {
        auto estimate = (*inspector)->estimateCull();
        if (estimate) plan.count = *estimate;
        else plan.error = describeMaintenanceError(estimate.status());
        plan.ok = estimate.isOk() && planCull(plan, **inspector);
    } else if (request.kind == MaintenanceKind::Clear) {
        plan.count = plan.total;
    }
    Q_EMIT planReady(plan);
}

// ---- jobs --------------------------------------------------------------------

void MaintenanceWorker::run(const MaintenanceRequest& request)
{
    beginJob(request);
    MaintenanceResult result;
    result.kind = request.kind;
    Status status;
    if (request.kind == MaintenanceKind::Delete || request.kind == MaintenanceKind::Touch) {
        status = changeEntries(request, result);
    } else if (request.kind == MaintenanceKind::Export) {
        status = exportEntries(request, result);
    } else if (auto dirs = directoriesOf(request); !dirs) {
        status = dirs.status();
    } else if (request.kind == MaintenanceKind::Check || request.kind == MaintenanceKind::Fix) {
        status = check(*dirs, request.kind == MaintenanceKind::Fix, request.findings, result);
    } else if (request.kind == MaintenanceKind::Settings) {
        status = applySettings(request.settings, *dirs, result);
    } else {
        status = removeAll(request, *dirs, result);
    }
    if (status.code() == StatusCode::Cancelled) {
        result.cancelled = true;
        result.ok = true;
    } else if (!status) {
        result.code = status.code();
        result.error = describeMaintenanceError(status);
        if (result.done > 0)  // batches committed before the failure stay done; say how many
            result.error.insert(result.error.indexOf(QLatin1Char('\n')),
                                QLatin1Char(' ') + tr("%1 entries had been changed or removed before it stopped.").arg(result.done));
        qCInfo(lcUi) << maintenanceName(request.kind) << "failed:" << status.toString().c_str();
    } else {
        result.ok = true;
    }
    Q_EMIT finished(result);
}

Status MaintenanceWorker::removeAll(const MaintenanceRequest& request, const std::vector<Path>& dirs, MaintenanceResult& result)
{
    const diskcache::Value tag = request.tag;
    Job job;
    switch (request.kind) {
    case MaintenanceKind::Expire: job = [](diskcache::Cache& c, const diskcache::ProgressFn& p) { return c.expire(std::nullopt, p); }; break;
    case MaintenanceKind::Cull: job = [](diskcache::Cache& c, const diskcache::ProgressFn& p) { return c.cull(p); }; break;
    case MaintenanceKind::Evict: job = [tag](diskcache::Cache& c, const diskcache::ProgressFn& p) { return c.evict(tag, p); }; break;
    case MaintenanceKind::Clear: job = [](diskcache::Cache& c, const diskcache::ProgressFn& p) { return c.clear(p); }; break;
    default: return Status::invalidArgument("not a removal");
    }
    for (const auto& dir : dirs) {
        DISKCACHE_TRY(removeFrom(dir, job, result));
        if (cancelled()) return Status::cancelled();
    }
    return Status::ok();
}

// One cache: runs `job`, and when a batch times out on a lock, opens again
// and goes on (every batch is a whole transaction, so nothing is half done).
Status MaintenanceWorker::removeFrom(const Path& dir, const Job& job, MaintenanceResult& result)
{
    std::int64_t base = result.done;
    while (true) {
        auto cache = openWritable(dir);
        if (!cache) return cache.status();
        std::int64_t attempt = 0;
        auto removal = job(**cache, [&](std::int64_t done) {
            attempt = done;
            m_waiting.invalidate();
            Q_EMIT progress(base + done, false);
            return !cancelled();
        });
        if (removal) {
            result.done = base + removal->removed;
            return removal->cancelled ? Status::cancelled() : Status::ok();
        }
        if (removal.status().code() != StatusCode::Timeout) return removal.status();
        base += attempt;
        result.done = base;
        if (!waitMore()) return gaveUp(removal.status());
    }
}

Status MaintenanceWorker::changeEntries(const MaintenanceRequest& request, MaintenanceResult& result)
{
    std::map<Path, std::unique_ptr<diskcache::Cache>> caches;
    const Path store = toPath(request.store);
    for (const auto& entry : request.entries) {
        const Path dir = entry.shard ? store / *entry.shard : store;
        auto& cache = caches[dir];
        if (!cache) {
            auto opened = openWritable(dir);
            if (!opened) return opened.status();
            cache = std::move(opened).value();
        }
        while (true) {
            auto changed = request.kind == MaintenanceKind::Delete ? cache->remove(entry.key) : cache->touch(entry.key, request.expire);
            if (changed) {
                ++(*changed ? result.done : result.skipped);
                break;
            }
            if (changed.status().code() != StatusCode::Timeout) return changed.status();
            if (!waitMore()) return gaveUp(changed.status());
        }
        m_waiting.invalidate();
        Q_EMIT progress(result.done + result.skipped, false);
        if (cancelled()) return Status::cancelled();
    }
    return Status::ok();
}

// Reads only: a read-only Inspector, and the file is written whole or not at
// all (QSaveFile), so Cancel leaves no half-written export behind.
Status MaintenanceWorker::exportEntries(const MaintenanceRequest& request, MaintenanceResult& result)
{
    auto inspector = diskcache::inspect::open(toPath(request.store));
    if (!inspector) return inspector.status();
    QSaveFile file(request.exportPath);
    if (!file.open(QIODevice::WriteOnly))
        return Status::io("cannot write " + request.exportPath.toStdString() + ": " + file.errorString().toStdString());
    result.path = request.exportPath;
    const auto format = request.exportCsv ? entryexport::Format::Csv : entryexport::Format::JsonLines;
    file.write(entryexport::header(format));
    const auto write = [&](const diskcache::Entry& entry) {
        auto value = (*inspector)->readValue(entry);
        const auto repr = value ? std::optional(diskcache::inspect::pythonRepr(*value)) : std::nullopt;
        file.write(entryexport::row(format, entry, repr));
        Q_EMIT progress(++result.done, false);
    };
    if (!request.entries.empty()) {
        for (const auto& entry : request.entries) {
            if (cancelled()) return Status::cancelled();
            write(entry);
        }
    } else {
        diskcache::PageRequest page;
        page.filter = request.filter;
        page.limit = 500;
        while (true) {
            auto rows = (*inspector)->list(page);
            if (!rows) return rows.status();
            for (const auto& entry : rows->entries) write(entry);
            if (rows->next.empty()) break;
            if (cancelled()) return Status::cancelled();
            page.after = rows->next;
        }
    }
    if (!file.commit()) return Status::io("cannot write " + request.exportPath.toStdString() + ": " + file.errorString().toStdString());
    return Status::ok();
}

Status MaintenanceWorker::retrying(const std::function<Status()>& step)
{
    while (true) {
        Status status = step();
        if (status.code() != StatusCode::Timeout) return status;
        if (!waitMore()) return gaveUp(status);
    }
}

// Each cache in turn, each setting as the library's reset() stores it.
Status MaintenanceWorker::applySettings(const SettingsChange& change, const std::vector<Path>& dirs, MaintenanceResult& result)
{
    const auto shards = static_cast<std::int64_t>(dirs.size());
    for (const auto& dir : dirs) {
        auto opened = openWritable(dir);
        if (!opened) return opened.status();
        diskcache::Cache& cache = **opened;
        using diskcache::Value;
        if (change.sizeLimit) DISKCACHE_TRY(retrying([&] { return cache.reset("size_limit", Value::integer(*change.sizeLimit / shards)); }));
        if (change.cullLimit) DISKCACHE_TRY(retrying([&] { return cache.reset("cull_limit", Value::integer(*change.cullLimit)); }));
        if (change.policy)
            DISKCACHE_TRY(retrying([&] { return cache.reset("eviction_policy", Value::text(diskcache::evictionPolicyName(*change.policy))); }));
        if (change.statistics || change.resetStatistics) {
            const bool enable = change.statistics.value_or(cache.settings().statistics);
            DISKCACHE_TRY(retrying([&] { return cache.stats(enable, change.resetStatistics).status(); }));
        }
        if (change.tagIndex)
            DISKCACHE_TRY(retrying([&] { return *change.tagIndex ? cache.createTagIndex() : cache.dropTagIndex(); }));
        m_waiting.invalidate();
        ++result.done;
        Q_EMIT progress(result.done, false);
        if (cancelled()) return Status::cancelled();
    }
    return Status::ok();
}

Status MaintenanceWorker::check(const std::vector<Path>& dirs, bool fix, const std::vector<diskcache::Finding>& chosen,
                                MaintenanceResult& result)
{
    diskcache::OpenOptions options;
    options.timeout = kLockSlice;
    const auto progressFn = [this](std::int64_t done) {
        Q_EMIT progress(done, false);
        return !cancelled();
    };
    // A fix, then a new dry run that tells what is left.
    for (const bool fixing : fix ? std::vector<bool>{true, false} : std::vector<bool>{false}) {
        options.readOnly = !fixing;
        auto& into = fix && !fixing ? result.remaining : result.findings;
        for (const auto& dir : dirs) {
            const auto mine = findingsIn(dir, chosen);
            if (fixing && !chosen.empty() && mine.empty()) continue;  // nothing ticked in this cache
            while (true) {
                auto cache = diskcache::Cache::open(dir, options);
                auto report = !cache                       ? Result<diskcache::CheckReport>(cache.status())
                              : fixing && !chosen.empty() ? (*cache)->fix(mine)
                                                          : (*cache)->check(fixing, progressFn);
                if (report) {
                    into.insert(into.end(), report->findings.begin(), report->findings.end());
                    break;
                }
                if (report.status().code() != StatusCode::Timeout) return report.status();
                if (!waitMore()) return gaveUp(report.status());
            }
            m_waiting.invalidate();
        }
    }
    return Status::ok();
}

}  // namespace cachescope
