// repr() of scalars: int, float, complex, str and bytes, exactly as
// CPython 3.11 writes them.
#include "diskcache/pickle.h"

#include "internal.h"
#include "repr_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace diskcache::py {

namespace {

// Python puts text in single quotes unless it holds a single quote and no
// double quote.
char quoteFor(std::string_view text) {
    const bool single = text.find('\'') != std::string_view::npos;
    const bool dbl = text.find('"') != std::string_view::npos;
    return single && !dbl ? '"' : '\'';
}

void appendHex(std::string& out, const char* prefix, std::uint32_t value, int digits) {
    out += prefix;
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out.push_back("0123456789abcdef"[(value >> shift) & 15]);
}

// The escape for an ASCII character shared by str and bytes; false when the
// character shows as itself.
bool asciiEscape(std::string& out, std::uint32_t c, char quote) {
    if (c == static_cast<unsigned char>(quote) || c == '\\') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
    } else if (c == '\t') {
        out += "\\t";
    } else if (c == '\n') {
        out += "\\n";
    } else if (c == '\r') {
        out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
        appendHex(out, "\\x", c, 2);
    } else {
        return false;
    }
    return true;
}

void appendCodePoint(std::string& out, std::uint32_t cp, char quote) {
    if (cp < 0x80) {
        if (!asciiEscape(out, cp, quote)) out.push_back(static_cast<char>(cp));
    } else if (detail::isPrintable(cp)) {
        detail::appendUtf8(out, cp);
    } else if (cp < 0x100) {
        appendHex(out, "\\x", cp, 2);
    } else if (cp < 0x10000) {
        appendHex(out, "\\u", cp, 4);
    } else {
        appendHex(out, "\\U", cp, 8);
    }
}

// Shortest round-trip digits and the decimal point position: value =
// 0.DIGITS x 10^decimalPoint.
void shortestDigits(double value, std::string& digits, int& decimalPoint) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    const std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
    const auto e = text.find('e');
    for (const char c : text.substr(0, e))
        if (c >= '0' && c <= '9') digits.push_back(c);
    int exponent = 0;
    const auto exponentText = text.substr(e + 1);
    const char* begin = exponentText.data() + (exponentText[0] == '+' ? 1 : 0);
    std::from_chars(begin, exponentText.data() + exponentText.size(), exponent);
    decimalPoint = exponent + 1;
}

std::string exponentForm(const std::string& digits, int decimalPoint) {
    std::string out(1, digits[0]);
    if (digits.size() > 1) out += "." + digits.substr(1);
    const int exponent = decimalPoint - 1;
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    return out + buffer;
}

std::string fixedForm(const std::string& digits, int decimalPoint, bool addDotZero) {
    const int count = static_cast<int>(digits.size());
    if (decimalPoint <= 0) return "0." + std::string(static_cast<std::size_t>(-decimalPoint), '0') + digits;
    if (decimalPoint >= count) {
        std::string out = digits + std::string(static_cast<std::size_t>(decimalPoint - count), '0');
        return addDotZero ? out + ".0" : out;
    }
    return digits.substr(0, static_cast<std::size_t>(decimalPoint)) + "." +
           digits.substr(static_cast<std::size_t>(decimalPoint));
}

}  // namespace

namespace detail {

std::string formatDouble(double value, bool complexPart, bool withSign) {
    const bool negative = std::signbit(value) && !std::isnan(value);
    std::string sign = negative ? "-" : (withSign ? "+" : "");
    if (std::isnan(value)) return sign + "nan";
    if (std::isinf(value)) return sign + "inf";
    if (value == 0.0) return sign + (complexPart ? "0" : "0.0");
    std::string digits;
    int decimalPoint = 0;
    shortestDigits(std::fabs(value), digits, decimalPoint);
    // CPython's float_repr_style "short": exponent form outside 1e-4..1e16.
    if (decimalPoint <= -4 || decimalPoint > 16) return sign + exponentForm(digits, decimalPoint);
    return sign + fixedForm(digits, decimalPoint, !complexPart);
}

}  // namespace detail

std::string reprFloat(double value) { return detail::formatDouble(value, false, false); }

std::string reprInt(std::int64_t value) { return std::to_string(value); }

std::string reprBigInt(std::string_view twosComplementLE) {
    // CPython refuses to print ints past 4300 digits; past ~4800 we only say
    // how big it is, which also keeps the quadratic conversion cheap.
    if (twosComplementLE.size() > 2000) return "<int of " + std::to_string(twosComplementLE.size() * 8) + " bits>";
    return detail::bigToDecimal(detail::bigFromTwos(twosComplementLE));
}

std::string reprStr(std::string_view utf8) {
    const char quote = quoteFor(utf8);
    std::string out(1, quote);
    out.reserve(utf8.size() + 2);
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        std::uint32_t cp = 0;
        // A byte that is not UTF-8 shows as Python's surrogateescape would.
        if (!detail::nextCodePoint(utf8, pos, cp)) cp = 0xDC00 + static_cast<unsigned char>(utf8[pos++]);
        appendCodePoint(out, cp, quote);
    }
    out.push_back(quote);
    return out;
}

namespace detail {

std::string bytesLiteral(std::string_view bytes, bool bytearray) {
    const char quote = quoteFor(bytes);
    std::string out = "b";
    out.push_back(quote);
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        // bytearray's repr escapes a single quote even inside double quotes.
        if (byte >= 0x80) appendHex(out, "\\x", byte, 2);
        else if (bytearray && c == '\'') out += "\\'";
        else if (!asciiEscape(out, byte, quote)) out.push_back(c);
    }
    out.push_back(quote);
    return out;
}

}  // namespace detail

std::string reprBytes(std::string_view bytes) { return detail::bytesLiteral(bytes, false); }

}  // namespace diskcache::py
