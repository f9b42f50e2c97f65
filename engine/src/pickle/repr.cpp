// repr() of trees: containers, globals, symbolic objects and cycles. Known
// library types are in repr_known.cpp.
#include "diskcache/pickle.h"

#include "repr_writer.h"

#include <cmath>
#include <set>
#include <unordered_map>

namespace diskcache::py {

namespace detail {

void ReprWriter::put(std::string_view text) {
    if (!full()) m_text.append(text);
}

std::string ReprWriter::finish() {
    if (full()) {
        const std::size_t keep = m_maxLength > 3 ? m_maxLength - 3 : 0;
        m_text.resize(keep);
        m_text += "...";
        if (m_maxLength < 3) m_text.resize(m_maxLength);
    }
    return std::move(m_text);
}

void ReprWriter::joined(const std::vector<Object>& items, std::string_view separator) {
    for (std::size_t i = 0; i < items.size() && !full(); ++i) {
        if (i > 0) put(separator);
        value(items[i]);
    }
}

void ReprWriter::pairs(const std::vector<std::pair<Object, Object>>& items) {
    for (std::size_t i = 0; i < items.size() && !full(); ++i) {
        if (i > 0) put(", ");
        value(items[i].first);
        put(": ");
        value(items[i].second);
    }
}

void ReprWriter::tupleItems(const std::vector<Object>& items) {
    put("(");
    joined(items);
    put(items.size() == 1 ? ",)" : ")");
}

void ReprWriter::container(const Node& node) {
    switch (node.kind) {
    case Kind::Tuple: tupleItems(node.items); return;
    case Kind::List: put("["); joined(node.items); put("]"); return;
    case Kind::Dict: put("{"); pairs(node.pairs); put("}"); return;
    case Kind::Set:
    case Kind::FrozenSet: {
        const bool frozen = node.kind == Kind::FrozenSet;
        if (node.items.empty()) return put(frozen ? "frozenset()" : "set()");
        put(frozen ? "frozenset({" : "{");
        joined(node.items);
        put(frozen ? "})" : "}");
        return;
    }
    default: return;
    }
}

bool isBuiltinFunction(std::string_view name) {
    static const std::set<std::string_view> kFunctions = {
        "abs", "all", "any", "ascii", "bin", "callable", "chr", "delattr", "dir", "divmod", "format", "getattr",
        "hasattr", "hash", "hex", "id", "input", "isinstance", "issubclass", "iter", "len", "max", "min", "next",
        "oct", "open", "ord", "pow", "print", "repr", "round", "setattr", "sorted", "sum", "vars", "__import__"};
    return kFunctions.count(name) != 0;
}

std::string qualifiedName(const Node& global) {
    if (global.data == "builtins") return global.name;
    return global.data + "." + global.name;
}

namespace {
bool looksLikeClass(std::string_view qualname) {
    const auto dot = qualname.rfind('.');
    const char first = qualname[dot == std::string_view::npos ? 0 : dot + 1];
    return first >= 'A' && first <= 'Z';
}
}  // namespace

void ReprWriter::global(const Node& node) {
    if (node.data == "<extension>") return put("<extension code " + node.name + ">");
    if (node.flag) return put("<" + node.name + ">");  // an enum member or a method: getattr(cls, name)
    if (node.data == "builtins" && (node.name == "NotImplemented" || node.name == "None")) return put(node.name);
    if (node.data == "builtins" && isBuiltinFunction(node.name)) return put("<built-in function " + node.name + ">");
    const bool isClass = node.data == "builtins" || looksLikeClass(node.name);
    put(isClass ? "<class '" + qualifiedName(node) + "'>" : "<function " + qualifiedName(node) + ">");
}

void ReprWriter::reference(const Node& node) {
    // What CPython prints when repr() meets an object it is already inside.
    const auto target = node.target.lock();
    const Kind kind = target ? target->kind : Kind::Ref;
    if (kind == Kind::List) return put("[...]");
    if (kind == Kind::Dict) return put("{...}");
    if (kind == Kind::Tuple) return put("(...)");
    if (kind == Kind::Set) return put("set(...)");
    if (target && target->kind == Kind::Reduce && isGlobal(target->callable, "collections", "deque"))
        return put("[...]");
    put("...");
}

void ReprWriter::reduce(const Node& node) {
    if (reprKnown(*this, node)) return;
    std::string name = "?";
    if (node.callable && node.callable->kind == Kind::Global) name = qualifiedName(*node.callable);
    const bool hasArgs = node.args && !node.args->items.empty();
    const bool extra = node.state || !node.items.empty() || !node.pairs.empty();
    if (!extra || hasArgs || node.kwargs) {
        put(extra ? "<" + name + "(" : name + "(");
        if (node.args) joined(node.args->items);
        if (node.kwargs)
            for (std::size_t i = 0; i < node.kwargs->pairs.size() && !full(); ++i) {
                const auto& [key, val] = node.kwargs->pairs[i];
                if (hasArgs || i > 0) put(", ");
                put(key->kind == Kind::Str ? key->data : "?");
                put("=");
                value(val);
            }
        put(")");
    } else {
        put("<" + name + " object");
    }
    if (node.state) put(" state="), value(node.state);
    if (!node.items.empty()) put(" items=["), joined(node.items), put("]");
    if (!node.pairs.empty()) put(" items={"), pairs(node.pairs), put("}");
    if (extra) put(">");
}

const std::string& ReprWriter::bigIntText(const Node& node) {
    // A shared big int is converted once: the conversion is quadratic.
    auto [it, inserted] = m_bigInts.try_emplace(&node);
    if (inserted) it->second = reprBigInt(node.bigInt);
    return it->second;
}

void ReprWriter::value(const Object& object) {
    if (full()) return;
    if (!object) return put("<null>");
    const Node& node = *object;
    switch (node.kind) {
    case Kind::None: return put("None");
    case Kind::Bool: return put(node.flag ? "True" : "False");
    case Kind::Int: return put(node.bigInt.empty() ? reprInt(node.intValue) : bigIntText(node));
    case Kind::Float: return put(reprFloat(node.real));
    case Kind::Complex:
        if (node.real == 0.0 && !std::signbit(node.real)) return put(formatDouble(node.imag, true, false) + "j");
        return put("(" + formatDouble(node.real, true, false) + formatDouble(node.imag, true, true) + "j)");
    case Kind::Str: return put(reprStr(node.data));
    case Kind::Bytes: return put(reprBytes(node.data));
    case Kind::ByteArray: return put("bytearray(" + bytesLiteral(node.data, true) + ")");
    case Kind::Ellipsis: return put("Ellipsis");
    case Kind::Global: return global(node);
    case Kind::Reduce: return reduce(node);
    case Kind::PickleBuffer:
        return put("<out-of-band buffer " + std::to_string(node.intValue) + (node.flag ? ", read-only>" : ">"));
    case Kind::PersistentId:
        put("<persistent id ");
        joined(node.items);
        return put(">");
    case Kind::Ref: return reference(node);
    case Kind::Error: return put("<error: " + node.data + ">");
    default: return container(node);
    }
}

}  // namespace detail

std::string repr(const Object& value, std::size_t maxLength) {
    detail::ReprWriter writer(maxLength);
    writer.value(value);
    return writer.finish();
}

}  // namespace diskcache::py
