// Inspector::statistics() and space(): one pass over every row of every
// source, folded into the bounded figures of statistics.h. Memory is the
// options' top-N lists plus one entry per distinct tag and memoized
// function, each capped (kMaxGroups) so a store of a million distinct tags
// cannot grow it without bound.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <queue>
#include <unordered_map>

#include "diskcache/pickle.h"
#include "inspector_impl.h"

namespace diskcache {

namespace {

using inspect_detail::Source;

// Distinct tags (and functions) tracked one by one; later ones are summed.
constexpr std::size_t kMaxGroups = 100'000;

std::size_t expiryBucketOf(const Entry& e, double now) {
    using B = ExpiryBucket;
    if (!e.expireTime) return static_cast<std::size_t>(B::Never);
    const double left = *e.expireTime - now;
    if (left <= 0) return static_cast<std::size_t>(B::Expired);
    if (left < 3600) return static_cast<std::size_t>(B::Hour);
    if (left < 86400) return static_cast<std::size_t>(B::Day);
    if (left < 7 * 86400) return static_cast<std::size_t>(B::Week);
    if (left < 30 * 86400) return static_cast<std::size_t>(B::Month);
    return static_cast<std::size_t>(B::Later);
}

std::size_t ageBucketOf(const Entry& e, double now) {
    using B = AgeBucket;
    if (!e.storeTime) return static_cast<std::size_t>(B::Unknown);
    const double age = now - *e.storeTime;
    if (age < 3600) return static_cast<std::size_t>(B::Hour);
    if (age < 86400) return static_cast<std::size_t>(B::Day);
    if (age < 7 * 86400) return static_cast<std::size_t>(B::Week);
    if (age < 30 * 86400) return static_cast<std::size_t>(B::Month);
    if (age < 365 * 86400) return static_cast<std::size_t>(B::Year);
    return static_cast<std::size_t>(B::Older);
}

std::size_t accessBucketOf(const Entry& e) {
    using B = AccessBucket;
    if (!e.accessCount) return static_cast<std::size_t>(B::Unknown);
    const std::int64_t n = *e.accessCount;
    if (n <= 0) return static_cast<std::size_t>(B::Zero);
    if (n == 1) return static_cast<std::size_t>(B::One);
    if (n < 10) return static_cast<std::size_t>(B::Few);
    if (n < 100) return static_cast<std::size_t>(B::Tens);
    if (n < 1000) return static_cast<std::size_t>(B::Hundreds);
    return static_cast<std::size_t>(B::Thousands);
}

// What a value occupies: its file's length (the size column) or its bytes
// in the database.
std::int64_t storedLengthOf(const Entry& e) { return e.filename ? e.size : std::max<std::int64_t>(e.storedLength, 0); }

// A map key that tells tags of different kinds apart (1 and "1" and b"1").
std::string tagKey(const Value& tag) {
    std::string key(1, static_cast<char>(tag.kind()));
    switch (tag.kind()) {
    case ValueKind::Int: return key + std::to_string(tag.asInt());
    case ValueKind::Float: {
        const double f = tag.asFloat();
        return key.append(reinterpret_cast<const char*>(&f), sizeof f);
    }
    default: return key + tag.data();
    }
}

// Keeps the `limit` greatest items under `less`, without holding more.
template <typename T, typename Less>
class TopN {
public:
    TopN(std::size_t limit, Less less) : m_limit(limit), m_less(less), m_heap(Greater{less}) {}
    void offer(const T& item) {
        if (m_limit == 0) return;
        if (m_heap.size() < m_limit) return m_heap.push(item);
        if (m_less(m_heap.top(), item)) {  // the smallest kept is smaller than the newcomer
            m_heap.pop();
            m_heap.push(item);
        }
    }
    // Greatest first.
    std::vector<T> take() {
        std::vector<T> out;
        while (!m_heap.empty()) {
            out.push_back(m_heap.top());
            m_heap.pop();
        }
        std::reverse(out.begin(), out.end());
        return out;
    }

private:
    struct Greater {
        Less less;
        bool operator()(const T& a, const T& b) const { return less(b, a); }
    };
    std::size_t m_limit;
    Less m_less;
    std::priority_queue<T, std::vector<T>, Greater> m_heap;
};

// Orders (rank, entry) pairs by rank, then by rowid and shard so that ties
// come out the same every time.
struct RankedEntry {
    std::pair<double, double> first;  // rank: larger is "more"
    Entry entry;
};
struct RankLess {
    bool operator()(const RankedEntry& a, const RankedEntry& b) const {
        if (a.first != b.first) return a.first < b.first;
        if (a.entry.rowid != b.entry.rowid) return a.entry.rowid > b.entry.rowid;
        return a.entry.shard.value_or("") > b.entry.shard.value_or("");
    }
};

// The `keep` groups with the most entries (then bytes), most first; the
// rest are summed into `other`. Empties `groups`.
template <typename Group, typename CountOf>
std::vector<Group> takeTop(std::unordered_map<std::string, Group>& groups, std::size_t keep, Group& other, CountOf countOf) {
    std::vector<Group> all;
    all.reserve(groups.size());
    for (auto& [key, group] : groups) all.push_back(std::move(group));
    groups.clear();
    std::sort(all.begin(), all.end(), [&](const Group& a, const Group& b) {
        if (countOf(a) != countOf(b)) return countOf(a) > countOf(b);
        return a.bytes > b.bytes;
    });
    for (std::size_t i = keep; i < all.size(); ++i) {
        other.count += all[i].count;
        other.bytes += all[i].bytes;
    }
    if (all.size() > keep) all.resize(keep);
    return all;
}

// The keys memoize() made, grouped by function name: statistics() and
// memoizedFunctions() count them the same way.
class FunctionTally {
public:
    void add(const Entry& e) {
        if (e.key.kind() != ValueKind::Pickle) return;
        auto name = inspect::memoizedFunction(e.key.data());
        if (!name) return;
        const std::int64_t length = storedLengthOf(e);
        auto it = m_groups.find(*name);
        if (it == m_groups.end()) {
            if (m_groups.size() >= kMaxGroups) {
                ++m_overflow.count;
                m_overflow.bytes += length;
                return;
            }
            it = m_groups.emplace(*name, FunctionGroup{*name, 0, 0, std::nullopt, std::nullopt}).first;
        }
        FunctionGroup& group = it->second;
        ++group.count;
        group.bytes += length;
        if (e.storeTime) {
            group.oldest = std::min(group.oldest.value_or(*e.storeTime), *e.storeTime);
            group.newest = std::max(group.newest.value_or(*e.storeTime), *e.storeTime);
        }
    }
    // The `keep` largest groups; the rest, and those past kMaxGroups, summed into `other`.
    std::vector<FunctionGroup> take(std::size_t keep, FunctionGroup& other) {
        other.count += m_overflow.count;
        other.bytes += m_overflow.bytes;
        m_overflow = {};
        return takeTop(m_groups, keep, other, [](const FunctionGroup& f) { return f.count; });
    }

private:
    std::unordered_map<std::string, FunctionGroup> m_groups;
    FunctionGroup m_overflow;
};

class Collector {
public:
    Collector(const StatisticsOptions& options, double now)
        : m_options(options), m_now(now), m_largest(options.largest, RankLess{}), m_cull(options.nextToCull, RankLess{}) {}

