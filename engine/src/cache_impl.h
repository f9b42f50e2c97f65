// The private state of a Cache and the pieces its operations share: the
// connection, the value files, transactions that remove files only after
// they commit, and the row <-> Value conversions of FORMAT.md.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "diskcache/cache.h"
#include "disk.h"
#include "sqlite.h"

namespace diskcache {

// "CREATE INDEX ..." for a policy's cull order; nullptr for policy none.
const char* policyIndexSql(EvictionPolicy policy);

// Seconds since the Unix epoch, as Python's time.time().
double unixNow();

// Column readers and the (key, raw) binding every statement on keys uses.
std::optional<std::string> optionalText(const sql::Query& q, int column);
std::optional<double> optionalDouble(const sql::Query& q, int column);
Status bindKey(sql::Query& q, int index, const Value& key);

// A row that names a value file, as check() and fix() walk them. They are
// read into memory first so that the walk may change the table.
struct FileRow {
    std::int64_t rowid = 0;
    std::int64_t size = 0;
    std::string filename;
};
Result<std::vector<FileRow>> rowsWithFiles(sql::Connection& db);

// What Disk.store() decides for a value: the Cache row's size, mode,
// filename and value columns.
struct StoredValue {
    std::int64_t size = 0;
    StoreMode mode = StoreMode::None;
    std::optional<std::string> filename;
    Value dbValue;
};

// An upper bound of the bytes a row with this key, tag and stored value
// takes in the table and its indexes (key and tag are in indexes too).
std::int64_t writtenRowBytes(const Value& key, const Value& tag, const StoredValue& stored);

class Cache::Impl {
public:
    Impl(std::filesystem::path directory, bool readOnly, double timeout)
        : m_directory(std::move(directory)), m_disk(m_directory), m_readOnly(readOnly), m_timeout(timeout) {}

    // ---- opening (cache.cpp) ----
    Status openReadOnly();
    Status openReadWrite(const std::vector<SettingRow>& overrides);

    // ---- shared helpers ----
    Status requireWritable() const;
    Result<StoredValue> storeValue(const Value& value) const;
    Result<StoredValue> storeStream(std::istream& in) const;
    // The Python value of a row's (mode, filename, value) columns; NotFound
    // when its file has gone.
    Result<Value> fetchValue(StoreMode mode, const std::optional<std::string>& filename, Value dbValue) const;
    // The Python key of a row's (key, raw) columns.
    static Value keyFromColumns(const Value& key, bool raw);
    Status applyPragma(const std::string& name, const Value& value);
    Result<std::int64_t> readSettingInt(const char* selectSql);
    Result<std::int64_t> volume();
    // The library's culling at the end of set/add/push (FORMAT.md).
    // `writtenBytes` bounds what the write before it added to the row
    // (writtenRowBytes()); it lets the size check skip PRAGMA page_count.
    Status cullAfterWrite(double now, std::int64_t writtenBytes);
    // Whether volume() >= limit, with the transaction's own writes of at
    // most `writtenBytes` not yet in any file.
    Result<bool> volumeReaches(std::int64_t limit, std::int64_t writtenBytes);
    Status deleteRow(std::int64_t rowid);
    // Up to RowidListSql::kMaxRows rows in one statement, which opens the
    // table's and indexes' cursors once rather than once a row.
    Status deleteRows(const std::vector<std::int64_t>& rowids);
    Result<std::vector<SettingRow>> readSettingRows();
    Status refreshSettings();

    std::filesystem::path m_directory;
    Disk m_disk;
    bool m_readOnly;
    double m_timeout;
    std::unique_ptr<sql::Connection> m_db;
    Settings m_settings;
    std::int64_t m_pageSize = 4096;

    // Guards everything above; recursive so that transact() bodies may call
    // the public API from the same thread.
    std::recursive_mutex m_mutex;
    int m_transactionDepth = 0;
    std::vector<std::string> m_removeAfterCommit;
};

// Statement texts "<head>(?f, ?f+1, ...)" for lists of 1..kMaxRows rowids,
// made once and kept at fixed addresses (sql::Connection::cached keys
// prepared statements by the address of their text).
class RowidListSql {
public:
    static constexpr std::size_t kMaxRows = 100;
    RowidListSql(const std::string& head, int firstParameter);
    // The text for `n` rowids (1 <= n <= kMaxRows), bound from firstParameter on.
    const char* forCount(std::size_t n) const { return m_texts.at(n).c_str(); }

private:
    std::vector<std::string> m_texts;
};

// One BEGIN IMMEDIATE ... COMMIT, joined by nested use on the same Impl.
// Rolls back unless committed. Files queued with removeAfterCommit() are
// deleted once the outermost transaction commits, so a rolled back change
// never loses a value file that a committed row still names.
class Transaction {
public:
    explicit Transaction(Cache::Impl& impl) : m_impl(impl) {}
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    Status begin();
    Status commit();
    void removeAfterCommit(const std::optional<std::string>& filename);

private:
    Cache::Impl& m_impl;
    bool m_outermost = false;
    bool m_open = false;
};

}  // namespace diskcache
