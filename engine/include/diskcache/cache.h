// Cache: one DiskCache cache directory (a cache.db plus value files), the
// C++ shape of Python's diskcache.Cache. It reads and writes exactly what the
// Python library 4.x-5.6 reads and writes (FORMAT.md), so both may use one
// directory at the same time.
//
// Thread safety: one Cache may be used from many threads; calls are
// serialised by an internal mutex. Many processes (C++ and Python) may use
// one directory at once; writes are BEGIN IMMEDIATE transactions that wait
// up to the cache's timeout for another process's lock, then fail with
// StatusCode::Timeout having changed nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "diskcache/settings.h"
#include "diskcache/status.h"
#include "diskcache/value.h"

namespace diskcache {

// How values are kept (the `mode` column).
enum class StoreMode { None = 0, Raw = 1, Binary = 2, Text = 3, Pickle = 4 };
const char* storeModeName(StoreMode mode);  // "none", "raw", "binary", "text", "pickle"

struct OpenOptions {
    // Inspect only: nothing is created, written or touched (not even access
    // times or hit counts), and every write call fails with ReadOnly.
    bool readOnly = false;
    // Seconds a statement waits for another process's lock (Python: 60).
    double timeout = 60.0;
    // Settings to apply, like Python's Cache(directory, **settings): these
    // override the stored ones, which override the defaults. Ignored when
    // readOnly.
    std::vector<SettingRow> settings;
};

// Options of set/add/push.
struct StoreOptions {
    std::optional<double> expire;  // seconds from now; none = never expires
    Value tag;                     // None = no tag
};

// What get/pop/peek return for a key that is present and not expired.
struct Item {
    Value key;
    Value value;  // empty when GetOptions::asFile gave `path` instead
    std::optional<double> expireTime;
    Value tag;
    StoreMode mode = StoreMode::None;
    // Full path of the value file when the value lives in one.
    std::optional<std::filesystem::path> path;
};

struct GetOptions {
    // For values kept in a binary file, return Item::path and do not load
    // the contents (Python's read=True).
    bool asFile = false;
};

enum class QueueSide { Back, Front };

// Called during long operations with rows done so far; return false to
// stop after the current batch (the result then says `cancelled`).
using ProgressFn = std::function<bool(std::int64_t done)>;

// The outcome of expire/evict/cull/clear: rows removed, in batches that are
// each a whole transaction, so a stop leaves the cache consistent.
struct Removal {
    std::int64_t removed = 0;
    bool cancelled = false;
};

// One problem check() found (the kinds of cachescope-cli's JSON).
struct Finding {
    enum class Kind { Integrity, FileNotFound, WrongFileSize, UnknownFile, EmptyDirectory, CountMismatch, SizeMismatch, UnsafeFilename };
    Kind kind;
    std::string path;    // full path of the file or directory, if any, in UTF-8
    std::string detail;  // the library's message, or ours where it has none
};
const char* findingKindName(Finding::Kind kind);  // "integrity", "file-not-found", ...

struct CheckReport {
    std::vector<Finding> findings;
    bool fixed = false;
};

struct Stats {
    std::int64_t hits = 0;
    std::int64_t misses = 0;
    bool statistics = false;
};

class Cache {
public:
    // Opens (and unless readOnly, creates) the cache in `directory`, as
    // Python's Cache(directory) does. Read-only opening of a directory with
    // no cache.db fails with NotFound and creates nothing.
    static Result<std::unique_ptr<Cache>> open(const std::filesystem::path& directory, const OpenOptions& options = {});
    ~Cache();
    Cache(const Cache&) = delete;
    Cache& operator=(const Cache&) = delete;

    const std::filesystem::path& directory() const;
    bool isReadOnly() const;
    Settings settings() const;
    double timeout() const;

