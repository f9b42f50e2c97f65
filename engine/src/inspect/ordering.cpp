// Sort keys, SQLite's value ordering, and the opaque cursor.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "source.h"

namespace diskcache::inspect_detail {

namespace {

int storageClass(const Value& v) {
    switch (v.kind()) {
    case ValueKind::None: return 0;
    case ValueKind::Int:
    case ValueKind::Float: return 1;
    case ValueKind::Text: return 2;
    case ValueKind::Bytes:
    case ValueKind::Pickle: return 3;
    }
    return 0;
}

template <typename T>
int sign(T a, T b) {
    return a < b ? -1 : (b < a ? 1 : 0);
}

// SQLite's sqlite3IntFloatCompare: exact, with no rounding of the int.
int compareIntFloat(std::int64_t i, double r) {
    if (std::isnan(r)) return 1;
    if (r < -9223372036854775808.0) return 1;
    if (r >= 9223372036854775808.0) return -1;
    const auto y = static_cast<std::int64_t>(r);
    if (i != y) return sign(i, y);
    return sign(static_cast<double>(i), r);
}

int compareNumbers(const Value& a, const Value& b) {
    const bool aInt = a.kind() == ValueKind::Int;
    const bool bInt = b.kind() == ValueKind::Int;
    if (aInt && bInt) return sign(a.asInt(), b.asInt());
    if (!aInt && !bInt) return sign(a.asFloat(), b.asFloat());
    return aInt ? compareIntFloat(a.asInt(), b.asFloat()) : -compareIntFloat(b.asInt(), a.asFloat());
}

int compareBytes(const std::string& a, const std::string& b) {
    const int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
    if (c != 0) return c < 0 ? -1 : 1;
    return sign(a.size(), b.size());
}

void putU64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

bool getU64(std::string_view& in, std::uint64_t& v) {
    if (in.size() < 8) return false;
    v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t(static_cast<unsigned char>(in[static_cast<std::size_t>(i)])) << (8 * i);
    in.remove_prefix(8);
    return true;
}

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(std::string_view data) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : data) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(kAlphabet[(buffer >> bits) & 0x3F]);
        }
    }
    if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3F]);
    return out;
}

std::optional<std::string> unbase64url(std::string_view text) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        const char* at = std::strchr(kAlphabet, c);
        if (!at || c == '\0') return std::nullopt;
        buffer = (buffer << 6) | static_cast<std::uint32_t>(at - kAlphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    return out;
}

constexpr char kCursorVersion = 1;

}  // namespace

int compareSqlValues(const Value& a, const Value& b) {
    const int ca = storageClass(a);
    const int cb = storageClass(b);
    if (ca != cb) return sign(ca, cb);
    switch (ca) {
    case 0: return 0;
    case 1: return compareNumbers(a, b);
    default: return compareBytes(a.data(), b.data());
    }
}

int compareSortKeys(const SortKey& a, const SortKey& b, bool descending) {
    if (a.segment != b.segment) return sign(a.segment, b.segment);
    int c = compareSqlValues(a.value, b.value);
    if (c == 0) c = sign(a.raw, b.raw);
    if (c == 0) c = sign(a.rowid, b.rowid);
    return descending ? -c : c;
}

// Layout: version, sort, direction, segment, shard, raw, rowid, value kind,
// value payload; then base64url. Nothing in it is a promise to callers.
std::string encodeCursor(SortColumn sort, bool descending, const Position& position) {
    std::string out;
    out.push_back(kCursorVersion);
    out.push_back(static_cast<char>(sort));
    out.push_back(descending ? 1 : 0);
    out.push_back(static_cast<char>(position.key.segment));
    putU64(out, static_cast<std::uint64_t>(position.shard));
    putU64(out, static_cast<std::uint64_t>(position.key.raw));
    putU64(out, static_cast<std::uint64_t>(position.key.rowid));
    const Value& v = position.key.value;
    out.push_back(static_cast<char>(v.kind()));
    switch (v.kind()) {
    case ValueKind::None: break;
    case ValueKind::Int: putU64(out, static_cast<std::uint64_t>(v.asInt())); break;
    case ValueKind::Float: putU64(out, std::bit_cast<std::uint64_t>(v.asFloat())); break;
    default: out += v.data(); break;
    }
    return base64url(out);
}

Result<Position> decodeCursor(const std::string& cursor, SortColumn sort, bool descending) {
    const auto bytes = unbase64url(cursor);
    const Status bad = Status::invalidArgument("not a cursor of this listing: " + cursor.substr(0, 40));
    if (!bytes || bytes->size() < 4 + 24 + 1 || (*bytes)[0] != kCursorVersion) return bad;
    std::string_view in(*bytes);
    if (in[1] != static_cast<char>(sort) || in[2] != (descending ? 1 : 0))
        return Status::invalidArgument("the cursor belongs to another sort order; start again without it");
    Position position;
    position.key.segment = in[3] == 1 ? 1 : 0;
    in.remove_prefix(4);
    std::uint64_t shard = 0, raw = 0, rowid = 0;
    if (!getU64(in, shard) || !getU64(in, raw) || !getU64(in, rowid) || in.empty()) return bad;
    position.shard = static_cast<int>(shard);
    position.key.raw = static_cast<std::int64_t>(raw);
    position.key.rowid = static_cast<std::int64_t>(rowid);
    const auto kind = static_cast<ValueKind>(in[0]);
    in.remove_prefix(1);
    std::uint64_t number = 0;
    switch (kind) {
    case ValueKind::None: break;
    case ValueKind::Int:
        if (!getU64(in, number)) return bad;
        position.key.value = Value::integer(static_cast<std::int64_t>(number));
        break;
    case ValueKind::Float:
        if (!getU64(in, number)) return bad;
        position.key.value = Value::real(std::bit_cast<double>(number));
        break;
    case ValueKind::Text: position.key.value = Value::text(std::string(in)); break;
    case ValueKind::Bytes: position.key.value = Value::bytes(std::string(in)); break;
    case ValueKind::Pickle: position.key.value = Value::pickle(std::string(in)); break;
    default: return bad;
    }
    return position;
}

}  // namespace diskcache::inspect_detail
