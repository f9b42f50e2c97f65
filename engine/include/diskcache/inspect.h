// Inspector: a read-only view of any directory the diskcache library (or
// Django's file cache) makes: what kind it is, its summary, and pages of its
// entries sorted and filtered in SQL, merged across the shards of a
// FanoutCache. See FORMAT.md for the format and CLI-NOTES.md for the
// readings this follows.
//
// Read-only means read-only: opening and inspecting changes no row, setting,
// access time or hit count, and leaves no file behind once the Inspector is
// gone (each cache.db is opened the way Cache::open(readOnly) does it, and
// every statement is checked by SQLite to be a pure read).
//
// Thread safety: an Inspector is used by one thread at a time; distinct
// Inspectors (even on one directory) may be used from distinct threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diskcache/cache.h"
#include "diskcache/settings.h"
#include "diskcache/statistics.h"
#include "diskcache/status.h"
#include "diskcache/value.h"

namespace diskcache {

// The shard of `key` in a FanoutCache of `shards` shards: Disk.hash(key) %
// shards with the portable hash of FORMAT.md. Pickled keys hash their pickle
// bytes, so build them with keyFromLiteral (or the same protocol Python used).
int fanoutShard(const Value& key, int shards);

enum class StoreKind { Cache, Fanout, Deque, Index, DjangoFile, Collection };
const char* storeKindName(StoreKind kind);  // "cache", "fanout", "deque", "index", "django-file", "collection"

// Columns entries can be sorted by. Rows whose column is NULL (no expiry, no
// tag) come after all others in both directions, ordered by rowid; ties are
// broken by rowid (key: by raw, then rowid) and, across shards, by shard.
// Size is the `size` column as diskcache records it (0 for a value kept in
// cache.db); StoredSize is what Entry::storedLength shows: the bytes of the
// value wherever it is (the file's size for a file).
enum class SortColumn { Key, Size, StoreTime, AccessTime, ExpireTime, AccessCount, Tag, StoredSize };
const char* sortColumnName(SortColumn column);  // "key", "size", "store_time", ..., "stored_size"
std::optional<SortColumn> parseSortColumn(std::string_view name);

struct EntryFilter {
    // Keys that are str (UTF-8) or bytes and start with / contain these bytes.
    // Int, float and pickled keys never match a key filter.
    std::optional<std::string> keyPrefix;
    std::optional<std::string> keyContains;
    std::optional<Value> tag;  // rows whose tag equals this one (None: untagged rows)
    // Keys memoize() made for this function ("module.qualname"): pickled
    // tuples (protocol 2 or later) whose first item is that name.
    std::optional<std::string> memoizedFunction;
    enum class Expiry { Any, Expired, Live } expiry = Expiry::Any;
    enum class Storage { Any, InFile, InDatabase } storage = Storage::Any;
};

struct PageRequest {
    SortColumn sort = SortColumn::Key;
    bool descending = false;
    EntryFilter filter;
    std::size_t limit = 100;  // 1 or more
    // Page::next of the previous page, or empty for the first page. A cursor
    // made for another sort or direction is InvalidArgument.
    std::string after;
    // The clock that decides `expired` (seconds since the epoch); now when unset.
    std::optional<double> now;
};

// One row as stored, with what is known about its value without loading it.
struct Entry {
    Value key;             // the Python key (raw, or its pickle); Text for a django-file name
    std::string keyType;   // "str", "bytes", "int", "float", "pickle"; "md5" for django-file
    StoreMode mode = StoreMode::None;
    std::int64_t size = 0;           // the size column as stored
    std::int64_t storedLength = -1;  // bytes of the value in the database (8 for a number), or of its file; -1 when the file is missing
    std::optional<std::string> filename;  // as stored (relative to the store's directory)
    std::optional<double> storeTime;
    std::optional<double> accessTime;
    std::optional<double> expireTime;
    std::optional<std::int64_t> accessCount;
    Value tag;  // None when untagged
    bool expired = false;
    std::optional<std::string> shard;  // "003" for a FanoutCache shard
    std::string valueType;             // Python's type(value).__name__, or "?" when it cannot be told
    std::int64_t rowid = 0;
    // A JSONDisk cache's key (zlib-compressed JSON bytes) as the JSON text
    // json.dumps() wrote; unset in other caches or when it does not inflate.
    std::optional<std::string> keyJson;
};

struct Page {
    std::int64_t total = 0;  // entries under the filter, in every shard
    std::vector<Entry> entries;
    std::string next;  // cursor for the following page; empty when this was the last
};

struct ShardSummary {
    std::string name;  // "000"
    std::int64_t count = 0;
    std::int64_t size = 0;
    std::int64_t volume = 0;
};

struct ChildStore {
    std::filesystem::path path;
    StoreKind kind = StoreKind::Cache;
};

struct Summary {
    StoreKind kind = StoreKind::Cache;
    std::filesystem::path directory;
    std::int64_t count = 0;   // Settings.count (summed over shards or children)
    std::int64_t size = 0;    // Settings.size
    std::int64_t volume = 0;  // page_count * page_size + size
    std::int64_t hits = 0;
    std::int64_t misses = 0;
    // Settings rows other than count/size/hits/misses (first shard of a fanout).
    std::vector<SettingRow> settings;
    std::vector<ShardSummary> shards;
    std::vector<ChildStore> children;
};

class Inspector {
public:
    ~Inspector();
    Inspector(const Inspector&) = delete;
    Inspector& operator=(const Inspector&) = delete;

