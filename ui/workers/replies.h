// What an InspectWorker answers, as plain values that travel between threads
// by queued signals. Each carries the generation of the request it answers.
#pragma once

#include <QMetaType>
#include <QString>

#include <optional>
#include <utility>
#include <vector>

#include "diskcache/inspect.h"

namespace cachescope {

struct StoreReply {
    quint64 generation = 0;
    bool ok = false;
    QString error;  // for people: what went wrong and where
    diskcache::StatusCode code = diskcache::StatusCode::Ok;
    diskcache::StoreKind kind = diskcache::StoreKind::Cache;
    int pickleProtocol = 5;  // what pickled keys and tags of this store use
    QString directory;
};

struct PageReply {
    quint64 generation = 0;
    bool append = false;  // a following page of the same query
    bool ok = false;
    QString error;
    diskcache::Page page;
};

// What a summary request reads: the Settings counters and shards only
// (instant), or also the expired count and the cull estimate, which walk
// index ranges and look rows up (at 1M entries ~0.3 s).
enum class SummaryDetail { Counts, WithEstimates };

struct SummaryReply {
    quint64 generation = 0;
    bool ok = false;
    QString error;
    diskcache::Summary summary;
    diskcache::Settings settings;
    std::int64_t expired = -1;       // with SummaryDetail::WithEstimates, else -1
    std::int64_t cullEstimate = -1;  // likewise
};

struct ValueReply {
    quint64 generation = 0;
    bool ok = false;
    QString error;
    diskcache::Entry entry;
    diskcache::Value value;
    std::string stored;  // the bytes as stored (file contents, pickle, UTF-8)
    // What the engine's decoder (diskcache/decode.h) makes of `stored`: its
    // format name ("jsondisk", "image"...), why, and the text it renders;
    // an empty format when it could not decode, with the reason saying why.
    std::string decodedFormat;
    std::string decodedReason;
    std::string decodedText;
};

// Rows [chunk * rows, chunk * rows + entries.size()) of a sorted, filtered
// listing, for the lazy entries table.
struct ChunkReply {
    quint64 generation = 0;
    int chunk = 0;
    bool ok = false;
    diskcache::StatusCode code = diskcache::StatusCode::Ok;  // Cancelled when given up
    QString error;
    std::vector<diskcache::Entry> entries;
    std::int64_t total = 0;  // entries under the filter when the chunk was read
};

// Inspector::changeToken: differs from the last one when another process
// committed to the store meanwhile.
struct ChangeReply {
    quint64 generation = 0;
    bool ok = false;
    QString error;
    std::uint64_t token = 0;
};

// What one read of every row tells (diskcache/statistics.h): distributions,
// tags, memoized functions, largest entries, next cull victims; the space
// on disk; and the settings doctor's advice.
struct StatsReply {
    quint64 generation = 0;
    bool ok = false;
    QString error;
    diskcache::Statistics statistics;
    diskcache::SpaceLedger space;
    std::vector<diskcache::Advice> advice;
};

// The functions memoize() made keys for, from the pickled keys alone
// (Inspector::memoizedFunctions): what the store tree lists under a cache.
struct FunctionsReply {
    quint64 generation = 0;
    bool ok = false;
    QString error;
    std::vector<diskcache::FunctionGroup> functions;
};

}  // namespace cachescope

Q_DECLARE_METATYPE(cachescope::StoreReply)
Q_DECLARE_METATYPE(cachescope::PageReply)
Q_DECLARE_METATYPE(cachescope::SummaryReply)
Q_DECLARE_METATYPE(cachescope::ValueReply)
Q_DECLARE_METATYPE(cachescope::StatsReply)
Q_DECLARE_METATYPE(cachescope::FunctionsReply)
Q_DECLARE_METATYPE(cachescope::ChunkReply)
Q_DECLARE_METATYPE(cachescope::ChangeReply)
