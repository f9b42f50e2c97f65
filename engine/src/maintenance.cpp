// Cache: expire, evict, clear and cull, in short batched transactions as the
// library runs them (FORMAT.md, "Maintenance"), so that concurrent writers
// get turns in between and a stop leaves every batch whole.
#include "cache_impl.h"

namespace diskcache {

namespace {

struct Victim {
    std::int64_t rowid;
    Value order;  // the column the batch is ordered by, to continue after it
    std::optional<std::string> filename;
};

// One batch: select up to `limit` rows with `select` (columns: rowid, order
// column, filename), delete them, commit, then remove their files.
Result<std::vector<Victim>> deleteBatch(Cache::Impl& d, const char* select,
                                        const std::function<void(sql::Query&)>& bindArgs) {
    std::lock_guard lock(d.m_mutex);
    Transaction txn(d);
    DISKCACHE_TRY(txn.begin());
    std::vector<Victim> victims;
    {
        auto q = d.m_db->cached(select);
        if (!q) return q.status();
        bindArgs(*q);
        for (auto row = q->step(); ; row = q->step()) {
            if (!row) return row.status();
            if (!*row) break;
            victims.push_back({q->columnInt(0), q->columnValue(1), optionalText(*q, 2)});
        }
    }
    for (const auto& victim : victims) {
        DISKCACHE_TRY(d.deleteRow(victim.rowid));
        txn.removeAfterCommit(victim.filename);
    }
    DISKCACHE_TRY(txn.commit());
    return victims;
}

// Repeats batches until one comes back empty, the caller stops, or `more`
// says the goal is reached.
Result<Removal> deleteInBatches(Cache::Impl& d, const char* select, Value cursor,
                                const std::function<void(sql::Query&, const Value&)>& bindArgs,
                                const ProgressFn& progress, const std::function<Result<bool>()>& more = {}) {
    Removal removal;
    while (true) {
        if (more) {
            auto goOn = more();
            if (!goOn) return goOn.status();
            if (!*goOn) return removal;
        }
        auto batch = deleteBatch(d, select, [&](sql::Query& q) { bindArgs(q, cursor); });
        if (!batch) {
            if (batch.status().code() == StatusCode::Timeout)
                return Status::timeout(batch.status().message() + " (after removing " + std::to_string(removal.removed) + " rows)");
            return batch.status();
        }
        if (batch->empty()) return removal;
        removal.removed += static_cast<std::int64_t>(batch->size());
        cursor = batch->back().order;
        if (progress && !progress(removal.removed)) {
            removal.cancelled = true;
            return removal;
        }
    }
}

const char* cullSelect(EvictionPolicy policy) {
    switch (policy) {
    case EvictionPolicy::LeastRecentlyStored: return "SELECT rowid, store_time, filename FROM Cache ORDER BY store_time LIMIT 10";
    case EvictionPolicy::LeastRecentlyUsed: return "SELECT rowid, access_time, filename FROM Cache ORDER BY access_time LIMIT 10";
    case EvictionPolicy::LeastFrequentlyUsed: return "SELECT rowid, access_count, filename FROM Cache ORDER BY access_count LIMIT 10";
    case EvictionPolicy::None: return nullptr;
    }
    return nullptr;
}

}  // namespace

Result<Removal> Cache::expire(std::optional<double> now, const ProgressFn& progress) {
    DISKCACHE_TRY(m_impl->requireWritable());
    const double cutoff = now.value_or(unixNow());
    return deleteInBatches(
        *m_impl,
        "SELECT rowid, expire_time, filename FROM Cache WHERE ? < expire_time AND expire_time < ?"
        " ORDER BY expire_time LIMIT 100",
        Value::real(0), [cutoff](sql::Query& q, const Value& after) { q.bind(1, after).bindDouble(2, cutoff); },
        progress);
}

Result<Removal> Cache::evict(const Value& tag, const ProgressFn& progress) {
    DISKCACHE_TRY(m_impl->requireWritable());
    return deleteInBatches(
        *m_impl, "SELECT rowid, rowid, filename FROM Cache WHERE tag = ? AND rowid > ? ORDER BY rowid LIMIT 100",
        Value::integer(0), [&tag](sql::Query& q, const Value& after) { q.bind(1, tag).bind(2, after); }, progress);
}

Result<Removal> Cache::clear(const ProgressFn& progress) {
    DISKCACHE_TRY(m_impl->requireWritable());
    return deleteInBatches(*m_impl, "SELECT rowid, rowid, filename FROM Cache WHERE rowid > ? ORDER BY rowid LIMIT 100",
                           Value::integer(0), [](sql::Query& q, const Value& after) { q.bind(1, after); }, progress);
}

Result<Removal> Cache::cull(const ProgressFn& progress) {
    Impl& d = *m_impl;
    DISKCACHE_TRY(d.requireWritable());
    auto expired = expire(unixNow(), progress);
    if (!expired || expired->cancelled) return expired;
    const char* select = cullSelect(settings().evictionPolicy);
    if (!select) return expired;  // the library returns 0 here; we count what expire removed
    const std::int64_t limit = settings().sizeLimit;
    const std::int64_t already = expired->removed;
    auto overLimit = [this, limit]() -> Result<bool> {
        auto vol = volume();
        if (!vol) return vol.status();
        return *vol > limit;
    };
    auto culled = deleteInBatches(
        d, select, Value::none(), [](sql::Query&, const Value&) {},
        [&](std::int64_t done) { return !progress || progress(already + done); }, overLimit);
    if (!culled) return culled;
    culled->removed += already;
    return culled;
}

}  // namespace diskcache
