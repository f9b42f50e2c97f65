#include "diskcache/settings.h"

namespace diskcache {

const char* evictionPolicyName(EvictionPolicy policy) {
    switch (policy) {
    case EvictionPolicy::LeastRecentlyStored: return "least-recently-stored";
    case EvictionPolicy::LeastRecentlyUsed: return "least-recently-used";
    case EvictionPolicy::LeastFrequentlyUsed: return "least-frequently-used";
    case EvictionPolicy::None: return "none";
    }
    return "none";
}

std::optional<EvictionPolicy> parseEvictionPolicy(std::string_view name) {
    for (auto policy : {EvictionPolicy::LeastRecentlyStored, EvictionPolicy::LeastRecentlyUsed,
                        EvictionPolicy::LeastFrequentlyUsed, EvictionPolicy::None}) {
        if (name == evictionPolicyName(policy)) return policy;
    }
    return std::nullopt;
}

std::vector<SettingRow> defaultSettingRows() {
    const Settings d;
    return {
        {"statistics", Value::integer(0)},
        {"tag_index", Value::integer(0)},
        {"eviction_policy", Value::text(evictionPolicyName(d.evictionPolicy))},
        {"size_limit", Value::integer(d.sizeLimit)},
        {"cull_limit", Value::integer(d.cullLimit)},
        {"sqlite_auto_vacuum", Value::integer(d.sqliteAutoVacuum)},
        {"sqlite_cache_size", Value::integer(d.sqliteCacheSize)},
        {"sqlite_journal_mode", Value::text(d.sqliteJournalMode)},
        {"sqlite_mmap_size", Value::integer(d.sqliteMmapSize)},
        {"sqlite_synchronous", Value::integer(d.sqliteSynchronous)},
        {"disk_min_file_size", Value::integer(d.diskMinFileSize)},
        {"disk_pickle_protocol", Value::integer(d.diskPickleProtocol)},
    };
}

bool isMetadataSetting(std::string_view name) {
    return name == "count" || name == "size" || name == "hits" || name == "misses";
}

namespace {

std::optional<std::int64_t> asInteger(const Value& value) {
    if (value.kind() == ValueKind::Int) return value.asInt();
    if (value.kind() == ValueKind::Float) return static_cast<std::int64_t>(value.asFloat());
    return std::nullopt;
}

void assignInt(std::int64_t& field, const Value& value) {
    if (auto v = asInteger(value)) field = *v;
}

}  // namespace

Settings settingsFromRows(const std::vector<SettingRow>& rows) {
    Settings s;
    for (const auto& [name, value] : rows) {
        if (name == "statistics") s.statistics = asInteger(value).value_or(0) != 0;
        else if (name == "tag_index") s.tagIndex = asInteger(value).value_or(0) != 0;
        else if (name == "eviction_policy") {
            if (auto policy = parseEvictionPolicy(value.data())) s.evictionPolicy = *policy;
        }
        else if (name == "size_limit") assignInt(s.sizeLimit, value);
        else if (name == "cull_limit") assignInt(s.cullLimit, value);
        else if (name == "sqlite_auto_vacuum") assignInt(s.sqliteAutoVacuum, value);
        else if (name == "sqlite_cache_size") assignInt(s.sqliteCacheSize, value);
        else if (name == "sqlite_journal_mode") { if (value.kind() == ValueKind::Text) s.sqliteJournalMode = value.data(); }
        else if (name == "sqlite_mmap_size") assignInt(s.sqliteMmapSize, value);
        else if (name == "sqlite_synchronous") assignInt(s.sqliteSynchronous, value);
        else if (name == "disk_min_file_size") assignInt(s.diskMinFileSize, value);
        else if (name == "disk_pickle_protocol") assignInt(s.diskPickleProtocol, value);
        else if (name == "disk_compress_level") s.diskCompressLevel = asInteger(value);
    }
    return s;
}

}  // namespace diskcache
