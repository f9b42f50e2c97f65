// The text builder behind repr(): it stops descending once the requested
// length is reached, so a huge value costs only what is shown.
#pragma once

#include "diskcache/pyobject.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace diskcache::py::detail {

class ReprWriter {
public:
    explicit ReprWriter(std::size_t maxLength) : m_maxLength(maxLength) {}

    void put(std::string_view text);
    bool full() const { return m_maxLength != 0 && m_text.size() > m_maxLength; }
    std::string finish();

    // Python's repr of `value` and of sequences of values.
    void value(const Object& value);
    void joined(const std::vector<Object>& items, std::string_view separator = ", ");
    void pairs(const std::vector<std::pair<Object, Object>>& pairs);  // k: v, k: v
    void tupleItems(const std::vector<Object>& items);                // (a,) / (a, b)

private:
    void container(const Node& node);
    void global(const Node& node);
    void reduce(const Node& node);
    void reference(const Node& node);
    const std::string& bigIntText(const Node& node);

    std::string m_text;
    std::size_t m_maxLength;
    std::unordered_map<const Node*, std::string> m_bigInts;
};

// Known reductions (datetime, Decimal, OrderedDict, ...); false when the
// node is not one of them or does not have the expected shape.
bool reprKnown(ReprWriter& out, const Node& reduce);
// numpy arrays and dtypes, summarised (repr_numpy.cpp).
bool reprNumpy(ReprWriter& out, const Node& reduce);
// The dtype name ("float64") a pickled numpy.dtype stands for, or "".
std::string numpyDtypeName(const Object& dtype);
// True for numpy's ndarray reconstructors (_reconstruct, _frombuffer).
bool isNumpyArray(const Node& reduce);

// Formats a double as Python's repr() does; `complexPart` formats as inside
// complex(): no ".0" added, and `withSign` puts a + before non-negatives.
std::string formatDouble(double value, bool complexPart, bool withSign);

// b'...' as bytes' repr writes it, or as bytearray's (which always
// escapes a single quote).
std::string bytesLiteral(std::string_view bytes, bool bytearray);

// True for the names of Python's builtin functions (len, print...).
bool isBuiltinFunction(std::string_view name);

// "module.qualname", or just qualname for builtins.
std::string qualifiedName(const Node& global);

}  // namespace diskcache::py::detail
