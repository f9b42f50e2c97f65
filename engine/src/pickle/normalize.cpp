// See normalize.h. Only exact shapes that CPython's pickler writes are
// folded; anything else stays a symbolic Reduce.
#include "normalize.h"

#include "internal.h"

namespace diskcache::py::detail {

namespace {

bool isKind(const Object& object, Kind kind) { return object && object->kind == kind; }

bool isStr(const Object& object, std::string_view text) { return isKind(object, Kind::Str) && object->data == text; }

bool isPlainCall(const Node& node) {
    return node.style != ReduceStyle::NewObj && !node.state && node.items.empty() && node.pairs.empty() && !node.kwargs &&
           isKind(node.args, Kind::Tuple);
}

// str.encode("latin-1"); false when a code point does not fit a byte.
bool latin1(std::string_view utf8, std::string& out) {
    std::size_t pos = 0;
    std::uint32_t cp = 0;
    while (pos < utf8.size()) {
        if (!nextCodePoint(utf8, pos, cp) || cp > 0xFF) return false;
        out.push_back(static_cast<char>(cp));
    }
    return true;
}

Object withData(Kind kind, std::string data) {
    auto node = std::make_shared<Node>();
    node->kind = kind;
    node->data = std::move(data);
    return node;
}

Object foldBytes(const std::vector<Object>& args, bool bytearray) {
    const Kind kind = bytearray ? Kind::ByteArray : Kind::Bytes;
    if (args.empty()) return withData(kind, {});
    if (args.size() == 1 && (isKind(args[0], Kind::Bytes) || isKind(args[0], Kind::ByteArray)))
        return withData(kind, args[0]->data);
    std::string bytes;
    if (args.size() == 2 && isKind(args[0], Kind::Str) && (isStr(args[1], "latin1") || isStr(args[1], "latin-1")) &&
        latin1(args[0]->data, bytes))
        return withData(kind, std::move(bytes));
    return nullptr;
}

Object foldSet(const std::vector<Object>& args, Kind kind) {
    if (args.empty()) return makeContainer(kind, {});
    if (args.size() != 1) return nullptr;
    const Kind from = args[0]->kind;
    if (from != Kind::List && from != Kind::Tuple && from != Kind::Set && from != Kind::FrozenSet) return nullptr;
    return makeContainer(kind, args[0]->items);
}

Object foldComplex(const std::vector<Object>& args) {
    double parts[2] = {0.0, 0.0};
    if (args.size() > 2) return nullptr;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (isKind(args[i], Kind::Float)) parts[i] = args[i]->real;
        else if (isKind(args[i], Kind::Int) && args[i]->bigInt.empty()) parts[i] = static_cast<double>(args[i]->intValue);
        else return nullptr;
    }
    return makeComplex(parts[0], parts[1]);
}

// getattr(SomeClass, "name"): an enum member, or a method for protocols < 4.
Object foldGetattr(const std::vector<Object>& args) {
    if (args.size() != 2 || !isKind(args[0], Kind::Global) || !isKind(args[1], Kind::Str)) return nullptr;
    auto node = std::make_shared<Node>(*args[0]);
    node->name += "." + args[1]->data;
    node->flag = true;
    return node;
}

// copyreg._reconstructor(cls, base, state): protocols 0 and 1's way to make
// an instance; state is the base value for builtin bases (a dict subclass).
Object foldReconstructor(std::shared_ptr<Node> node) {
    const auto& args = node->args->items;
    if (args.size() != 3 || !isKind(args[0], Kind::Global)) return node;
    auto instance = std::make_shared<Node>(*node);
    instance->style = ReduceStyle::NewObj;
    instance->callable = args[0];
    const bool plainObject = isGlobal(args[1], "builtins", "object");
    instance->args = makeContainer(Kind::Tuple, plainObject || isKind(args[2], Kind::None)
                                                    ? std::vector<Object>{}
                                                    : std::vector<Object>{args[2]});
    return instance;
}

}  // namespace

Object normalize(std::shared_ptr<Node> node) {
    if (node->kind != Kind::Reduce || !isKind(node->callable, Kind::Global) || !isKind(node->args, Kind::Tuple))
        return node;
    const Node& callable = *node->callable;
    if (callable.data == "copyreg" && callable.name == "_reconstructor") return foldReconstructor(node);
    if (!isPlainCall(*node)) return node;
    const auto& args = node->args->items;
    Object folded;
    if (callable.data == "_codecs" && callable.name == "encode") folded = foldBytes(args, false);
    else if (callable.data != "builtins") return node;
    else if (callable.name == "bytes") folded = foldBytes(args, false);
    else if (callable.name == "bytearray") folded = foldBytes(args, true);
    else if (callable.name == "set") folded = foldSet(args, Kind::Set);
    else if (callable.name == "frozenset") folded = foldSet(args, Kind::FrozenSet);
    else if (callable.name == "complex") folded = foldComplex(args);
    else if (callable.name == "getattr") folded = foldGetattr(args);
    if (callable.data == "_codecs" && args.size() != 2) folded = nullptr;
    return folded ? folded : node;
}

Object globalObject(std::string module, std::string qualname) {
    if (module == "builtins" && qualname == "Ellipsis") {
        auto node = std::make_shared<Node>();
        node->kind = Kind::Ellipsis;
        return node;
    }
    return makeGlobal(std::move(module), std::move(qualname));
}

}  // namespace diskcache::py::detail
