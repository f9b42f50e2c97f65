// Cache: expire, evict, clear and cull, in short batched transactions as the
// library runs them (FORMAT.md, "Maintenance"), so that concurrent writers
// get turns in between and a stop leaves every batch whole.
#include <set>
#include <system_error>

#include "cache_impl.h"
#include "platform.h"

namespace diskcache {

namespace {

struct Victim {
    std::int64_t rowid;
    Value order;  // the column the batch is ordered by, to continue after it
    std::optional<std::string> filename;
};

// One batch: select up to `limit` rows with `select` (columns: rowid, order
// column, filename), delete them, commit, then remove their files.
Result<std::vector<Victim>> deleteBatch(Cache::Impl& d, const char* select,
                                        const std::function<void(sql::Query&)>& bindArgs) {
    std::lock_guard lock(d.m_mutex);
    Transaction txn(d);
    DISKCACHE_TRY(txn.begin());
    std::vector<Victim> victims;
    {
        auto q = d.m_db->cached(select);
        if (!q) return q.status();
        bindArgs(*q);
        for (auto row = q->step(); ; row = q->step()) {
            if (!row) return row.status();
            if (!*row) break;
            victims.push_back({q->columnInt(0), q->columnValue(1), optionalText(*q, 2)});
        }
    }
    for (const auto& victim : victims) {
        DISKCACHE_TRY(d.deleteRow(victim.rowid));
        txn.removeAfterCommit(victim.filename);
    }
    DISKCACHE_TRY(txn.commit());
    return victims;
}

// Repeats batches until one comes back empty, the caller stops, or `more`
// says the goal is reached.
Result<Removal> deleteInBatches(Cache::Impl& d, const char* select, Value cursor,
                                const std::function<void(sql::Query&, const Value&)>& bindArgs,
                                const ProgressFn& progress, const std::function<Result<bool>()>& more = {}) {
    Removal removal;
    while (true) {
        if (more) {
            auto goOn = more();
            if (!goOn) return goOn.status();
            if (!*goOn) return removal;
        }
        auto batch = deleteBatch(d, select, [&](sql::Query& q) { bindArgs(q, cursor); });
        if (!batch) {
            if (batch.status().code() == StatusCode::Timeout)
                return Status::timeout(batch.status().message() + " (after removing " + std::to_string(removal.removed) + " rows)");
            return batch.status();
        }
        if (batch->empty()) return removal;
        removal.removed += static_cast<std::int64_t>(batch->size());
        cursor = batch->back().order;
        if (progress && !progress(removal.removed)) {
            removal.cancelled = true;
            return removal;
        }
    }
}

const char* cullSelect(EvictionPolicy policy) {
    switch (policy) {
    case EvictionPolicy::LeastRecentlyStored: return "SELECT rowid, store_time, filename FROM Cache ORDER BY store_time LIMIT 10";
    case EvictionPolicy::LeastRecentlyUsed: return "SELECT rowid, access_time, filename FROM Cache ORDER BY access_time LIMIT 10";
    case EvictionPolicy::LeastFrequentlyUsed: return "SELECT rowid, access_count, filename FROM Cache ORDER BY access_count LIMIT 10";
    case EvictionPolicy::None: return nullptr;
    }
    return nullptr;
}

}  // namespace

Result<Removal> Cache::expire(std::optional<double> now, const ProgressFn& progress) {
    DISKCACHE_TRY(m_impl->requireWritable());
    const double cutoff = now.value_or(unixNow());
    return deleteInBatches(
        *m_impl,
        "SELECT rowid, expire_time, filename FROM Cache WHERE ? < expire_time AND expire_time < ?"
        " ORDER BY expire_time LIMIT 100",
        Value::real(0), [cutoff](sql::Query& q, const Value& after) { q.bind(1, after).bindDouble(2, cutoff); },
        progress);
}

Result<Removal> Cache::evict(const Value& tag, const ProgressFn& progress) {
    DISKCACHE_TRY(m_impl->requireWritable());
    return deleteInBatches(
        *m_impl, "SELECT rowid, rowid, filename FROM Cache WHERE tag = ? AND rowid > ? ORDER BY rowid LIMIT 100",
        Value::integer(0), [&tag](sql::Query& q, const Value& after) { q.bind(1, tag).bind(2, after); }, progress);
}

Result<Removal> Cache::clear(const ProgressFn& progress) {
    DISKCACHE_TRY(m_impl->requireWritable());
    return deleteInBatches(*m_impl, "SELECT rowid, rowid, filename FROM Cache WHERE rowid > ? ORDER BY rowid LIMIT 100",
                           Value::integer(0), [](sql::Query& q, const Value& after) { q.bind(1, after); }, progress);
}

Result<Removal> Cache::cull(const ProgressFn& progress) {
    Impl& d = *m_impl;
    DISKCACHE_TRY(d.requireWritable());
    auto expired = expire(unixNow(), progress);
    if (!expired || expired->cancelled) return expired;
    const char* select = cullSelect(settings().evictionPolicy);
    if (!select) return expired;  // the library returns 0 here; we count what expire removed
    const std::int64_t limit = settings().sizeLimit;
    const std::int64_t already = expired->removed;
    auto overLimit = [this, limit]() -> Result<bool> {
        auto vol = volume();
        if (!vol) return vol.status();
        return *vol > limit;
    };
    auto culled = deleteInBatches(
        d, select, Value::none(), [](sql::Query&, const Value&) {},
        [&](std::int64_t done) { return !progress || progress(already + done); }, overLimit);
    if (!culled) return culled;
    culled->removed += already;
    return culled;
}

// ---- fix: chosen findings of check() -----------------------------------------

namespace {

namespace fs = std::filesystem;

// What fix() was asked to repair, by kind.
struct FixSelection {
    bool vacuum = false, count = false, size = false;
    std::set<std::string> rows;     // resolved paths of rows whose file is missing or of the wrong size
    std::set<std::string> unsafe;   // stored filenames of unsafe rows
    std::set<fs::path> files, dirs;

