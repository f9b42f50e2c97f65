// Private helpers shared by the pickle decoder, repr, encoder and literal
// parser. Not part of the public API.
#pragma once

#include "diskcache/pyobject.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace diskcache::py::detail {

// An arbitrary-size integer: sign and magnitude in 32-bit limbs, least
// significant first, no leading zero limbs (zero is an empty magnitude).
struct BigInt {
    bool negative = false;
    std::vector<std::uint32_t> limbs;
};

// Digits only (no sign, no underscores, no prefix); base 2, 8, 10 or 16.
// False when a character is not a digit of the base.
bool bigFromDigits(std::string_view digits, int base, BigInt& out);
BigInt bigFromTwos(std::string_view twosComplementLE);
std::string bigToTwos(const BigInt& value);
std::string bigToDecimal(const BigInt& value);
// An Int object: int64 when the value fits, else two's-complement bytes.
Object intObject(const BigInt& value);

// Python's str.isprintable() for one code point (tables from Python 3.11).
bool isPrintable(std::uint32_t codePoint);

// Decodes one UTF-8 sequence at `pos` (lone surrogates accepted, as in
// Python's "surrogatepass"); advances `pos`. False for invalid bytes.
bool nextCodePoint(std::string_view utf8, std::size_t& pos, std::uint32_t& codePoint);
void appendUtf8(std::string& out, std::uint32_t codePoint);
bool isValidUtf8(std::string_view utf8);
// Number of code points, for Python's len(str).
std::size_t codePointCount(std::string_view utf8);

// Python 3.11's default limit on decimal digits in int <-> str conversions.
constexpr std::size_t kMaxDecimalDigits = 4300;

// Python's int(text, 0)-style parse used by protocol 0's INT and LONG
// opcodes and by the literal parser: optional sign, 0x/0o/0b prefixes,
// underscores between digits. False when malformed.
bool parseIntText(std::string_view text, BigInt& out);
// Python's float(text) for decimal text, "inf" and "nan"; false when malformed.
bool parseFloatText(std::string_view text, double& out);

}  // namespace diskcache::py::detail
