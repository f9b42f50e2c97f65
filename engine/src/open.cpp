// Cache: opening a directory, read-only or for writing, as the Python
// library's Cache.__init__ does (FORMAT.md), and the per-connection pragmas.
#include <algorithm>
#include <cerrno>
#include <system_error>

#ifndef _WIN32
#include <unistd.h>
#endif

#include "cache_impl.h"
#include "platform.h"

namespace fs = std::filesystem;

namespace diskcache {

namespace {

constexpr const char* kDatabaseName = "cache.db";

// The schema exactly as diskcache 5.x writes it, so that sqlite_master reads
// the same whichever side created the cache.
constexpr const char* kSchema[] = {
    "CREATE TABLE IF NOT EXISTS Cache ( rowid INTEGER PRIMARY KEY, key BLOB, raw INTEGER, store_time REAL,"
    " expire_time REAL, access_time REAL, access_count INTEGER DEFAULT 0, tag BLOB, size INTEGER DEFAULT 0,"
    " mode INTEGER DEFAULT 0, filename TEXT, value BLOB)",
    "CREATE UNIQUE INDEX IF NOT EXISTS Cache_key_raw ON Cache(key, raw)",
    "CREATE INDEX IF NOT EXISTS Cache_expire_time ON Cache (expire_time)",
};

constexpr const char* kTriggers[] = {
    "CREATE TRIGGER IF NOT EXISTS Settings_count_insert AFTER INSERT ON Cache FOR EACH ROW BEGIN"
    " UPDATE Settings SET value = value + 1 WHERE key = \"count\"; END",
    "CREATE TRIGGER IF NOT EXISTS Settings_count_delete AFTER DELETE ON Cache FOR EACH ROW BEGIN"
    " UPDATE Settings SET value = value - 1 WHERE key = \"count\"; END",
    "CREATE TRIGGER IF NOT EXISTS Settings_size_insert AFTER INSERT ON Cache FOR EACH ROW BEGIN"
    " UPDATE Settings SET value = value + NEW.size WHERE key = \"size\"; END",
    "CREATE TRIGGER IF NOT EXISTS Settings_size_update AFTER UPDATE ON Cache FOR EACH ROW BEGIN"
    " UPDATE Settings SET value = value + NEW.size - OLD.size WHERE key = \"size\"; END",
    "CREATE TRIGGER IF NOT EXISTS Settings_size_delete AFTER DELETE ON Cache FOR EACH ROW BEGIN"
    " UPDATE Settings SET value = value - OLD.size WHERE key = \"size\"; END",
};

}  // namespace

const char* policyIndexSql(EvictionPolicy policy) {
    switch (policy) {
    case EvictionPolicy::LeastRecentlyStored: return "CREATE INDEX IF NOT EXISTS Cache_store_time ON Cache (store_time)";
    case EvictionPolicy::LeastRecentlyUsed: return "CREATE INDEX IF NOT EXISTS Cache_access_time ON Cache (access_time)";
    case EvictionPolicy::LeastFrequentlyUsed: return "CREATE INDEX IF NOT EXISTS Cache_access_count ON Cache (access_count)";
    case EvictionPolicy::None: return nullptr;
    }
    return nullptr;
}

namespace {

constexpr const char* kCacheColumns[] = {"rowid", "key", "raw", "store_time", "expire_time", "access_time",
                                         "access_count", "tag", "size", "mode", "filename", "value"};

bool isSafePragmaValue(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
}

std::string pragmaText(const Value& value) {
    switch (value.kind()) {
    case ValueKind::Int: return std::to_string(value.asInt());
    case ValueKind::Float: return std::to_string(static_cast<std::int64_t>(value.asFloat()));
    case ValueKind::Text: return value.data();
    default: return {};
    }
}

}  // namespace

Status Cache::Impl::applyPragma(const std::string& name, const Value& value) {
    const std::string pragma = name.substr(std::string("sqlite_").size());
    std::string wanted = pragmaText(value);
    if (!isSafePragmaValue(pragma) || !isSafePragmaValue(wanted)) return Status::ok();  // never run odd SQL from a cache
    if (m_readOnly && pragma != "cache_size" && pragma != "mmap_size") return Status::ok();
    if (pragma == "mmap_size" && !m_readOnly) {
        // In WAL mode SQLite looks each page a read would map up in the WAL
        // index first (sqlite3WalFindFrame), even when its page cache holds
        // the page, and the few hot pages of a cache are written again at
        // every commit, so those lookups walk long hash chains: measured with
        // callgrind, 13% of a get on a Cache and twice that on a FanoutCache
        // shard. Read-write handles keep to the page cache; the setting stays
        // in Settings, Python still uses it, and the file's bytes never
        // depended on it. (Read-only handles apply it as set.)
        auto mode = m_db->scalar("PRAGMA journal_mode");
        if (mode && mode->kind() == ValueKind::Text && mode->data() == "wal") wanted = "0";
    }
    auto current = m_db->scalar("PRAGMA " + pragma);
    if (current && pragmaText(*current) == wanted) return Status::ok();
    auto q = m_db->prepare("PRAGMA " + pragma + " = " + wanted);
    if (!q) return q.status();
    return q->run();
}

Result<std::vector<SettingRow>> Cache::Impl::readSettingRows() {
    auto q = m_db->cached("SELECT key, value FROM Settings");
    if (!q) return q.status();
    std::vector<SettingRow> rows;
    while (true) {
        auto row = q->step();
        if (!row) return row.status();
        if (!*row) break;
        rows.emplace_back(q->columnText(0), q->columnValue(1));
    }
    return rows;
}

Status Cache::Impl::refreshSettings() {
    auto rows = readSettingRows();
    if (!rows) return rows.status();
    m_settings = settingsFromRows(*rows);
    for (const auto& [name, value] : *rows) {
        if (name.rfind("sqlite_", 0) == 0) DISKCACHE_TRY(applyPragma(name, value));
    }
    auto pageSize = m_db->scalar("PRAGMA page_size");
    if (!pageSize) return pageSize.status();
    m_pageSize = pageSize->asInt();
    return Status::ok();
}

// ---- opening ----------------------------------------------------------------

namespace {

Status verifySchema(sql::Connection& db) {
    auto q = db.prepare("SELECT name FROM pragma_table_info('Cache')");
    if (!q) return q.status();
    std::vector<std::string> columns;
    while (true) {
        auto row = q->step();
        if (!row) return row.status();
        if (!*row) break;
        columns.push_back(q->columnText(0));
    }
    for (const char* wanted : kCacheColumns) {
        if (wanted == std::string("rowid")) continue;
        if (std::find(columns.begin(), columns.end(), wanted) == columns.end())
            return Status::corrupt(columns.empty() ? "not a diskcache database: it has no Cache table"
                                                   : std::string("not a diskcache database: Cache has no column ") + wanted);
    }
    auto settings = db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'Settings'");
    if (!settings) return settings.status();
    if (settings->asInt() == 0) return Status::corrupt("not a diskcache database: it has no Settings table");
    return Status::ok();
}

}  // namespace

Status Cache::Impl::openReadOnly() {
    std::error_code ec;
    if (!fs::is_directory(m_directory, ec))
        return Status::notFound("not a directory: " + m_directory.string());
    const fs::path dbPath = m_directory / kDatabaseName;
    if (!fs::is_regular_file(dbPath, ec))
        return Status::notFound("not a diskcache directory (no cache.db): " + m_directory.string());
    // A SQLite handle opened read-only on a WAL database leaves -wal and -shm
    // files behind when it made them, and under a busy writer it can spin
    // rebuilding a private WAL index. So prefer a read-write handle that
    // never writes (sql::makeReader): it shares the writer's -shm, leaves a
    // WAL it found as it was, and removes one that readers made. The
    // read-only handles are for directories we cannot write.
    const std::vector<sql::OpenFlags> attempts = {sql::OpenFlags::ReadWrite, sql::OpenFlags::ReadOnly,
                                                  sql::OpenFlags::Immutable};
    Status last;
    const auto timeout = std::chrono::duration<double>(m_timeout);
    for (auto flags : attempts) {
        auto db = sql::Connection::open(platform::toUtf8(dbPath), flags, timeout);
        if (!db) { last = db.status(); continue; }
        if (flags == sql::OpenFlags::ReadWrite) {
            DISKCACHE_TRY(sql::makeReader(**db, platform::toUtf8(dbPath)));
        }
        Status schema = verifySchema(**db);
        // Only a refusal to open or write (permissions, read-only media) is a
        // reason to try a weaker handle; a lock or a damaged file is the answer.
        const bool refused = schema.code() == StatusCode::ReadOnly || schema.code() == StatusCode::Io ||
                             schema.code() == StatusCode::NotFound;
        if (!schema && !refused) return schema;
        if (!schema) { last = schema; continue; }
        m_db = std::move(*db);
        return refreshSettings();
    }
    return last;
}

Status Cache::Impl::openReadWrite(const std::vector<SettingRow>& overrides) {
    std::error_code ec;
    fs::create_directories(m_directory, ec);
    if (ec) return Status::io("cannot create cache directory " + m_directory.string() + ": " + ec.message());
#ifndef _WIN32
    // On a read-only file system SQLite opens the file read-only and then
    // fails with "unable to open database file" (its -shm cannot be made),
    // which reads like a missing cache. Say what is wrong instead.
    if (::access(m_directory.c_str(), W_OK) != 0 && errno == EROFS)
        return Status::readOnly("cannot write to " + m_directory.string() +
                                ": read-only file system (open it read-only to inspect it)");
#endif
    auto db = sql::Connection::open(platform::toUtf8(m_directory / kDatabaseName), sql::OpenFlags::ReadWriteCreate,
                                    std::chrono::duration<double>(m_timeout));
    if (!db) return db.status();
    m_db = std::move(*db);

    // Defaults, then what the cache holds, then what the caller asks: the
    // order of Python's dict updates, which is also the order rows are written.
    std::vector<SettingRow> sets = defaultSettingRows();
    auto upsert = [&sets](const SettingRow& row) {
        auto found = std::find_if(sets.begin(), sets.end(), [&](const SettingRow& r) { return r.first == row.first; });
        if (found != sets.end()) found->second = row.second; else sets.push_back(row);
    };
    if (auto current = readSettingRows()) {
        for (const auto& row : *current) upsert(row);
    } else if (current.status().code() != StatusCode::Corrupt) {  // "no such table" is a new cache
        return current.status();
    }
    for (const auto& row : overrides) upsert(row);
    std::erase_if(sets, [](const SettingRow& row) { return isMetadataSetting(row.first); });

    m_settings = settingsFromRows(sets);
    std::vector<SettingRow> pragmas;
    std::copy_if(sets.begin(), sets.end(), std::back_inserter(pragmas),
                 [](const SettingRow& r) { return r.first.rfind("sqlite_", 0) == 0; });
    std::sort(pragmas.begin(), pragmas.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [name, value] : pragmas) DISKCACHE_TRY(applyPragma(name, value));

    Transaction txn(*this);
    DISKCACHE_TRY(txn.begin());
    DISKCACHE_TRY(m_db->exec("CREATE TABLE IF NOT EXISTS Settings ( key TEXT NOT NULL UNIQUE, value)"));
    for (const auto& [name, value] : sets) {
        auto q = m_db->prepare("INSERT OR REPLACE INTO Settings VALUES (?, ?)");
        if (!q) return q.status();
        q->bindText(1, name).bind(2, value);
        DISKCACHE_TRY(q->run());
    }
    for (const char* name : {"count", "size", "hits", "misses"}) {
        auto q = m_db->prepare("INSERT OR IGNORE INTO Settings VALUES (?, 0)");
        if (!q) return q.status();
        q->bindText(1, name);
        DISKCACHE_TRY(q->run());
    }
    for (const char* statement : kSchema) DISKCACHE_TRY(m_db->exec(statement));
    if (const char* index = policyIndexSql(m_settings.evictionPolicy)) DISKCACHE_TRY(m_db->exec(index));
    for (const char* trigger : kTriggers) DISKCACHE_TRY(m_db->exec(trigger));
    DISKCACHE_TRY(m_db->exec(m_settings.tagIndex ? "CREATE INDEX IF NOT EXISTS Cache_tag_rowid ON Cache(tag, rowid)"
                                                 : "DROP INDEX IF EXISTS Cache_tag_rowid"));
    DISKCACHE_TRY(txn.commit());
    auto pageSize = m_db->scalar("PRAGMA page_size");
    if (!pageSize) return pageSize.status();
    m_pageSize = pageSize->asInt();
    return Status::ok();
}

Result<std::unique_ptr<Cache>> Cache::open(const fs::path& directory, const OpenOptions& options) {
    if (directory.empty()) return Status::invalidArgument("no cache directory given");
    if (!(options.timeout >= 0)) return Status::invalidArgument("timeout must not be negative");
    auto impl = std::make_unique<Impl>(directory, options.readOnly, options.timeout);
    Status status = options.readOnly ? impl->openReadOnly() : impl->openReadWrite(options.settings);
    if (!status) return status;
    return std::unique_ptr<Cache>(new Cache(std::move(impl)));
}

}  // namespace diskcache
