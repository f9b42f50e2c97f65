// repr() of the library types diskcache users store most, recognised by the
// exact reduction CPython 3.11 pickles them with: datetime, Decimal, UUID,
// Fraction, pathlib, the collections types, re patterns, ZoneInfo, and a
// summary of numpy arrays. A shape that does not match falls back to the
// generic symbolic form.
#include "internal.h"
#include "repr_writer.h"

#include "diskcache/pickle.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace diskcache::py::detail {

namespace {

bool isKind(const Object& object, Kind kind) { return object && object->kind == kind; }

bool smallInt(const Object& object, std::int64_t& out) {
    if (isKind(object, Kind::Bool)) return out = object->flag, true;
    if (!isKind(object, Kind::Int) || !object->bigInt.empty()) return false;
    out = object->intValue;
    return true;
}

const std::vector<Object>& args(const Node& node) {
    static const std::vector<Object> none;
    return node.args ? node.args->items : none;
}

bool noExtras(const Node& node) { return !node.state && node.items.empty() && node.pairs.empty() && !node.kwargs; }

unsigned byteAt(const std::string& data, std::size_t i) { return static_cast<unsigned char>(data[i]); }

// ---- datetime -------------------------------------------------------------

void tzinfoAndFold(ReprWriter& out, const std::vector<Object>& a, bool fold) {
    if (a.size() > 1 && !isKind(a[1], Kind::None)) {
        out.put(", tzinfo=");
        out.value(a[1]);
    }
    if (fold) out.put(", fold=1");
    out.put(")");
}

// The C datetime module drops trailing zero fields (seconds, microseconds).
std::string timeFields(unsigned hour, unsigned minute, unsigned second, unsigned micro) {
    std::string text = std::to_string(hour) + ", " + std::to_string(minute);
    if (second != 0 || micro != 0) text += ", " + std::to_string(second);
    if (micro != 0) text += ", " + std::to_string(micro);
    return text;
}

bool reprDatetime(ReprWriter& out, const Node& node, const std::string& name) {
    const auto& a = args(node);
    if (a.empty() || a.size() > 2 || !isKind(a[0], Kind::Bytes) || !noExtras(node)) return false;
    const std::string& s = a[0]->data;
    const std::size_t expected = name == "datetime" ? 10 : name == "date" ? 4 : 6;
    if (s.size() != expected) return false;
    if (name == "time") {
        const unsigned micro = (byteAt(s, 3) << 16) | (byteAt(s, 4) << 8) | byteAt(s, 5);
        out.put("datetime.time(" + timeFields(byteAt(s, 0) & 0x7f, byteAt(s, 1), byteAt(s, 2), micro));
        tzinfoAndFold(out, a, byteAt(s, 0) > 127);
        return true;
    }
    const unsigned year = byteAt(s, 0) * 256 + byteAt(s, 1);
    const unsigned month = byteAt(s, 2) & 0x7f;
    std::string text = std::to_string(year) + ", " + std::to_string(month) + ", " + std::to_string(byteAt(s, 3));
    if (name == "date") {
        if (a.size() != 1) return false;
        out.put("datetime.date(" + text + ")");
        return true;
    }
    const unsigned micro = (byteAt(s, 7) << 16) | (byteAt(s, 8) << 8) | byteAt(s, 9);
    out.put("datetime.datetime(" + text + ", " + timeFields(byteAt(s, 4), byteAt(s, 5), byteAt(s, 6), micro));
    tzinfoAndFold(out, a, byteAt(s, 2) > 127);
    return true;
}

bool reprTimedelta(ReprWriter& out, const Node& node) {
    const auto& a = args(node);
    std::int64_t v[3] = {0, 0, 0};
    if (a.size() != 3 || !noExtras(node)) return false;
    for (int i = 0; i < 3; ++i)
        if (!smallInt(a[static_cast<std::size_t>(i)], v[i])) return false;
    static const char* const kNames[3] = {"days=", "seconds=", "microseconds="};
    std::string text;
    for (int i = 0; i < 3; ++i)
        if (v[i] != 0) text += (text.empty() ? "" : ", ") + std::string(kNames[i]) + std::to_string(v[i]);
    out.put("datetime.timedelta(" + (text.empty() ? std::string("0") : text) + ")");
    return true;
}

bool isZeroTimedelta(const Object& object) {
    if (!isKind(object, Kind::Reduce) || !isGlobal(object->callable, "datetime", "timedelta")) return false;
    const auto& a = args(*object);
    std::int64_t v = 0;
    for (const auto& item : a)
        if (!smallInt(item, v) || v != 0) return false;
    return a.size() == 3;
}

bool reprTimezone(ReprWriter& out, const Node& node) {
    const auto& a = args(node);
    if (a.empty() || a.size() > 2 || !noExtras(node)) return false;
    // timezone(timedelta(0)) without a name is the datetime.timezone.utc singleton.
    if (a.size() == 1 && isZeroTimedelta(a[0])) return out.put("datetime.timezone.utc"), true;
    out.put("datetime.timezone(");
    out.joined(a);
    out.put(")");
    return true;
}

// ---- numbers, ids, paths ----------------------------------------------------

bool reprDecimal(ReprWriter& out, const Node& node) {
    const auto& a = args(node);
    if (a.size() != 1 || !isKind(a[0], Kind::Str) || !noExtras(node)) return false;
    out.put("Decimal(" + reprStr(a[0]->data) + ")");
    return true;
}

bool reprFraction(ReprWriter& out, const Node& node) {
    const auto& a = args(node);
    if (!noExtras(node) || a.empty() || a.size() > 2) return false;
    if (a.size() == 2 && isKind(a[0], Kind::Int) && isKind(a[1], Kind::Int)) {
        out.put("Fraction(");
        out.joined(a);
        out.put(")");
        return true;
    }
    if (a.size() != 1 || !isKind(a[0], Kind::Str)) return false;
    const std::string& text = a[0]->data;  // older Pythons: str(fraction), "n/d" or "n"
    const auto slash = text.find('/');
    const std::string denominator = slash == std::string::npos ? "1" : text.substr(slash + 1);
    out.put("Fraction(" + text.substr(0, slash) + ", " + denominator + ")");
    return true;
}

bool uuidInt(const Object& state, std::string& bytes16) {
    if (!isKind(state, Kind::Dict)) return false;
    for (const auto& [key, value] : state->pairs) {
        if (!isKind(key, Kind::Str) || key->data != "int" || !isKind(value, Kind::Int)) continue;
        std::string twos = value->bigInt;
        if (twos.empty())
            for (int i = 0; i < 8; ++i) twos.push_back(static_cast<char>((static_cast<std::uint64_t>(value->intValue) >> (8 * i)) & 0xff));
        while (twos.size() > 16 && twos.back() == 0) twos.pop_back();
        if (twos.size() > 16 || (value->bigInt.empty() && value->intValue < 0)) return false;
        twos.resize(16, '\0');
        bytes16 = twos;
        return true;
    }
    return false;
}

bool reprUuid(ReprWriter& out, const Node& node) {
    std::string bytes;
    if (!args(node).empty() || !uuidInt(node.state, bytes)) return false;
    std::string hex;
    for (int i = 15; i >= 0; --i) {
        char buffer[3];
        std::snprintf(buffer, sizeof buffer, "%02x", byteAt(bytes, static_cast<std::size_t>(i)));
        hex += buffer;
        if (i == 12 || i == 10 || i == 8 || i == 6) hex += "-";
    }
    out.put("UUID('" + hex + "')");
    return true;
}

bool reprPath(ReprWriter& out, const Node& node, const std::string& cls) {
    const auto& a = args(node);
    if (!noExtras(node)) return false;
    const bool windows = cls.find("Windows") != std::string::npos;
    std::string path;
    for (const auto& part : a) {
        if (!isKind(part, Kind::Str)) return false;
        const bool needsSeparator = !path.empty() && path.back() != '/' && path.back() != '\\';
        path += (needsSeparator ? (windows ? "\\" : "/") : "") + part->data;
    }
    if (path.empty()) path = ".";
    if (windows)
        for (auto& c : path) c = c == '\\' ? '/' : c;  // repr shows as_posix()
    out.put(cls + "(" + reprStr(path) + ")");
    return true;
}

// ---- collections ------------------------------------------------------------

bool reprOrderedDict(ReprWriter& out, const Node& node) {
    if (!args(node).empty() || !node.items.empty()) return false;
    if (node.pairs.empty()) return out.put("OrderedDict()"), true;
    out.put("OrderedDict([");
    for (std::size_t i = 0; i < node.pairs.size() && !out.full(); ++i) {
        out.put(i == 0 ? "(" : ", (");
        out.value(node.pairs[i].first);
        out.put(", ");
        out.value(node.pairs[i].second);
        out.put(")");
    }
    out.put("])");
    return true;
}

bool reprDefaultdict(ReprWriter& out, const Node& node) {
    const auto& a = args(node);
    if (a.size() > 1 || !node.items.empty()) return false;
    out.put("defaultdict(");
    if (a.empty()) out.put("None");
    else out.value(a[0]);
    out.put(", {");
    out.pairs(node.pairs);
    out.put("})");
    return true;
}

bool reprDeque(ReprWriter& out, const Node& node) {
    const auto& a = args(node);
    if (!node.pairs.empty() || a.size() > 2) return false;
    std::vector<Object> items = node.items;
    if (!a.empty() && (isKind(a[0], Kind::List) || isKind(a[0], Kind::Tuple)))
        items.insert(items.begin(), a[0]->items.begin(), a[0]->items.end());
    out.put("deque([");
    out.joined(items);
    out.put("]");
    std::int64_t maxlen = 0;
    if (a.size() == 2 && smallInt(a[1], maxlen)) out.put(", maxlen=" + std::to_string(maxlen));
    out.put(")");
    return true;
}

double sortCount(const Object& value) {
    if (isKind(value, Kind::Float)) return value->real;
    std::int64_t v = 0;
    return smallInt(value, v) ? static_cast<double>(v) : 0.0;
}

bool reprCounter(ReprWriter& out, const Node& node) {
    const auto& a = args(node);
    if (a.size() != 1 || !isKind(a[0], Kind::Dict) || !noExtras(node)) return false;
    auto pairs = a[0]->pairs;
    if (pairs.empty()) return out.put("Counter()"), true;
    for (const auto& pair : pairs)
        if (!isKind(pair.second, Kind::Float) && !isKind(pair.second, Kind::Int) && !isKind(pair.second, Kind::Bool))
            return false;
    // most_common(): a stable sort by count, largest first.
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const auto& x, const auto& y) { return sortCount(x.second) > sortCount(y.second); });
    out.put("Counter({");
    out.pairs(pairs);
    out.put("})");
    return true;
}

