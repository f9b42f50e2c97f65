// typeName(): Python's type(value).__name__ for decoded values.
#include "diskcache/pickle.h"

#include "repr_writer.h"

namespace diskcache::py {

namespace {

std::string lastPart(const std::string& qualname) {
    const auto dot = qualname.rfind('.');
    return dot == std::string::npos ? qualname : qualname.substr(dot + 1);
}

// The class a Global names as a callable: "ZoneInfo" for ZoneInfo._unpickle
// (a classmethod that makes a ZoneInfo), the name itself otherwise.
std::string classOfCallable(const Node& global) {
    const std::string last = lastPart(global.name);
    const auto dot = global.name.rfind('.');
    if (dot != std::string::npos && !last.empty() && (last[0] == '_' || (last[0] >= 'a' && last[0] <= 'z')))
        return lastPart(global.name.substr(0, dot));
    return last;
}

std::string reduceTypeName(const Node& node) {
    if (!node.callable || node.callable->kind != Kind::Global) return "object";
    const Node& callable = *node.callable;
    if (detail::isNumpyArray(node)) return "ndarray";
    if (callable.data == "numpy" && callable.name == "dtype") {
        const std::string name = detail::numpyDtypeName(std::shared_ptr<const Node>(std::shared_ptr<const Node>(), &node));
        return name.empty() ? "dtype" : "dtype[" + name + "]";
    }
    if (callable.data == "re" && callable.name == "_compile") return "Pattern";
    if (callable.data == "datetime" && callable.name == "timezone") return "timezone";
    if (callable.data == "copyreg" && callable.name == "__newobj__" && node.args && !node.args->items.empty() &&
        node.args->items[0]->kind == Kind::Global)
        return lastPart(node.args->items[0]->name);
    return classOfCallable(callable);
}

std::string globalTypeName(const Node& node) {
    if (node.flag) {  // getattr(cls, name): an enum member (or a method)
        const auto dot = node.name.rfind('.');
        return dot == std::string::npos ? "object" : lastPart(node.name.substr(0, dot));
    }
    if (node.data == "builtins" && node.name == "NotImplemented") return "NotImplementedType";
    const auto last = lastPart(node.name);
    if (node.data == "builtins") return detail::isBuiltinFunction(node.name) ? "builtin_function_or_method" : "type";
    return !last.empty() && last[0] >= 'A' && last[0] <= 'Z' ? "type" : "function";
}

}  // namespace

std::string typeName(const Object& value) {
    if (!value) return "NoneType";
    switch (value->kind) {
    case Kind::None: return "NoneType";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Float: return "float";
    case Kind::Complex: return "complex";
    case Kind::Str: return "str";
    case Kind::Bytes: return "bytes";
    case Kind::ByteArray: return "bytearray";
    case Kind::Tuple: return "tuple";
    case Kind::List: return "list";
    case Kind::Dict: return "dict";
    case Kind::Set: return "set";
    case Kind::FrozenSet: return "frozenset";
    case Kind::Ellipsis: return "ellipsis";
    case Kind::Global: return globalTypeName(*value);
    case Kind::Reduce: return reduceTypeName(*value);
    case Kind::PickleBuffer: return "PickleBuffer";
    case Kind::PersistentId: return "persistent_id";
    case Kind::Ref: {
        const auto target = value->target.lock();
        return target ? typeName(target) : "object";
    }
    case Kind::Error: return "error";
    }
    return "object";
}

}  // namespace diskcache::py
