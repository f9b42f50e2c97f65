// Python string and bytes literal tokens, for the literal parser: prefixes
// (r, u, b, br, rb in any case), all four quote styles, and escapes.
#pragma once

#include "diskcache/status.h"

#include <string>
#include <string_view>

namespace diskcache::py::detail {

struct StringLiteral {
    bool isBytes = false;
    std::string value;  // str: UTF-8 (WTF-8 for lone surrogates); bytes: raw
};

// Length of the prefix letters when `text` starts a string literal (0 for a
// bare quote); npos when it does not.
std::size_t stringPrefixLength(std::string_view text);

// Reads the literal that starts at `pos` and moves `pos` past it.
// InvalidArgument for an unterminated literal or a bad escape.
Status readStringLiteral(std::string_view text, std::size_t& pos, StringLiteral& out);

}  // namespace diskcache::py::detail
