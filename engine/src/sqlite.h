// Thin RAII layer over SQLite's C API for the engine: one Connection owns a
// sqlite3 handle and a cache of prepared statements; Query borrows one of
// them for a single use and resets it afterwards. Every result code is
// turned into a Status here, in one place.
//
// Thread safety: a Connection is used by one thread at a time (Cache
// serialises access with its own mutex).
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "diskcache/status.h"
#include "diskcache/value.h"

namespace diskcache::sql {

// Maps a SQLite result code (and the handle's message) to a Status.
Status statusFrom(int rc, sqlite3* db, std::string_view context);

// One use of a cached prepared statement: bind, step, read columns. The
// statement is reset and its bindings cleared when the Query goes away.
// Text and blobs are bound without a copy: what is bound must outlive the
// Query (every caller binds locals or arguments, which do).
class Query {
public:
    Query(sqlite3* db, sqlite3_stmt* stmt, bool owned) : m_db(db), m_stmt(stmt), m_owned(owned) {}
    Query(Query&& other) noexcept;
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;
    Query& operator=(Query&&) = delete;
    ~Query();

    Query& bind(int index, const Value& value);
    Query& bindInt(int index, std::int64_t value);
    Query& bindDouble(int index, double value);
    Query& bindText(int index, std::string_view utf8);
    Query& bindBlob(int index, std::string_view data);
    Query& bindNull(int index);

    // Advances to the next row: true for a row, false when done, or an error.
    Result<bool> step();
    // Runs a statement that returns no rows of interest to completion.
    Status run();

    bool isNull(int column) const;
    std::int64_t columnInt(int column) const;
    double columnDouble(int column) const;
    std::string columnText(int column) const;
    std::string_view columnBytes(int column) const;  // valid until the next step
    // The column as a Value: INTEGER, REAL, TEXT, BLOB or NULL as they are stored.
    Value columnValue(int column) const;
    int columnType(int column) const { return sqlite3_column_type(m_stmt, column); }

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt;
    bool m_owned;  // finalize (one-off) rather than reset (cached) when done
    int m_bindError = SQLITE_OK;
};

enum class OpenFlags { ReadWriteCreate, ReadWrite, ReadOnly, Immutable };

class Connection {
public:
    // Opens the database at `path`. `timeout` bounds how long a statement
    // waits for another process's lock before failing with Timeout.
    static Result<std::unique_ptr<Connection>> open(const std::string& path, OpenFlags flags,
                                                    std::chrono::duration<double> timeout);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // A prepared statement kept for the connection's life. `sql` must have
    // static storage (a string literal): its address is the cache key, so hot
    // paths do no hashing of SQL text.
    Result<Query> cached(const char* sql);
    // A statement prepared for this one use (dynamic SQL, pragmas).
    Result<Query> prepare(std::string_view sql);
    // Runs one or more statements that return no rows.
    Status exec(std::string_view sql);
    // Runs a single-value query such as "PRAGMA page_count".
    Result<Value> scalar(std::string_view sql);

    sqlite3* handle() const { return m_db; }
    std::chrono::duration<double> timeout() const { return m_timeout; }
    void setTimeout(std::chrono::duration<double> timeout) { m_timeout = timeout; }
    // The bytes of the database file plus those of its open WAL (or
    // rollback journal), as the file system has them now; nullopt when
    // SQLite cannot say. Every page of the database as this connection's
    // transaction sees it, except pages the transaction itself added and
    // has not yet written, lives in one of those files, so this bounds
    // PRAGMA page_count * page_size from above at the cost of two fstat()s
    // instead of a PRAGMA (which SQLite re-prepares at every use).
    std::optional<std::int64_t> fileBytes() const;
    // Changes made by the last INSERT/UPDATE/DELETE.
    std::int64_t changes() const { return sqlite3_changes64(m_db); }
    // Stops a running statement from another thread (SQLITE_INTERRUPT).
    void interrupt() { sqlite3_interrupt(m_db); }
    // Keeps `owner` alive until after the handle is closed (see makeReader).
    void keepUntilClosed(std::shared_ptr<const void> owner) { m_keptUntilClosed = std::move(owner); }

private:
    explicit Connection(sqlite3* db, std::chrono::duration<double> timeout);
    static int busyHandler(void* self, int attempt);

    sqlite3* m_db;
    std::chrono::duration<double> m_timeout;
    std::chrono::steady_clock::time_point m_busySince;
    std::unordered_map<const char*, sqlite3_stmt*> m_statements;
    std::shared_ptr<const void> m_keptUntilClosed;  // released after sqlite3_close_v2
};

// Makes `connection` (opened ReadWrite on `dbPath`) a reader that never
// writes: query_only, and on close it leaves a WAL as it found it. The
// readers of one database in this process decide that together: when the
// first of them opened, was there a -wal file? If so another process owns
// it and no reader checkpoints or removes it (NO_CKPT_ON_CLOSE); if not,
// the readers made it and the last of them to close removes it, as Python
// does, so inspecting leaves no -wal/-shm behind however the handles of a
// window or a CLI run overlap. A -wal found without its -shm (a crashed or
// copied cache) gets the -shm SQLite made for the readers removed when the
// last one closes, unless another process has the database open by then.
Status makeReader(Connection& connection, const std::string& dbPath);
// True while this process's readers of `dbPath` hold -wal/-shm files that
// they made themselves (and will remove), so that a report of the space on
// disk can leave them out.
bool readersMadeWal(const std::string& dbPath);

}  // namespace diskcache::sql
