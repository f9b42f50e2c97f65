// What the maintenance worker is asked and what it answers, as plain values
// that travel between threads by queued signals. A request names the store
// shown in the window; the worker finds the caches (shards) it is made of.
#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

#include "diskcache/cache.h"
#include "diskcache/inspect.h"

namespace cachescope {

enum class MaintenanceKind { Expire, Cull, Evict, Clear, Delete, Touch, Check, Fix, Settings, Export };

// Whether a kind changes the cache (and so needs write mode): all but Check and Export.
inline bool changesCache(MaintenanceKind kind) { return kind != MaintenanceKind::Check && kind != MaintenanceKind::Export; }

// "Expire", "Cull"... for labels and messages.
QString maintenanceName(MaintenanceKind kind);

// Settings to change (unset: leave as it is), with the library's rules:
// size_limit is the total, split evenly over a FanoutCache's shards.
struct SettingsChange {
    std::optional<std::int64_t> sizeLimit;
    std::optional<std::int64_t> cullLimit;
    std::optional<diskcache::EvictionPolicy> policy;
    std::optional<bool> statistics;
    bool resetStatistics = false;  // zero hits and misses
    std::optional<bool> tagIndex;
    bool empty() const { return !sizeLimit && !cullLimit && !policy && !statistics && !resetStatistics && !tagIndex; }
};

struct MaintenanceRequest {
    MaintenanceKind kind = MaintenanceKind::Check;
    QString store;                          // the directory shown (a cache, a fanout or a shard)
    diskcache::Value tag;                   // Evict
    std::vector<diskcache::Entry> entries;  // Delete and Touch
    std::optional<double> expire;           // Touch: seconds from now, none = never
    SettingsChange settings;                // Settings
    // Fix: the findings to repair, when the user unticked some; empty: all
    // (the engine's own check(fix=true)).
    std::vector<diskcache::Finding> findings;
    // Export: the file to write, its format, and the filter whose entries it
    // writes (or, when `entries` is not empty, those entries).
    QString exportPath;
    bool exportCsv = false;
    diskcache::EntryFilter filter;
    // Seconds to wait in all for another process's lock before giving up
    // (the library's own Cache timeout is 60 s).
    double lockTimeout = 60.0;
};

// What a removal would do, read before asking the user to confirm.
struct MaintenancePlan {
    MaintenanceRequest request;
    bool ok = false;
    QString error;
    int caches = 0;             // cache databases it touches (shards)
    std::int64_t count = 0;     // entries it would remove (an estimate for Cull)
    std::int64_t bytes = -1;    // their stored bytes (-1 when unknown)
    std::int64_t total = 0;     // entries in the store now
    std::int64_t fileBytes = 0; // Settings.size: bytes in value files
    std::int64_t volume = 0;    // page_count * page_size + size
    std::int64_t sizeLimit = 0;
    std::int64_t expired = 0;   // entries already expired
    QString policy;             // eviction policy name
    QStringList victims;        // Cull: keys it would remove, in its order (the first 500)
    diskcache::Settings settings;  // as stored (of the first shard); sizeLimit is per shard
    std::int64_t hits = 0;
    std::int64_t misses = 0;
};

struct MaintenanceResult {
    MaintenanceKind kind = MaintenanceKind::Check;
    bool ok = false;
    QString error;  // for people: what went wrong, then the engine's detail on the next line
    diskcache::StatusCode code = diskcache::StatusCode::Ok;
    bool cancelled = false;
    std::int64_t done = 0;     // entries removed or changed; caches changed for Settings
    std::int64_t skipped = 0;  // Delete/Touch: entries already gone or expired
    std::vector<diskcache::Finding> findings;   // Check: found; Fix: what was fixed
    std::vector<diskcache::Finding> remaining;  // Fix: what a new check finds afterwards
    QString path;  // Export: the file written
};

}  // namespace cachescope

Q_DECLARE_METATYPE(cachescope::MaintenanceRequest)
Q_DECLARE_METATYPE(cachescope::MaintenancePlan)
Q_DECLARE_METATYPE(cachescope::MaintenanceResult)
