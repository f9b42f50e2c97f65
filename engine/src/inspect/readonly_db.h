// A connection to one cache.db that can only read: opened the way
// Cache::Impl::openReadOnly opens it (so no -wal/-shm file outlives it), with
// every statement checked by SQLite to be read-only before it runs.
//
// Thread safety: one thread at a time.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>

#include "../sqlite.h"
#include "diskcache/status.h"
#include "diskcache/value.h"

namespace diskcache::inspect_detail {

class ReadOnlyDb {
public:
    // NotFound when `directory` has no cache.db; Corrupt when it is not a
    // diskcache database (no Cache or Settings table).
    static Result<std::unique_ptr<ReadOnlyDb>> open(const std::filesystem::path& directory, double timeout = 60.0);

    // Prepares `sql` for one use; InvalidArgument if it would write.
    Result<sql::Query> select(std::string_view sql);
    // A single value ("PRAGMA page_count"); None when there is no row.
    Result<Value> scalar(std::string_view sql);
    // Every statement calls `check` every few thousand steps and stops with
    // SQLITE_INTERRUPT (Cancelled) when it says true; nullptr removes it.
    // `check` must outlive this connection's use of it.
    void setCancelCheck(const std::function<bool()>* check);

    // One snapshot for several selects (BEGIN DEFERRED ... COMMIT), so a
    // page and its total agree while a writer works. Reads only.
    class Snapshot {
    public:
        explicit Snapshot(ReadOnlyDb& db);
        ~Snapshot();
        Snapshot(const Snapshot&) = delete;
        Snapshot& operator=(const Snapshot&) = delete;

    private:
        ReadOnlyDb& m_db;
        bool m_open = false;
    };

private:
    explicit ReadOnlyDb(std::unique_ptr<sql::Connection> db) : m_db(std::move(db)) {}
    std::unique_ptr<sql::Connection> m_db;
    const std::function<bool()>* m_cancelCheck = nullptr;
};

}  // namespace diskcache::inspect_detail
