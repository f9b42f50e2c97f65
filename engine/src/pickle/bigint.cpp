// Arbitrary-size integers, only as far as pickles and literals need them:
// conversions between digits, two's-complement bytes and decimal text.
#include "internal.h"

#include <algorithm>

namespace diskcache::py::detail {

namespace {

void trim(BigInt& value) {
    while (!value.limbs.empty() && value.limbs.back() == 0) value.limbs.pop_back();
    if (value.limbs.empty()) value.negative = false;
}

// value = value * factor + addend, on the magnitude.
void mulAdd(BigInt& value, std::uint32_t factor, std::uint32_t addend) {
    std::uint64_t carry = addend;
    for (auto& limb : value.limbs) {
        const std::uint64_t next = std::uint64_t{limb} * factor + carry;
        limb = static_cast<std::uint32_t>(next);
        carry = next >> 32;
    }
    if (carry != 0) value.limbs.push_back(static_cast<std::uint32_t>(carry));
}

// Divides the magnitude in place; returns the remainder.
std::uint32_t divSmall(std::vector<std::uint32_t>& limbs, std::uint32_t divisor) {
    std::uint64_t rest = 0;
    for (auto it = limbs.rbegin(); it != limbs.rend(); ++it) {
        const std::uint64_t current = (rest << 32) | *it;
        *it = static_cast<std::uint32_t>(current / divisor);
        rest = current % divisor;
    }
    while (!limbs.empty() && limbs.back() == 0) limbs.pop_back();
    return static_cast<std::uint32_t>(rest);
}

int digitValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

// Two's complement negation of a little-endian byte string, in place.
void negateBytes(std::string& bytes) {
    unsigned carry = 1;
    for (auto& byte : bytes) {
        const unsigned next = static_cast<unsigned char>(~static_cast<unsigned char>(byte)) + carry;
        byte = static_cast<char>(next & 0xff);
        carry = next >> 8;
    }
}


// Power-of-two bases: place each digit's bits directly, in linear time.
bool bigFromBinaryDigits(std::string_view digits, int bitsPerDigit, BigInt& out) {
    const std::size_t totalBits = digits.size() * static_cast<std::size_t>(bitsPerDigit);
    out.limbs.assign(totalBits / 32 + 1, 0);
    std::size_t bit = 0;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it, bit += static_cast<std::size_t>(bitsPerDigit)) {
        const int digit = digitValue(*it);
        if (digit >= (1 << bitsPerDigit)) return false;
        const std::uint64_t shifted = std::uint64_t(digit) << (bit % 32);
        out.limbs[bit / 32] |= static_cast<std::uint32_t>(shifted);
        if ((shifted >> 32) != 0) out.limbs[bit / 32 + 1] |= static_cast<std::uint32_t>(shifted >> 32);
    }
    trim(out);
    return true;
}

}  // namespace

bool bigFromDigits(std::string_view digits, int base, BigInt& out) {
    out = BigInt{};
    if (digits.empty()) return false;
    if (base != 10) return bigFromBinaryDigits(digits, base == 16 ? 4 : base == 8 ? 3 : 1, out);
    // Nine decimal digits per multiply keeps this quadratic cost small.
    for (std::size_t pos = 0; pos < digits.size(); pos += 9) {
        const auto chunk = digits.substr(pos, 9);
        std::uint32_t value = 0, scale = 1;
        for (const char c : chunk) {
            if (c < '0' || c > '9') return false;
            value = value * 10 + static_cast<std::uint32_t>(c - '0');
            scale *= 10;
        }
        mulAdd(out, scale, value);
    }
    trim(out);
    return true;
}

