// Cache: queues (push/pull/peek/peekItem), iteration, sizes, statistics,
// settings and transact().
#include <cinttypes>
#include <cstdio>

#include "cache_impl.h"

namespace diskcache {

namespace {

constexpr std::int64_t kQueueStart = 500000000000000;

// The open key range of a queue: integers 0 < key < 999999999999999, or
// "<prefix>-000000000000000" < key < "<prefix>-999999999999999".
struct QueueRange {
    Value low;
    Value high;
};

QueueRange queueRange(const std::optional<std::string>& prefix) {
    if (!prefix) return {Value::integer(0), Value::integer(999999999999999)};
    return {Value::text(*prefix + "-000000000000000"), Value::text(*prefix + "-999999999999999")};
}

Value queueKey(const std::optional<std::string>& prefix, std::int64_t number) {
    if (!prefix) return Value::integer(number);
    char digits[32];
    std::snprintf(digits, sizeof digits, "%015" PRId64, number);
    return Value::text(*prefix + "-" + digits);
}

// The key after (step 1) or before (step -1) the queue's end key `last`.
// Like the library, any raw number inside the range counts as a queue key,
// and a float key continues as floats (Python's num += 1 on a float).
Result<Value> nextQueueKey(const std::optional<std::string>& prefix, const Value& last, int step) {
    if (last.kind() == ValueKind::Int) return queueKey(prefix, last.asInt() + step);
    if (last.kind() == ValueKind::Float) return Value::real(last.asFloat() + step);
    if (last.kind() == ValueKind::Text) {
        const auto dash = last.data().rfind('-');
        try {
            return queueKey(prefix, std::stoll(last.data().substr(dash == std::string::npos ? 0 : dash + 1)) + step);
        } catch (...) {
        }
    }
    return Status::corrupt("a queue key does not end in a number");
}

}  // namespace

Result<Value> Cache::push(const Value& value, const std::optional<std::string>& prefix, QueueSide side,
                          const StoreOptions& options) {
    Impl& d = *m_impl;
    DISKCACHE_TRY(d.requireWritable());
    const double now = unixNow();
    auto stored = d.storeValue(value);
    if (!stored) return stored.status();
    std::lock_guard lock(d.m_mutex);
    Transaction txn(d);
    if (Status begun = txn.begin(); !begun) {
        if (stored->filename) d.m_disk.remove(*stored->filename);
        return begun;
    }
    const QueueRange range = queueRange(prefix);
    Value key = queueKey(prefix, kQueueStart);
    {
        auto q = d.m_db->cached(side == QueueSide::Back
                                    ? "SELECT key FROM Cache WHERE ? < key AND key < ? AND raw = 1 ORDER BY key DESC LIMIT 1"
                                    : "SELECT key FROM Cache WHERE ? < key AND key < ? AND raw = 1 ORDER BY key ASC LIMIT 1");
        if (!q) return q.status();
        q->bind(1, range.low).bind(2, range.high);
        auto row = q->step();
        if (!row) return row.status();
        if (*row) {
            auto next = nextQueueKey(prefix, q->columnValue(0), side == QueueSide::Back ? 1 : -1);
            if (!next) return next.status();
            key = std::move(*next);
        }
    }
    auto insert = d.m_db->cached(
        "INSERT INTO Cache(key, raw, store_time, expire_time, access_time, access_count, tag, size, mode, filename, value)"
        " VALUES (?, 1, ?, ?, ?, 0, ?, ?, ?, ?, ?)");
    if (!insert) return insert.status();
    insert->bind(1, key).bindDouble(2, now).bindDouble(4, now).bind(5, options.tag);
    if (options.expire) insert->bindDouble(3, now + *options.expire); else insert->bindNull(3);
    insert->bindInt(6, stored->size).bindInt(7, static_cast<int>(stored->mode)).bind(9, stored->dbValue);
    if (stored->filename) insert->bindText(8, *stored->filename); else insert->bindNull(8);
    Status status = insert->run();
    if (status) status = d.cullAfterWrite(now, writtenRowBytes(key, options.tag, *stored));
    if (status) status = txn.commit();
    if (!status) {
        if (stored->filename) d.m_disk.remove(*stored->filename);
        return status;
    }
    return key;
}

namespace {

struct EndRow {
    std::int64_t rowid = 0;
    Item item;
    std::optional<std::string> filename;
    Value dbValue;
    bool expired = false;
};

Result<std::optional<EndRow>> readEnd(Cache::Impl& d, const char* sql, const QueueRange* range) {
    auto q = d.m_db->cached(sql);
    if (!q) return q.status();
    if (range) q->bind(1, range->low).bind(2, range->high);
    auto row = q->step();
    if (!row) return row.status();
    if (!*row) return std::optional<EndRow>();
    EndRow end;
    end.rowid = q->columnInt(0);
    end.item.key = Cache::Impl::keyFromColumns(q->columnValue(1), q->columnInt(2) != 0);
    end.item.expireTime = optionalDouble(*q, 3);
    end.item.tag = q->columnValue(4);
    end.item.mode = static_cast<StoreMode>(q->columnInt(5));
    end.filename = optionalText(*q, 6);
    end.dbValue = q->columnValue(7);
    end.expired = end.item.expireTime && *end.item.expireTime < unixNow();
    return std::optional<EndRow>(std::move(end));
}

// The shared loop of pull, peek and peekItem: take the row at one end,
// dropping expired rows met on the way (unless read-only, where they are
// only skipped), and remove the live one too when `take`.
Result<std::optional<Item>> takeEnd(Cache::Impl& d, const char* sql, const QueueRange* range, bool take) {
    std::lock_guard lock(d.m_mutex);
    for (int guard = 0; guard < 1000000; ++guard) {
        Transaction txn(d);
        if (!d.m_readOnly) DISKCACHE_TRY(txn.begin());
        auto end = readEnd(d, sql, range);
        if (!end) return end.status();
        if (!*end) return std::optional<Item>();
        EndRow& row = **end;
        if (row.expired || take) {
            if (d.m_readOnly) return Status::readOnly("the queue end is expired and cannot be removed read-only");
            DISKCACHE_TRY(d.deleteRow(row.rowid));
        }
        std::optional<Value> value;
        if (!row.expired) {
            auto fetched = d.fetchValue(row.item.mode, row.filename, row.dbValue);
            if (!fetched && fetched.status().code() != StatusCode::NotFound) return fetched.status();
            if (fetched) value = std::move(*fetched);
        }
        if (row.expired || take) txn.removeAfterCommit(row.filename);
        if (!d.m_readOnly) DISKCACHE_TRY(txn.commit());
        if (row.expired || !value) continue;  // gone or vanished: try the next one
        row.item.value = std::move(*value);
        return std::optional<Item>(std::move(row.item));
    }
    return Status::timeout("the queue kept changing");
}

constexpr const char* kEndColumns = "rowid, key, raw, expire_time, tag, mode, filename, value";

}  // namespace

Result<std::optional<Item>> Cache::pull(const std::optional<std::string>& prefix, QueueSide side) {
    DISKCACHE_TRY(m_impl->requireWritable());
    const QueueRange range = queueRange(prefix);
    static const std::string front = std::string("SELECT ") + kEndColumns +
                                     " FROM Cache WHERE ? < key AND key < ? AND raw = 1 ORDER BY key ASC LIMIT 1";
    static const std::string back = std::string("SELECT ") + kEndColumns +
                                    " FROM Cache WHERE ? < key AND key < ? AND raw = 1 ORDER BY key DESC LIMIT 1";
    return takeEnd(*m_impl, side == QueueSide::Front ? front.c_str() : back.c_str(), &range, true);
}

Result<std::optional<Item>> Cache::peek(const std::optional<std::string>& prefix, QueueSide side) {
    const QueueRange range = queueRange(prefix);
    static const std::string front = std::string("SELECT ") + kEndColumns +
                                     " FROM Cache WHERE ? < key AND key < ? AND raw = 1 ORDER BY key ASC LIMIT 1";
    static const std::string back = std::string("SELECT ") + kEndColumns +
                                    " FROM Cache WHERE ? < key AND key < ? AND raw = 1 ORDER BY key DESC LIMIT 1";
    return takeEnd(*m_impl, side == QueueSide::Front ? front.c_str() : back.c_str(), &range, false);
}

Result<std::optional<Item>> Cache::peekItem(bool last) {
    static const std::string first = std::string("SELECT ") + kEndColumns + " FROM Cache ORDER BY rowid ASC LIMIT 1";
    static const std::string final_ = std::string("SELECT ") + kEndColumns + " FROM Cache ORDER BY rowid DESC LIMIT 1";
    return takeEnd(*m_impl, last ? final_.c_str() : first.c_str(), nullptr, false);
}

// ---- iteration and sizes ---------------------------------------------------

namespace {

// Pages through keys so that no read transaction stays open across calls
// to `visit` (a long read would keep writers' WAL from being checkpointed).
Status visitByKey(Cache::Impl& d, bool reverse, const std::function<bool(const Value&)>& visit) {
    const char* first = reverse ? "SELECT key, raw FROM Cache ORDER BY key DESC, raw DESC LIMIT 1000"
                                : "SELECT key, raw FROM Cache ORDER BY key ASC, raw ASC LIMIT 1000";
    const char* next = reverse ? "SELECT key, raw FROM Cache WHERE key = ?1 AND raw < ?2 OR key < ?1"
                                 " ORDER BY key DESC, raw DESC LIMIT 1000"
                               : "SELECT key, raw FROM Cache WHERE key = ?1 AND raw > ?2 OR key > ?1"
                                 " ORDER BY key ASC, raw ASC LIMIT 1000";
    std::optional<std::pair<Value, std::int64_t>> last;
    while (true) {
        std::vector<std::pair<Value, std::int64_t>> page;
        {
            std::lock_guard lock(d.m_mutex);
            auto q = d.m_db->cached(last ? next : first);
            if (!q) return q.status();
            if (last) q->bind(1, last->first).bindInt(2, last->second);
            for (auto row = q->step(); ; row = q->step()) {
                if (!row) return row.status();
                if (!*row) break;
                page.emplace_back(q->columnValue(0), q->columnInt(1));
            }
        }
        for (const auto& [key, raw] : page) {
            if (!visit(Cache::Impl::keyFromColumns(key, raw != 0))) return Status::ok();
        }
        if (page.size() < 1000) return Status::ok();
        last = page.back();
    }
}

Status visitByRowid(Cache::Impl& d, bool reverse, const std::function<bool(const Value&)>& visit) {
    std::int64_t bound = 0;
    {
        std::lock_guard lock(d.m_mutex);
        auto max = d.m_db->scalar("SELECT MAX(rowid) FROM Cache");
        if (!max) return max.status();
        if (max->isNone()) return Status::ok();
        bound = max->asInt() + 1;  // like the library: rows added later are not visited
    }
    std::int64_t cursor = reverse ? bound : 0;
    while (true) {
        std::vector<std::pair<std::int64_t, Value>> page;
        {
            std::lock_guard lock(d.m_mutex);
            auto q = d.m_db->cached(reverse ? "SELECT rowid, key, raw FROM Cache WHERE 0 < rowid AND rowid < ?"
                                              " ORDER BY rowid DESC LIMIT 1000"
                                            : "SELECT rowid, key, raw FROM Cache WHERE ? < rowid AND rowid < ?"
                                              " ORDER BY rowid ASC LIMIT 1000");
            if (!q) return q.status();
            if (reverse) q->bindInt(1, cursor); else q->bindInt(1, cursor).bindInt(2, bound);
            for (auto row = q->step(); ; row = q->step()) {
                if (!row) return row.status();
                if (!*row) break;
                page.emplace_back(q->columnInt(0), Cache::Impl::keyFromColumns(q->columnValue(1), q->columnInt(2) != 0));
            }
        }
        for (const auto& [rowid, key] : page) {
            if (!visit(key)) return Status::ok();
        }
        if (page.size() < 1000) return Status::ok();
        cursor = page.back().first;
    }
}

}  // namespace

Status Cache::forEachKey(KeyOrder order, const std::function<bool(const Value&)>& visit) {
    switch (order) {
    case KeyOrder::Key: return visitByKey(*m_impl, false, visit);
    case KeyOrder::KeyReversed: return visitByKey(*m_impl, true, visit);
    case KeyOrder::Insertion: return visitByRowid(*m_impl, false, visit);
    case KeyOrder::InsertionReversed: return visitByRowid(*m_impl, true, visit);
    }
    return Status::invalidArgument("unknown key order");
}

Result<std::int64_t> Cache::count() {
    std::lock_guard lock(m_impl->m_mutex);
    return m_impl->readSettingInt("SELECT value FROM Settings WHERE key = 'count'");
}

Result<std::int64_t> Cache::volume() {
    std::lock_guard lock(m_impl->m_mutex);
    return m_impl->volume();
}

// ---- statistics and settings ------------------------------------------------

Result<Stats> Cache::readStats() {
    Impl& d = *m_impl;
    std::lock_guard lock(d.m_mutex);
    auto hits = d.readSettingInt("SELECT value FROM Settings WHERE key = 'hits'");
    if (!hits) return hits.status();
    auto misses = d.readSettingInt("SELECT value FROM Settings WHERE key = 'misses'");
    if (!misses) return misses.status();
    auto enabled = d.readSettingInt("SELECT value FROM Settings WHERE key = 'statistics'");
    if (!enabled) return enabled.status();
    return Stats{*hits, *misses, *enabled != 0};
}

Result<Stats> Cache::stats(bool enable, bool resetCounts) {
    Impl& d = *m_impl;
    DISKCACHE_TRY(d.requireWritable());
    std::lock_guard lock(d.m_mutex);
    auto before = readStats();
    if (!before) return before;
    if (resetCounts) {
        DISKCACHE_TRY(reset("hits", Value::integer(0)));
        DISKCACHE_TRY(reset("misses", Value::integer(0)));
    }
    DISKCACHE_TRY(reset("statistics", Value::integer(enable ? 1 : 0)));
    return Stats{before->hits, before->misses, enable};
}

Status Cache::createTagIndex() {
    Impl& d = *m_impl;
    DISKCACHE_TRY(d.requireWritable());
    std::lock_guard lock(d.m_mutex);
    DISKCACHE_TRY(d.m_db->exec("CREATE INDEX IF NOT EXISTS Cache_tag_rowid ON Cache(tag, rowid)"));
    return reset("tag_index", Value::integer(1));
}

Status Cache::dropTagIndex() {
    Impl& d = *m_impl;
    DISKCACHE_TRY(d.requireWritable());
    std::lock_guard lock(d.m_mutex);
    DISKCACHE_TRY(d.m_db->exec("DROP INDEX IF EXISTS Cache_tag_rowid"));
    return reset("tag_index", Value::integer(0));
}

Status Cache::reset(const std::string& name, const Value& value) {
    Impl& d = *m_impl;
    DISKCACHE_TRY(d.requireWritable());
    if (name == "eviction_policy" && !parseEvictionPolicy(value.data()))
        return Status::invalidArgument("unknown eviction policy: " + value.data());
    std::lock_guard lock(d.m_mutex);
    auto q = d.m_db->prepare("UPDATE Settings SET value = ? WHERE key = ?");
    if (!q) return q.status();
    q->bind(1, value).bindText(2, name);
    DISKCACHE_TRY(q->run());
    if (d.m_db->changes() == 0 && !isMetadataSetting(name)) {
        auto insert = d.m_db->prepare("INSERT OR REPLACE INTO Settings VALUES (?, ?)");
        if (!insert) return insert.status();
        insert->bindText(1, name).bind(2, value);
        DISKCACHE_TRY(insert->run());
    }
    if (name.rfind("sqlite_", 0) == 0) DISKCACHE_TRY(d.applyPragma(name, value));
    auto rows = d.readSettingRows();
    if (!rows) return rows.status();
    d.m_settings = settingsFromRows(*rows);
    if (name == "eviction_policy") {
        // The library creates a policy's index only when a cache opens; do it
        // now so culling by the new policy is not a full scan meanwhile.
        if (const char* index = policyIndexSql(d.m_settings.evictionPolicy)) DISKCACHE_TRY(d.m_db->exec(index));
    }
    return Status::ok();
}

Result<std::vector<SettingRow>> Cache::settingRows() {
    std::lock_guard lock(m_impl->m_mutex);
    return m_impl->readSettingRows();
}

Status Cache::transact(const std::function<Status()>& body) {
    Impl& d = *m_impl;
    DISKCACHE_TRY(d.requireWritable());
    std::lock_guard lock(d.m_mutex);
    Transaction txn(d);
    DISKCACHE_TRY(txn.begin());
    DISKCACHE_TRY(body());
    return txn.commit();
}

}  // namespace diskcache