    explicit FixSelection(const std::vector<Finding>& findings) {
        for (const auto& f : findings) {
            // Finding paths are UTF-8 (platform::toUtf8); one that is not names nothing to fix.
            const auto path = platform::fromUtf8(f.path);
            const fs::path normal = path ? path->lexically_normal() : fs::path();
            switch (f.kind) {
            case Finding::Kind::Integrity: vacuum = true; break;
            case Finding::Kind::CountMismatch: count = true; break;
            case Finding::Kind::SizeMismatch: size = true; break;
            case Finding::Kind::FileNotFound:
            case Finding::Kind::WrongFileSize: if (path) rows.insert(platform::toUtf8(normal)); break;
            case Finding::Kind::UnsafeFilename: unsafe.insert(f.path); break;
            case Finding::Kind::UnknownFile: if (path) files.insert(normal); break;
            case Finding::Kind::EmptyDirectory: if (path) dirs.insert(normal); break;
            }
        }
    }
};

bool isInside(const fs::path& path, const fs::path& directory) {
    const fs::path base = directory.lexically_normal();
    const fs::path rel = path.lexically_normal().lexically_relative(base);
    return !rel.empty() && *rel.begin() != ".." && !rel.is_absolute();
}

struct Fixer {
    Cache::Impl& d;
    const FixSelection& want;
    CheckReport report;
    std::set<fs::path> known;  // files rows name

    void add(Finding::Kind kind, const std::string& path, const std::string& detail) { report.findings.push_back({kind, path, detail}); }

    Status rows() {
        auto rows = rowsWithFiles(*d.m_db);
        if (!rows) return rows.status();
        for (const auto& row : *rows) DISKCACHE_TRY(fixRow(row.rowid, row.size, row.filename));
        return Status::ok();
    }

