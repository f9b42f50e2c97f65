// The settings a cache keeps in its Settings table (FORMAT.md, "Table
// Settings"), with the Python library's defaults.
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diskcache/value.h"

namespace diskcache {

enum class EvictionPolicy { LeastRecentlyStored, LeastRecentlyUsed, LeastFrequentlyUsed, None };

// "least-recently-stored" ... "none", as stored in the Settings table.
const char* evictionPolicyName(EvictionPolicy policy);
std::optional<EvictionPolicy> parseEvictionPolicy(std::string_view name);

struct Settings {
    bool statistics = false;
    bool tagIndex = false;
    EvictionPolicy evictionPolicy = EvictionPolicy::LeastRecentlyStored;
    std::int64_t sizeLimit = std::int64_t{1} << 30;
    std::int64_t cullLimit = 10;
    std::int64_t sqliteAutoVacuum = 1;
    std::int64_t sqliteCacheSize = 8192;
    std::string sqliteJournalMode = "wal";
    std::int64_t sqliteMmapSize = std::int64_t{1} << 26;
    std::int64_t sqliteSynchronous = 1;
    std::int64_t diskMinFileSize = std::int64_t{1} << 15;
    std::int64_t diskPickleProtocol = 5;
    // Present only in caches made with JSONDisk.
    std::optional<std::int64_t> diskCompressLevel;
};

// A Settings row: its name and the value as stored.
using SettingRow = std::pair<std::string, Value>;

// The default rows in the order the Python library writes them.
std::vector<SettingRow> defaultSettingRows();

// Settings from table rows; unknown rows are ignored, malformed values keep
// the default.
Settings settingsFromRows(const std::vector<SettingRow>& rows);

// True for the four rows the triggers and statistics maintain.
bool isMetadataSetting(std::string_view name);

}  // namespace diskcache
