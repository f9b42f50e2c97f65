// cachescope-cli analyze: what one read of every row tells (statistics.h):
// distributions, tags, memoized functions, pickle protocols, the largest
// entries and the next ones a cull removes, the space on disk, and the
// settings doctor's advice. Reads only.
#include <array>

#include "commands.h"
#include "output.h"

using namespace diskcache;

namespace cli {

namespace {

constexpr std::array<const char*, static_cast<std::size_t>(ExpiryBucket::Count)> kExpiryLabels = {
    "expired", "within 1 h", "within 1 d", "within 1 w", "within 30 d", "later", "never"};
constexpr std::array<const char*, static_cast<std::size_t>(AgeBucket::Count)> kAgeLabels = {
    "under 1 h", "under 1 d", "under 1 w", "under 30 d", "under 1 y", "older", "unknown"};
constexpr std::array<const char*, static_cast<std::size_t>(AccessBucket::Count)> kAccessLabels = {
    "0", "1", "2-9", "10-99", "100-999", "1000+", "unknown"};

// "< 64 B", "64 B-127 B", "128 B-255 B", ... for size bucket i.
std::string sizeLabel(std::size_t bucket) {
    auto bytes = [](std::int64_t n) {
        const char* units[] = {"B", "KiB", "MiB", "GiB"};
        int unit = 0;
        while (n >= 1024 && unit < 3) n /= 1024, ++unit;
        return std::to_string(n) + " " + units[unit];
    };
    if (bucket == 0) return "< 64 B";
    const std::int64_t low = std::int64_t{1} << (bucket + 5);
    if (bucket + 1 == kSizeBuckets) return ">= " + bytes(low);
    return bytes(low) + " to < " + bytes(low * 2);
}

std::string protocolText(const std::map<int, std::int64_t>& counts) {
    if (counts.empty()) return "none";
    std::string text;
    for (const auto& [protocol, n] : counts)
        text += (text.empty() ? "" : ", ") + (protocol < 0 ? std::string("unknown") : std::to_string(protocol)) + ": " +
                std::to_string(n);
    return text;
}

void printText(const Summary& summary, const Statistics& s, const SpaceLedger& space, const std::vector<Advice>& advice) {
    std::string out = summary.directory.string() + " (" + storeKindName(summary.kind) + "): " + std::to_string(s.scanned) +
                      " entries read\n";
    out += "in database: " + std::to_string(s.inDatabase) + " (" + std::to_string(s.bytesInDatabase) + " bytes)  in files: " +
           std::to_string(s.inFile) + " (" + std::to_string(s.bytesInFile) + " bytes)  expired: " + std::to_string(s.expired) +
           " (" + std::to_string(s.expiredBytes) + " bytes)\n\n";

    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < kSizeBuckets; ++i)
        if (s.sizeCounts[i] > 0) rows.push_back({sizeLabel(i), std::to_string(s.sizeCounts[i]), std::to_string(s.sizeBytes[i])});
    out += formatTable({"SIZE", "ENTRIES", "BYTES"}, rows) + "\n";

    auto distribution = [&](const char* title, const auto& labels, const auto& counts) {
        out += title;
        for (std::size_t i = 0; i < labels.size(); ++i) out += std::string(i ? ", " : " ") + labels[i] + " " + std::to_string(counts[i]);
        out += "\n";
    };
    distribution("expires:", kExpiryLabels, s.expiry);
    distribution("age:", kAgeLabels, s.age);
    distribution("access count:", kAccessLabels, s.accessCounts);
    out += "pickle protocols: keys " + protocolText(s.keyProtocols) + "; values " + protocolText(s.valueProtocols) + "\n\n";

    if (!s.tags.empty()) {
        rows.clear();
        for (const auto& t : s.tags) rows.push_back({inspect::pythonRepr(t.tag, 60), std::to_string(t.count), std::to_string(t.bytes)});
        if (s.otherTags.count) rows.push_back({"(other tags)", std::to_string(s.otherTags.count), std::to_string(s.otherTags.bytes)});
        out += formatTable({"TAG", "ENTRIES", "BYTES"}, rows) + "\n";
    }
    if (!s.functions.empty()) {
        rows.clear();
        for (const auto& f : s.functions)
            rows.push_back({f.name, std::to_string(f.count), std::to_string(f.bytes), humanTime(f.oldest), humanTime(f.newest)});
        out += formatTable({"MEMOIZED FUNCTION", "ENTRIES", "BYTES", "OLDEST", "NEWEST"}, rows) + "\n";
    }
    auto entries = [&](const char* title, const std::vector<Entry>& list) {
        if (list.empty()) return;
        rows.clear();
        for (const auto& e : list)
            rows.push_back({inspect::keyText(e, 60), std::to_string(e.filename ? e.size : e.storedLength),
                            e.expired ? "expired" : humanTime(e.expireTime), e.shard.value_or("")});
        out += formatTable({title, "BYTES", "EXPIRES", "SHARD"}, rows) + "\n";
    };
    entries("LARGEST", s.largest);
    entries("NEXT TO CULL", s.nextToCull);

