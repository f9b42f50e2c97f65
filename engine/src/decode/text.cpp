// Text and binary presentation: UTF-8 checking, Python-style escapes of
// invalid bytes, and the hex + ASCII dump.
#include <algorithm>
#include <cstdio>

#include "diskcache/decode.h"
#include "internal.h"

namespace diskcache::decode {
namespace detail {

std::size_t utf8SequenceLength(std::string_view data, std::size_t pos) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(data[i]); };
    const unsigned char lead = byte(pos);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    std::uint32_t min = 0;
    std::uint32_t cp = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        min = 0x80;
        cp = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        min = 0x800;
        cp = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        min = 0x10000;
        cp = lead & 0x07;
    } else
        return 0;
    if (data.size() - pos < length) return 0;
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(pos + i) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(pos + i) & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are
    // what Python's strict decoder refuses.
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return length;
}

bool cutText(std::string& text, std::size_t maxBytes) {
    if (maxBytes == 0 || text.size() <= maxBytes) return false;
    std::size_t end = maxBytes > 3 ? maxBytes - 3 : 0;
    // Back up to the start of a UTF-8 sequence so the cut text stays valid.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text.resize(end);
    text += "...";
    return true;
}

}  // namespace detail

bool isUtf8(std::string_view data) {
    for (std::size_t pos = 0; pos < data.size();) {
        const std::size_t length = detail::utf8SequenceLength(data, pos);
        if (length == 0) return false;
        pos += length;
    }
    return true;
}

std::string escapeText(std::string_view data, std::size_t maxBytes) {
    std::string out;
    out.reserve(data.size());
    for (std::size_t pos = 0; pos < data.size();) {
        if (maxBytes != 0 && out.size() > maxBytes) break;
        const std::size_t length = detail::utf8SequenceLength(data, pos);
        if (length == 0) {
            // Python's repr() of bytes spells a byte it cannot show as \xNN.
            char escape[5];
            std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned char>(data[pos]));
            out += escape;
            ++pos;
            continue;
        }
        out.append(data.substr(pos, length));
        pos += length;
    }
    detail::cutText(out, maxBytes);
    return out;
}

std::string hexDump(std::string_view data, std::size_t maxBytes) {
    const std::size_t shown = maxBytes == 0 ? data.size() : std::min(maxBytes, data.size());
    std::string out;
    out.reserve((shown / 16 + 2) * 80);
    for (std::size_t line = 0; line < shown; line += 16) {
        char field[24];
        std::snprintf(field, sizeof field, "%08zx ", line);
        out += field;
        std::string ascii;
        for (std::size_t i = line; i < line + 16; ++i) {
            if (i % 8 == 0) out += ' ';
            if (i >= shown) {
                out += "   ";
                continue;
            }
            const auto byte = static_cast<unsigned char>(data[i]);
            std::snprintf(field, sizeof field, "%02x ", byte);
            out += field;
            ascii += byte >= 0x20 && byte < 0x7F ? static_cast<char>(byte) : '.';
        }
        out += " |" + ascii + "|\n";
    }
    if (shown < data.size()) out += "... " + std::to_string(data.size() - shown) + " more bytes\n";
    return out;
}

}  // namespace diskcache::decode
