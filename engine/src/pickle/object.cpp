// Builders for py::Object leaves and containers.
#include "diskcache/pyobject.h"

#include "internal.h"

namespace diskcache::py {

namespace {
std::shared_ptr<Node> leaf(Kind kind) {
    auto node = std::make_shared<Node>();
    node->kind = kind;
    return node;
}
}  // namespace

Object makeNone() {
    // One shared None: None is a singleton in Python as well.
    static const Object none = leaf(Kind::None);
    return none;
}

Object makeBool(bool value) {
    auto node = leaf(Kind::Bool);
    node->flag = value;
    return node;
}

Object makeInt(std::int64_t value) {
    auto node = leaf(Kind::Int);
    node->intValue = value;
    return node;
}

Object makeBigInt(std::string twosComplementLE) {
    return detail::intObject(detail::bigFromTwos(twosComplementLE));
}

Object makeFloat(double value) {
    auto node = leaf(Kind::Float);
    node->real = value;
    return node;
}

Object makeComplex(double real, double imag) {
    auto node = leaf(Kind::Complex);
    node->real = real;
    node->imag = imag;
    return node;
}

Object makeStr(std::string utf8) {
    auto node = leaf(Kind::Str);
    node->data = std::move(utf8);
    return node;
}

Object makeBytes(std::string bytes) {
    auto node = leaf(Kind::Bytes);
    node->data = std::move(bytes);
    return node;
}

Object makeGlobal(std::string module, std::string qualname) {
    auto node = leaf(Kind::Global);
    node->data = std::move(module);
    node->name = std::move(qualname);
    return node;
}

Object makeError(std::string message) {
    auto node = leaf(Kind::Error);
    node->data = std::move(message);
    return node;
}

Object makeContainer(Kind kind, std::vector<Object> items) {
    auto node = leaf(kind);
    node->items = std::move(items);
    return node;
}

Object makeDict(std::vector<std::pair<Object, Object>> pairs) {
    auto node = leaf(Kind::Dict);
    node->pairs = std::move(pairs);
    return node;
}

bool isGlobal(const Object& object, std::string_view module, std::string_view qualname) {
    return object && object->kind == Kind::Global && !object->flag && object->data == module &&
           object->name == qualname;
}

}  // namespace diskcache::py
