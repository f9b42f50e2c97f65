// set, delete and touch: changes to one item through diskcache::Cache. For
// a FanoutCache the key's shard is found with diskcache::fanoutShard and
// only that existing shard is opened (CLI-NOTES: never FanoutCache(dir),
// which would rewrite size_limit and add shards).
#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>
#include <variant>

#include "commands.h"
#include "output.h"
#include "platform.h"

namespace cli {

using namespace diskcache;

namespace {

// Where one key lives, worked out read-only before anything is written.
struct Target {
    std::filesystem::path cacheDirectory;
    std::optional<std::string> shard;
    Value key;
    std::optional<Entry> entry;  // the key's row as it was
    int pickleProtocol = 5;
};

// A usage error (exit 2) or an operational one (exit 1), with its message.
struct Failure {
    int exit;
    std::string message;
};

std::variant<Target, Failure> locate(const Invocation& inv) {
    auto inspector = openInspector(inv.args[0]);
    if (!inspector) return Failure{kExitError, inspector.status().message()};
    Inspector& ins = **inspector;
    const StoreKind kind = ins.kind();
    if (kind == StoreKind::DjangoFile || kind == StoreKind::Collection)
        return Failure{kExitError, std::string("cannot change items of a ") + storeKindName(kind) + ": " + inv.args[0]};
    auto key = parseKey(inv.args[1], ins);
    if (!key) return Failure{kExitUsage, key.status().message()};
    Target target;
    target.key = *key;
    target.pickleProtocol = ins.pickleProtocol();
    const auto dirs = ins.cacheDirectories();
    if (kind == StoreKind::Fanout) {
        const int shard = fanoutShard(*key, static_cast<int>(dirs.size()));
        target.cacheDirectory = dirs[static_cast<std::size_t>(shard)];
        target.shard = target.cacheDirectory.filename().string();
    } else {
        target.cacheDirectory = dirs.front();
    }
    auto found = ins.find(*key);
    if (!found) return Failure{kExitError, found.status().message()};
    target.entry = *found;
    return target;
}

Result<std::unique_ptr<Cache>> openForWriting(const Invocation& inv, const std::filesystem::path& directory) {
    OpenOptions options;
    if (auto timeout = inv.value("--timeout")) {
        auto seconds = parseDouble(*timeout);
        if (!seconds || *seconds < 0) return Status::invalidArgument("--timeout needs a number of seconds");
        options.timeout = *seconds;
    }
    return Cache::open(directory, options);
}

Result<std::string> readWholeFile(const std::string& path) {
    std::ifstream in(pathFromUtf8(path), std::ios::binary);
    if (!in) return Status::io("cannot read " + path);
    std::ostringstream data;
    data << in.rdbuf();
    if (in.bad()) return Status::io("cannot read " + path);
    return data.str();
}

bool isValidUtf8(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || i + n > text.size() || (n == 2 && c < 0xC2)) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

// The VALUE of `set`, by its options; a Failure for bad input.
std::variant<Value, Failure> readValue(const Invocation& inv) {
    const int kinds = inv.has("--int") + inv.has("--float") + inv.has("--bytes-file") + inv.has("--text-file");
    if (kinds > 1) return Failure{kExitUsage, "choose one of --int, --float, --bytes-file, --text-file"};
    const bool fromFile = inv.has("--bytes-file") || inv.has("--text-file");
    if (fromFile) {
        if (inv.args.size() == 3 && !inv.args[2].empty()) return Failure{kExitUsage, "give VALUE or a file, not both"};
        const std::string path = *inv.value(inv.has("--bytes-file") ? "--bytes-file" : "--text-file");
        auto data = readWholeFile(path);
        if (!data) return Failure{kExitError, data.status().message()};
        if (inv.has("--bytes-file")) return Value::bytes(std::move(*data));
        if (!isValidUtf8(*data)) return Failure{kExitError, path + " is not UTF-8 text; use --bytes-file"};
        return Value::text(std::move(*data));
    }
    if (inv.args.size() < 3) return Failure{kExitUsage, "set needs a VALUE (or --bytes-file/--text-file)"};
    const std::string& text = inv.args[2];
    if (inv.has("--int")) {
        auto n = parseInt(text);
        if (!n) return Failure{kExitUsage, "not a 64-bit int: " + text};
        return Value::integer(*n);
    }
    if (inv.has("--float")) {
        auto x = parseDouble(text);
        if (!x) return Failure{kExitUsage, "not a float: " + text};
        return Value::real(*x);
    }
    return Value::text(text);
}

void printChange(const Invocation& inv, const char* action, const Target& target, bool dryRun, const std::string& extra = {}) {
    if (!inv.json) {
        writeOut(std::string(dryRun ? "would " : "") + action + " " + inspect::pythonRepr(target.key) +
                 (target.shard ? " in shard " + *target.shard : std::string()) + extra + "\n");
        return;
    }
    JsonWriter json;
    json.beginObject();
    json.key("action").string(action);
    json.key("key").string(inspect::pythonRepr(target.key));
    json.key("shard").optionalString(target.shard);
    json.key("dry_run").boolean(dryRun);
    if (std::string(action) == "delete") json.key("removed").number(std::int64_t{1});
    if (std::string(action) == "set") json.key("replaces").boolean(target.entry.has_value());
    json.endObject();
    writeJson(json);
}

bool isLive(const Target& target) { return target.entry && !target.entry->expired; }

int keyMissing(const Invocation& inv, const Target& target) {
    if (inv.json) writeOut("null\n");
    return fail("key not found: " + inspect::pythonRepr(target.key));
}

}  // namespace

int runSet(const Invocation& inv) {
    auto located = locate(inv);
    if (auto* failure = std::get_if<Failure>(&located)) return failure->exit == kExitUsage ? usage(failure->message) : fail(failure->message);
    Target& target = std::get<Target>(located);
    auto value = readValue(inv);
    if (auto* failure = std::get_if<Failure>(&value)) return failure->exit == kExitUsage ? usage(failure->message) : fail(failure->message);
    StoreOptions options;
    if (auto expire = inv.value("--expire")) {
        options.expire = parseDouble(*expire);
        if (!options.expire || !std::isfinite(*options.expire)) return usage("--expire needs a number of seconds");
    }
    if (auto tag = inv.value("--tag")) {
        auto parsed = parseTag(*tag, target.pickleProtocol);
        if (!parsed) return usage(parsed.status().message());
        options.tag = *parsed;
    }
    if (inv.has("--dry-run")) {
        printChange(inv, "set", target, true);
        return kExitOk;
    }
    auto cache = openForWriting(inv, target.cacheDirectory);
    if (!cache) return fail(cache.status());
    Status status = (*cache)->set(target.key, std::get<Value>(value), options);
    if (!status) return fail(status);
    printChange(inv, "set", target, false);
    return kExitOk;
}

int runDelete(const Invocation& inv) {
    auto located = locate(inv);
    if (auto* failure = std::get_if<Failure>(&located)) return failure->exit == kExitUsage ? usage(failure->message) : fail(failure->message);
    const Target& target = std::get<Target>(located);
    if (inv.has("--dry-run")) {
        if (!isLive(target)) return keyMissing(inv, target);
        printChange(inv, "delete", target, true);
        return kExitOk;
    }
    auto cache = openForWriting(inv, target.cacheDirectory);
    if (!cache) return fail(cache.status());
    auto removed = (*cache)->remove(target.key);
    if (!removed) return fail(removed.status());
    if (!*removed) return keyMissing(inv, target);
    printChange(inv, "delete", target, false);
    return kExitOk;
}

int runTouch(const Invocation& inv) {
    auto located = locate(inv);
    if (auto* failure = std::get_if<Failure>(&located)) return failure->exit == kExitUsage ? usage(failure->message) : fail(failure->message);
    const Target& target = std::get<Target>(located);
    std::optional<double> expire;
    if (auto text = inv.value("--expire")) {
        expire = parseDouble(*text);
        if (!expire || !std::isfinite(*expire)) return usage("--expire needs a number of seconds");
    }
    const std::string what = expire ? " to expire in " + formatDouble(*expire) + " s" : " to never expire";
    if (inv.has("--dry-run")) {
        if (!isLive(target)) return keyMissing(inv, target);
        printChange(inv, "touch", target, true, what);
        return kExitOk;
    }
    auto cache = openForWriting(inv, target.cacheDirectory);
    if (!cache) return fail(cache.status());
    auto touched = (*cache)->touch(target.key, expire);
    if (!touched) return fail(touched.status());
    if (!*touched) return keyMissing(inv, target);
    printChange(inv, "touch", target, false, what);
    return kExitOk;
}

}  // namespace cli