    void add(const Entry& e, std::string_view pickleHead, const char* cullColumn) {
        Statistics& s = m_stats;
        ++s.scanned;
        const std::int64_t length = storedLengthOf(e);
        if (e.filename) {
            ++s.inFile;
            s.bytesInFile += e.size;
        } else {
            ++s.inDatabase;
            s.bytesInDatabase += length;
        }
        if (e.expired) {
            ++s.expired;
            s.expiredBytes += length;
        }
        const std::size_t bucket = sizeBucketOf(length);
        ++s.sizeCounts[bucket];
        s.sizeBytes[bucket] += length;
        ++s.expiry[expiryBucketOf(e, m_now)];
        ++s.age[ageBucketOf(e, m_now)];
        ++s.accessCounts[accessBucketOf(e)];
        s.largestLength = std::max(s.largestLength, length);
        if (!e.tag.isNone()) {
            ++s.tagged;
            addTag(e.tag, length);
        }
        if (e.key.kind() == ValueKind::Pickle) ++s.keyProtocols[py::pickleProtocol(e.key.data())];
        m_functions.add(e);
        if (e.mode == StoreMode::Pickle && !pickleHead.empty()) ++s.valueProtocols[py::pickleProtocol(pickleHead)];
        else if (e.mode == StoreMode::Pickle) ++s.valueProtocols[-1];
        m_largest.offer({{static_cast<double>(length), 0}, e});
        offerCull(e, cullColumn);
    }

    Statistics finish() {
        Statistics& s = m_stats;
        s.tags = takeTop(m_tags, m_options.tags, s.otherTags, [](const TagUsage& t) { return t.count; });
        s.functions = m_functions.take(m_options.functions, s.otherFunctions);
        for (auto& ranked : m_largest.take()) s.largest.push_back(std::move(ranked.entry));
        // The heap keeps the greatest "priority"; cull order is the reverse.
        for (auto& ranked : m_cull.take()) s.nextToCull.push_back(std::move(ranked.entry));
        return std::move(m_stats);
    }

private:
    void addTag(const Value& tag, std::int64_t length) {
        auto it = m_tags.find(tagKey(tag));
        if (it == m_tags.end()) {
            if (m_tags.size() >= kMaxGroups) {
                ++m_stats.otherTags.count;
                m_stats.otherTags.bytes += length;
                return;
            }
            it = m_tags.emplace(tagKey(tag), TagUsage{tag, 0, 0}).first;
        }
        ++it->second.count;
        it->second.bytes += length;
    }

