// What an Inspector learns by reading every row once: distributions (size,
// expiry, age, access count), tags, memoized functions, pickle protocols,
// the largest entries and the next ones a cull would remove; the true space
// a store takes on disk; and the settings doctor's plain-language advice.
// Produced by Inspector::statistics() and Inspector::space() (inspect.h).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diskcache/value.h"

namespace diskcache {

struct Entry;
struct Summary;

// Bucket edges of the distributions below, for labels.
// Size: bucket 0 holds values under 64 B, bucket i (1..) [2^(i+5), 2^(i+6)) bytes.
constexpr std::size_t kSizeBuckets = 24;  // the last one holds everything from 512 MiB on
// Expiry: expired, within 1 h, 1 d, 1 w, 30 d, later, never.
enum class ExpiryBucket { Expired, Hour, Day, Week, Month, Later, Never, Count };
// Age (now - store_time): under 1 h, 1 d, 1 w, 30 d, 1 y, older, unknown (no store_time).
enum class AgeBucket { Hour, Day, Week, Month, Year, Older, Unknown, Count };
// Access count: 0, 1, 2-9, 10-99, 100-999, 1000 or more, unknown (NULL).
enum class AccessBucket { Zero, One, Few, Tens, Hundreds, Thousands, Unknown, Count };

struct TagUsage {
    Value tag;  // as stored (a pickled tag is Value::pickle)
    std::int64_t count = 0;
    std::int64_t bytes = 0;  // stored length of the tagged values
};

// Keys made by diskcache's memoize(): tuples whose first item is the
// function's full name ("module.qualname"), grouped by that name.
struct FunctionGroup {
    std::string name;
    std::int64_t count = 0;
    std::int64_t bytes = 0;
    std::optional<double> oldest;  // earliest store_time
    std::optional<double> newest;  // latest store_time
};

struct StatisticsOptions {
    std::size_t largest = 20;    // how many of the largest entries to keep
    std::size_t nextToCull = 20; // how many of the next cull victims to keep
    std::size_t tags = 50;       // most-used tags kept; the rest are summed in otherTags
    std::size_t functions = 100; // memoized functions kept; the rest are summed in otherFunctions
    std::optional<double> now;   // the clock for expiry and age; now when unset
};

struct Statistics {
    std::int64_t scanned = 0;  // rows read
    std::int64_t inFile = 0, inDatabase = 0;
    std::int64_t bytesInFile = 0;      // the size column of file-backed rows
    std::int64_t bytesInDatabase = 0;  // stored length of values kept in cache.db
    std::int64_t expired = 0, expiredBytes = 0;
    std::int64_t tagged = 0;
    std::array<std::int64_t, kSizeBuckets> sizeCounts{};
    std::array<std::int64_t, kSizeBuckets> sizeBytes{};
    std::array<std::int64_t, static_cast<std::size_t>(ExpiryBucket::Count)> expiry{};
    std::array<std::int64_t, static_cast<std::size_t>(AgeBucket::Count)> age{};
    std::array<std::int64_t, static_cast<std::size_t>(AccessBucket::Count)> accessCounts{};
    std::vector<TagUsage> tags;  // most used first
    TagUsage otherTags;          // the tags past StatisticsOptions::tags, summed (tag None)
    std::vector<FunctionGroup> functions;  // most entries first
    FunctionGroup otherFunctions;
    // Entries per pickle protocol (0-5) of pickled keys and of pickled values
    // (file-backed pickles included; -1 counts pickles whose protocol cannot be told).
    std::map<int, std::int64_t> keyProtocols;
    std::map<int, std::int64_t> valueProtocols;
    std::vector<Entry> largest;     // by stored length, largest first
    std::vector<Entry> nextToCull;  // in the order cull() removes them: expired first, then by the eviction policy
    std::int64_t largestLength = 0; // the largest stored length seen
};

// Bucket of a stored length, as sizeCounts counts it.
std::size_t sizeBucketOf(std::int64_t length);

// The space a store takes, from the file system, against what it records.
struct SpaceLedger {
    std::int64_t databaseBytes = 0;  // cache.db files
    std::int64_t walBytes = 0;       // cache.db-wal
    std::int64_t shmBytes = 0;       // cache.db-shm
    std::int64_t valueFiles = 0, valueFileBytes = 0;   // files rows point to, as found on disk
    std::int64_t missingFiles = 0;                     // rows whose file is not there
    std::int64_t orphanFiles = 0, orphanBytes = 0;     // files no row points to
    std::int64_t emptyDirectories = 0;
    std::int64_t recordedSize = 0;  // Settings.size: what the cache believes its files hold
    std::int64_t rowSizeTotal = 0;  // sum of the size column
    std::vector<std::string> orphanExamples;  // up to 20 paths, for the curious
    std::int64_t total() const { return databaseBytes + walBytes + shmBytes + valueFileBytes + orphanBytes; }
};

// One warning of the settings doctor.
struct Advice {
    enum class Level { Info, Warning };
    Level level = Level::Warning;
    std::string code;     // stable: "cull-limit-zero", "eviction-none", ...
    std::string message;  // for people, with the numbers that matter
};

namespace inspect {

// The settings doctor: where a store's own settings defeat its user, from
// its summary (settings rows of the first shard, shard count) and, when
// given, its statistics. Pure: reads nothing.
std::vector<Advice> adviseSettings(const Summary& summary, const Statistics* statistics);

// The function name when `pickledKey` is a key memoize() made: a pickled
// tuple whose first item is a str shaped like "module.qualname".
std::optional<std::string> memoizedFunction(std::string_view pickledKey);

}  // namespace inspect

}  // namespace diskcache
