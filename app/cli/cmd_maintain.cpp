// check, expire, cull, evict, clear and stats: maintenance over every cache
// of a directory (a cache, or each shard of a FanoutCache), through
// diskcache::Cache. --dry-run counts with the read-only Inspector instead.
#include <cinttypes>

#include "commands.h"
#include "output.h"

namespace cli {

using namespace diskcache;

namespace {

Result<std::unique_ptr<Cache>> openCache(const Invocation& inv, const std::filesystem::path& directory, bool readOnly) {
    OpenOptions options;
    options.readOnly = readOnly;
    if (auto timeout = inv.value("--timeout")) {
        auto seconds = parseDouble(*timeout);
        if (!seconds || *seconds < 0) return Status::invalidArgument("--timeout needs a number of seconds");
        options.timeout = *seconds;
    }
    return Cache::open(directory, options);
}

// Caches `check` looks at: the cache, a fanout's shards and sub-stores, or
// those of every store in a collection.
Result<std::vector<std::filesystem::path>> checkedDirectories(Inspector& inspector) {
    std::vector<std::filesystem::path> dirs = inspector.cacheDirectories();
    if (inspector.kind() == StoreKind::DjangoFile) return Status::unsupported("check does not apply to Django's file cache");
    for (const auto& child : inspector.children()) {
        if (child.kind == StoreKind::DjangoFile) continue;
        if (child.kind != StoreKind::Fanout) {
            dirs.push_back(child.path);
            continue;
        }
        auto inner = inspect::open(child.path);
        if (!inner) return inner.status();
        auto more = checkedDirectories(**inner);
        if (!more) return more.status();
        dirs.insert(dirs.end(), more->begin(), more->end());
    }
    return dirs;
}

void printRemoved(const Invocation& inv, std::int64_t removed, bool dryRun) {
    if (!inv.json) {
        writeOut((dryRun ? "would remove " : "removed ") + std::to_string(removed) + " entries\n");
        return;
    }
    JsonWriter json;
    json.beginObject();
    json.key("removed").number(removed);
    json.key("dry_run").boolean(dryRun);
    json.endObject();
    writeJson(json);
}

Result<std::int64_t> countDryRun(const Invocation& inv, Inspector& inspector, const Value& tag) {
    const std::string& command = inv.command;
    if (command == "cull") return inspector.estimateCull();
    EntryFilter filter;
    if (command == "expire") filter.expiry = EntryFilter::Expiry::Expired;
    if (command == "evict") filter.tag = tag;
    return inspector.count(filter);
}

Result<Removal> removeFrom(const Invocation& inv, Cache& cache, const Value& tag, const ProgressFn& progress) {
    if (inv.command == "expire") return cache.expire(std::nullopt, progress);
    if (inv.command == "cull") return cache.cull(progress);
    if (inv.command == "evict") return cache.evict(tag, progress);
    return cache.clear(progress);
}

}  // namespace

int runCheck(const Invocation& inv) {
    auto inspector = openInspector(inv.args[0]);
    if (!inspector) return fail(inspector.status());
    auto dirs = checkedDirectories(**inspector);
    if (!dirs) return fail(dirs.status());
    inspector->reset();  // close the read-only handles before repairing
    const bool fix = inv.has("--fix") && !inv.has("--dry-run");
    CheckReport total;
    total.fixed = fix;
    Progress progress("check");
    for (const auto& dir : *dirs) {
        auto cache = openCache(inv, dir, !fix);
        if (!cache) return fail(cache.status());
        auto report = (*cache)->check(fix, progress.callback(0));
        if (!report) return fail(report.status());
        total.findings.insert(total.findings.end(), report->findings.begin(), report->findings.end());
    }
    if (!inv.json) {
        for (const auto& finding : total.findings) writeOut(std::string(findingKindName(finding.kind)) + ": " + finding.detail + "\n");
        writeOut(std::to_string(total.findings.size()) + (total.findings.size() == 1 ? " problem" : " problems") +
                 (fix ? " found and fixed\n" : " found\n"));
        return kExitOk;
    }
    JsonWriter json;
    json.beginObject();
    json.key("findings").beginArray();
    for (const auto& finding : total.findings) {
        json.beginObject();
        json.key("kind").string(findingKindName(finding.kind));
        json.key("path").string(finding.path);
        json.key("detail").string(finding.detail);
        json.endObject();
    }
    json.endArray();
    json.key("fixed").boolean(fix);
    json.endObject();
    writeJson(json);
    return kExitOk;
}

int runRemoval(const Invocation& inv) {
    auto inspector = openInspector(inv.args[0]);
    if (!inspector) return fail(inspector.status());
    const auto dirs = (*inspector)->cacheDirectories();
    if (dirs.empty() || (*inspector)->kind() == StoreKind::DjangoFile)
        return fail(inv.command + " applies to caches and FanoutCaches, not to a " + storeKindName((*inspector)->kind()) +
                    ": " + inv.args[0]);
    Value tag;
    if (inv.command == "evict") {
        auto parsed = parseTag(inv.args[1], (*inspector)->pickleProtocol());
        if (!parsed) return usage(parsed.status().message());
        tag = *parsed;
    }
    if (inv.has("--dry-run")) {
        auto count = countDryRun(inv, **inspector, tag);
        if (!count) return fail(count.status());
        printRemoved(inv, *count, true);
        return kExitOk;
    }
    inspector->reset();
    std::int64_t removed = 0;
    Progress progress(inv.command);
    for (const auto& dir : dirs) {
        auto cache = openCache(inv, dir, false);
        if (!cache) return fail(cache.status());
        auto result = removeFrom(inv, **cache, tag, progress.callback(removed));
        if (!result) return fail(result.status());
        removed += result->removed;
    }
    printRemoved(inv, removed, false);
    return kExitOk;
}

int runStats(const Invocation& inv) {
    if (inv.has("--enable") && inv.has("--disable")) return usage("--enable and --disable exclude each other");
    auto inspector = openInspector(inv.args[0]);
    if (!inspector) return fail(inspector.status());
    const auto dirs = (*inspector)->cacheDirectories();
    if (dirs.empty() || (*inspector)->kind() == StoreKind::DjangoFile)
        return fail(std::string("stats applies to caches and FanoutCaches, not to a ") + storeKindName((*inspector)->kind()));
    inspector->reset();
    const bool changes = (inv.has("--enable") || inv.has("--disable") || inv.has("--reset")) && !inv.has("--dry-run");
    Stats total;
    for (const auto& dir : dirs) {
        auto cache = openCache(inv, dir, !changes);
        if (!cache) return fail(cache.status());
        auto current = (*cache)->readStats();  // a pure read: never switches statistics on
        if (!current) return fail(current.status());
        Stats stats = *current;
        if (changes) {
            const bool enable = inv.has("--enable") || (!inv.has("--disable") && current->statistics);
            auto changed = (*cache)->stats(enable, inv.has("--reset"));
            if (!changed) return fail(changed.status());
            stats = {changed->hits, changed->misses, enable};
        }
        total.hits += stats.hits;
        total.misses += stats.misses;
        total.statistics = total.statistics || stats.statistics;
    }
    if (!inv.json) {
        writeOut("hits:       " + std::to_string(total.hits) + "\nmisses:     " + std::to_string(total.misses) +
                 "\nstatistics: " + (total.statistics ? "on" : "off") + "\n");
        return kExitOk;
    }
    JsonWriter json;
    json.beginObject();
    json.key("hits").number(total.hits);
    json.key("misses").number(total.misses);
    json.key("statistics").boolean(total.statistics);
    json.endObject();
    writeJson(json);
    return kExitOk;
}

}  // namespace cli
