// info, ls, get and export: read-only views through diskcache::Inspector.
#include <fstream>

#include "commands.h"
#include "diskcache/decode.h"
#include "output.h"
#include "platform.h"

namespace cli {

using namespace diskcache;

namespace {

// The sort and filters of ls/export; a usage error message on failure.
std::optional<std::string> readListOptions(const Invocation& inv, const Inspector& inspector, PageRequest& request) {
    if (auto sort = inv.value("--sort")) {
        auto column = parseSortColumn(*sort);
        if (!column) return "unknown sort column '" + *sort + "'; use key, size, store_time, access_time, expire_time, access_count, tag or stored_size";
        request.sort = *column;
    }
    request.descending = inv.has("--desc");
    EntryFilter& filter = request.filter;
    filter.keyPrefix = inv.value("--prefix");
    filter.keyContains = inv.value("--contains");
    filter.memoizedFunction = inv.value("--function");
    if (auto tag = inv.value("--tag")) {
        auto value = parseTag(*tag, inspector.pickleProtocol());
        if (!value) return value.status().message();
        filter.tag = *value;
    }
    if (inv.has("--expired") && inv.has("--live")) return "--expired and --live exclude each other";
    if (inv.has("--in-file") && inv.has("--in-db")) return "--in-file and --in-db exclude each other";
    if (inv.has("--expired")) filter.expiry = EntryFilter::Expiry::Expired;
    if (inv.has("--live")) filter.expiry = EntryFilter::Expiry::Live;
    if (inv.has("--in-file")) filter.storage = EntryFilter::Storage::InFile;
    if (inv.has("--in-db")) filter.storage = EntryFilter::Storage::InDatabase;
    return std::nullopt;
}

void printSummary(const Summary& s) {
    std::string text = "kind:       " + std::string(storeKindName(s.kind)) + "\n" +
                       "directory:  " + pathToUtf8(s.directory) + "\n" +
                       "count:      " + std::to_string(s.count) + "\n" +
                       "size:       " + std::to_string(s.size) + " bytes in files\n" +
                       "volume:     " + std::to_string(s.volume) + " bytes\n" +
                       "hits:       " + std::to_string(s.hits) + "\n" +
                       "misses:     " + std::to_string(s.misses) + "\n";
    if (!s.settings.empty()) {
        text += "settings:\n";
        for (const auto& [name, value] : s.settings) text += "  " + name + " = " + inspect::pythonRepr(value) + "\n";
    }
    if (!s.shards.empty()) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& shard : s.shards)
            rows.push_back({shard.name, std::to_string(shard.count), std::to_string(shard.size), std::to_string(shard.volume)});
        text += "shards:\n" + formatTable({"SHARD", "COUNT", "SIZE", "VOLUME"}, rows);
    }
    if (!s.children.empty()) {
        text += "children:\n";
        for (const auto& child : s.children) text += "  " + std::string(storeKindName(child.kind)) + "  " + pathToUtf8(child.path) + "\n";
    }
    writeOut(text);
}

void printPage(const Page& page, bool withShard) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : page.entries) {
        std::string key = keyText(e);
        if (key.size() > 48) key = key.substr(0, 45) + "...";
        std::string tag = e.tag.isNone() ? "-" : inspect::pythonRepr(e.tag, 24);
        std::vector<std::string> row = {key, e.valueType, storeModeName(e.mode), std::to_string(e.size),
                                        e.storedLength >= 0 ? std::to_string(e.storedLength) : "missing",
                                        humanTime(e.storeTime), e.expired ? "expired" : humanTime(e.expireTime), tag};
        if (withShard) row.push_back(e.shard.value_or("-"));
        rows.push_back(std::move(row));
    }
    std::vector<std::string> header = {"KEY", "VALUE TYPE", "MODE", "SIZE", "STORED", "STORED AT (UTC)", "EXPIRES (UTC)", "TAG"};
    if (withShard) header.push_back("SHARD");
    std::string text = formatTable(header, rows);
    text += std::to_string(page.entries.size()) + " of " + std::to_string(page.total) + " entries";
    if (!page.next.empty()) text += "; next page: --after " + page.next;
    writeOut(text + "\n");
}

}  // namespace

