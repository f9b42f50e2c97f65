#include "sqlite.h"

#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>

#include "platform.h"

namespace diskcache::sql {

Status statusFrom(int rc, sqlite3* db, std::string_view context) {
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return Status::ok();
    std::string message(context);
    message += ": ";
    message += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Status::timeout(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_SCHEMA:
    case SQLITE_ERROR: return Status::corrupt(message);
    case SQLITE_READONLY: return Status::readOnly(message);
    case SQLITE_INTERRUPT: return Status::cancelled(message);
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH: return Status::invalidArgument(message);
    case SQLITE_CANTOPEN: return Status::notFound(message);
    default: return Status::io(message);
    }
}

// ---- Query ----------------------------------------------------------------

Query::Query(Query&& other) noexcept
    : m_db(other.m_db), m_stmt(other.m_stmt), m_owned(other.m_owned), m_bindError(other.m_bindError) {
    other.m_stmt = nullptr;
}

Query::~Query() {
    if (!m_stmt) return;
    if (m_owned) {
        sqlite3_finalize(m_stmt);
    } else {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
}

Query& Query::bind(int index, const Value& value) {
    switch (value.kind()) {
    case ValueKind::None: return bindNull(index);
    case ValueKind::Int: return bindInt(index, value.asInt());
    case ValueKind::Float: return bindDouble(index, value.asFloat());
    case ValueKind::Text: return bindText(index, value.data());
    case ValueKind::Bytes:
    case ValueKind::Pickle: return bindBlob(index, value.data());
    }
    return *this;
}

static void keepFirstError(int& slot, int rc) {
    if (slot == SQLITE_OK) slot = rc;
}

Query& Query::bindInt(int index, std::int64_t value) {
    keepFirstError(m_bindError, sqlite3_bind_int64(m_stmt, index, value));
    return *this;
}

Query& Query::bindDouble(int index, double value) {
    keepFirstError(m_bindError, sqlite3_bind_double(m_stmt, index, value));
    return *this;
}

Query& Query::bindText(int index, std::string_view utf8) {
    keepFirstError(m_bindError, sqlite3_bind_text64(m_stmt, index, utf8.data(), utf8.size(),
                                                    SQLITE_STATIC, SQLITE_UTF8));
    return *this;
}

Query& Query::bindBlob(int index, std::string_view data) {
    // A zero-length blob must still be a BLOB, not NULL: pass a valid pointer.
    static const char empty = 0;
    keepFirstError(m_bindError, sqlite3_bind_blob64(m_stmt, index, data.empty() ? &empty : data.data(),
                                                    data.size(), SQLITE_STATIC));
    return *this;
}

Query& Query::bindNull(int index) {
    keepFirstError(m_bindError, sqlite3_bind_null(m_stmt, index));
    return *this;
}

Result<bool> Query::step() {
    if (m_bindError != SQLITE_OK) return statusFrom(m_bindError, m_db, "binding a parameter");
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return statusFrom(rc, m_db, sqlite3_sql(m_stmt));
}

Status Query::run() {
    while (true) {
        auto row = step();
        if (!row) return row.status();
        if (!*row) return Status::ok();
    }
}

bool Query::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }
std::int64_t Query::columnInt(int column) const { return sqlite3_column_int64(m_stmt, column); }
double Query::columnDouble(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string Query::columnText(int column) const {
    const auto* text = sqlite3_column_text(m_stmt, column);
    const int length = sqlite3_column_bytes(m_stmt, column);
    return text ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(length)) : std::string();
}

std::string_view Query::columnBytes(int column) const {
    const void* blob = sqlite3_column_blob(m_stmt, column);
    const int length = sqlite3_column_bytes(m_stmt, column);
    return blob ? std::string_view(static_cast<const char*>(blob), static_cast<std::size_t>(length))
                : std::string_view();
}

Value Query::columnValue(int column) const {
    switch (sqlite3_column_type(m_stmt, column)) {
    case SQLITE_INTEGER: return Value::integer(columnInt(column));
    case SQLITE_FLOAT: return Value::real(columnDouble(column));
    case SQLITE_TEXT: return Value::text(columnText(column));
    case SQLITE_BLOB: return Value::bytes(std::string(columnBytes(column)));
    default: return Value::none();
    }
}

// ---- Connection -----------------------------------------------------------

Connection::Connection(sqlite3* db, std::chrono::duration<double> timeout) : m_db(db), m_timeout(timeout) {
    sqlite3_busy_handler(m_db, &Connection::busyHandler, this);
    sqlite3_extended_result_codes(m_db, 0);
#ifdef SQLITE_DBCONFIG_DQS_DML
    // diskcache's triggers spell their Settings keys in double quotes; keep
    // them working on SQLite builds that turned that compatibility off.
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_DQS_DML, 1, nullptr);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_DQS_DDL, 1, nullptr);
#endif
}

