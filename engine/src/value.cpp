#include "diskcache/value.h"

#include <cstring>

namespace diskcache {

const char* valueKindName(ValueKind kind) {
    switch (kind) {
    case ValueKind::None: return "NoneType";
    case ValueKind::Int: return "int";
    case ValueKind::Float: return "float";
    case ValueKind::Text: return "str";
    case ValueKind::Bytes: return "bytes";
    case ValueKind::Pickle: return "pickle";
    }
    return "unknown";
}

bool Value::operator==(const Value& other) const {
    if (m_kind != other.m_kind) return false;
    switch (m_kind) {
    case ValueKind::None: return true;
    case ValueKind::Int: return m_int == other.m_int;
    case ValueKind::Float: return std::memcmp(&m_float, &other.m_float, sizeof m_float) == 0;
    default: return m_data == other.m_data;
    }
}

std::size_t utf8Length(std::string_view utf8) {
    std::size_t count = 0;
    for (unsigned char c : utf8) {
        if ((c & 0xC0) != 0x80) ++count;  // count every byte that starts a code point
    }
    return count;
}

}  // namespace diskcache
