// Value: a key, value or tag as Python's diskcache sees it, with its
// Python-visible type. The engine stores ints, floats, text and bytes
// natively (raw) and carries everything else as opaque pickle bytes, so a C++
// program can read, copy and delete what Python wrote even where it cannot
// interpret it. See FORMAT.md, "Keys" and "Values".
//
// Thread safety: a plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace diskcache {

enum class ValueKind {
    None,    // SQL NULL (a missing tag); never a raw key
    Int,     // Python int in the signed 64-bit range
    Float,   // Python float
    Text,    // Python str, held as UTF-8
    Bytes,   // Python bytes
    Pickle,  // any other Python object, as the bytes of its pickle
};

// The Python type name a ValueKind stands for ("int", "str", "pickle"...).
const char* valueKindName(ValueKind kind);

class Value {
public:
    Value() = default;  // None
    static Value none() { return {}; }
    static Value integer(std::int64_t v) { Value r(ValueKind::Int); r.m_int = v; return r; }
    static Value real(double v) { Value r(ValueKind::Float); r.m_float = v; return r; }
    static Value text(std::string utf8) { return Value(ValueKind::Text, std::move(utf8)); }
    static Value bytes(std::string data) { return Value(ValueKind::Bytes, std::move(data)); }
    static Value pickle(std::string pickled) { return Value(ValueKind::Pickle, std::move(pickled)); }

    ValueKind kind() const { return m_kind; }
    bool isNone() const { return m_kind == ValueKind::None; }
    std::int64_t asInt() const { return m_int; }
    double asFloat() const { return m_float; }
    // The bytes of a Text (UTF-8), Bytes or Pickle value; empty otherwise.
    const std::string& data() const { return m_data; }

    // Same kind and same contents (floats compared bit for bit, NaN included).
    bool operator==(const Value& other) const;

private:
    explicit Value(ValueKind kind) : m_kind(kind) {}
    Value(ValueKind kind, std::string data) : m_kind(kind), m_data(std::move(data)) {}

    ValueKind m_kind = ValueKind::None;
    std::int64_t m_int = 0;
    double m_float = 0.0;
    std::string m_data;
};

// Number of Unicode code points in UTF-8 text: Python's len(str), which is
// what diskcache compares with disk_min_file_size.
std::size_t utf8Length(std::string_view utf8);

}  // namespace diskcache