    out += "space: database " + std::to_string(space.databaseBytes) + ", wal " + std::to_string(space.walBytes) + ", shm " +
           std::to_string(space.shmBytes) + ", value files " + std::to_string(space.valueFiles) + " (" +
           std::to_string(space.valueFileBytes) + " bytes), orphan files " + std::to_string(space.orphanFiles) + " (" +
           std::to_string(space.orphanBytes) + " bytes), missing files " + std::to_string(space.missingFiles) +
           ", empty directories " + std::to_string(space.emptyDirectories) + "; total " + std::to_string(space.total()) +
           " bytes\n";
    out += "recorded size " + std::to_string(space.recordedSize) + ", sum of sizes " + std::to_string(space.rowSizeTotal) + "\n";
    if (!advice.empty()) {
        out += "\n";
        for (const auto& a : advice)
            out += std::string(a.level == Advice::Level::Warning ? "warning: " : "note:    ") + a.message + " [" + a.code + "]\n";
    }
    writeOut(out);
}

void writeEntries(JsonWriter& json, const char* name, const std::vector<Entry>& list) {
    json.key(name).beginArray();
    for (const auto& e : list) writeEntry(json, e);
    json.endArray();
}

void printJson(const Summary& summary, const Statistics& s, const SpaceLedger& space, const std::vector<Advice>& advice) {
    JsonWriter json;
    json.beginObject();
    json.key("kind").string(storeKindName(summary.kind));
    json.key("directory").string(summary.directory.string());
    json.key("scanned").number(s.scanned);
    json.key("in_database").number(s.inDatabase);
    json.key("bytes_in_database").number(s.bytesInDatabase);
    json.key("in_file").number(s.inFile);
    json.key("bytes_in_file").number(s.bytesInFile);
    json.key("expired").number(s.expired);
    json.key("expired_bytes").number(s.expiredBytes);
    json.key("tagged").number(s.tagged);
    json.key("sizes").beginArray();
    for (std::size_t i = 0; i < kSizeBuckets; ++i) {
        if (s.sizeCounts[i] == 0) continue;
        json.beginObject();
        json.key("label").string(sizeLabel(i));
        json.key("min").number(i == 0 ? std::int64_t{0} : std::int64_t{1} << (i + 5));
        json.key("entries").number(s.sizeCounts[i]);
        json.key("bytes").number(s.sizeBytes[i]);
        json.endObject();
    }
    json.endArray();
    auto distribution = [&](const char* name, const auto& labels, const auto& counts) {
        json.key(name).beginObject();
        for (std::size_t i = 0; i < labels.size(); ++i) json.key(labels[i]).number(counts[i]);
        json.endObject();
    };
    distribution("expires", kExpiryLabels, s.expiry);
    distribution("age", kAgeLabels, s.age);
    distribution("access_count", kAccessLabels, s.accessCounts);
    auto protocols = [&](const char* name, const std::map<int, std::int64_t>& counts) {
        json.key(name).beginObject();
        for (const auto& [protocol, n] : counts) json.key(protocol < 0 ? "unknown" : std::to_string(protocol)).number(n);
        json.endObject();
    };
    protocols("key_protocols", s.keyProtocols);
    protocols("value_protocols", s.valueProtocols);
    json.key("tags").beginArray();
    for (const auto& t : s.tags) {
        json.beginObject();
        json.key("tag");
        writeNatural(json, t.tag);
        json.key("entries").number(t.count);
        json.key("bytes").number(t.bytes);
        json.endObject();
    }
    json.endArray();
    json.key("other_tags").beginObject().key("entries").number(s.otherTags.count).key("bytes").number(s.otherTags.bytes).endObject();
    json.key("memoized").beginArray();
    for (const auto& f : s.functions) {
        json.beginObject();
        json.key("function").string(f.name);
        json.key("entries").number(f.count);
        json.key("bytes").number(f.bytes);
        json.key("oldest").optionalNumber(f.oldest);
        json.key("newest").optionalNumber(f.newest);
        json.endObject();
    }
    json.endArray();
    writeEntries(json, "largest", s.largest);
    writeEntries(json, "next_to_cull", s.nextToCull);
    json.key("space").beginObject();
    json.key("database").number(space.databaseBytes);
    json.key("wal").number(space.walBytes);
    json.key("shm").number(space.shmBytes);
    json.key("value_files").number(space.valueFiles);
    json.key("value_file_bytes").number(space.valueFileBytes);
    json.key("missing_files").number(space.missingFiles);
    json.key("orphan_files").number(space.orphanFiles);
    json.key("orphan_bytes").number(space.orphanBytes);
    json.key("empty_directories").number(space.emptyDirectories);
    json.key("recorded_size").number(space.recordedSize);
    json.key("sum_of_sizes").number(space.rowSizeTotal);
    json.key("total").number(space.total());
    json.key("orphan_examples").beginArray();
    for (const auto& path : space.orphanExamples) json.string(path);
    json.endArray();
    json.endObject();
    json.key("advice").beginArray();
    for (const auto& a : advice) {
        json.beginObject();
        json.key("level").string(a.level == Advice::Level::Warning ? "warning" : "info");
        json.key("code").string(a.code);
        json.key("message").string(a.message);
        json.endObject();
    }
    json.endArray();
    json.endObject();
    writeJson(json);
}

}  // namespace

int runAnalyze(const Invocation& inv) {
    StatisticsOptions options;
    if (auto top = inv.value("--top")) {
        auto n = parseInt(*top);
        if (!n || *n < 0) return usage("--top needs a whole number, not '" + *top + "'");
        options.largest = options.nextToCull = static_cast<std::size_t>(*n);
    }
    auto inspector = openInspector(inv.args[0]);
    if (!inspector) return fail(inspector.status());
    auto summary = (*inspector)->summary();
    if (!summary) return fail(summary.status());
    Progress progress("reading entries");
    auto statistics = (*inspector)->statistics(options, progress.callback(0));
    if (!statistics) return fail(statistics.status());
    auto space = (*inspector)->space();
    if (!space) return fail(space.status());
    const auto advice = inspect::adviseSettings(*summary, &*statistics);
    if (inv.json) printJson(*summary, *statistics, *space, advice);
    else printText(*summary, *statistics, *space, advice);
    return kExitOk;
}

}  // namespace cli
