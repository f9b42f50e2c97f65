// FanoutCache: a directory of Cache shards "000", "001", ... that spreads
// keys by the library's portable hash (FORMAT.md, "Directories made of
// caches"), so writers to different shards do not wait for each other.
//
// Thread safety: as Cache; each shard serialises its own calls.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "diskcache/cache.h"

namespace diskcache {

// The library's Disk.hash(): adler32 of the stored key bytes (UTF-8 for
// text, big-endian IEEE for floats), key % 0xFFFFFFFF for ints.
std::uint32_t portableHash(const Value& key);

// The shard directory name Python makes: "%03d".
std::string shardName(int index);

struct FanoutOptions {
    // Shards to create in a directory that has none (Python's default 8).
    // An existing FanoutCache keeps the shards it has.
    int shards = 8;
    // Seconds each shard waits for a lock (Python's FanoutCache: 0.010).
    double timeout = 0.010;
    bool readOnly = false;
    // Settings for new shards; size_limit is the total, split per shard.
    std::vector<SettingRow> settings;
};

class Deque;
class Index;

class FanoutCache {
public:
    // Opens the shards that exist, never rewriting their settings (unlike
    // Python's FanoutCache(dir), see CLI-NOTES); creates options.shards
    // shards when there are none and the cache is not read-only.
    static Result<std::unique_ptr<FanoutCache>> open(const std::filesystem::path& directory,
                                                     const FanoutOptions& options = {});

    const std::filesystem::path& directory() const { return m_directory; }
    int shardCount() const { return static_cast<int>(m_shards.size()); }
    Cache& shard(int index) { return *m_shards.at(static_cast<std::size_t>(index)); }
    // The shard a key lives in: portableHash(key) % shardCount().
    Cache& shardFor(const Value& key);

    // The Cache calls, routed to the key's shard. A shard that stays locked
    // past the timeout gives StatusCode::Timeout (Python returns False/None).
    Status set(const Value& key, const Value& value, const StoreOptions& options = {});
    Result<bool> add(const Value& key, const Value& value, const StoreOptions& options = {});
    Result<std::optional<Item>> get(const Value& key, const GetOptions& options = {});
    Result<bool> contains(const Value& key);
    Result<bool> touch(const Value& key, std::optional<double> expire);
    Result<bool> remove(const Value& key);
    Result<std::optional<Item>> pop(const Value& key);
    Result<std::int64_t> incr(const Value& key, std::int64_t delta = 1, std::optional<std::int64_t> initial = 0);

    // Sums over every shard.
    Result<std::int64_t> count();
    Result<std::int64_t> volume();
    Result<Removal> expire(const ProgressFn& progress = {});
    Result<Removal> evict(const Value& tag, const ProgressFn& progress = {});
    Result<Removal> cull(const ProgressFn& progress = {});
    Result<Removal> clear(const ProgressFn& progress = {});
    Result<CheckReport> check(bool fix, const ProgressFn& progress = {});

    // ---- named sub-stores ----
    // Python's FanoutCache.cache(name), .deque(name) and .index(name): a
    // store in <directory>/cache|deque|index/<name>, `name` split at "/".
    // Opened as Python opens them: a plain Cache with its defaults (a 60 s
    // timeout, no policy change), the deque and index on it as fromcache()
    // makes them. Read-only when this FanoutCache is. Each call opens a new
    // handle (Python keeps one per name). InvalidArgument for an empty name
    // or one with ".", ".." or an absolute part, which would leave the folder.
    Result<std::unique_ptr<Cache>> cache(std::string_view name);
    Result<std::unique_ptr<Deque>> deque(std::string_view name);
    Result<std::unique_ptr<Index>> index(std::string_view name);

private:
    FanoutCache(std::filesystem::path directory, std::vector<std::unique_ptr<Cache>> shards, bool readOnly)
        : m_directory(std::move(directory)), m_shards(std::move(shards)), m_readOnly(readOnly) {}
    Result<std::unique_ptr<Cache>> subStore(const char* folder, std::string_view name);
    Result<Removal> eachShard(const std::function<Result<Removal>(Cache&)>& run);

    std::filesystem::path m_directory;
    std::vector<std::unique_ptr<Cache>> m_shards;
    bool m_readOnly = false;
};

}  // namespace diskcache