    // cull() removes expired rows first (by expire_time), then rows in the
    // order of its policy's column, smallest (NULL) first. The heap keeps the
    // greatest ranks, so ranks are negated: the first victim ranks highest.
    void offerCull(const Entry& e, const char* column) {
        if (e.expired) return m_cull.offer({{1.0, -*e.expireTime}, e});
        if (!column) return;
        std::optional<double> key;
        const std::string_view name(column);
        if (name == "store_time") key = e.storeTime;
        else if (name == "access_time") key = e.accessTime;
        else if (e.accessCount) key = static_cast<double>(*e.accessCount);
        // NULL sorts first in SQLite's ascending order.
        m_cull.offer({{0.0, key ? -*key : INFINITY}, e});
    }

    const StatisticsOptions& m_options;
    double m_now;
    Statistics m_stats;
    std::unordered_map<std::string, TagUsage> m_tags;
    FunctionTally m_functions;
    TopN<RankedEntry, RankLess> m_largest;
    TopN<RankedEntry, RankLess> m_cull;
};

double nowSeconds() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

namespace inspect_detail {

Status Source::scanMemoizedKeys(double now, const RowVisitor& visit) {
    return scan(now, [&](const Entry& entry, std::string_view) {
        return entry.key.kind() != ValueKind::Pickle || !inspect::memoizedFunction(entry.key.data()) || visit(entry, {});
    });
}

}  // namespace inspect_detail

std::size_t sizeBucketOf(std::int64_t length) {
    if (length < 64) return 0;
    const auto bits = static_cast<std::size_t>(std::log2(static_cast<double>(length)));  // 6 for 64..127
    return std::min(bits - 5, kSizeBuckets - 1);
}

Result<Statistics> Inspector::statistics(const StatisticsOptions& options, const ProgressFn& progress) {
    Impl& d = *m_impl;
    if (d.sources.empty()) return Status::invalidArgument(d.collectionMessage());
    const double now = options.now.value_or(nowSeconds());
    Collector collector(options, now);
    std::int64_t seen = 0;
    for (auto& source : d.sources) {
        const char* column = source->cullColumn();
        DISKCACHE_TRY(source->scan(now, [&](const Entry& entry, std::string_view head) {
            collector.add(entry, head, column);
            return ++seen % 5000 != 0 || !progress || progress(seen);
        }));
    }
    return collector.finish();
}

Result<std::vector<FunctionGroup>> Inspector::memoizedFunctions(std::size_t keep, const ProgressFn& progress) {
    Impl& d = *m_impl;
    if (d.sources.empty()) return Status::invalidArgument(d.collectionMessage());
    const double now = nowSeconds();
    FunctionTally tally;
    std::int64_t seen = 0;
    for (auto& source : d.sources) {
        DISKCACHE_TRY(source->scanMemoizedKeys(now, [&](const Entry& entry, std::string_view) {
            tally.add(entry);
            return ++seen % 5000 != 0 || !progress || progress(seen);
        }));
    }
    FunctionGroup other;
    return tally.take(keep, other);
}

Result<SpaceLedger> Inspector::space(const ProgressFn& progress) {
    Impl& d = *m_impl;
    if (d.sources.empty()) return Status::invalidArgument(d.collectionMessage());
    SpaceLedger total;
    for (auto& source : d.sources) {
        auto ledger = source->space(progress);
        if (!ledger) return ledger.status();
        total.databaseBytes += ledger->databaseBytes;
        total.walBytes += ledger->walBytes;
        total.shmBytes += ledger->shmBytes;
        total.valueFiles += ledger->valueFiles;
        total.valueFileBytes += ledger->valueFileBytes;
        total.missingFiles += ledger->missingFiles;
        total.orphanFiles += ledger->orphanFiles;
        total.orphanBytes += ledger->orphanBytes;
        total.emptyDirectories += ledger->emptyDirectories;
        total.recordedSize += ledger->recordedSize;
        total.rowSizeTotal += ledger->rowSizeTotal;
        for (auto& path : ledger->orphanExamples)
            if (total.orphanExamples.size() < 20) total.orphanExamples.push_back(std::move(path));
    }
    return total;
}

std::optional<int> Inspector::jsonDiskCompressLevel() const {
    if (m_impl->sources.empty()) return std::nullopt;
    return m_impl->sources.front()->jsonDiskLevel();
}

}  // namespace diskcache