Connection::~Connection() {
    for (auto& entry : m_statements) sqlite3_finalize(entry.second);
    sqlite3_close_v2(m_db);
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, OpenFlags flags,
                                                     std::chrono::duration<double> timeout) {
    int sqliteFlags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    std::string name = path;
    switch (flags) {
    case OpenFlags::ReadWriteCreate: sqliteFlags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    case OpenFlags::ReadWrite: sqliteFlags |= SQLITE_OPEN_READWRITE; break;
    case OpenFlags::ReadOnly: sqliteFlags |= SQLITE_OPEN_READONLY; break;
    case OpenFlags::Immutable:
        sqliteFlags |= SQLITE_OPEN_READONLY;
        name = "file:" + path + "?immutable=1";  // see CLI-NOTES: sound only with no writer
        break;
    }
    if (flags != OpenFlags::Immutable) sqliteFlags &= ~SQLITE_OPEN_URI;  // plain paths may contain '?'
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(name.c_str(), &db, sqliteFlags, nullptr);
    if (rc != SQLITE_OK) {
        Status status = statusFrom(rc, db, "opening " + path);
        sqlite3_close_v2(db);
        return status;
    }
    return std::unique_ptr<Connection>(new Connection(db, timeout));
}

int Connection::busyHandler(void* self, int attempt) {
    auto* connection = static_cast<Connection*>(self);
    const auto now = std::chrono::steady_clock::now();
    if (attempt == 0) connection->m_busySince = now;
    if (now - connection->m_busySince >= connection->m_timeout) return 0;
    // Retry soon at first, then back off to 1 ms: writers hold the lock for
    // microseconds, so long sleeps only add to the tail latency.
    if (attempt < 20) {
        std::this_thread::yield();
    } else {
        const auto pause = std::chrono::microseconds(attempt < 100 ? 50 : 1000);
        const auto left = connection->m_timeout - (now - connection->m_busySince);
        std::this_thread::sleep_for(std::min<std::chrono::duration<double>>(pause, left));
    }
    return 1;
}

std::optional<std::int64_t> Connection::fileBytes() const {
    std::int64_t total = 0;
    for (int op : {SQLITE_FCNTL_FILE_POINTER, SQLITE_FCNTL_JOURNAL_POINTER}) {
        sqlite3_file* file = nullptr;
        if (sqlite3_file_control(m_db, "main", op, &file) != SQLITE_OK) return std::nullopt;
        if (!file || !file->pMethods) continue;  // no journal open: nothing kept there
        sqlite3_int64 size = 0;
        if (file->pMethods->xFileSize(file, &size) != SQLITE_OK) return std::nullopt;
        total += size;
    }
    return total;
}

Result<Query> Connection::cached(const char* sql) {
    auto found = m_statements.find(sql);
    if (found != m_statements.end()) return Query(m_db, found->second, false);
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return statusFrom(rc, m_db, sql);
    m_statements.emplace(sql, stmt);
    return Query(m_db, stmt, false);
}

