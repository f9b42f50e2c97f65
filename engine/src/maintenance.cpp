// Cache: expire, evict, clear and cull. cull removes rows in the library's
// batches and order (FORMAT.md, "Maintenance"), since the order decides what
// goes; expire, which removes every expired row whatever the order, goes in
// rowid order instead. One transaction runs batch after batch for up to
// transactionBudget() before it commits, so that concurrent writers still
// get turns (none waits longer than a quarter of the cache's own timeout, so
// none of them gives up) while a million-row cull does not pay for a hundred
// thousand commits. A stop leaves every transaction whole; value files go
// only after their commit.
#include <algorithm>
#include <chrono>
#include <set>
#include <system_error>

#include "cache_impl.h"
#include "platform.h"

namespace diskcache {

namespace {

// The most rows one maintenance transaction removes, which bounds the work
// of its commit and what it adds to the WAL.
constexpr std::int64_t kTransactionRows = 200000;

// How long one maintenance transaction goes on before it commits and lets
// other writers have the lock: a quarter of the timeout they wait with (the
// cache's own; Python's default is 60 s), never more than a second. With
// FanoutCache's 10 ms that is 2.5 ms, and a cull simply commits more often.
// Measured at 1M entries (cull to half): 100 ms a transaction took 7.6 s,
// 1 s with the larger page cache below 5.8 s.
std::chrono::microseconds transactionBudget(double timeoutSeconds) {
    const double quarter = std::clamp(timeoutSeconds / 4, 0.0, 1.0);
    return std::chrono::microseconds(static_cast<std::int64_t>(quarter * 1e6));
}

// While a maintenance run lasts, the handle keeps up to 64 MiB of pages
// (SQLite's default is 2 MiB): deleting in index order touches table,
// index and pointer-map pages all over the file, and re-reading them for
// every batch was a third of a large cull. Restores the setting after.
class LargerPageCache {
public:
    explicit LargerPageCache(Cache::Impl& d) : m_d(d) {
        std::lock_guard lock(m_d.m_mutex);
        auto current = m_d.m_db->scalar("PRAGMA cache_size");
        if (!current || current->kind() != ValueKind::Int) return;
        m_previous = current->asInt();
        if (m_d.m_db->exec("PRAGMA cache_size = -65536").isOk()) m_raised = true;
    }
    ~LargerPageCache() {
        if (!m_raised) return;
        std::lock_guard lock(m_d.m_mutex);
        (void)m_d.m_db->exec("PRAGMA cache_size = " + std::to_string(m_previous));
    }
    LargerPageCache(const LargerPageCache&) = delete;
    LargerPageCache& operator=(const LargerPageCache&) = delete;

private:
    Cache::Impl& m_d;
    std::int64_t m_previous = 0;
    bool m_raised = false;
};

// Where one maintenance run takes its rows from, one of the library's
// batches at a time, inside the transaction deleteInOneTransaction opens.
class BatchSource {
public:
    virtual ~BatchSource() = default;
    // Deletes the next batch and queues its files for after the commit;
    // returns how many rows it removed, 0 when nothing is left.
    virtual Result<std::int64_t> deleteNext(Cache::Impl& d, Transaction& txn) = 0;
};

// The library's own batches, in its order: `select` (columns: rowid, the
// order column, filename; it has the batch's LIMIT) from after the last
// row's order column. For cull, where the order decides what goes, and for
// evict and clear, whose order is rowid's already.
class OrderedBatches final : public BatchSource {
public:
    using Binder = std::function<void(sql::Query&, const Value&)>;
    OrderedBatches(const char* select, Value cursor, Binder bindArgs)
        : m_select(select), m_cursor(std::move(cursor)), m_bindArgs(std::move(bindArgs)) {}

    Result<std::int64_t> deleteNext(Cache::Impl& d, Transaction& txn) override {
        struct Victim {
            std::int64_t rowid;
            Value order;
            std::optional<std::string> filename;
        };
        std::vector<Victim> victims;
        {
            auto q = d.m_db->cached(m_select);
            if (!q) return q.status();
            m_bindArgs(*q, m_cursor);
            for (auto row = q->step(); ; row = q->step()) {
                if (!row) return row.status();
                if (!*row) break;
                victims.push_back({q->columnInt(0), q->columnValue(1), optionalText(*q, 2)});
            }
        }
        std::vector<std::int64_t> rowids;
        for (const auto& victim : victims) rowids.push_back(victim.rowid);
        DISKCACHE_TRY(d.deleteRows(rowids));
        for (const auto& victim : victims) txn.removeAfterCommit(victim.filename);
        if (!victims.empty()) m_cursor = victims.back().order;
        return static_cast<std::int64_t>(victims.size());
    }

private:
    const char* m_select;
    Value m_cursor;
    Binder m_bindArgs;
};

// For a removal that takes every row it finds whatever the order (expire):
// reads the rowids of the rows it will remove from an index alone, then
// deletes them in rowid order, 100 a batch. Going in an index's order
// (expire_time) dirties table pages all over the file in every transaction;
// in rowid order each transaction dirties its own stretch of the table, and
// each page is written to the WAL and checkpointed about once. Between
// transactions other writers may change rows, so each batch is checked again
// (`recheck`) in the transaction that deletes it, and a fresh read after the
// last one picks up rows that qualified meanwhile. A batch is one statement
// to check and one to delete: each statement execution opens the table's
// and the indexes' cursors again.
// Measured on 1M entries with 123k expired: expire 4.4 s -> 1.8 s, and
// cull to half the volume, which expires first, 7.1 s -> 4.9 s. With 140k
// expired, one statement a batch instead of one a row (here and in cull's
// batches): expire 2.4-2.5 s -> 1.8-2.1 s, cull 10-20 % less.
class RowidOrderedBatches final : public BatchSource {
public:
    using Binder = std::function<void(sql::Query&)>;
    // `select` returns rowids (?2 is its LIMIT); `recheckHead` followed by a
    // list of rowids from ?2 on returns those rows' rowid and filename that
    // still qualify; `bindArgs` binds ?1 of both.
    RowidOrderedBatches(const char* select, const std::string& recheckHead, Binder bindArgs)
        : m_select(select), m_recheck(recheckHead, 2), m_bindArgs(std::move(bindArgs)) {}