// ---- others -----------------------------------------------------------------

bool reprRange(ReprWriter& out, const Node& node) {
    const auto& a = args(node);
    std::int64_t step = 0;
    if (a.size() != 3 || !noExtras(node)) return false;
    out.put("range(");
    out.value(a[0]);
    out.put(", ");
    out.value(a[1]);
    if (!smallInt(a[2], step) || step != 1) out.put(", "), out.value(a[2]);
    out.put(")");
    return true;
}

bool reprPattern(ReprWriter& out, const Node& node) {
    const auto& a = args(node);
    std::int64_t flags = 0;
    if (a.size() != 2 || !smallInt(a[1], flags) || !noExtras(node)) return false;
    // re.UNICODE is implied for str patterns and not shown.
    if (isKind(a[0], Kind::Str)) flags &= ~std::int64_t{32};
    if (flags != 0) return false;
    out.put("re.compile(");
    out.value(a[0]);
    out.put(")");
    return true;
}

// type(None), type(...), type(NotImplemented): the classes of singletons.
bool reprSingletonType(ReprWriter& out, const Node& node) {
    const auto& a = args(node);
    if (a.size() != 1 || !noExtras(node)) return false;
    if (isKind(a[0], Kind::None)) return out.put("<class 'NoneType'>"), true;
    if (isKind(a[0], Kind::Ellipsis)) return out.put("<class 'ellipsis'>"), true;
    if (isGlobal(a[0], "builtins", "NotImplemented")) return out.put("<class 'NotImplementedType'>"), true;
    return false;
}

