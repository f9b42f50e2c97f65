// Index: Python's diskcache.Index (persistent.py) on the public Cache API.
// Each call does what the library's method does, so an index shared with
// Python processes behaves the same from either side.
#include "diskcache/index.h"

namespace diskcache {

namespace {

Result<std::optional<KeyValue>> toPair(Result<std::optional<Item>> item) {
    if (!item) return item.status();
    if (!*item) return std::optional<KeyValue>();
    Item& found = **item;
    return std::optional<KeyValue>(KeyValue{std::move(found.key), std::move(found.value)});
}

Result<std::optional<Value>> toValue(Result<std::optional<Item>> item) {
    if (!item) return item.status();
    if (!*item) return std::optional<Value>();
    return std::optional<Value>(std::move((*item)->value));
}

}  // namespace

Result<std::unique_ptr<Index>> Index::open(const std::filesystem::path& directory, OpenOptions options) {
    // Index.__init__: Cache(directory, eviction_policy='none') and nothing else.
    options.settings.emplace_back("eviction_policy", Value::text("none"));
    auto cache = Cache::open(directory, options);
    if (!cache) return cache.status();
    return std::make_unique<Index>(std::move(*cache));
}

// ---- one key -----------------------------------------------------------------

Status Index::set(const Value& key, const Value& value) { return m_cache->set(key, value); }

Status Index::update(const std::vector<KeyValue>& items) {
    for (const KeyValue& item : items) DISKCACHE_TRY(set(item.key, item.value));
    return Status::ok();
}

Result<std::optional<Value>> Index::get(const Value& key) { return toValue(m_cache->get(key)); }

Result<bool> Index::contains(const Value& key) { return m_cache->contains(key); }

Result<bool> Index::remove(const Value& key) { return m_cache->remove(key); }

Result<std::optional<Value>> Index::pop(const Value& key) { return toValue(m_cache->pop(key)); }

Result<Value> Index::setDefault(const Value& key, const Value& fallback) {
    // The library's loop: read; when missing, add (which loses to any other
    // writer's value) and read again. An add cannot fail to make the key
    // present, so two rounds suffice unless someone removes it at once.
    for (int round = 0; round < 100; ++round) {
        auto found = get(key);
        if (!found) return found.status();
        if (*found) return std::move(**found);
        auto added = m_cache->add(key, fallback);
        if (!added) return added.status();
    }
    return Status::timeout("setdefault: the key kept disappearing");
}

// ---- the ends ----------------------------------------------------------------

Result<std::optional<KeyValue>> Index::peekItem(bool last) { return toPair(m_cache->peekItem(last)); }

Result<std::optional<KeyValue>> Index::popItem(bool last) {
    // popitem: peekitem and del in one transaction.
    std::optional<KeyValue> taken;
    DISKCACHE_TRY(transact([&]() -> Status {
        auto pair = peekItem(last);
        if (!pair) return pair.status();
        if (!*pair) return Status::ok();
        auto removed = remove((*pair)->key);
        if (!removed) return removed.status();
        taken = std::move(*pair);
        return Status::ok();
    }));
    return taken;
}

Result<Value> Index::push(const Value& value, const std::optional<std::string>& prefix, QueueSide side) {
    return m_cache->push(value, prefix, side);
}

Result<std::optional<KeyValue>> Index::pull(const std::optional<std::string>& prefix, QueueSide side) {
    return toPair(m_cache->pull(prefix, side));
}

// ---- the whole mapping -------------------------------------------------------

Result<std::int64_t> Index::size() { return m_cache->count(); }

Status Index::forEachKey(const std::function<bool(const Value&)>& visit, bool reversed) {
    return m_cache->forEachKey(reversed ? Cache::KeyOrder::InsertionReversed : Cache::KeyOrder::Insertion, visit);
}

Status Index::forEachItem(const std::function<bool(const KeyValue&)>& visit, bool reversed) {
    Status failure;
    DISKCACHE_TRY(forEachKey(
        [&](const Value& key) {
            auto value = get(key);
            if (!value) {
                failure = value.status();
                return false;
            }
            return !*value || visit(KeyValue{key, std::move(**value)});
        },
        reversed));
    return failure;
}

Result<std::vector<Value>> Index::keys() {
    std::vector<Value> all;
    DISKCACHE_TRY(forEachKey([&](const Value& key) {
        all.push_back(key);
        return true;
    }));
    return all;
}

Result<std::vector<Value>> Index::values() {
    std::vector<Value> all;
    DISKCACHE_TRY(forEachItem([&](const KeyValue& item) {
        all.push_back(item.value);
        return true;
    }));
    return all;
}

Result<std::vector<KeyValue>> Index::items() {
    std::vector<KeyValue> all;
    DISKCACHE_TRY(forEachItem([&](const KeyValue& item) {
        all.push_back(item);
        return true;
    }));
    return all;
}

Status Index::clear() { return m_cache->clear().status(); }

}  // namespace diskcache
