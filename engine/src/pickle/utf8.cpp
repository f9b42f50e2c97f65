// UTF-8 as Python's "surrogatepass" codec reads it: strict UTF-8, except
// that the three-byte forms of lone surrogates (U+D800-U+DFFF) are allowed,
// because a Python str may hold them and pickles keep them.
#include "internal.h"

namespace diskcache::py::detail {

namespace {
bool isContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }
}  // namespace

bool nextCodePoint(std::string_view utf8, std::size_t& pos, std::uint32_t& codePoint) {
    const auto lead = static_cast<unsigned char>(utf8[pos]);
    std::size_t length = 1;
    std::uint32_t minimum = 0;
    if (lead < 0x80) {
        codePoint = lead;
    } else if (lead >= 0xC2 && lead < 0xE0) {
        length = 2, minimum = 0x80, codePoint = lead & 0x1F;
    } else if (lead >= 0xE0 && lead < 0xF0) {
        length = 3, minimum = 0x800, codePoint = lead & 0x0F;
    } else if (lead >= 0xF0 && lead < 0xF5) {
        length = 4, minimum = 0x10000, codePoint = lead & 0x07;
    } else {
        return false;
    }
    if (utf8.size() - pos < length) return false;
    for (std::size_t i = 1; i < length; ++i) {
        const auto byte = static_cast<unsigned char>(utf8[pos + i]);
        if (!isContinuation(byte)) return false;
        codePoint = (codePoint << 6) | (byte & 0x3F);
    }
    if (codePoint < minimum || codePoint > 0x10FFFF) return false;  // overlong or too big
    pos += length;
    return true;
}

void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

bool isValidUtf8(std::string_view utf8) {
    std::size_t pos = 0;
    std::uint32_t cp = 0;
    while (pos < utf8.size())
        if (!nextCodePoint(utf8, pos, cp)) return false;
    return true;
}

std::size_t codePointCount(std::string_view utf8) {
    std::size_t count = 0;
    for (const char c : utf8)
        if (!isContinuation(static_cast<unsigned char>(c))) ++count;
    return count;
}

}  // namespace diskcache::py::detail