bool reprZoneInfo(ReprWriter& out, const Node& node) {
    const auto& a = args(node);
    if (a.empty() || !isKind(a[0], Kind::Str) || !noExtras(node)) return false;
    out.put("zoneinfo.ZoneInfo(key=" + reprStr(a[0]->data) + ")");
    return true;
}

}  // namespace

bool reprKnown(ReprWriter& out, const Node& node) {
    if (!isKind(node.callable, Kind::Global) || !isKind(node.args, Kind::Tuple)) return false;
    const std::string& module = node.callable->data;
    const std::string& name = node.callable->name;
    if (module == "datetime") {
        if (name == "datetime" || name == "date" || name == "time") return reprDatetime(out, node, name);
        if (name == "timedelta") return reprTimedelta(out, node);
        if (name == "timezone") return reprTimezone(out, node);
        return false;
    }
    if (module == "decimal" && name == "Decimal") return reprDecimal(out, node);
    if (module == "fractions" && name == "Fraction") return reprFraction(out, node);
    if (module == "uuid" && name == "UUID") return reprUuid(out, node);
    if (module == "pathlib" && name.find("Path") != std::string::npos) return reprPath(out, node, name);
    if (module == "collections") {
        if (name == "OrderedDict") return reprOrderedDict(out, node);
        if (name == "defaultdict") return reprDefaultdict(out, node);
        if (name == "deque") return reprDeque(out, node);
        if (name == "Counter") return reprCounter(out, node);
        return false;
    }
    if (module == "builtins" && name == "range") return reprRange(out, node);
    if (module == "builtins" && name == "type") return reprSingletonType(out, node);
    if (module == "re" && name == "_compile") return reprPattern(out, node);
    if (module == "zoneinfo" && name == "ZoneInfo._unpickle") return reprZoneInfo(out, node);
    return reprNumpy(out, node);
}

}  // namespace diskcache::py::detail
