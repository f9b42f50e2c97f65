// The settings doctor: the ways a cache's own settings work against the
// people using it, said plainly with the numbers that show it. Each rule
// follows what the library does with the setting (FORMAT.md, "Settings"
// and "Maintenance").
#include <cstdio>

#include "diskcache/inspect.h"

namespace diskcache::inspect {

namespace {

std::string humanBytes(std::int64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    return text;
}

std::string count(std::int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::vector<Advice> adviseSettings(const Summary& summary, const Statistics* statistics) {
    std::vector<Advice> advice;
    auto add = [&advice](Advice::Level level, const char* code, std::string message) {
        advice.push_back({level, code, std::move(message)});
    };
    if (summary.kind == StoreKind::DjangoFile || summary.kind == StoreKind::Collection) return advice;
    const Settings settings = settingsFromRows(summary.settings);
    const bool queue = summary.kind == StoreKind::Deque || summary.kind == StoreKind::Index;
    const std::int64_t shards = summary.shards.empty() ? 1 : static_cast<std::int64_t>(summary.shards.size());
    // A FanoutCache stores size_limit / shards in each shard (FORMAT.md).
    const std::int64_t shardLimit = settings.sizeLimit;
    const std::int64_t totalLimit = shardLimit * shards;
    const auto largest = statistics ? statistics->largestLength : 0;

    // Deques and indexes use policy "none" by design: they must never lose items.
    if (!queue && settings.evictionPolicy == EvictionPolicy::None)
        add(Advice::Level::Warning, "eviction-none",
            "Eviction policy is 'none': the cache never culls, so it grows past its size limit (" + humanBytes(totalLimit) +
                ") without bound.");
    if (!queue && settings.evictionPolicy != EvictionPolicy::None && settings.cullLimit == 0)
        add(Advice::Level::Warning, "cull-limit-zero",
            "cull_limit is 0: set() never culls, so the cache only shrinks when cull() is called.");
    if (!queue && settings.evictionPolicy != EvictionPolicy::None && summary.volume > totalLimit)
        add(Advice::Level::Warning, "over-limit",
            "The cache takes " + humanBytes(summary.volume) + ", over its size limit of " + humanBytes(totalLimit) + ".");
    if (!queue && shards > 1 && (shardLimit < (std::int64_t{1} << 20) || largest > shardLimit))
        add(Advice::Level::Warning, "shard-limit-small",
            "Each of the " + std::to_string(shards) + " shards may hold only " + humanBytes(shardLimit) +
                " (the size limit is split between shards); a value larger than that is culled as soon as it is stored" +
                (largest > 0 ? " (the largest value here is " + humanBytes(largest) + ")." : "."));
    else if (!queue && largest > shardLimit)
        add(Advice::Level::Warning, "value-over-limit",
            "The largest value (" + humanBytes(largest) + ") is larger than the size limit (" + humanBytes(shardLimit) +
                "): the next cull removes it.");
    if (!settings.statistics)
        add(Advice::Level::Info, "statistics-off",
            "Statistics are off: hits and misses are not counted (cache.stats(enable=True) turns them on).");
    if (statistics && statistics->tagged > 0 && !settings.tagIndex)
        add(statistics->tagged >= 10000 ? Advice::Level::Warning : Advice::Level::Info, "tag-index-off",
            count(statistics->tagged, "entry carries a tag", "entries carry tags") + " but the tag index is off, so evict(tag) reads the whole table "
                "(cache.create_tag_index() adds it).");
    int protocol = static_cast<int>(settings.diskPickleProtocol);
    if (statistics) {
        for (const auto* counts : {&statistics->keyProtocols, &statistics->valueProtocols})
            if (!counts->empty()) protocol = std::max(protocol, counts->rbegin()->first);
    }
    if (protocol >= 5)
        add(Advice::Level::Info, "pickle-protocol",
            "Pickles use protocol 5, which Python before 3.8 cannot read.");
    if (statistics && statistics->expired > 0) {
        const bool many = statistics->expired * 10 > std::max<std::int64_t>(statistics->scanned, 1);
        add(many ? Advice::Level::Warning : Advice::Level::Info, "expired-entries",
            "Expired but still stored: " + count(statistics->expired, "entry", "entries") + " (" + humanBytes(statistics->expiredBytes) +
                "); set() removes at most cull_limit (" + std::to_string(settings.cullLimit) +
                ") of them at a time, expire() removes them all.");
    }
    if (settings.diskCompressLevel)
        add(Advice::Level::Info, "jsondisk",
            "Written with JSONDisk: keys and values are zlib-compressed JSON (compress level " +
                std::to_string(*settings.diskCompressLevel) + ").");
    return advice;
}

}  // namespace diskcache::inspect
