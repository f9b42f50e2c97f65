#include "diskcache/fanout.h"

#include "diskcache/deque.h"
#include "diskcache/index.h"

#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <system_error>

namespace fs = std::filesystem;

namespace diskcache {

namespace {

std::uint32_t adler32Of(std::string_view bytes) {
    uLong sum = adler32(0L, Z_NULL, 0);
    // zlib takes uInt lengths: feed long keys in pieces.
    while (!bytes.empty()) {
        const auto piece = static_cast<uInt>(std::min<std::size_t>(bytes.size(), 1u << 30));
        sum = adler32(sum, reinterpret_cast<const Bytef*>(bytes.data()), piece);
        bytes.remove_prefix(piece);
    }
    return static_cast<std::uint32_t>(sum & 0xFFFFFFFFu);
}

}  // namespace

std::uint32_t portableHash(const Value& key) {
    switch (key.kind()) {
    case ValueKind::Int: {
        // Python's modulo: the result takes the divisor's sign, never negative.
        constexpr std::int64_t mask = 0xFFFFFFFF;
        std::int64_t rest = key.asInt() % mask;
        if (rest < 0) rest += mask;
        return static_cast<std::uint32_t>(rest);
    }
    case ValueKind::Float: {
        std::uint64_t bits = 0;
        const double value = key.asFloat();
        std::memcpy(&bits, &value, sizeof bits);
        char bigEndian[8];
        for (int i = 0; i < 8; ++i) bigEndian[i] = static_cast<char>((bits >> (56 - 8 * i)) & 0xFF);
        return adler32Of(std::string_view(bigEndian, 8));
    }
    default: return adler32Of(key.data());  // text (UTF-8), bytes and pickles alike
    }
}

std::string shardName(int index) {
    char name[16];
    std::snprintf(name, sizeof name, "%03d", index);
    return name;
}

Result<std::unique_ptr<FanoutCache>> FanoutCache::open(const fs::path& directory, const FanoutOptions& options) {
    std::error_code ec;
    int existing = 0;
    while (fs::is_regular_file(directory / shardName(existing) / "cache.db", ec)) ++existing;
    if (existing == 0 && options.readOnly)
        return Status::notFound("not a FanoutCache directory (no 000/cache.db): " + directory.string());
    if (existing == 0 && options.shards < 1) return Status::invalidArgument("a FanoutCache needs at least one shard");
    const int count = existing > 0 ? existing : options.shards;

    OpenOptions shardOptions{.readOnly = options.readOnly, .timeout = options.timeout};
    if (existing == 0) {
        // Like Python: the total size_limit divided (true division) per shard.
        double total = double(Settings().sizeLimit);
        for (const auto& [name, value] : options.settings) {
            if (name == "size_limit") total = value.kind() == ValueKind::Float ? value.asFloat() : double(value.asInt());
            else shardOptions.settings.emplace_back(name, value);
        }
        shardOptions.settings.emplace_back("size_limit", Value::real(total / count));
    }
    std::vector<std::unique_ptr<Cache>> shards;
    for (int i = 0; i < count; ++i) {
        auto shard = Cache::open(directory / shardName(i), shardOptions);
        if (!shard) return Status(shard.status().code(), "shard " + shardName(i) + ": " + shard.status().message());
        shards.push_back(std::move(*shard));
    }
    return std::unique_ptr<FanoutCache>(new FanoutCache(directory, std::move(shards), options.readOnly));
}

Cache& FanoutCache::shardFor(const Value& key) {
    return *m_shards[portableHash(key) % m_shards.size()];
}

Status FanoutCache::set(const Value& key, const Value& value, const StoreOptions& options) {
    return shardFor(key).set(key, value, options);
}
Result<bool> FanoutCache::add(const Value& key, const Value& value, const StoreOptions& options) {
    return shardFor(key).add(key, value, options);
}
Result<std::optional<Item>> FanoutCache::get(const Value& key, const GetOptions& options) {
    return shardFor(key).get(key, options);
}
Result<bool> FanoutCache::contains(const Value& key) { return shardFor(key).contains(key); }
Result<bool> FanoutCache::touch(const Value& key, std::optional<double> expire) { return shardFor(key).touch(key, expire); }
Result<bool> FanoutCache::remove(const Value& key) { return shardFor(key).remove(key); }
Result<std::optional<Item>> FanoutCache::pop(const Value& key) { return shardFor(key).pop(key); }
Result<std::int64_t> FanoutCache::incr(const Value& key, std::int64_t delta, std::optional<std::int64_t> initial) {
    return shardFor(key).incr(key, delta, initial);
}

Result<std::int64_t> FanoutCache::count() {
    std::int64_t total = 0;
    for (auto& shard : m_shards) {
        auto n = shard->count();
        if (!n) return n;
        total += *n;
    }
    return total;
}

Result<std::int64_t> FanoutCache::volume() {
    std::int64_t total = 0;
    for (auto& shard : m_shards) {
        auto n = shard->volume();
        if (!n) return n;
        total += *n;
    }
    return total;
}

Result<Removal> FanoutCache::eachShard(const std::function<Result<Removal>(Cache&)>& run) {
    Removal total;
    for (auto& shard : m_shards) {
        auto removal = run(*shard);
        if (!removal) return removal;
        total.removed += removal->removed;
        if (removal->cancelled) {
            total.cancelled = true;
            break;
        }
    }
    return total;
}

Result<Removal> FanoutCache::expire(const ProgressFn& progress) {
    return eachShard([&](Cache& c) { return c.expire(std::nullopt, progress); });
}
Result<Removal> FanoutCache::evict(const Value& tag, const ProgressFn& progress) {
    return eachShard([&](Cache& c) { return c.evict(tag, progress); });
}
Result<Removal> FanoutCache::cull(const ProgressFn& progress) {
    return eachShard([&](Cache& c) { return c.cull(progress); });
}
Result<Removal> FanoutCache::clear(const ProgressFn& progress) {
    return eachShard([&](Cache& c) { return c.clear(progress); });
}

Result<CheckReport> FanoutCache::check(bool fix, const ProgressFn& progress) {
    CheckReport report;
    report.fixed = fix;
    for (auto& shard : m_shards) {
        auto one = shard->check(fix, progress);
        if (!one) return one;
        report.findings.insert(report.findings.end(), one->findings.begin(), one->findings.end());
    }
    return report;
}

Result<std::unique_ptr<Cache>> FanoutCache::subStore(const char* folder, std::string_view name) {
    fs::path path = m_directory / folder;
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t end = name.find('/', start);
        if (end == std::string_view::npos) end = name.size();
        const std::string part(name.substr(start, end - start));
        if (part.empty() || part == "." || part == ".." || fs::path(part).has_root_path())
            return Status::invalidArgument("not a sub-store name: '" + std::string(name) + "'");
        path /= part;
        start = end + 1;
    }
    // Cache(directory=...) with the library's defaults: its own 60 s timeout.
    return Cache::open(path, OpenOptions{.readOnly = m_readOnly});
}

Result<std::unique_ptr<Cache>> FanoutCache::cache(std::string_view name) { return subStore("cache", name); }

Result<std::unique_ptr<Deque>> FanoutCache::deque(std::string_view name) {
    auto cache = subStore("deque", name);
    if (!cache) return cache.status();
    return std::make_unique<Deque>(std::move(*cache));
}

Result<std::unique_ptr<Index>> FanoutCache::index(std::string_view name) {
    auto cache = subStore("index", name);
    if (!cache) return cache.status();
    return std::make_unique<Index>(std::move(*cache));
}

}  // namespace diskcache