    // ---- items ----
    // Stores `value` under `key`, replacing any earlier item, then culls up
    // to cull_limit rows as the library does.
    Status set(const Value& key, const Value& value, const StoreOptions& options = {});
    // Stores the bytes read from `in` as a binary value file (read=True).
    Status setStream(const Value& key, std::istream& in, const StoreOptions& options = {});
    // Stores only when the key is absent or expired; false when it was there.
    Result<bool> add(const Value& key, const Value& value, const StoreOptions& options = {});
    // The item, or nullopt when absent or expired. Updates access time or
    // count (LRU/LFU) and hits/misses (statistics on), unless read-only.
    Result<std::optional<Item>> get(const Value& key, const GetOptions& options = {});
    Result<bool> contains(const Value& key);
    // Sets a new expiry (seconds from now, or never) on a live item.
    Result<bool> touch(const Value& key, std::optional<double> expire);
    // Python's delete(key): false when absent or expired.
    Result<bool> remove(const Value& key);
    Result<std::optional<Item>> pop(const Value& key);
    // Adds `delta` to an int value, atomically. A missing or expired key
    // starts from `initial`; with no initial it is NotFound.
    Result<std::int64_t> incr(const Value& key, std::int64_t delta = 1, std::optional<std::int64_t> initial = 0);
    Result<std::int64_t> decr(const Value& key, std::int64_t delta = 1, std::optional<std::int64_t> initial = 0);

    // ---- queues (FORMAT.md, "Queues") ----
    // Appends a value at one end; returns the key it was given.
    Result<Value> push(const Value& value, const std::optional<std::string>& prefix = std::nullopt,
                       QueueSide side = QueueSide::Back, const StoreOptions& options = {});
    // Removes and returns the item at one end, skipping (and removing)
    // expired ones; nullopt when the queue is empty.
    Result<std::optional<Item>> pull(const std::optional<std::string>& prefix = std::nullopt,
                                     QueueSide side = QueueSide::Front);
    Result<std::optional<Item>> peek(const std::optional<std::string>& prefix = std::nullopt,
                                     QueueSide side = QueueSide::Front);
    // The first or last item in insertion order (removing expired ones met).
    Result<std::optional<Item>> peekItem(bool last = true);

    // ---- iteration and size ----
    // Calls `visit` with each key in key order (Python's iterkeys), or in
    // insertion order (iter(cache)); stops when visit returns false.
    enum class KeyOrder { Key, KeyReversed, Insertion, InsertionReversed };
    Status forEachKey(KeyOrder order, const std::function<bool(const Value&)>& visit);
    // len(cache): the stored count.
    Result<std::int64_t> count();
    // page_count * page_size + Settings.size, as the library computes it.
    Result<std::int64_t> volume();

    // ---- maintenance: the library's batches, in its order, several to a
    // transaction that commits after about 100 ms so other writers get turns;
    // cull stops at the batch of 10 where the library's cull stops ----
    Result<Removal> expire(std::optional<double> now = std::nullopt, const ProgressFn& progress = {});
    Result<Removal> evict(const Value& tag, const ProgressFn& progress = {});
    Result<Removal> cull(const ProgressFn& progress = {});
    Result<Removal> clear(const ProgressFn& progress = {});
    // Finds (and with fix, repairs) what Python's check() does, plus rows
    // whose filename is unsafe. Without fix it reads only and takes no write
    // lock; PRAGMA integrity_check then runs on a second handle in another
    // thread while the rows and files are walked.
    Result<CheckReport> check(bool fix, const ProgressFn& progress = {});
    // Repairs only these findings of check() on this cache, each the way
    // check(true) repairs it, and leaves everything else as it is (so a user
    // may keep files that are not the cache's). Findings that no longer hold
    // are skipped; unknown files and directories outside the cache are never
    // touched. One write transaction. Returns the findings it repaired.
    Result<CheckReport> fix(const std::vector<Finding>& findings);

    // ---- statistics and settings ----
    // Python's stats(enable, reset): returns hits/misses, optionally zeroes
    // them, and stores `enable` as the statistics setting.
    Result<Stats> stats(bool enable = true, bool reset = false);
    // The counters and switch as stored; writes nothing.
    Result<Stats> readStats();
    Status createTagIndex();
    Status dropTagIndex();
    // Stores a setting and applies it (pragmas included), like reset(key, value).
    Status reset(const std::string& name, const Value& value);
    // Every row of the Settings table, metadata included, as stored.
    Result<std::vector<SettingRow>> settingRows();

    // Runs `body` inside one BEGIN IMMEDIATE transaction; calls made from
    // the same thread inside it join that transaction (Python's transact()).
    // Commits when body returns ok, rolls back otherwise.
    Status transact(const std::function<Status()>& body);

    class Impl;

private:
    explicit Cache(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace diskcache
