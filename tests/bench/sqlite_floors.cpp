#include "sqlite_floors.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <vector>

#include "diskcache/cache.h"
#include "sqlite_handle.h"

namespace bench {

namespace fs = std::filesystem;

namespace {

double now() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

class PlainTableFloor : public Store {
public:
    explicit PlainTableFloor(sqlite3* db)
        : m_connection(db),
          m_get(db, "SELECT value FROM t WHERE key = ?"),
          m_set(db, "INSERT OR REPLACE INTO t VALUES (?, ?)"),
          m_delete(db, "DELETE FROM t WHERE key = ?") {}
    bool ok() const { return m_get.ok() && m_set.ok() && m_delete.ok(); }
    bool get(const std::string& key) override {
        const bool miss = m_get.blob(1, key).step() != SQLITE_ROW;
        if (!miss) m_value.assign(static_cast<const char*>(sqlite3_column_blob(m_get.get(), 0)),
                                  size_t(sqlite3_column_bytes(m_get.get(), 0)));
        m_get.reset();
        return miss;
    }
    bool set(const std::string& key, const std::string& value) override {
        const bool failed = m_set.blob(1, key).blob(2, value).step() != SQLITE_DONE;
        m_set.reset();
        return failed;
    }
    bool remove(const std::string& key) override {
        m_delete.blob(1, key).step();
        const bool miss = sqlite3_changes(m_connection.db) == 0;
        m_delete.reset();
        return miss;
    }

private:
    Connection m_connection;
    Statement m_get, m_set, m_delete;
    std::string m_value;
};

// python-diskcache 5.4's statements, captured from the library itself
// (Debian python3-diskcache 5.4.0, /usr/bin/python3, sqlite3's
// set_trace_callback on Cache._con; bound values shown as the trace expands
// them) for Cache(dir) with default settings and raw bytes keys and values:
//
// get (hit or miss; statistics off and least-recently-stored: no transaction)
//   SELECT rowid, expire_time, tag, mode, filename, value FROM Cache WHERE key = x'35' AND raw = 1
//     AND (expire_time IS NULL OR expire_time > 1796408127.22906)
// set (an existing key; a new key INSERTs instead of UPDATE)
//   BEGIN IMMEDIATE
//   SELECT rowid, filename FROM Cache WHERE key = x'35' AND raw = 1
//   UPDATE Cache SET store_time = 1796408127.22949, expire_time = NULL, access_time = 1796408127.22949,
//     access_count = 0, tag = NULL, size = 0, mode = 1, filename = NULL, value = x'3535353535' WHERE rowid = 6
//   -- or: INSERT INTO Cache( key, raw, store_time, expire_time, access_time, access_count, tag, size, mode,
//   --   filename, value) VALUES (x'353030', 1, 1796408127.22988, NULL, 1796408127.22988, 0, NULL, 0, 1, NULL, x'78')
//   SELECT filename FROM Cache WHERE expire_time IS NOT NULL AND expire_time < 1796408127.22949
//     ORDER BY expire_time LIMIT 10
//   PRAGMA page_count
//   SELECT value FROM Settings WHERE key = 'size'
//   COMMIT
// delete (a present key; an absent one ROLLBACKs after the SELECT)
//   BEGIN IMMEDIATE
//   SELECT rowid, filename FROM Cache WHERE key = x'35' AND raw = 1
//     AND (expire_time IS NULL OR expire_time > 1796408127.23035)
//   DELETE FROM Cache WHERE rowid = 6
//   COMMIT
//
// (The trace repeats the UPDATE, INSERT and DELETE once or twice more for the
// Settings count/size triggers they fire; those run inside the one statement.)
// The library binds the values as parameters, as here. Two branches are not
// replayed because the workload never reaches them: deleting expired rows
// found by the cull query (no key has an expiry) and culling by policy once
// the volume passes size_limit (100 small keys stay far below 1 GB); the
// replay counts a set that would need them as failed, so a run that did
// would show misses. Connection: timeout 60 s and the pragmas Python's
// Cache._con applies from the Settings table.
class PythonSqlReplay : public Store {
public:
    explicit PythonSqlReplay(sqlite3* db)
        : m_connection(db),
          m_get(db, "SELECT rowid, expire_time, tag, mode, filename, value FROM Cache WHERE key = ? AND raw = ?"
                    " AND (expire_time IS NULL OR expire_time > ?)"),
          m_begin(db, "BEGIN IMMEDIATE"),
          m_commit(db, "COMMIT"),
          m_rollback(db, "ROLLBACK"),
          m_find(db, "SELECT rowid, filename FROM Cache WHERE key = ? AND raw = ?"),
          m_update(db, "UPDATE Cache SET store_time = ?, expire_time = ?, access_time = ?, access_count = ?, tag = ?,"
                       " size = ?, mode = ?, filename = ?, value = ? WHERE rowid = ?"),
          m_insert(db, "INSERT INTO Cache( key, raw, store_time, expire_time, access_time, access_count, tag, size,"
                       " mode, filename, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
          m_expired(db, "SELECT filename FROM Cache WHERE expire_time IS NOT NULL AND expire_time < ?"
                        " ORDER BY expire_time LIMIT ?"),
          m_pageCount(db, "PRAGMA page_count"),
          m_setting(db, "SELECT value FROM Settings WHERE key = ?"),
          m_findLive(db, "SELECT rowid, filename FROM Cache WHERE key = ? AND raw = ?"
                         " AND (expire_time IS NULL OR expire_time > ?)"),
          m_delete(db, "DELETE FROM Cache WHERE rowid = ?") {
        Statement pageSize(db, "PRAGMA page_size");
        if (pageSize.step() == SQLITE_ROW) m_pageSize = sqlite3_column_int64(pageSize.get(), 0);
        m_sizeLimit = settingValue("size_limit");
    }
    bool ok() const {
        for (const Statement* s : {&m_get, &m_begin, &m_commit, &m_rollback, &m_find, &m_update, &m_insert, &m_expired,
                                   &m_pageCount, &m_setting, &m_findLive, &m_delete})
            if (!s->ok()) return false;
        return m_pageSize > 0 && m_sizeLimit > 0;
    }
    bool get(const std::string& key) override {
        const bool miss = m_get.blob(1, key).integer(2, 1).real(3, now()).step() != SQLITE_ROW;
        if (!miss) m_value.assign(static_cast<const char*>(sqlite3_column_blob(m_get.get(), 5)),
                                  size_t(sqlite3_column_bytes(m_get.get(), 5)));
        m_get.reset();
        return miss;
    }
    bool set(const std::string& key, const std::string& value) override {
        const double t = now();
        if (!run(m_begin)) return true;
        sqlite3_int64 rowid = -1;
        if (m_find.blob(1, key).integer(2, 1).step() == SQLITE_ROW) rowid = sqlite3_column_int64(m_find.get(), 0);
        m_find.reset();
        bool done;
        if (rowid >= 0)
            done = run(m_update.real(1, t).null(2).real(3, t).integer(4, 0).null(5).integer(6, 0).integer(7, 1).null(8)
                           .blob(9, value).integer(10, rowid));
        else
            done = run(m_insert.blob(1, key).integer(2, 1).real(3, t).null(4).real(5, t).integer(6, 0).null(7)
                           .integer(8, 0).integer(9, 1).null(10).blob(11, value));
        done = done && cull(t);
        if (!done) return run(m_rollback), true;
        return !run(m_commit);
    }
    bool remove(const std::string& key) override {
        if (!run(m_begin)) return true;
        sqlite3_int64 rowid = -1;
        if (m_findLive.blob(1, key).integer(2, 1).real(3, now()).step() == SQLITE_ROW)
            rowid = sqlite3_column_int64(m_findLive.get(), 0);
        m_findLive.reset();
        if (rowid < 0) return run(m_rollback), true;
        if (!run(m_delete.integer(1, rowid))) return run(m_rollback), true;
        return !run(m_commit);
    }

private:
    // Steps a statement that returns no rows, then resets it.
    static bool run(Statement& s) {
        const int rc = s.step();
        s.reset();
        return rc == SQLITE_DONE;
    }
    sqlite3_int64 settingValue(const std::string& name) {
        sqlite3_int64 v = -1;
        if (m_setting.text(1, name).step() == SQLITE_ROW) v = sqlite3_column_int64(m_setting.get(), 0);
        m_setting.reset();
        return v;
    }
    // Cache._cull with cull_limit 10: the expired-rows query, then volume()
    // against size_limit. False when a branch the replay leaves out is due.
    bool cull(double t) {
        const bool expiredRows = m_expired.real(1, t).integer(2, 10).step() == SQLITE_ROW;
        m_expired.reset();
        sqlite3_int64 pages = 0;
        if (m_pageCount.step() == SQLITE_ROW) pages = sqlite3_column_int64(m_pageCount.get(), 0);
        m_pageCount.reset();
        const sqlite3_int64 volume = pages * m_pageSize + settingValue("size");
        return !expiredRows && volume < m_sizeLimit;
    }

    Connection m_connection;
    Statement m_get, m_begin, m_commit, m_rollback, m_find, m_update, m_insert, m_expired, m_pageCount, m_setting,
        m_findLive, m_delete;
    sqlite3_int64 m_pageSize = 0, m_sizeLimit = 0;
    std::string m_value;
};

template <typename Floor>
std::unique_ptr<Store> checked(sqlite3* db) {
    if (!db) return nullptr;
    auto floor = std::make_unique<Floor>(db);
    if (!floor->ok()) return nullptr;
    return floor;
}

}  // namespace

std::unique_ptr<Store> openPlainTableFloor(const fs::path& directory) {
    std::error_code ec;
    fs::create_directories(directory, ec);
    return checked<PlainTableFloor>(openDatabase(directory / "floor.db",
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        " CREATE TABLE IF NOT EXISTS t (key BLOB PRIMARY KEY, value BLOB)"));
}

std::unique_ptr<Store> openPythonSqlReplay(const fs::path& directory) {
    // The schema is the library's: let the engine (byte-compatible, tested
    // against python3-diskcache) make the cache, then talk SQL to it.
    if (!fs::exists(directory / "cache.db") && !diskcache::Cache::open(directory)) return nullptr;
    return checked<PythonSqlReplay>(openDatabase(directory / "cache.db", kLibraryPragmas));
}

}  // namespace bench
