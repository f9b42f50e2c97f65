// Deque: a persistent double-ended queue, the C++ shape of Python's
// diskcache.Deque (5.4). It is a Cache with eviction policy `none` whose
// items live under queue keys (FORMAT.md, "Queues"), so the queue's order
// is its key order: a directory written by either side reads the same, in
// the same order, from the other.
//
// Thread safety: as Cache; every call may come from any thread. Like
// Python's, a call that walks the items (iteration, at, remove, count) sees
// other writers' changes as they happen; the calls marked "atomic" run in
// one transaction. Where Python retries a write that meets another
// process's lock for ever (retry=True), these return StatusCode::Timeout
// after the cache's timeout; an atomic call has then changed nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "diskcache/cache.h"

namespace diskcache {

class Deque {
public:
    // Opens (and unless read-only, creates) a deque in `directory` as
    // Python's Deque(directory=...) does: Cache(directory,
    // eviction_policy='none'), which also stores that policy in an existing
    // cache. options.settings are applied first; the policy wins.
    static Result<std::unique_ptr<Deque>> open(const std::filesystem::path& directory, OpenOptions options = {});
    // A deque on a cache the caller opened (Python's Deque.fromcache); its
    // settings are left as they are.
    explicit Deque(std::unique_ptr<Cache> cache) : m_cache(std::move(cache)) {}

    Cache& cache() { return *m_cache; }
    const std::filesystem::path& directory() const { return m_cache->directory(); }

    // ---- the ends ----
    // Adds a value at the back (append) or front (appendLeft).
    Status append(const Value& value);
    Status appendLeft(const Value& value);
    Status extend(const std::vector<Value>& values);
    // Python's extendleft: each value goes to the front in turn, so the
    // last one given ends up first.
    Status extendLeft(const std::vector<Value>& values);
    // Removes and returns the back (pop) or front (popLeft) value; nullopt
    // when the deque is empty (where Python raises IndexError).
    Result<std::optional<Value>> pop();
    Result<std::optional<Value>> popLeft();
    // The back (peek) or front (peekLeft) value without removing it.
    Result<std::optional<Value>> peek();
    Result<std::optional<Value>> peekLeft();

    // ---- the whole sequence ----
    // len(deque): the cache's stored count.
    Result<std::int64_t> size();
    // Calls `visit` with each value front to back (reversed: back to front),
    // skipping items removed meanwhile; stops when visit returns false.
    Status forEach(const std::function<bool(const Value&)>& visit, bool reversed = false);
    // Every value, front to back (list(deque)).
    Result<std::vector<Value>> values();
    // deque[index], negative counting from the back. NotFound ("deque index
    // out of range") where Python raises IndexError.
    Result<Value> at(std::int64_t index);
    // deque[index] = value and del deque[index]; atomic.
    Status setAt(std::int64_t index, const Value& value);
    Status removeAt(std::int64_t index);
    // Removes the first value equal to `value` (same kind and contents);
    // false when there is none (Python's ValueError). Atomic.
    Result<bool> remove(const Value& value);
    // How many values equal `value`.
    Result<std::int64_t> count(const Value& value);
    // Removes every item, in the library's batches of 100 (several to a transaction, see Cache::clear).
    Status clear();
    // Rotates right by `steps` (left when negative), moving values from one
    // end to the other as Python does. Atomic.
    Status rotate(std::int64_t steps = 1);
    // Reverses the order in place by exchanging the values of the first and
    // last keys, and so on inwards. Python rebuilds the deque through a
    // temporary one instead; the order both then see is the same. Atomic.
    Status reverse();

    // Runs `body` in one transaction of the cache (Python's transact()).
    Status transact(const std::function<Status()>& body) { return m_cache->transact(body); }

private:
    // Python's _index: walks the keys from the front (index >= 0) or the
    // back (index < 0) to the one at `index` and calls `act` on it; when act
    // says that key has gone (false), the next key takes its place. NotFound
    // when the index is out of range.
    Status actAt(std::int64_t index, const std::function<Result<bool>(const Value& key)>& act);
    Result<std::optional<Value>> takeEnd(QueueSide side, bool remove);

    std::unique_ptr<Cache> m_cache;
};

}  // namespace diskcache
