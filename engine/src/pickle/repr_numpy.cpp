// numpy arrays and dtypes, summarised by class, shape and dtype: their
// data is raw memory that only numpy itself would format. numpy pickles an
// array as _reconstruct(ndarray, (0,), b'b') followed by BUILD with
// (version, shape, dtype, is_fortran, data), or with protocol 5 as
// _frombuffer(buffer, dtype, shape, order); a dtype as dtype(code, False,
// True) followed by BUILD with (version, byte order, ...).
#include "repr_writer.h"

#include <map>

namespace diskcache::py::detail {

namespace {

bool isKind(const Object& object, Kind kind) { return object && object->kind == kind; }

bool isNumpyModule(const std::string& module, std::string_view tail) {
    return module == "numpy.core." + std::string(tail) || module == "numpy._core." + std::string(tail);
}

std::string dtypeFromCode(const std::string& code) {
    static const std::map<std::string, std::string> kNames = {
        {"b1", "bool"},       {"i1", "int8"},       {"i2", "int16"},     {"i4", "int32"},      {"i8", "int64"},
        {"u1", "uint8"},      {"u2", "uint16"},     {"u4", "uint32"},    {"u8", "uint64"},     {"f2", "float16"},
        {"f4", "float32"},    {"f8", "float64"},    {"f16", "float128"}, {"c8", "complex64"},  {"c16", "complex128"},
        {"c32", "complex256"}, {"O4", "object"},    {"O8", "object"},    {"M8", "datetime64"}, {"m8", "timedelta64"}};
    const auto it = kNames.find(code);
    return it == kNames.end() ? code : it->second;
}

void shapeText(ReprWriter& out, const Object& shape) {
    if (isKind(shape, Kind::Tuple)) out.tupleItems(shape->items);
    else out.value(shape);
}

std::string dtypeName(const Node& dtype) {
    if (dtype.kind != Kind::Reduce || !isGlobal(dtype.callable, "numpy", "dtype") || !isKind(dtype.args, Kind::Tuple))
        return {};
    const auto& a = dtype.args->items;
    if (a.empty() || !isKind(a[0], Kind::Str)) return {};
    return dtypeFromCode(a[0]->data);
}

}  // namespace

std::string numpyDtypeName(const Object& dtype) { return dtype ? dtypeName(*dtype) : std::string(); }

bool isNumpyArray(const Node& node) {
    if (!isKind(node.callable, Kind::Global)) return false;
    const Node& callable = *node.callable;
    return (isNumpyModule(callable.data, "multiarray") && callable.name == "_reconstruct") ||
           (isNumpyModule(callable.data, "numeric") && callable.name == "_frombuffer");
}

bool reprNumpy(ReprWriter& out, const Node& node) {
    const std::string dtype = dtypeName(node);
    if (!dtype.empty()) return out.put("dtype('" + dtype + "')"), true;
    if (!isNumpyArray(node) || !isKind(node.args, Kind::Tuple)) return false;
    Object shape, dtypeObject;
    if (node.callable->name == "_frombuffer" && node.args->items.size() == 4) {
        dtypeObject = node.args->items[1];
        shape = node.args->items[2];
    } else if (isKind(node.state, Kind::Tuple) && node.state->items.size() == 5) {
        shape = node.state->items[1];
        dtypeObject = node.state->items[2];
    } else {
        return false;
    }
    out.put("array(shape=");
    shapeText(out, shape);
    const std::string name = numpyDtypeName(dtypeObject);
    out.put(", dtype=" + (name.empty() ? std::string("?") : name) + ")");
    return true;
}

}  // namespace diskcache::py::detail