    Status fixRow(std::int64_t rowid, std::int64_t size, const std::string& filename) {
        auto path = d.m_disk.resolve(filename);
        // NotFound: another process removed the file while it was resolved;
        // the row changed under the walk and is not this walk's to judge.
        if (!path && path.status().code() == StatusCode::NotFound) return Status::ok();
        if (!path) {
            if (!want.unsafe.count(filename)) return Status::ok();
            add(Finding::Kind::UnsafeFilename, filename, "deleted the row of unsafe filename " + filename);
            return d.deleteRow(rowid);
        }
        const fs::path normal = path->lexically_normal();
        known.insert(normal);
        if (!want.rows.count(platform::toUtf8(normal))) return Status::ok();
        std::error_code ec;
        if (!fs::is_regular_file(fs::symlink_status(*path, ec))) {
            add(Finding::Kind::FileNotFound, platform::toUtf8(*path), "deleted the row of missing file " + platform::toUtf8(*path));
            return d.deleteRow(rowid);
        }
        const auto real = static_cast<std::int64_t>(fs::file_size(*path, ec));
        if (ec || real == size) return Status::ok();
        auto q = d.m_db->prepare("UPDATE Cache SET size = ? WHERE rowid = ?");
        if (!q) return q.status();
        q->bindInt(1, real).bindInt(2, rowid);
        add(Finding::Kind::WrongFileSize, platform::toUtf8(*path), "set the size of " + platform::toUtf8(*path) + " to " + std::to_string(real));
        return q->run();
    }

    // Only files inside the cache, that no row names and that are not the database's own.
    void files() {
        std::error_code ec;
        for (const auto& path : want.files) {
            if (!isInside(path, d.m_directory) || known.count(path)) continue;
            if (path.parent_path() == d.m_directory.lexically_normal() && path.filename().string().rfind("cache.db", 0) == 0) continue;
            if (fs::is_directory(fs::symlink_status(path, ec)) || !fs::remove(path, ec)) continue;
            add(Finding::Kind::UnknownFile, platform::toUtf8(path), "deleted unknown file " + platform::toUtf8(path));
            pruneParents(path);
        }
    }

    // Directories that removing `path` emptied, as check(true) removes them too.
    void pruneParents(const fs::path& path) {
        std::error_code ec;
        for (fs::path dir = path.parent_path(); isInside(dir, d.m_directory) && fs::is_empty(dir, ec) && !ec; dir = dir.parent_path()) {
            if (!fs::remove(dir, ec)) return;
            add(Finding::Kind::EmptyDirectory, platform::toUtf8(dir), "removed empty directory " + platform::toUtf8(dir));
        }
    }

    void dirs() {
        std::error_code ec;
        for (auto it = want.dirs.rbegin(); it != want.dirs.rend(); ++it) {  // deepest first
            if (!isInside(*it, d.m_directory) || !fs::is_directory(fs::symlink_status(*it, ec)) || !fs::is_empty(*it, ec)) continue;
            if (!fs::remove(*it, ec)) continue;
            add(Finding::Kind::EmptyDirectory, platform::toUtf8(*it), "removed empty directory " + platform::toUtf8(*it));
            pruneParents(*it);
        }
    }

    Status metadata(const char* name, const char* actualSql, Finding::Kind kind) {
        auto actual = d.m_db->scalar(actualSql);
        if (!actual) return actual.status();
        auto q = d.m_db->prepare("UPDATE Settings SET value = ? WHERE key = ?");
        if (!q) return q.status();
        q->bindInt(1, actual->asInt()).bindText(2, name);
        add(kind, platform::toUtf8(d.m_directory / "cache.db"), std::string("set Settings.") + name + " to " + std::to_string(actual->asInt()));
        return q->run();
    }
};

}  // namespace

Result<CheckReport> Cache::fix(const std::vector<Finding>& findings) {
    Impl& d = *m_impl;
    DISKCACHE_TRY(d.requireWritable());
    const FixSelection want(findings);
    std::lock_guard lock(d.m_mutex);
    Fixer fixer{d, want, {}, {}};
    if (want.vacuum) {
        DISKCACHE_TRY(d.m_db->exec("VACUUM"));
        fixer.add(Finding::Kind::Integrity, platform::toUtf8(d.m_directory / "cache.db"), "rebuilt the database (VACUUM)");
    }
    Transaction txn(d);
    DISKCACHE_TRY(txn.begin());
    DISKCACHE_TRY(fixer.rows());
    fixer.files();
    fixer.dirs();
    if (want.count) DISKCACHE_TRY(fixer.metadata("count", "SELECT COUNT(key) FROM Cache", Finding::Kind::CountMismatch));
    if (want.size) DISKCACHE_TRY(fixer.metadata("size", "SELECT COALESCE(SUM(size), 0) FROM Cache", Finding::Kind::SizeMismatch));
    DISKCACHE_TRY(txn.commit());
    fixer.report.fixed = true;
    return std::move(fixer.report);
}

}  // namespace diskcache
