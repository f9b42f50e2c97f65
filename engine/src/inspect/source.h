// The pieces behind Inspector: a Source is one place rows come from (one
// cache.db, or a Django file-cache folder); Inspector merges the pages of
// its sources by SortKey. Ordering rules are those of inspect.h: within the
// rows whose sort column is set, SQLite's order of that column (numbers <
// text < blobs, memcmp within text and blobs), then raw (key sort), then
// rowid; rows whose column is NULL come last, by rowid; across shards,
// the shard index breaks ties.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "diskcache/inspect.h"

namespace diskcache::inspect_detail {

// Where a row stands in a sort: its segment (0 column set, 1 column NULL),
// the column's value, raw (key sort only, else 0) and rowid.
struct SortKey {
    int segment = 0;
    Value value;
    std::int64_t raw = 0;
    std::int64_t rowid = 0;
};

// SQLite's ordering of two stored values: -1, 0 or 1.
int compareSqlValues(const Value& a, const Value& b);
// Order of two sort keys in the requested direction (segments never flip).
int compareSortKeys(const SortKey& a, const SortKey& b, bool descending);

struct Position {
    SortKey key;
    int shard = 0;
};

// Opaque cursor text for a position in a given sort, and back.
std::string encodeCursor(SortColumn sort, bool descending, const Position& position);
Result<Position> decodeCursor(const std::string& cursor, SortColumn sort, bool descending);

struct SourceRow {
    Entry entry;
    SortKey key;
};

struct FetchRequest {
    SortColumn sort = SortColumn::Key;
    bool descending = false;
    const EntryFilter* filter = nullptr;
    double now = 0;
    std::optional<SortKey> after;  // rows strictly after this (or at it, when inclusive)
    bool inclusive = false;
    std::size_t limit = 0;
};

class Source {
public:
    virtual ~Source() = default;
    // Up to `limit` rows after the bound, in order, with everything but
    // Entry::valueType filled in (see describe()).
    virtual Result<std::vector<SourceRow>> fetch(const FetchRequest& request) = 0;
    virtual Result<std::int64_t> count(const EntryFilter& filter, double now) = 0;
    virtual Result<std::optional<Entry>> find(const Value& key) = 0;
    // Fills Entry::valueType (it may read the value).
    virtual void describe(Entry& entry) = 0;
    virtual Result<Value> readValue(const Entry& entry) = 0;
    virtual Result<std::string> readStoredBytes(const Entry& entry) = 0;
    virtual Result<Summary> summary() = 0;
    virtual Result<std::int64_t> estimateCull() = 0;
    virtual int pickleProtocol() const = 0;

    // Every row once, in short read transactions of a few thousand rows (so
    // a live writer's checkpoints are not held up), with everything but
    // Entry::valueType filled in, and the first bytes of the value when it
    // is a pickle (from the database or its file; empty otherwise). `visit`
    // returning false stops the scan with Cancelled.
    using RowVisitor = std::function<bool(const Entry& entry, std::string_view pickleHead)>;
    virtual Status scan(double now, const RowVisitor& visit) = 0;
    // The rows scan() gives whose key is a memoized call, a tuple led by a
    // qualified function name (inspect::memoizedFunction), with pickleHead empty. The default
    // filters scan(); a cache reads only those rows.
    virtual Status scanMemoizedKeys(double now, const RowVisitor& visit);
    // The space this source takes on disk, reconciled with its rows.
    virtual Result<SpaceLedger> space(const ProgressFn& progress) = 0;
    // The column cull() orders by after the expired rows ("store_time",
    // "access_time", "access_count"), or nullptr when it never culls.
    virtual const char* cullColumn() const = 0;
    // JSONDisk's compress level when the store was written with JSONDisk.
    virtual std::optional<int> jsonDiskLevel() const { return std::nullopt; }
    // For Inspector::seek (seek.cpp). Only the sort keys of up to `limit`
    // rows after the bound, in order. The default builds whole rows.
    virtual Result<std::vector<SortKey>> keys(const FetchRequest& request);
    // The sort key of the n-th row (n >= 1) after the bound; nullopt with
    // `available` set to how many rows there are when fewer than n.
    struct Skip {
        std::optional<SortKey> key;
        std::int64_t available = 0;
    };
    // The default walks keys(); a cache does it in SQL.
    virtual Result<Skip> skip(const FetchRequest& request, std::int64_t n);
    // What Inspector::setCancelCheck installs (the function outlives the source's use of it).
    virtual void setCancelCheck(const std::function<bool()>* check) { (void)check; }
    // Changes when another connection commits (PRAGMA data_version).
    virtual Result<std::uint64_t> changeToken() = 0;
};

// One cache.db, opened read-only. `shard` names a FanoutCache shard ("003").
Result<std::unique_ptr<Source>> openCacheSource(const std::filesystem::path& directory,
                                                std::optional<std::string> shard);
// A Django FileBasedCache folder (*.djcache files).
Result<std::unique_ptr<Source>> openDjangoSource(const std::filesystem::path& directory);

// Eviction policy (and key evidence) of a cache directory, for detection.
struct CacheTraits {
    EvictionPolicy policy = EvictionPolicy::LeastRecentlyStored;
    bool empty = true;
    bool queueKeysOnly = false;  // first and last key are integer queue keys
};
Result<CacheTraits> readCacheTraits(const std::filesystem::path& directory);

// Fanout shard folders ("000", "001", ...) in `directory`, in order, each
// holding cache.db; empty when there are none.
std::vector<std::string> findShards(const std::filesystem::path& directory);
// Stores below a fanout's cache/, deque/ and index/ folders.
std::vector<ChildStore> findFanoutChildren(const std::filesystem::path& directory);
// Stores in the sub-folders of a plain folder (two levels down at most).
std::vector<ChildStore> findCollectionChildren(const std::filesystem::path& directory);
bool hasDjangoFiles(const std::filesystem::path& directory);
// inspect::detect's answer (detect.cpp).
Result<StoreKind> detectKind(const std::filesystem::path& directory);

// What type(value).__name__ says for a stored value without a pickle.
const char* rawTypeName(const Value& value);
// The Python type name of a pickle, "?" when it cannot be decoded.
std::string pickleTypeName(std::string_view pickle);

}  // namespace diskcache::inspect_detail