int runInfo(const Invocation& inv) {
    auto inspector = openInspector(inv.args[0]);
    if (!inspector) return fail(inspector.status());
    auto summary = (*inspector)->summary();
    if (!summary) return fail(summary.status());
    if (!inv.json) {
        printSummary(*summary);
        return kExitOk;
    }
    JsonWriter json;
    json.beginObject();
    json.key("kind").string(storeKindName(summary->kind));
    json.key("directory").string(pathToUtf8(summary->directory));
    json.key("count").number(summary->count);
    json.key("size").number(summary->size);
    json.key("volume").number(summary->volume);
    json.key("hits").number(summary->hits);
    json.key("misses").number(summary->misses);
    json.key("settings").beginObject();
    for (const auto& [name, value] : summary->settings) {
        json.key(name);
        writeNatural(json, value);
    }
    json.endObject();
    json.key("shards").beginArray();
    for (const auto& shard : summary->shards) {
        json.beginObject();
        json.key("name").string(shard.name);
        json.key("count").number(shard.count);
        json.key("size").number(shard.size);
        json.key("volume").number(shard.volume);
        json.endObject();
    }
    json.endArray();
    json.key("children").beginArray();
    for (const auto& child : summary->children) {
        json.beginObject();
        json.key("path").string(pathToUtf8(child.path));
        json.key("kind").string(storeKindName(child.kind));
        json.endObject();
    }
    json.endArray();
    json.endObject();
    writeJson(json);
    return kExitOk;
}

int runList(const Invocation& inv) {
    PageRequest request;
    if (auto limit = inv.value("--limit")) {
        auto n = parseInt(*limit);
        if (!n || *n < 1) return usage("--limit needs a positive whole number, not '" + *limit + "'");
        request.limit = static_cast<std::size_t>(*n);
    }
    request.after = inv.value("--after").value_or("");
    auto inspector = openInspector(inv.args[0]);
    if (!inspector) return fail(inspector.status());
    if (auto error = readListOptions(inv, **inspector, request)) return usage(*error);
    auto page = (*inspector)->list(request);
    if (!page) {
        if (page.status().code() == StatusCode::InvalidArgument && !request.after.empty()) return usage(page.status().message());
        return fail(page.status());
    }
    if (!inv.json) {
        printPage(*page, (*inspector)->kind() == StoreKind::Fanout);
        return kExitOk;
    }
    JsonWriter json;
    json.beginObject();
    json.key("total").number(page->total);
    json.key("entries").beginArray();
    for (const auto& entry : page->entries) writeEntry(json, entry);
    json.endArray();
    json.key("next");
    if (page->next.empty()) json.null(); else json.string(page->next);
    json.endObject();
    writeJson(json);
    return kExitOk;
}