BigInt bigFromTwos(std::string_view bytes) {
    std::string magnitude(bytes);
    BigInt out;
    if (!magnitude.empty() && (static_cast<unsigned char>(magnitude.back()) & 0x80) != 0) {
        out.negative = true;
        negateBytes(magnitude);
    }
    out.limbs.assign((magnitude.size() + 3) / 4, 0);
    for (std::size_t i = 0; i < magnitude.size(); ++i)
        out.limbs[i / 4] |= std::uint32_t{static_cast<unsigned char>(magnitude[i])} << (8 * (i % 4));
    trim(out);
    return out;
}

std::string bigToTwos(const BigInt& value) {
    std::string bytes;
    for (const auto limb : value.limbs)
        for (int shift = 0; shift < 32; shift += 8) bytes.push_back(static_cast<char>((limb >> shift) & 0xff));
    while (!bytes.empty() && bytes.back() == 0) bytes.pop_back();
    // Room for the sign bit, then negate; drop redundant 0xff bytes after.
    bytes.push_back(0);
    if (value.negative) negateBytes(bytes);
    while (bytes.size() > 1) {
        const auto last = static_cast<unsigned char>(bytes.back());
        const auto prev = static_cast<unsigned char>(bytes[bytes.size() - 2]);
        const bool redundant = (last == 0 && (prev & 0x80) == 0) || (last == 0xff && (prev & 0x80) != 0);
        if (!redundant) break;
        bytes.pop_back();
    }
    if (bytes == std::string(1, '\0')) bytes.clear();  // zero is empty, as LONG1 writes it
    return bytes;
}

std::string bigToDecimal(const BigInt& value) {
    if (value.limbs.empty()) return "0";
    std::vector<std::uint32_t> limbs = value.limbs;
    std::string reversed;
    while (!limbs.empty()) {
        std::uint32_t chunk = divSmall(limbs, 1000000000u);
        for (int i = 0; i < 9 && (chunk != 0 || !limbs.empty()); ++i) {
            reversed.push_back(static_cast<char>('0' + chunk % 10));
            chunk /= 10;
        }
    }
    if (value.negative) reversed.push_back('-');
    std::reverse(reversed.begin(), reversed.end());
    return reversed;
}

Object intObject(const BigInt& value) {
    if (value.limbs.size() <= 2) {
        std::uint64_t magnitude = 0;
        if (!value.limbs.empty()) magnitude = value.limbs[0];
        if (value.limbs.size() == 2) magnitude |= std::uint64_t{value.limbs[1]} << 32;
        if (!value.negative && magnitude <= static_cast<std::uint64_t>(INT64_MAX))
            return makeInt(static_cast<std::int64_t>(magnitude));
        if (value.negative && magnitude <= std::uint64_t{1} << 63)
            return makeInt(static_cast<std::int64_t>(0 - magnitude));
    }
    auto node = std::make_shared<Node>();
    node->kind = Kind::Int;
    node->bigInt = bigToTwos(value);
    return node;
}

bool parseIntText(std::string_view text, BigInt& out) {
    bool negative = false;
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
        negative = text[0] == '-';
        text.remove_prefix(1);
    }
    int base = 10;
    if (text.size() > 2 && text[0] == '0') {
        const char p = static_cast<char>(text[1] | 0x20);
        base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 10;
        if (base != 10) text.remove_prefix(2);
        if (base != 10 && text[0] == '_') text.remove_prefix(1);
    }
    std::string digits;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '_') {
            digits.push_back(text[i]);
            continue;
        }
        // One underscore between two digits only.
        if (i == 0 || i + 1 == text.size() || text[i + 1] == '_') return false;
    }
    if (base == 10 && digits.size() > 1 && digits[0] == '0' && digits.find_first_not_of('0') != std::string::npos)
        return false;  // "010" is not an int in Python 3
    // CPython 3.11 refuses longer decimal conversions (sys.int_info limit).
    if (base == 10 && digits.size() > kMaxDecimalDigits) return false;
    if (!bigFromDigits(digits, base, out)) return false;
    out.negative = negative && !out.limbs.empty();
    return true;
}

}  // namespace diskcache::py::detail
