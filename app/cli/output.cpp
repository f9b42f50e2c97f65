#include "output.h"
#include "platform.h"

#include <charconv>
#include <cinttypes>
#include <cmath>
#include <ctime>

#ifdef _WIN32
#include <io.h>
#define isatty _isatty
#define fileno _fileno
#else
#include <unistd.h>
#endif

namespace cli {

using diskcache::Entry;
using diskcache::Value;
using diskcache::ValueKind;

int fail(const std::string& message) {
    std::fprintf(stderr, "cachescope-cli: %s\n", message.c_str());
    return kExitError;
}

int fail(const diskcache::Status& status) {
    std::string prefix;
    switch (status.code()) {
    case diskcache::StatusCode::Timeout: prefix = "locked: "; break;
    case diskcache::StatusCode::Corrupt: prefix = "corrupt: "; break;
    case diskcache::StatusCode::ReadOnly: prefix = "read-only: "; break;
    default: break;
    }
    return fail(prefix + status.message());
}

int usage(const std::string& message) {
    std::fprintf(stderr, "cachescope-cli: %s\n", message.c_str());
    return kExitUsage;
}

void writeOut(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
}

void writeJson(const JsonWriter& json) {
    writeOut(json.text());
    writeOut("\n");
}

std::string keyText(const Entry& entry) { return diskcache::inspect::keyText(entry); }

void writeNatural(JsonWriter& json, const Value& value) {
    switch (value.kind()) {
    case ValueKind::None: json.null(); break;
    case ValueKind::Int: json.number(value.asInt()); break;
    case ValueKind::Float:
        if (std::isfinite(value.asFloat())) json.number(value.asFloat());
        else json.string(diskcache::inspect::pythonRepr(value));  // nan, inf: no JSON number
        break;
    case ValueKind::Text: json.string(value.data()); break;
    case ValueKind::Bytes:
    case ValueKind::Pickle: json.string(diskcache::inspect::pythonRepr(value)); break;
    }
}

void writeEntry(JsonWriter& json, const Entry& e, const std::optional<std::string>& valueRepr, bool withValueRepr) {
    json.beginObject();
    json.key("key").string(keyText(e));
    json.key("key_type").string(e.keyType);
    json.key("value_type").string(e.valueType);
    json.key("mode").string(diskcache::storeModeName(e.mode));
    json.key("size").number(e.size);
    json.key("stored_length");
    if (e.storedLength >= 0) json.number(e.storedLength); else json.null();
    json.key("filename").optionalString(e.filename);
    json.key("store_time").optionalNumber(e.storeTime);
    json.key("access_time").optionalNumber(e.accessTime);
    json.key("expire_time").optionalNumber(e.expireTime);
    json.key("access_count");
    if (e.accessCount) json.number(*e.accessCount); else json.null();
    json.key("tag");
    writeNatural(json, e.tag);
    json.key("expired").boolean(e.expired);
    json.key("shard").optionalString(e.shard);
    if (withValueRepr) json.key("value_repr").optionalString(valueRepr);
    json.endObject();
}

std::string humanTime(const std::optional<double>& seconds) {
    if (!seconds || !std::isfinite(*seconds)) return "-";
    const auto t = static_cast<std::time_t>(std::floor(*seconds));
    std::tm tm{};
#ifdef _WIN32
    gmtime_s(&tm, &t);
#else
    gmtime_r(&t, &tm);
#endif
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &tm);
    return buffer;
}

std::string formatTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths(header.size(), 0);
    auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
    };
    measure(header);
    for (const auto& row : rows) measure(row);
    auto line = [&](const std::vector<std::string>& row) {
        std::string text;
        for (std::size_t i = 0; i < row.size(); ++i) {
            text += row[i];
            if (i + 1 < row.size()) text += std::string(widths[i] - row[i].size() + 2, ' ');
        }
        return text + "\n";
    };
    std::string text = line(header);
    for (const auto& row : rows) text += line(row);
    return text;
}

diskcache::Result<std::unique_ptr<diskcache::Inspector>> openInspector(const std::string& directory) {
    return diskcache::inspect::open(pathFromUtf8(directory));
}

diskcache::Result<Value> parseKey(const std::string& text, const diskcache::Inspector& inspector) {
    // Django's file cache keeps no keys: its entries are named by md5 file name.
    if (inspector.kind() == diskcache::StoreKind::DjangoFile) return Value::text(text);
    // A JSONDisk cache's keys are JSON: KEY is JSON text, or else a str.
    if (auto level = inspector.jsonDiskCompressLevel()) {
        auto key = diskcache::inspect::jsonDiskKey(text, *level);
        if (key) return key;
        JsonWriter asString;  // not JSON: the str json.dumps(text) would make
        asString.string(text);
        return diskcache::inspect::jsonDiskKey(asString.text(), *level);
    }
    return diskcache::inspect::keyFromLiteral(text, inspector.pickleProtocol());
}

diskcache::Result<Value> parseTag(const std::string& text, int pickleProtocol) {
    auto tag = diskcache::inspect::keyFromLiteral(text, pickleProtocol);
    if (!tag) return tag;
    if (tag->kind() == ValueKind::Pickle)
        return diskcache::Status::invalidArgument("a tag must be a str, bytes, int or float: " + text);
    return tag;
}

std::optional<double> parseDouble(const std::string& text) {
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (!end || *end != '\0') return std::nullopt;
    return value;
}

std::optional<std::int64_t> parseInt(const std::string& text) {
    std::int64_t value = 0;
    const char* begin = text.data();
    if (!text.empty() && text[0] == '+') ++begin;
    const auto result = std::from_chars(begin, text.data() + text.size(), value);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size() || begin == text.data() + text.size())
        return std::nullopt;
    return value;
}

bool stderrIsTerminal() { return isatty(fileno(stderr)) != 0; }

Progress::~Progress() {
    if (m_shown) std::fputc('\n', stderr);
}

diskcache::ProgressFn Progress::callback(std::int64_t base) {
    return [this, base](std::int64_t done) {
        if (m_show) {
            std::fprintf(stderr, "\r%s: %" PRId64 "...", m_label.c_str(), base + done);
            m_shown = true;
        }
        return true;
    };
}

}  // namespace cli
