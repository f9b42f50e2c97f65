// Inspector::seek, setCancelCheck and changeToken: what a lazy view needs to
// jump into the middle of a listing, to stop a query that is no longer
// wanted, and to notice that another process changed the cache.
#include <algorithm>
#include <chrono>

#include "inspector_impl.h"

namespace diskcache {

using namespace inspect_detail;

namespace {

double nowSeconds() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

// One shard's sort keys in order, fetched a block at a time.
struct ShardKeys {
    std::vector<SortKey> block;
    std::size_t next = 0;
    bool exhausted = false;
};

constexpr std::size_t kKeyBlock = 2048;

// Fills a shard's block when it has been used up; the first block starts
// at the cursor (see Inspector::list for the shard tie rule).
Status refill(Source& source, ShardKeys& keys, FetchRequest fetch) {
    if (keys.next < keys.block.size() || keys.exhausted) return Status::ok();
    if (!keys.block.empty()) {
        fetch.after = keys.block.back();
        fetch.inclusive = false;
    }
    fetch.limit = kKeyBlock;
    auto block = source.keys(fetch);
    if (!block) return block.status();
    keys.exhausted = block->size() < kKeyBlock;
    keys.block = std::move(*block);
    keys.next = 0;
    return Status::ok();
}

}  // namespace

// Default Source helpers: whole rows, for sources that are small (Django).
Result<std::vector<SortKey>> Source::keys(const FetchRequest& request) {
    auto rows = fetch(request);
    if (!rows) return rows.status();
    std::vector<SortKey> out;
    out.reserve(rows->size());
    for (auto& row : *rows) out.push_back(std::move(row.key));
    return out;
}

Result<Source::Skip> Source::skip(const FetchRequest& request, std::int64_t n) {
    FetchRequest all = request;
    all.limit = static_cast<std::size_t>(n);
    auto found = keys(all);
    if (!found) return found.status();
    Skip result;
    result.available = static_cast<std::int64_t>(found->size());
    if (result.available == n) result.key = found->back();
    return result;
}

Result<std::string> Inspector::seek(const PageRequest& request, std::int64_t rows) {
    Impl& d = *m_impl;
    if (d.sources.empty()) return Status::invalidArgument(d.collectionMessage());
    if (rows < 0) return Status::invalidArgument("seek: rows must not be negative");
    if (rows == 0) return request.after;
    std::optional<Position> cursor;
    if (!request.after.empty()) {
        auto decoded = decodeCursor(request.after, request.sort, request.descending);
        if (!decoded) return decoded.status();
        cursor = *decoded;
    }
    const double now = request.now.value_or(nowSeconds());
    auto fetchFor = [&](int shard) {
        FetchRequest fetch{request.sort, request.descending, &request.filter, now, std::nullopt, false, 0};
        if (cursor) {
            fetch.after = cursor->key;
            fetch.inclusive = request.descending ? shard < cursor->shard : shard > cursor->shard;
        }
        return fetch;
    };
    const Status pastEnd = Status::notFound("fewer rows than asked for after the cursor");
    if (d.sources.size() == 1) {
        auto skipped = d.sources.front()->skip(fetchFor(0), rows);
        if (!skipped) return skipped.status();
        if (!skipped->key) return pastEnd;
        return encodeCursor(request.sort, request.descending, {*skipped->key, 0});
    }
    // Shards: merge their sort keys (by key, then shard) and count.
    std::vector<ShardKeys> shards(d.sources.size());
    Position last;
    for (std::int64_t taken = 0; taken < rows; ++taken) {
        int best = -1;
        for (std::size_t i = 0; i < shards.size(); ++i) {
            DISKCACHE_TRY(refill(*d.sources[i], shards[i], fetchFor(static_cast<int>(i))));
            if (shards[i].next >= shards[i].block.size()) continue;
            if (best < 0) {
                best = static_cast<int>(i);
                continue;
            }
            const SortKey& a = shards[i].block[shards[i].next];
            const SortKey& b = shards[static_cast<std::size_t>(best)].block[shards[static_cast<std::size_t>(best)].next];
            const int c = compareSortKeys(a, b, request.descending);
            if (c < 0 || (c == 0 && request.descending)) best = static_cast<int>(i);  // equal: the later shard first when descending
        }
        if (best < 0) return pastEnd;
        auto& chosen = shards[static_cast<std::size_t>(best)];
        last = {chosen.block[chosen.next++], best};
        if ((taken & 0xFFF) == 0 && d.cancelCheck && d.cancelCheck()) return Status::cancelled();
    }
    return encodeCursor(request.sort, request.descending, last);
}

void Inspector::setCancelCheck(std::function<bool()> check) {
    m_impl->cancelCheck = std::move(check);
    for (auto& source : m_impl->sources) source->setCancelCheck(&m_impl->cancelCheck);
}

Result<std::uint64_t> Inspector::changeToken() {
    // FNV-1a over every source's token, in shard order.
    std::uint64_t token = 1469598103934665603ULL;
    for (auto& source : m_impl->sources) {
        auto part = source->changeToken();
        if (!part) return part.status();
        for (int i = 0; i < 8; ++i) {
            token ^= (*part >> (8 * i)) & 0xFF;
            token *= 1099511628211ULL;
        }
    }
    return token;
}

}  // namespace diskcache
