// Inspector: opens what inspect::detect finds and merges its sources' pages
// (k-way, by SortKey then shard) into one keyset-paged listing.
#include <algorithm>
#include <chrono>

#include "inspector_impl.h"
#include "../saturating.h"
#include "source.h"

namespace fs = std::filesystem;

namespace diskcache {

using namespace inspect_detail;

const char* storeKindName(StoreKind kind) {
    switch (kind) {
    case StoreKind::Cache: return "cache";
    case StoreKind::Fanout: return "fanout";
    case StoreKind::Deque: return "deque";
    case StoreKind::Index: return "index";
    case StoreKind::DjangoFile: return "django-file";
    case StoreKind::Collection: return "collection";
    }
    return "cache";
}

const char* sortColumnName(SortColumn column) {
    switch (column) {
    case SortColumn::Key: return "key";
    case SortColumn::Size: return "size";
    case SortColumn::StoreTime: return "store_time";
    case SortColumn::AccessTime: return "access_time";
    case SortColumn::ExpireTime: return "expire_time";
    case SortColumn::AccessCount: return "access_count";
    case SortColumn::Tag: return "tag";
    case SortColumn::StoredSize: return "stored_size";
    }
    return "key";
}

std::optional<SortColumn> parseSortColumn(std::string_view name) {
    for (auto column : {SortColumn::Key, SortColumn::Size, SortColumn::StoreTime, SortColumn::AccessTime,
                        SortColumn::ExpireTime, SortColumn::AccessCount, SortColumn::Tag, SortColumn::StoredSize}) {
        if (name == sortColumnName(column)) return column;
    }
    return std::nullopt;
}

namespace {

double nowSeconds() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

struct MergedRow {
    SourceRow row;
    int shard;
};

}  // namespace

Inspector::Inspector(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Inspector::~Inspector() = default;

StoreKind Inspector::kind() const { return m_impl->kind; }
const fs::path& Inspector::directory() const { return m_impl->directory; }
const std::vector<ChildStore>& Inspector::children() const { return m_impl->children; }
std::vector<fs::path> Inspector::cacheDirectories() const { return m_impl->cacheDirectories; }
int Inspector::pickleProtocol() const { return m_impl->sources.empty() ? 5 : m_impl->sources.front()->pickleProtocol(); }

Result<Page> Inspector::list(const PageRequest& request) {
    Impl& d = *m_impl;
    if (d.sources.empty()) return Status::invalidArgument(d.collectionMessage());
    const std::size_t limit = std::max<std::size_t>(1, request.limit);
    const double now = request.now.value_or(nowSeconds());
    std::optional<Position> cursor;
    if (!request.after.empty()) {
        auto decoded = decodeCursor(request.after, request.sort, request.descending);
        if (!decoded) return decoded.status();
        cursor = *decoded;
    }
    std::vector<MergedRow> merged;
    Page page;
    for (std::size_t i = 0; i < d.sources.size(); ++i) {
        const int shard = static_cast<int>(i);
        FetchRequest fetch{request.sort, request.descending, &request.filter, now, std::nullopt, false, limit + 1};
        if (cursor) {
            fetch.after = cursor->key;
            // Equal sort keys order by shard: a later shard's equal row
            // comes after the cursor (an earlier one's, when descending).
            fetch.inclusive = request.descending ? shard < cursor->shard : shard > cursor->shard;
        }
        auto rows = d.sources[i]->fetch(fetch);
        if (!rows) return rows.status();
        for (auto& row : *rows) merged.push_back({std::move(row), shard});
        auto total = d.sources[i]->count(request.filter, now);
        if (!total) return total.status();
        page.total += *total;
    }
    std::sort(merged.begin(), merged.end(), [&](const MergedRow& a, const MergedRow& b) {
        const int c = compareSortKeys(a.row.key, b.row.key, request.descending);
        if (c != 0) return c < 0;
        return request.descending ? a.shard > b.shard : a.shard < b.shard;
    });
    const bool more = merged.size() > limit;
    if (more) merged.resize(limit);
    for (auto& m : merged) {
        d.sources[static_cast<std::size_t>(m.shard)]->describe(m.row.entry);
        page.entries.push_back(std::move(m.row.entry));
    }
    if (more) page.next = encodeCursor(request.sort, request.descending, {merged.back().row.key, merged.back().shard});
    return page;
}

Result<std::int64_t> Inspector::count(const EntryFilter& filter, std::optional<double> now) {
    if (m_impl->sources.empty()) return Status::invalidArgument(m_impl->collectionMessage());
    std::int64_t total = 0;
    for (auto& source : m_impl->sources) {
        auto n = source->count(filter, now.value_or(nowSeconds()));
        if (!n) return n.status();
        total += *n;
    }
    return total;
}

Result<std::optional<Entry>> Inspector::find(const Value& key) {
    Impl& d = *m_impl;
    if (d.sources.empty()) return Status::invalidArgument(d.collectionMessage());
    if (!d.fanout) return d.sources.front()->find(key);
    const int shard = fanoutShard(key, static_cast<int>(d.sources.size()));
    return d.sources[static_cast<std::size_t>(shard)]->find(key);
}

Result<Value> Inspector::readValue(const Entry& entry) {
    auto source = m_impl->sourceOf(entry);
    if (!source) return source.status();
    return (*source)->readValue(entry);
}

Result<std::string> Inspector::readStoredBytes(const Entry& entry) {
    auto source = m_impl->sourceOf(entry);
    if (!source) return source.status();
    return (*source)->readStoredBytes(entry);
}

Result<std::int64_t> Inspector::estimateCull() {
    if (m_impl->sources.empty()) return Status::invalidArgument(m_impl->collectionMessage());
    std::int64_t total = 0;
    for (auto& source : m_impl->sources) {
        auto n = source->estimateCull();
        if (!n) return n.status();
        total += *n;
    }
    return total;
}

Result<Summary> Inspector::summary() {
    Impl& d = *m_impl;
    Summary total;
    total.kind = d.kind;
    total.directory = d.directory;
    total.children = d.children;
    if (d.kind == StoreKind::Collection) {
        // A collection adds up its stores' counters.
        for (const auto& child : d.children) {
            auto inspector = inspect::open(child.path);
            if (!inspector) continue;
            auto s = (*inspector)->summary();
            if (!s) continue;
            total.count = saturatingAdd(total.count, s->count);
            total.size = saturatingAdd(total.size, s->size);
            total.volume = saturatingAdd(total.volume, s->volume);
            total.hits = saturatingAdd(total.hits, s->hits);
            total.misses = saturatingAdd(total.misses, s->misses);
        }
        return total;
    }
    for (std::size_t i = 0; i < d.sources.size(); ++i) {
        auto s = d.sources[i]->summary();
        if (!s) return s.status();
        total.count = saturatingAdd(total.count, s->count);
        total.size = saturatingAdd(total.size, s->size);
        total.volume = saturatingAdd(total.volume, s->volume);
        total.hits = saturatingAdd(total.hits, s->hits);
        total.misses = saturatingAdd(total.misses, s->misses);
        if (i == 0) total.settings = s->settings;  // a fanout reports its first shard's, as Python does
        if (d.fanout) total.shards.push_back({d.cacheDirectories[i].filename().string(), s->count, s->size, s->volume});
    }
    return total;
}

namespace inspect {

Result<StoreKind> detect(const fs::path& directory) { return detectKind(directory); }

Result<std::unique_ptr<Inspector>> open(const fs::path& directory) {
    auto kind = detectKind(directory);
    if (!kind) return kind.status();
    auto impl = std::make_unique<Inspector::Impl>();
    impl->kind = *kind;
    impl->directory = directory;
    switch (*kind) {
    case StoreKind::Cache:
    case StoreKind::Deque:
    case StoreKind::Index: {
        auto source = openCacheSource(directory, std::nullopt);
        if (!source) return source.status();
        impl->sources.push_back(std::move(*source));
        impl->cacheDirectories.push_back(directory);
        break;
    }
    case StoreKind::Fanout: {
        impl->fanout = true;
        for (const auto& name : findShards(directory)) {
            auto source = openCacheSource(directory / name, name);
            if (!source) return source.status();
            impl->sources.push_back(std::move(*source));
            impl->cacheDirectories.push_back(directory / name);
        }
        impl->children = findFanoutChildren(directory);
        break;
    }
    case StoreKind::DjangoFile: {
        auto source = openDjangoSource(directory);
        if (!source) return source.status();
        impl->sources.push_back(std::move(*source));
        break;
    }
    case StoreKind::Collection: impl->children = findCollectionChildren(directory); break;
    }
    return std::make_unique<Inspector>(std::move(impl));
}

}  // namespace inspect

}  // namespace diskcache