    Result<std::int64_t> deleteNext(Cache::Impl& d, Transaction& txn) override {
        while (true) {
            if (m_next == m_rowids.size()) {
                DISKCACHE_TRY(readRowids(d));
                if (m_rowids.empty()) return 0;
            }
            const std::size_t n = std::min(m_rowids.size() - m_next, kBatchRows);
            std::vector<std::int64_t> batch;
            {
                auto q = d.m_db->cached(m_recheck.forCount(n));
                if (!q) return q.status();
                m_bindArgs(*q);
                for (std::size_t i = 0; i < n; ++i) q->bindInt(static_cast<int>(i + 2), m_rowids[m_next + i]);
                for (auto row = q->step(); ; row = q->step()) {
                    if (!row) return row.status();
                    if (!*row) break;
                    batch.push_back(q->columnInt(0));
                    txn.removeAfterCommit(optionalText(*q, 1));
                }
            }
            m_next += n;
            DISKCACHE_TRY(d.deleteRows(batch));
            if (!batch.empty()) return static_cast<std::int64_t>(batch.size());
        }
    }

private:
    static constexpr std::size_t kBatchRows = RowidListSql::kMaxRows;
    // At most this many rowids (8 bytes each) are held at a time; a larger
    // removal reads again when they are done.
    static constexpr std::int64_t kMaxRowids = 1 << 20;

    Status readRowids(Cache::Impl& d) {
        m_rowids.clear();
        m_next = 0;
        auto q = d.m_db->cached(m_select);
        if (!q) return q.status();
        m_bindArgs(*q);
        q->bindInt(2, kMaxRowids);
        for (auto row = q->step(); ; row = q->step()) {
            if (!row) return row.status();
            if (!*row) break;
            m_rowids.push_back(q->columnInt(0));
        }
        std::sort(m_rowids.begin(), m_rowids.end());
        return Status::ok();
    }

