// TEMPORARY stand-in for the pickle helper's functions while its sources are
// not registered yet. Delete before finishing.
#include <charconv>
#include <cstdio>

#include "diskcache/pickle.h"

namespace diskcache::py {

Result<Object> decodePickle(std::string_view, const DecodeLimits&) { return Status::unsupported("shim"); }
std::string repr(const Object&, std::size_t) { return "?"; }
std::string typeName(const Object&) { return "?"; }
Result<std::string> encodeKey(const Object&, int) { return Status::unsupported("shim"); }
std::string reprInt(std::int64_t v) { return std::to_string(v); }
std::string reprFloat(double v) {
    char b[64];
    auto r = std::to_chars(b, b + 64, v);
    std::string s(b, r.ptr);
    if (s.find_first_of(".en") == std::string::npos) s += ".0";
    return s;
}
static std::string esc(std::string_view s, bool bytes) {
    std::string o = bytes ? "b'" : "'";
    for (unsigned char c : s) {
        if (c == '\'' || c == '\\') { o += '\\'; o += char(c); }
        else if (c == '\n') o += "\\n";
        else if (c == '\r') o += "\\r";
        else if (c == '\t') o += "\\t";
        else if (c < 0x20 || c == 0x7f || (bytes && c >= 0x80)) { char b[8]; std::snprintf(b, 8, "\\x%02x", c); o += b; }
        else o += char(c);
    }
    return o + "'";
}
std::string reprStr(std::string_view s) { return esc(s, false); }
std::string reprBytes(std::string_view s) { return esc(s, true); }
Result<Object> parseLiteral(std::string_view t) {
    if (t.size() >= 2 && (t[0] == '\'' || t[0] == '"') && t.back() == t[0]) return makeStr(std::string(t.substr(1, t.size() - 2)));
    if (t.size() >= 3 && t[0] == 'b' && (t[1] == '\'' || t[1] == '"') && t.back() == t[1]) return makeBytes(std::string(t.substr(2, t.size() - 3)));
    std::int64_t i = 0;
    auto r = std::from_chars(t.data(), t.data() + t.size(), i);
    if (r.ec == std::errc() && r.ptr == t.data() + t.size()) return makeInt(i);
    double d = 0;
    auto rd = std::from_chars(t.data(), t.data() + t.size(), d);
    if (rd.ec == std::errc() && rd.ptr == t.data() + t.size()) return makeFloat(d);
    return Status::invalidArgument("shim");
}
Object makeStr(std::string s) { auto n = std::make_shared<Node>(); n->kind = Kind::Str; n->data = std::move(s); return n; }
Object makeBytes(std::string s) { auto n = std::make_shared<Node>(); n->kind = Kind::Bytes; n->data = std::move(s); return n; }
Object makeInt(std::int64_t v) { auto n = std::make_shared<Node>(); n->kind = Kind::Int; n->intValue = v; return n; }
Object makeFloat(double v) { auto n = std::make_shared<Node>(); n->kind = Kind::Float; n->real = v; return n; }

}  // namespace diskcache::py
