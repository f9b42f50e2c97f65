#include "structural_bench.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "diskcache/cache.h"
#include "diskcache/value.h"
#include "measured.h"
#include "sqlite_handle.h"

namespace bench {

using namespace diskcache;

namespace {

using Timed = std::function<void(const std::function<void()>&)>;

std::string error(const Status& status) { return "error: " + status.toString(); }

Step withCache(const std::filesystem::path& directory, std::function<std::string(Cache&, const Timed&)> body) {
    return [directory, body](const Timed& timed) -> std::string {
        auto cache = Cache::open(directory);
        if (!cache) return error(cache.status());
        return body(**cache, timed);
    };
}

std::vector<Measurement> measureAll(const std::filesystem::path& dir) {
    std::vector<Measurement> out;
    // Python: list(cache.iterkeys()), so the keys are kept.
    out.push_back(measureInChild("iterate every key", withCache(dir, [](Cache& cache, const Timed& timed) {
        std::vector<Value> keys;
        Status status;
        timed([&] {
            status = cache.forEachKey(Cache::KeyOrder::Key, [&](const Value& key) {
                keys.push_back(key);
                return true;
            });
        });
        return status ? std::to_string(keys.size()) + " keys" : error(status);
    })));
    out.push_back(measureInChild("check() without fix", withCache(dir, [](Cache& cache, const Timed& timed) {
        Result<CheckReport> report = Status::cancelled("not run");
        timed([&] { report = cache.check(false); });
        return report ? std::to_string(report->findings.size()) + " findings" : error(report.status());
    })));
    out.push_back(measureInChild("len", withCache(dir, [](Cache& cache, const Timed& timed) {
        Result<std::int64_t> n = Status::cancelled("not run");
        timed([&] { n = cache.count(); });
        return n ? std::to_string(*n) : error(n.status());
    })));
    out.push_back(measureInChild("volume", withCache(dir, [](Cache& cache, const Timed& timed) {
        Result<std::int64_t> n = Status::cancelled("not run");
        timed([&] { n = cache.volume(); });
        return n ? std::to_string(*n) : error(n.status());
    })));
    // Python: cache.reset('size_limit', cache.volume() // 2); cache.cull()
    out.push_back(measureInChild("cull to half the volume", withCache(dir, [](Cache& cache, const Timed& timed) {
        auto volume = cache.volume();
        if (!volume) return error(volume.status());
        if (Status s = cache.reset("size_limit", Value::integer(*volume / 2)); !s) return error(s);
        Result<Removal> removed = Status::cancelled("not run");
        timed([&] { removed = cache.cull(); });
        if (!removed) return error(removed.status());
        auto after = cache.count();
        return std::to_string(removed->removed) + " removed, " + (after ? std::to_string(*after) : "?") + " left";
    })));
    return out;
}


// ---- the same steps on plain SQLite: what they cost at the least -------------

sqlite3_int64 scalar(sqlite3* db, const char* sql) {
    Statement q(db, sql);
    return q.ok() && q.step() == SQLITE_ROW ? sqlite3_column_int64(q.get(), 0) : -1;
}

bool exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

// What the Settings table and the file say the volume is once committed
// work is accounted: pages in use (freed ones left out) plus value bytes.
sqlite3_int64 volumeInUse(sqlite3* db) {
    const sqlite3_int64 pages = scalar(db, "PRAGMA page_count") - scalar(db, "PRAGMA freelist_count");
    return pages * scalar(db, "PRAGMA page_size") + scalar(db, "SELECT value FROM Settings WHERE key = 'size'");
}

Step withDatabase(const std::filesystem::path& directory, std::function<std::string(sqlite3*, const Timed&)> body) {
    return [directory, body](const Timed& timed) -> std::string {
        Connection connection(openDatabase(directory / "cache.db", kLibraryPragmas));
        if (!connection.db) return "error: cannot open " + (directory / "cache.db").string();
        return body(connection.db, timed);
    };
}

std::vector<Measurement> measureFloors(const std::filesystem::path& dir) {
    std::vector<Measurement> out;
    // One statement in the key order the library iterates in, keeping each key's bytes.
    out.push_back(measureInChild("iterate every key", withDatabase(dir, [](sqlite3* db, const Timed& timed) {
        std::vector<std::string> keys;
        int rc = SQLITE_OK;
        timed([&] {
            Statement q(db, "SELECT key, raw FROM Cache ORDER BY key, raw");
            while ((rc = q.step()) == SQLITE_ROW) {
                const auto* bytes = static_cast<const char*>(sqlite3_column_blob(q.get(), 0));
                keys.emplace_back(bytes ? bytes : "", std::size_t(sqlite3_column_bytes(q.get(), 0)));
            }
        });
        return rc == SQLITE_DONE ? std::to_string(keys.size()) + " keys" : std::string("error: ") + sqlite3_errmsg(db);
    })));
    // The part of check() no implementation can skip; the walk of the files comes on top.
    out.push_back(measureInChild("check() without fix", withDatabase(dir, [](sqlite3* db, const Timed& timed) {
        std::string first;
        int lines = 0;
        timed([&] {
            Statement q(db, "PRAGMA integrity_check");
            while (q.step() == SQLITE_ROW) {
                if (lines++ == 0) first = reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0));
            }
        });
        return lines == 1 && first == "ok" ? std::string("0 findings") : std::to_string(lines) + " integrity messages";
    })));
    out.push_back(measureInChild("len", withDatabase(dir, [](sqlite3* db, const Timed& timed) {
        sqlite3_int64 n = 0;
        timed([&] { n = scalar(db, "SELECT value FROM Settings WHERE key = 'count'"); });
        return std::to_string(n);
    })));
    out.push_back(measureInChild("volume", withDatabase(dir, [](sqlite3* db, const Timed& timed) {
        sqlite3_int64 n = 0;
        timed([&] {
            n = scalar(db, "PRAGMA page_count") * scalar(db, "PRAGMA page_size") +
                scalar(db, "SELECT value FROM Settings WHERE key = 'size'");
        });
        return std::to_string(n);
    })));
    // The same rows as cull(): every expired one, then by store_time until the
    // volume is half; but in one transaction of bulk DELETEs, with no value
    // files removed and no other writer given a turn.
    out.push_back(measureInChild("cull to half the volume", withDatabase(dir, [](sqlite3* db, const Timed& timed) {
        exec(db, "PRAGMA cache_size = -65536");  // the page cache the engine's maintenance runs take
        const sqlite3_int64 limit = volumeInUse(db) / 2;
        const sqlite3_int64 before = scalar(db, "SELECT COUNT(*) FROM Cache");
        bool ok = true;
        timed([&] {
            const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
            ok = exec(db, "BEGIN IMMEDIATE");
            Statement expired(db, "DELETE FROM Cache WHERE 0 < expire_time AND expire_time < ?");
            ok = ok && expired.ok() && expired.real(1, now).step() == SQLITE_DONE;
            // Up to 1,000 rows a statement, fewer near the limit so as not to overshoot it.
            Statement oldest(db, "DELETE FROM Cache WHERE rowid IN (SELECT rowid FROM Cache ORDER BY store_time LIMIT ?)");
            const sqlite3_int64 bytesPerRow = std::max<sqlite3_int64>(1, 2 * limit / std::max<sqlite3_int64>(1, before));
            for (sqlite3_int64 over; ok && (over = volumeInUse(db) - limit) > 0;) {
                ok = oldest.ok() && oldest.integer(1, std::clamp<sqlite3_int64>(over / bytesPerRow / 2, 10, 1000)).step() == SQLITE_DONE &&
                     sqlite3_changes(db) > 0;
                oldest.reset();
            }
            ok = ok && exec(db, "COMMIT");
        });
        if (!ok) return std::string("error: ") + sqlite3_errmsg(db);
        const sqlite3_int64 after = scalar(db, "SELECT COUNT(*) FROM Cache");
        return std::to_string(before - after) + " removed, " + std::to_string(after) + " left";
    })));
    return out;
}

// Prints one implementation's steps; 1 when any of them failed.
int report(const std::string& impl, const std::vector<Measurement>& steps, bool json) {
    printMeasurements("structural", json ? "\"impl\": \"" + impl + "\"" : impl, steps, json);
    for (const auto& s : steps)
        if (!s.ok) return 1;
    return 0;
}

}  // namespace

int runStructuralBench(const std::filesystem::path& directory, bool json) { return report("engine", measureAll(directory), json); }

int runStructuralFloor(const std::filesystem::path& directory, bool json) {
    return report("sqlite-floor", measureFloors(directory), json);
}

}  // namespace bench