Result<Query> Connection::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return statusFrom(rc, m_db, sql);
    return Query(m_db, stmt, true);
}

Status Connection::exec(std::string_view sql) {
    const std::string text(sql);
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, nullptr);
    return statusFrom(rc, m_db, sql);
}

Result<Value> Connection::scalar(std::string_view sql) {
    auto query = prepare(sql);
    if (!query) return query.status();
    auto row = query->step();
    if (!row) return row.status();
    if (!*row) return Value::none();
    return query->columnValue(0);
}

namespace {

// What the readers of one database in this process agreed when the first
// of them opened; shared by them all and gone when the last one closes.
struct ReaderAgreement {
    std::string dbPath;
    bool walWasThere = false;
    bool shmWasThere = false;

    ReaderAgreement(std::string path, bool wal, bool shm) : dbPath(std::move(path)), walWasThere(wal), shmWasThere(shm) {}
    ReaderAgreement(const ReaderAgreement&) = delete;
    ReaderAgreement& operator=(const ReaderAgreement&) = delete;

    // A -wal with no -shm beside it is what a crashed or copied cache
    // looks like: nobody has it open. SQLite makes a -shm for our reads and,
    // as it may not checkpoint (NO_CKPT_ON_CLOSE), keeps it on close; we
    // take it away again, unless another process has opened the database
    // since, in which case the -shm is in use and stays.
    ~ReaderAgreement() {
        if (!walWasThere || shmWasThere) return;
        const auto db = platform::fromUtf8(dbPath);
        const auto shm = platform::fromUtf8(dbPath + "-shm");
        if (db && shm) platform::removeIfDatabaseUnused(*db, *shm);
    }
};

struct ReaderRegistry {
    std::mutex mutex;
    std::unordered_map<std::string, std::weak_ptr<const ReaderAgreement>> agreements;
};

ReaderRegistry& readerRegistry() {
    static ReaderRegistry registry;
    return registry;
}

std::string registryKey(const std::string& dbPath) {
    std::error_code ec;
    const auto path = platform::fromUtf8(dbPath);
    std::string key = path ? platform::toUtf8(std::filesystem::weakly_canonical(*path, ec)) : dbPath;
    return ec ? dbPath : key;
}

std::shared_ptr<const ReaderAgreement> joinReaders(const std::string& dbPath) {
    ReaderRegistry& registry = readerRegistry();
    const std::string key = registryKey(dbPath);
    std::lock_guard lock(registry.mutex);
    std::erase_if(registry.agreements, [](const auto& entry) { return entry.second.expired(); });
    if (auto current = registry.agreements[key].lock()) return current;
    auto exists = [&dbPath](const char* suffix) {
        std::error_code ec;
        const auto path = platform::fromUtf8(dbPath + suffix);
        return path && std::filesystem::exists(*path, ec);
    };
    auto agreement = std::make_shared<const ReaderAgreement>(dbPath, exists("-wal"), exists("-shm"));
    registry.agreements[key] = agreement;
    return agreement;
}

}  // namespace

Status makeReader(Connection& connection, const std::string& dbPath) {
    DISKCACHE_TRY(connection.exec("PRAGMA query_only = 1"));
    auto agreement = joinReaders(dbPath);
#ifdef SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE
    if (agreement->walWasThere) sqlite3_db_config(connection.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
#endif
    connection.keepUntilClosed(std::move(agreement));
    return Status::ok();
}

bool readersMadeWal(const std::string& dbPath) {
    ReaderRegistry& registry = readerRegistry();
    std::lock_guard lock(registry.mutex);
    auto found = registry.agreements.find(registryKey(dbPath));
    if (found == registry.agreements.end()) return false;
    auto agreement = found->second.lock();
    return agreement && !agreement->walWasThere;
}

}  // namespace diskcache::sql
