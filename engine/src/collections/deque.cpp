// Deque: Python's diskcache.Deque (persistent.py) on the public Cache API.
// Each call does what the library's method does, call for call, so that
// a deque shared with Python processes behaves the same from either side.
#include "diskcache/deque.h"

namespace diskcache {

Result<std::unique_ptr<Deque>> Deque::open(const std::filesystem::path& directory, OpenOptions options) {
    // Deque.__init__: Cache(directory, eviction_policy='none') and nothing else.
    options.settings.emplace_back("eviction_policy", Value::text("none"));
    auto cache = Cache::open(directory, options);
    if (!cache) return cache.status();
    return std::make_unique<Deque>(std::move(*cache));
}

// ---- the ends ----------------------------------------------------------------

Status Deque::append(const Value& value) { return m_cache->push(value, std::nullopt, QueueSide::Back).status(); }

Status Deque::appendLeft(const Value& value) { return m_cache->push(value, std::nullopt, QueueSide::Front).status(); }

Status Deque::extend(const std::vector<Value>& values) {
    for (const Value& value : values) DISKCACHE_TRY(append(value));
    return Status::ok();
}

Status Deque::extendLeft(const std::vector<Value>& values) {
    for (const Value& value : values) DISKCACHE_TRY(appendLeft(value));
    return Status::ok();
}

Result<std::optional<Value>> Deque::takeEnd(QueueSide side, bool remove) {
    auto item = remove ? m_cache->pull(std::nullopt, side) : m_cache->peek(std::nullopt, side);
    if (!item) return item.status();
    if (!*item) return std::optional<Value>();
    return std::optional<Value>(std::move((*item)->value));
}

Result<std::optional<Value>> Deque::pop() { return takeEnd(QueueSide::Back, true); }
Result<std::optional<Value>> Deque::popLeft() { return takeEnd(QueueSide::Front, true); }
Result<std::optional<Value>> Deque::peek() { return takeEnd(QueueSide::Back, false); }
Result<std::optional<Value>> Deque::peekLeft() { return takeEnd(QueueSide::Front, false); }

// ---- the whole sequence ----------------------------------------------------

Result<std::int64_t> Deque::size() { return m_cache->count(); }

Status Deque::forEach(const std::function<bool(const Value&)>& visit, bool reversed) {
    // __iter__/__reversed__: the keys in order, each looked up; a key whose
    // item went away meanwhile is skipped (the library's KeyError: pass).
    Status failure;
    const auto visitKey = [&](const Value& key) {
        auto item = m_cache->get(key);
        if (!item) {
            failure = item.status();
            return false;
        }
        return !*item || visit((*item)->value);
    };
    DISKCACHE_TRY(m_cache->forEachKey(reversed ? Cache::KeyOrder::KeyReversed : Cache::KeyOrder::Key, visitKey));
    return failure;
}

Result<std::vector<Value>> Deque::values() {
    std::vector<Value> all;
    DISKCACHE_TRY(forEach([&](const Value& value) {
        all.push_back(value);
        return true;
    }));
    return all;
}

Status Deque::actAt(std::int64_t index, const std::function<Result<bool>(const Value& key)>& act) {
    auto length = size();
    if (!length) return length.status();
    const auto outOfRange = [] { return Status::notFound("deque index out of range"); };
    if (index >= *length || index < -*length) return outOfRange();
    const bool fromBack = index < 0;
    std::int64_t skip = fromBack ? -index - 1 : index;
    Status failure;
    bool done = false;
    const auto visitKey = [&](const Value& key) {
        if (skip > 0) {
            --skip;
            return true;
        }
        auto acted = act(key);
        if (!acted) {
            failure = acted.status();
            return false;
        }
        done = *acted;
        return !done;
    };
    DISKCACHE_TRY(m_cache->forEachKey(fromBack ? Cache::KeyOrder::KeyReversed : Cache::KeyOrder::Key, visitKey));
    DISKCACHE_TRY(failure);
    return done ? Status::ok() : outOfRange();
}

Result<Value> Deque::at(std::int64_t index) {
    Value found;
    DISKCACHE_TRY(actAt(index, [&](const Value& key) -> Result<bool> {
        auto item = m_cache->get(key);
        if (!item) return item.status();
        if (!*item) return false;
        found = std::move((*item)->value);
        return true;
    }));
    return found;
}

Status Deque::setAt(std::int64_t index, const Value& value) {
    return transact([&] {
        return actAt(index, [&](const Value& key) -> Result<bool> {
            DISKCACHE_TRY(m_cache->set(key, value));
            return true;
        });
    });
}

Status Deque::removeAt(std::int64_t index) {
    return transact([&] { return actAt(index, [&](const Value& key) { return m_cache->remove(key); }); });
}

Result<bool> Deque::remove(const Value& value) {
    bool removed = false;
    const Status done = transact([&] {
        Status failure;
        DISKCACHE_TRY(m_cache->forEachKey(Cache::KeyOrder::Key, [&](const Value& key) {
            auto item = m_cache->get(key);
            if (!item) {
                failure = item.status();
                return false;
            }
            if (!*item || !((*item)->value == value)) return true;
            auto gone = m_cache->remove(key);
            if (!gone) {
                failure = gone.status();
                return false;
            }
            removed = *gone;
            return !removed;
        }));
        return failure;
    });
    if (!done) return done;
    return removed;
}

Result<std::int64_t> Deque::count(const Value& value) {
    std::int64_t equal = 0;
    DISKCACHE_TRY(forEach([&](const Value& each) {
        if (each == value) ++equal;
        return true;
    }));
    return equal;
}

Status Deque::clear() { return m_cache->clear().status(); }

Status Deque::rotate(std::int64_t steps) {
    return transact([&]() -> Status {
        auto length = size();
        if (!length) return length.status();
        if (*length == 0) return Status::ok();
        // Python's steps %= len on the magnitude (unsigned: -INT64_MIN fits).
        const bool right = steps >= 0;
        const std::uint64_t magnitude = right ? static_cast<std::uint64_t>(steps)
                                              : static_cast<std::uint64_t>(-(steps + 1)) + 1;
        const std::uint64_t moves = magnitude % static_cast<std::uint64_t>(*length);
        for (std::uint64_t i = 0; i < moves; ++i) {
            auto value = right ? pop() : popLeft();
            if (!value) return value.status();
            if (!*value) return Status::ok();
            DISKCACHE_TRY(right ? appendLeft(**value) : append(**value));
        }
        return Status::ok();
    });
}

Status Deque::reverse() {
    return transact([&]() -> Status {
        // The keys of live items only: Python's reversed() skips expired ones.
        // Inside the transaction no other writer changes the set of keys.
        std::vector<Value> keys;
        Status failure;
        DISKCACHE_TRY(m_cache->forEachKey(Cache::KeyOrder::Key, [&](const Value& key) {
            auto live = m_cache->contains(key);
            if (!live) failure = live.status();
            else if (*live) keys.push_back(key);
            return live.isOk();
        }));
        DISKCACHE_TRY(failure);
        for (std::size_t front = 0, back = keys.size(); front + 1 < back; ++front) {
            --back;
            auto first = m_cache->get(keys[front]);
            if (!first) return first.status();
            auto last = m_cache->get(keys[back]);
            if (!last) return last.status();
            if (!*first || !*last) return Status::corrupt("a deque item vanished inside a transaction");
            DISKCACHE_TRY(m_cache->set(keys[front], (*last)->value));
            DISKCACHE_TRY(m_cache->set(keys[back], (*first)->value));
        }
        return Status::ok();
    });
}

}  // namespace diskcache