    StoreKind kind() const;
    const std::filesystem::path& directory() const;
    // Sub-stores of a fanout, or the stores of a collection, with their real paths.
    const std::vector<ChildStore>& children() const;
    // Directories of the caches this inspector reads rows from: the cache
    // itself, or every shard of a fanout. Empty for collections and django-file.
    std::vector<std::filesystem::path> cacheDirectories() const;
    // Pickle protocol keys are written with (disk_pickle_protocol of the first cache).
    int pickleProtocol() const;

    Result<Summary> summary();
    // One page of entries. Keyset paging (never OFFSET): the first page of a
    // key, store_time or expire_time sort uses the schema's indexes; other
    // sorts (and access_time/access_count without their policy's index) are
    // a bounded top-N scan. Unsupported for collections.
    Result<Page> list(const PageRequest& request);
    // Entries matching a filter, in every shard.
    Result<std::int64_t> count(const EntryFilter& filter, std::optional<double> now = std::nullopt);
    // The row of `key` (expired or not), nullopt when absent. For a fanout,
    // looks in the key's shard only. For a django-file store the key is the
    // file's name (with or without ".djcache").
    Result<std::optional<Entry>> find(const Value& key);
    // The Python value of an entry: raw values as stored, file values read
    // (text with universal newlines), pickles as Value::pickle. NotFound when
    // its file has gone.
    Result<Value> readValue(const Entry& entry);
    // The bytes as stored: a file's contents, a pickle, text as UTF-8, an
    // int or float as its Python repr.
    Result<std::string> readStoredBytes(const Entry& entry);
    // Rows a cull() would remove now: expired rows, then rows in policy order
    // while the volume would stay above size_limit. An estimate: page
    // counts after vacuuming are approximated by the bytes of each row.
    Result<std::int64_t> estimateCull();
    // JSONDisk's compress level when the store was written with JSONDisk
    // (its Settings have disk_compress_level): keys are zlib-compressed JSON
    // (see Entry::keyJson and jsonDiskKey). nullopt for other stores.
    std::optional<int> jsonDiskCompressLevel() const;

    // Reads every row once (one snapshot per shard) for the figures of
    // statistics.h. Calls `progress` with the rows read so far every few
    // thousand rows; when it returns false the scan stops with Cancelled.
    // Memory is bounded by the options, not by the store's size. Reads only.
    Result<Statistics> statistics(const StatisticsOptions& options = {}, const ProgressFn& progress = {});
    // The space on disk, walked from the file system and reconciled with the
    // rows: database, WAL, value files, orphans. Cancellable like statistics().
    Result<SpaceLedger> space(const ProgressFn& progress = {});
    // The functions memoize() made keys for, the same groups as
    // statistics().functions (most entries first, at most `keep`), read from
    // the rows with pickled keys alone: a cache finds them as one range of
    // its key index, so a store tree can list them without a pass over
    // every row (at 1M entries, 70k of them pickled: ~0.1 s instead of ~1 s).
    // Cancellable like statistics(). Reads only.
    Result<std::vector<FunctionGroup>> memoizedFunctions(std::size_t keep = 100, const ProgressFn& progress = {});