    const char* m_select;
    RowidListSql m_recheck;
    Binder m_bindArgs;
    std::vector<std::int64_t> m_rowids;  // ascending
    std::size_t m_next = 0;              // the first of them not yet done
};

struct TransactionOutcome {
    std::int64_t removed = 0;
    bool exhausted = false;  // a batch came back empty: nothing is left to remove
    bool stopped = false;    // the progress callback asked to stop
};

// One transaction of batches: the first always runs; each further one only
// while the budget lasts and `another` (asked inside the transaction) agrees.
// `progress` hears the running total after every batch, as the library's
// loop would report it; when it says stop, the transaction commits what it
// removed and ends. It runs while the write lock is held, so it must return
// quickly (the GUI's posts a signal).
Result<TransactionOutcome> deleteInOneTransaction(Cache::Impl& d, BatchSource& source,
                                                  const std::function<Result<bool>()>& another,
                                                  const ProgressFn& progress, std::int64_t removedBefore) {
    std::lock_guard lock(d.m_mutex);
    Transaction txn(d);
    DISKCACHE_TRY(txn.begin());
    const auto start = std::chrono::steady_clock::now();
    const auto budget = transactionBudget(d.m_timeout);
    TransactionOutcome outcome;
    while (true) {
        auto n = source.deleteNext(d, txn);
        if (!n) return n.status();
        if (*n == 0) {
            outcome.exhausted = true;
            break;
        }
        outcome.removed += *n;
        if (progress && !progress(removedBefore + outcome.removed)) {
            outcome.stopped = true;
            break;
        }
        if (outcome.removed >= kTransactionRows || std::chrono::steady_clock::now() - start >= budget) break;
        if (another) {
            auto goOn = another();
            if (!goOn) return goOn.status();
            if (!*goOn) break;
        }
    }
    DISKCACHE_TRY(txn.commit());
    return outcome;
}

// Repeats transactions until nothing is left, the caller stops, or `more`
// (asked between transactions, on what is committed) says the goal is
// reached. `another` decides within a transaction; without it every batch
// of the library's loop would run anyway.
Result<Removal> deleteInBatches(Cache::Impl& d, BatchSource& source, const ProgressFn& progress,
                                const std::function<Result<bool>()>& more = {},
                                const std::function<Result<bool>()>& another = {}) {
    LargerPageCache pageCache(d);
    Removal removal;
    while (true) {
        if (more) {
            auto goOn = more();
            if (!goOn) return goOn.status();
            if (!*goOn) return removal;
        }
        auto outcome = deleteInOneTransaction(d, source, another, progress, removal.removed);
        if (!outcome) {
            if (outcome.status().code() == StatusCode::Timeout)
                return Status::timeout(outcome.status().message() + " (after removing " + std::to_string(removal.removed) + " rows)");
            return outcome.status();
        }
        removal.removed += outcome->removed;
        if (outcome->stopped) {
            removal.cancelled = true;
            return removal;
        }
        if (outcome->exhausted) return removal;
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

// Whether the volume this open transaction leaves once it commits is
// surely above `limit`, so that the library, checking volume() after each
// batch of 10, would remove another batch too. Inside a transaction
// PRAGMA page_count still counts the pages the deletes freed: with
// auto_vacuum full (the library's default) the commit gives them back,
// with the pointer-map pages they no longer need (one per usable/5 pages);
// otherwise the file keeps them. This takes the smallest volume the commit
// can leave, then a margin: near the limit the caller's own check on
// committed state decides, one batch per transaction, exactly as Python.
Result<bool> surelyOverLimitAfterCommit(Cache::Impl& d, bool autoVacuumFull, std::int64_t limit) {
    auto pages = d.readSettingInt("PRAGMA page_count");
    if (!pages) return pages.status();
    std::int64_t used = *pages;
    if (autoVacuumFull) {
        auto freePages = d.readSettingInt("PRAGMA freelist_count");
        if (!freePages) return freePages.status();
        const std::int64_t perMapPage = std::max<std::int64_t>(1, (d.m_pageSize - 255) / 5);  // any reserved bytes
        used -= *freePages + *freePages / perMapPage + 4;  // + the pending-byte page and rounding
    }
    auto size = d.readSettingInt("SELECT value FROM Settings WHERE key = 'size'");
    if (!size) return size.status();
    constexpr std::int64_t kMarginPages = 64;
    return (used - kMarginPages) * d.m_pageSize + *size > limit;
}

}  // namespace

Result<Removal> Cache::expire(std::optional<double> now, const ProgressFn& progress) {
    DISKCACHE_TRY(m_impl->requireWritable());
    const double cutoff = now.value_or(unixNow());
    // The library's condition, 0 < expire_time < now; every such row goes.
    RowidOrderedBatches expired("SELECT rowid FROM Cache WHERE 0 < expire_time AND expire_time < ?1 LIMIT ?2",
                                "SELECT rowid, filename FROM Cache WHERE 0 < expire_time AND expire_time < ?1 AND rowid IN ",
                                [cutoff](sql::Query& q) { q.bindDouble(1, cutoff); });
    return deleteInBatches(*m_impl, expired, progress);
}

Result<Removal> Cache::evict(const Value& tag, const ProgressFn& progress) {
    DISKCACHE_TRY(m_impl->requireWritable());
    OrderedBatches tagged("SELECT rowid, rowid, filename FROM Cache WHERE tag = ? AND rowid > ? ORDER BY rowid LIMIT 100",
                          Value::integer(0), [&tag](sql::Query& q, const Value& after) { q.bind(1, tag).bind(2, after); });
    return deleteInBatches(*m_impl, tagged, progress);
}

Result<Removal> Cache::clear(const ProgressFn& progress) {
    DISKCACHE_TRY(m_impl->requireWritable());
    OrderedBatches all("SELECT rowid, rowid, filename FROM Cache WHERE rowid > ? ORDER BY rowid LIMIT 100",
                       Value::integer(0), [](sql::Query& q, const Value& after) { q.bind(1, after); });
    return deleteInBatches(*m_impl, all, progress);
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
    // Python's test, on committed state, before every transaction.
    auto overLimit = [this, limit]() -> Result<bool> {
        auto vol = volume();
        if (!vol) return vol.status();
        return *vol > limit;
    };
    bool autoVacuumFull = false;
    {
        std::lock_guard lock(d.m_mutex);
        auto mode = d.m_db->scalar("PRAGMA auto_vacuum");
        if (!mode) return mode.status();
        autoVacuumFull = mode->kind() == ValueKind::Int && mode->asInt() == 1;
    }
    auto surelyOver = [&d, autoVacuumFull, limit]() { return surelyOverLimitAfterCommit(d, autoVacuumFull, limit); };
    OrderedBatches byPolicy(select, Value::none(), [](sql::Query&, const Value&) {});
    auto culled = deleteInBatches(
        d, byPolicy,
        [&](std::int64_t done) { return !progress || progress(already + done); }, overLimit, surelyOver);
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
