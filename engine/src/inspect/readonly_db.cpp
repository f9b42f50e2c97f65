#include "readonly_db.h"

#include <string>
#include <system_error>
#include <vector>

#include "platform.h"

namespace fs = std::filesystem;

namespace diskcache::inspect_detail {

namespace {

Status verifySchema(sql::Connection& db) {
    auto q = db.prepare("SELECT count(*) FROM pragma_table_info('Cache')"
                        " WHERE name IN ('key', 'raw', 'store_time', 'expire_time', 'access_time', 'access_count',"
                        " 'tag', 'size', 'mode', 'filename', 'value')");
    if (!q) return q.status();
    auto row = q->step();
    if (!row) return row.status();
    if (!*row || q->columnInt(0) != 11) return Status::corrupt("not a diskcache database: its Cache table is missing or incomplete");
    auto settings = db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'Settings'");
    if (!settings) return settings.status();
    if (settings->asInt() == 0) return Status::corrupt("not a diskcache database: it has no Settings table");
    return Status::ok();
}

}  // namespace

// The same sequence as Cache::Impl::openReadOnly (open.cpp): a read-write
// handle that never writes (sql::makeReader), so that the -wal/-shm readers
// make are removed by the last of them and a WAL found there is left as it
// was. A plain read-only handle cannot remove them (several inspectors
// opened at once left them behind), so it is only a fallback, with
// Immutable, for directories we may not write.
Result<std::unique_ptr<ReadOnlyDb>> ReadOnlyDb::open(const fs::path& directory, double timeout) {
    std::error_code ec;
    if (!fs::is_directory(directory, ec)) return Status::notFound("not a directory: " + directory.string());
    const fs::path dbPath = directory / "cache.db";
    if (!fs::is_regular_file(dbPath, ec))
        return Status::notFound("not a diskcache directory (no cache.db): " + directory.string());
    const std::vector<sql::OpenFlags> attempts = {sql::OpenFlags::ReadWrite, sql::OpenFlags::ReadOnly,
                                                  sql::OpenFlags::Immutable};
    Status last = Status::notFound("cannot open " + dbPath.string());
    for (auto flags : attempts) {
        auto db = sql::Connection::open(platform::toUtf8(dbPath), flags, std::chrono::duration<double>(timeout));
        if (!db) {
            last = db.status();
            continue;
        }
        if (flags == sql::OpenFlags::ReadWrite) {
            Status reader = sql::makeReader(**db, platform::toUtf8(dbPath));
            if (!reader) {
                last = reader;
                continue;
            }
        }
        Status schema = verifySchema(**db);
        if (schema.code() == StatusCode::Corrupt) return schema;
        if (!schema) {
            last = schema;
            continue;
        }
        return std::unique_ptr<ReadOnlyDb>(new ReadOnlyDb(std::move(*db)));
    }
    if (last.code() == StatusCode::Io || last.code() == StatusCode::NotFound)
        return Status(last.code(), "cannot open " + dbPath.string() + " for reading: " + last.message());
    return last;
}

Result<sql::Query> ReadOnlyDb::select(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(m_db->handle(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return sql::statusFrom(rc, m_db->handle(), sql);
    sql::Query query(m_db->handle(), stmt, true);  // finalizes the statement in every case
    // A prepared statement knows whether it writes; refuse it before it runs.
    if (!sqlite3_stmt_readonly(stmt)) return Status::invalidArgument("refusing a statement that writes: " + std::string(sql));
    return query;
}

Result<Value> ReadOnlyDb::scalar(std::string_view sql) {
    auto q = select(sql);
    if (!q) return q.status();
    auto row = q->step();
    if (!row) return row.status();
    if (!*row) return Value::none();
    return q->columnValue(0);
}

void ReadOnlyDb::setCancelCheck(const std::function<bool()>* check) {
    m_cancelCheck = check;
    if (!check || !*check) {
        sqlite3_progress_handler(m_db->handle(), 0, nullptr, nullptr);
        return;
    }
    // About a millisecond of work between checks.
    sqlite3_progress_handler(
        m_db->handle(), 4000,
        [](void* data) { return (*static_cast<const std::function<bool()>*>(data))() ? 1 : 0; },
        const_cast<std::function<bool()>*>(check));
}

ReadOnlyDb::Snapshot::Snapshot(ReadOnlyDb& db) : m_db(db) {
    m_open = sqlite3_get_autocommit(db.m_db->handle()) != 0 && db.m_db->exec("BEGIN DEFERRED").isOk();
}

// The cancel check is off while the snapshot ends: an interrupted COMMIT
// would leave the read transaction open and hold back WAL checkpoints.
ReadOnlyDb::Snapshot::~Snapshot() {
    if (!m_open) return;
    const auto* check = m_db.m_cancelCheck;
    m_db.setCancelCheck(nullptr);
    if (!m_db.m_db->exec("COMMIT") && sqlite3_get_autocommit(m_db.m_db->handle()) == 0) (void)m_db.m_db->exec("ROLLBACK");
    m_db.setCancelCheck(check);
}

}  // namespace diskcache::inspect_detail
