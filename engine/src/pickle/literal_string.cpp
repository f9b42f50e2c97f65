// See literal_string.h. The escapes are those of Python 3.11's tokenizer;
// \N{name} needs the Unicode name table and is refused.
#include "literal_string.h"

#include "internal.h"

namespace diskcache::py::detail {

namespace {

Status badLiteral(const std::string& why) { return Status::invalidArgument("not a Python literal: " + why); }

int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Reads `count` hex digits after position `at`.
bool readHex(std::string_view body, std::size_t at, std::size_t count, std::uint32_t& value) {
    if (body.size() - at < count) return false;
    value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const int digit = hexDigit(body[at + i]);
        if (digit < 0) return false;
        value = value * 16 + static_cast<std::uint32_t>(digit);
    }
    return true;
}

void putUnit(std::string& out, std::uint32_t value, bool isBytes) {
    if (isBytes) out.push_back(static_cast<char>(value & 0xff));
    else appendUtf8(out, value);
}

// One escape after a backslash at body[i]; advances i to its last char.
Status decodeEscape(std::string_view body, std::size_t& i, bool isBytes, std::string& out) {
    const char c = body[++i];
    static constexpr std::string_view kSimple = "\\'\"abfnrtv";
    static constexpr std::string_view kValues = "\\'\"\a\b\f\n\r\t\v";
    std::uint32_t value = 0;
    if (const auto at = kSimple.find(c); at != std::string_view::npos) {
        out.push_back(kValues[at]);
    } else if (c == '\n') {
        // line continuation inside the literal
    } else if (c >= '0' && c <= '7') {
        value = static_cast<std::uint32_t>(c - '0');
        for (int n = 0; n < 2 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7'; ++n)
            value = value * 8 + static_cast<std::uint32_t>(body[++i] - '0');
        putUnit(out, value, isBytes);
    } else if (c == 'x') {
        if (!readHex(body, i + 1, 2, value)) return badLiteral("truncated \\xXX escape");
        putUnit(out, value, isBytes);
        i += 2;
    } else if (!isBytes && (c == 'u' || c == 'U')) {
        const std::size_t digits = c == 'u' ? 4 : 8;
        if (!readHex(body, i + 1, digits, value) || value > 0x10FFFF) return badLiteral("bad \\u or \\U escape");
        appendUtf8(out, value);
        i += digits;
    } else if (!isBytes && c == 'N') {
        return badLiteral("\\N{...} escapes are not supported");
    } else {
        out.push_back('\\');  // unknown escapes keep their backslash
        out.push_back(c);
    }
    return Status::ok();
}

Status decodeBody(std::string_view body, bool isBytes, bool raw, std::string& out) {
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (isBytes && static_cast<unsigned char>(c) >= 0x80)
            return badLiteral("bytes can only contain ASCII literal characters");
        if (c == '\r') {  // the tokenizer reads \r\n and \r as \n
            out.push_back('\n');
            if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
        } else if (c != '\\' || raw) {
            out.push_back(c);
        } else {
            DISKCACHE_TRY(decodeEscape(body, i, isBytes, out));
        }
    }
    return Status::ok();
}

}  // namespace

std::size_t stringPrefixLength(std::string_view text) {
    std::size_t n = 0;
    bool bytes = false, raw = false, unicode = false;
    for (; n < text.size() && n < 3; ++n) {
        const char c = static_cast<char>(text[n] | 0x20);
        if (text[n] == '\'' || text[n] == '"') break;
        if (c == 'b' && !bytes && !unicode) bytes = true;
        else if (c == 'r' && !raw && !unicode) raw = true;
        else if (c == 'u' && n == 0) unicode = true;
        else return std::string_view::npos;
    }
    if (n >= text.size() || (text[n] != '\'' && text[n] != '"')) return std::string_view::npos;
    return n;
}

Status readStringLiteral(std::string_view text, std::size_t& pos, StringLiteral& out) {
    const std::size_t prefix = stringPrefixLength(text.substr(pos));
    bool raw = false;
    out.isBytes = false;
    for (std::size_t i = 0; i < prefix; ++i) {
        const char c = static_cast<char>(text[pos + i] | 0x20);
        out.isBytes = out.isBytes || c == 'b';
        raw = raw || c == 'r';
    }
    std::size_t i = pos + prefix;
    const char quote = text[i];
    const bool triple = text.substr(i, 3) == std::string(3, quote);
    const std::string_view closing = triple ? text.substr(i, 3) : text.substr(i, 1);
    const std::size_t start = i + closing.size();
    for (i = start; i < text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;  // the next character never closes the literal (even raw)
            continue;
        }
        if (!triple && (text[i] == '\n' || text[i] == '\r')) return badLiteral("unterminated string literal");
        if (text.substr(i, closing.size()) == closing) break;
    }
    if (i >= text.size()) return badLiteral("unterminated string literal");
    const std::string_view body = text.substr(start, i - start);
    if (!out.isBytes && !isValidUtf8(body)) return badLiteral("text is not UTF-8");
    out.value.clear();
    DISKCACHE_TRY(decodeBody(body, out.isBytes, raw, out.value));
    pos = i + closing.size();
    return Status::ok();
}

}  // namespace diskcache::py::detail