int runGet(const Invocation& inv) {
    auto inspector = openInspector(inv.args[0]);
    if (!inspector) return fail(inspector.status());
    Inspector& ins = **inspector;
    auto key = parseKey(inv.args[1], ins);
    if (!key) return usage(key.status().message());
    auto found = ins.find(*key);
    if (!found) return fail(found.status());
    auto missing = [&](const std::string& why) {
        if (inv.json) writeOut("null\n");
        return fail(why + ": " + (ins.kind() == StoreKind::DjangoFile ? inv.args[1] : inspect::pythonRepr(*key)));
    };
    if (!*found) return missing("key not found");
    const Entry& entry = **found;
    if (entry.expired) return missing("key has expired");  // as Python's get() sees it
    if (inv.has("--raw") || inv.has("--output")) {
        auto bytes = ins.readStoredBytes(entry);
        if (!bytes) return fail(bytes.status());
        if (auto path = inv.value("--output")) {
            std::ofstream out(pathFromUtf8(*path), std::ios::binary | std::ios::trunc);
            if (!out || !out.write(bytes->data(), static_cast<std::streamsize>(bytes->size())) || !out.flush())
                return fail("cannot write " + *path);
        }
        if (inv.has("--raw")) {
            writeOut(*bytes);
            return kExitOk;
        }
    }
    auto value = ins.readValue(entry);
    if (!value) return fail(value.status());
    const std::string repr = inspect::pythonRepr(*value);
    // What the stored bytes are, as the GUI's details pane says it. A
    // binary or pickled value is its stored bytes, so its file is read once;
    // text was changed by reading (universal newlines) and is read again.
    const bool binaryAsStored = entry.mode == StoreMode::Binary || entry.mode == StoreMode::Pickle;
    auto stored = binaryAsStored ? Result<std::string>(value->data()) : ins.readStoredBytes(entry);
    auto decoded = stored ? diskcache::decode::decodeValue(*stored, {entry.mode, entry.valueType})
                          : Result<diskcache::decode::Decoded>(stored.status());
    if (!inv.json) {
        // A JSONDisk value is JSON to its users, not compressed bytes.
        const bool json = ins.jsonDiskCompressLevel() && decoded && decoded->format == diskcache::decode::Format::JsonDisk;
        writeOut((json ? decoded->text : repr) + "\n");
        return kExitOk;
    }
    JsonWriter json;
    json.beginObject();
    json.key("key").string(keyText(entry));
    json.key("value_repr").string(repr);
    json.key("value_type").string(value->kind() == ValueKind::Pickle || entry.valueType.empty() ? inspect::pythonTypeName(*value)
                                                                                               : entry.valueType);
    json.key("mode").string(storeModeName(entry.mode));
    json.key("size").number(entry.size);
    json.key("expire_time").optionalNumber(entry.expireTime);
    json.key("tag");
    writeNatural(json, entry.tag);
    json.key("store_time").optionalNumber(entry.storeTime);
    json.key("filename").optionalString(entry.filename);
    json.key("shard").optionalString(entry.shard);
    if (stored) {
        json.key("decoded_as").string(decoded ? diskcache::decode::formatName(decoded->format) : "undecodable");
        json.key("decoded_reason").string(decoded ? decoded->reason : decoded.status().message());
    }
    json.endObject();
    writeJson(json);
    return kExitOk;
}

namespace {

std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string csvNumber(const std::optional<double>& value) { return value ? formatDouble(*value) : std::string(); }

std::string csvTag(const Value& tag) {
    switch (tag.kind()) {
    case ValueKind::None: return "";
    case ValueKind::Text: return tag.data();
    default: return inspect::pythonRepr(tag);
    }
}

void writeCsvRow(const Entry& e, const std::optional<std::string>& valueRepr) {
    const std::vector<std::string> fields = {
        keyText(e), e.keyType, e.valueType, storeModeName(e.mode), std::to_string(e.size),
        e.storedLength >= 0 ? std::to_string(e.storedLength) : "", e.filename.value_or(""), csvNumber(e.storeTime),
        csvNumber(e.accessTime), csvNumber(e.expireTime), e.accessCount ? std::to_string(*e.accessCount) : "",
        csvTag(e.tag), e.expired ? "true" : "false", e.shard.value_or(""), valueRepr.value_or("")};
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + csvField(fields[i]);
    writeOut(line + "\r\n");
}

}  // namespace

int runExport(const Invocation& inv) {
    const std::string format = inv.value("--format").value_or("jsonl");
    if (format != "jsonl" && format != "csv") return usage("--format is jsonl or csv, not '" + format + "'");
    auto inspector = openInspector(inv.args[0]);
    if (!inspector) return fail(inspector.status());
    Inspector& ins = **inspector;
    PageRequest request;
    request.limit = 500;
    if (auto error = readListOptions(inv, ins, request)) return usage(*error);
    if (format == "csv")
        writeOut("key,key_type,value_type,mode,size,stored_length,filename,store_time,access_time,expire_time,"
                 "access_count,tag,expired,shard,value_repr\r\n");
    while (true) {
        auto page = ins.list(request);
        if (!page) return fail(page.status());
        for (const auto& entry : page->entries) {
            auto value = ins.readValue(entry);
            const std::optional<std::string> repr = value ? std::optional(inspect::pythonRepr(*value)) : std::nullopt;
            if (format == "csv") {
                writeCsvRow(entry, repr);
            } else {
                JsonWriter json;
                writeEntry(json, entry, repr, true);
                writeJson(json);
            }
        }
        std::fflush(stdout);
        if (page->next.empty()) return kExitOk;
        request.after = page->next;
    }
}

}  // namespace cli