    class Impl;
    explicit Inspector(std::unique_ptr<Impl> impl);

    // ---- Seeking, cancelling and change tokens (for lazy, live views) -------
    // Implemented in src/inspect/seek.cpp.

    // The cursor `rows` rows further on than request.after (from the first
    // row when it is empty), so that list() with it as `after` starts at that
    // row: a view can jump to row 900,000 without paging through the rows
    // before it. One cache skips them inside SQLite (OFFSET over the sort's
    // index, no rows built); a fanout merges its shards' sort keys only.
    // rows == 0 gives request.after back. NotFound when fewer rows remain;
    // Cancelled when the cancel check says so. Reads only.
    Result<std::string> seek(const PageRequest& request, std::int64_t rows);
    // A check every query of this inspector makes every few thousand SQLite
    // steps; when it returns true the query stops and the call answers
    // Cancelled. It is called on the thread that runs the query; make it
    // cheap and thread-safe (an atomic flag). Empty: never cancelled.
    void setCancelCheck(std::function<bool()> check);
    // A token that changes when another connection (another process, or a
    // Cache in this one) commits to any of the store's databases: SQLite's
    // PRAGMA data_version of each, combined. Opens no transaction that stays
    // open, so writers and WAL checkpoints are never held up. For a
    // django-file store: from the folder's files and their times.
    Result<std::uint64_t> changeToken();

private:
    std::unique_ptr<Impl> m_impl;
};

namespace inspect {

// Tells what `directory` is and opens it read-only:
//  - cache: holds cache.db; deque/index: a cache with eviction policy
//    `none` (a deque when every key is a queue integer key, FORMAT.md; an
//    empty one is called an index), or found under a fanout's deque/ or
//    index/ folder;
//  - fanout: shard folders 000, 001, ... each with cache.db (sub-stores
//    under cache/, deque/, index/ are its children);
//  - django-file: *.djcache files;
//  - collection: none of these, but sub-folders (two levels down at most)
//    that are stores.
// NotFound (with a message naming the directory) for anything else; nothing
// is ever created. Corrupt when a cache.db is not a diskcache database.
Result<std::unique_ptr<Inspector>> open(const std::filesystem::path& directory);

// What kind of store `directory` is, without opening it for long.
Result<StoreKind> detect(const std::filesystem::path& directory);

// ---- Python's view of values ----------------------------------------------
// A command-line KEY or TAG as CLI-NOTES reads it: a Python literal ('a',
// b'\x00', 42, 1.5, (1, 'a'), None, True), else the text itself as a str.
// str, bytes, 64-bit int and float become raw values; anything else is
// pickled with `pickleProtocol` exactly as diskcache stores such keys.
Result<Value> keyFromLiteral(std::string_view text, int pickleProtocol);
// The key of a JSONDisk cache for a JSON text: the text laid out as
// json.dumps() lays it out (", " and ": ", non-ASCII escaped as json.dumps does), then
// zlib-compressed at `compressLevel`, as JSONDisk.put() stores keys.
// InvalidArgument when the text is not JSON.
Result<Value> jsonDiskKey(std::string_view json, int compressLevel);
// How a key reads to people: a JSONDisk key's JSON text, a django-file
// key's file name, else Python's repr().
std::string keyText(const Entry& entry, std::size_t maxLength = 0);
// Python's repr() of a key, tag or value (pickles decoded); "<pickle: ...>"
// when a pickle cannot be decoded.
std::string pythonRepr(const Value& value, std::size_t maxLength = 0);
// type(value).__name__ ("str", "int", "NoneType"...; for pickles the
// decoded object's type, "?" when it cannot be decoded).
std::string pythonTypeName(const Value& value);

}  // namespace inspect

}  // namespace diskcache
