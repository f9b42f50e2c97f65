// Index: a persistent mapping that remembers insertion order, the C++ shape
// of Python's diskcache.Index (5.4). It is a Cache with eviction policy
// `none`; keys are found by their stored form (FORMAT.md, "Keys"), not by
// hashing, and iterate in rowid order, which is insertion order: replacing
// a value keeps the key's place, removing and re-adding moves it last.
//
// Thread safety: as Cache; every call may come from any thread. Iteration
// sees other writers' changes as they happen, as Python's does; the calls
// marked "atomic" run in one transaction. Where Python retries a write
// that meets another process's lock for ever (retry=True), these return
// StatusCode::Timeout after the cache's timeout; an atomic call has then
// changed nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "diskcache/cache.h"

namespace diskcache {

// One key and its value, as Index's items() and popitem() give them.
struct KeyValue {
    Value key;
    Value value;
};

class Index {
public:
    // Opens (and unless read-only, creates) an index in `directory` as
    // Python's Index(directory) does: Cache(directory,
    // eviction_policy='none'), which also stores that policy in an existing
    // cache. options.settings are applied first; the policy wins.
    static Result<std::unique_ptr<Index>> open(const std::filesystem::path& directory, OpenOptions options = {});
    // An index on a cache the caller opened (Python's Index.fromcache); its
    // settings are left as they are.
    explicit Index(std::unique_ptr<Cache> cache) : m_cache(std::move(cache)) {}

    Cache& cache() { return *m_cache; }
    const std::filesystem::path& directory() const { return m_cache->directory(); }

    // ---- one key ----
    // index[key] = value: a new key goes last, an existing one keeps its place.
    // A key is never Value::none(); Python's None key is its pickle.
    Status set(const Value& key, const Value& value);
    // Python's update(): each pair set in turn.
    Status update(const std::vector<KeyValue>& items);
    // index[key]; nullopt where Python raises KeyError.
    Result<std::optional<Value>> get(const Value& key);
    Result<bool> contains(const Value& key);
    // del index[key]; false where Python raises KeyError.
    Result<bool> remove(const Value& key);
    // Removes and returns the value; nullopt when the key is absent.
    Result<std::optional<Value>> pop(const Value& key);
    // The value, storing `fallback` first when the key is absent (Python's
    // setdefault, which adds only if no other writer got there first).
    Result<Value> setDefault(const Value& key, const Value& fallback);

    // ---- the ends, in insertion order ----
    // The last (or first) pair; nullopt when the index is empty (KeyError).
    Result<std::optional<KeyValue>> peekItem(bool last = true);
    // Removes and returns the last (or first) pair. Atomic.
    Result<std::optional<KeyValue>> popItem(bool last = true);

    // ---- queues inside the index (Python's Index.push/pull) ----
    // Stores `value` under the next queue key at one end and returns that
    // key: integers from 500000000000000, or "<prefix>-%015d" text.
    Result<Value> push(const Value& value, const std::optional<std::string>& prefix = std::nullopt,
                       QueueSide side = QueueSide::Back);
    // Removes and returns the pair at one end of that queue; nullopt when it
    // is empty (Python's default (None, None)).
    Result<std::optional<KeyValue>> pull(const std::optional<std::string>& prefix = std::nullopt,
                                         QueueSide side = QueueSide::Front);

    // ---- the whole mapping ----
    // len(index).
    Result<std::int64_t> size();
    // Calls `visit` with each key in insertion order (reversed: newest
    // first); stops when visit returns false.
    Status forEachKey(const std::function<bool(const Value&)>& visit, bool reversed = false);
    // Calls `visit` with each pair in insertion order, skipping keys removed
    // between finding the key and reading its value.
    Status forEachItem(const std::function<bool(const KeyValue&)>& visit, bool reversed = false);
    // list(index.keys()), list(index.values()), list(index.items()).
    Result<std::vector<Value>> keys();
    Result<std::vector<Value>> values();
    Result<std::vector<KeyValue>> items();
    // Removes every item, in the library's batches of 100 (several to a transaction, see Cache::clear).
    Status clear();

    // Runs `body` in one transaction of the cache (Python's transact()).
    Status transact(const std::function<Status()>& body) { return m_cache->transact(body); }

private:
    std::unique_ptr<Cache> m_cache;
};

}  // namespace diskcache
