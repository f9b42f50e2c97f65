// Plain SQLite C API handles for the benchmarks' floors: what SQLite itself
// costs, measured without the engine in between.
#pragma once

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace bench {

// The connection settings python-diskcache's Cache uses (FORMAT.md, Settings).
constexpr const char* kLibraryPragmas =
    "PRAGMA auto_vacuum = 1; PRAGMA cache_size = 8192; PRAGMA journal_mode = wal;"
    " PRAGMA mmap_size = 67108864; PRAGMA synchronous = 1";

// A prepared statement, reset after each use.
class Statement {
public:
    Statement(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK)
            std::fprintf(stderr, "cannot prepare %s: %s\n", sql, sqlite3_errmsg(db));
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    bool ok() const { return m_stmt != nullptr; }
    Statement& blob(int i, const std::string& b) { sqlite3_bind_blob(m_stmt, i, b.data(), int(b.size()), SQLITE_STATIC); return *this; }
    Statement& text(int i, const std::string& t) { sqlite3_bind_text(m_stmt, i, t.data(), int(t.size()), SQLITE_STATIC); return *this; }
    Statement& integer(int i, sqlite3_int64 v) { sqlite3_bind_int64(m_stmt, i, v); return *this; }
    Statement& real(int i, double v) { sqlite3_bind_double(m_stmt, i, v); return *this; }
    Statement& null(int i) { sqlite3_bind_null(m_stmt, i); return *this; }
    int step() { return sqlite3_step(m_stmt); }
    sqlite3_stmt* get() const { return m_stmt; }
    void reset() { sqlite3_reset(m_stmt); sqlite3_clear_bindings(m_stmt); }

private:
    sqlite3_stmt* m_stmt = nullptr;
};

inline sqlite3* openDatabase(const std::filesystem::path& file, const char* pragmas) {
    sqlite3* db = nullptr;
    if (sqlite3_open(file.string().c_str(), &db) != SQLITE_OK) {
        std::fprintf(stderr, "cannot open %s: %s\n", file.c_str(), sqlite3_errmsg(db));
        sqlite3_close(db);
        return nullptr;
    }
    sqlite3_busy_timeout(db, 60000);
    char* message = nullptr;
    if (sqlite3_exec(db, pragmas, nullptr, nullptr, &message) != SQLITE_OK) {
        std::fprintf(stderr, "%s: %s\n", file.c_str(), message ? message : "?");
        sqlite3_free(message);
        sqlite3_close(db);
        return nullptr;
    }
    return db;
}

// Owns the handle; declared before the statements so it closes after them.
struct Connection {
    explicit Connection(sqlite3* handle) : db(handle) {}
    ~Connection() { sqlite3_close(db); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    sqlite3* db;
};

}  // namespace bench
