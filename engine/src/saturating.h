// Saturating arithmetic for numbers read from a cache.db: a hostile or
// damaged Settings row (size = 2^63-1) must not make volume() overflow,
// which is undefined behaviour; it clamps to the int64 range instead.
#pragma once

#include <cstdint>
#include <limits>

namespace diskcache {

inline std::int64_t saturatingAdd(std::int64_t a, std::int64_t b) {
    constexpr auto max = std::numeric_limits<std::int64_t>::max();
    constexpr auto min = std::numeric_limits<std::int64_t>::min();
    if (b > 0 && a > max - b) return max;
    if (b < 0 && a < min - b) return min;
    return a + b;
}

inline std::int64_t saturatingSubtract(std::int64_t a, std::int64_t b) {
    constexpr auto max = std::numeric_limits<std::int64_t>::max();
    if (b == std::numeric_limits<std::int64_t>::min()) return a >= 0 ? max : a + max + 1;
    return saturatingAdd(a, -b);
}

// Both factors are non-negative here (page counts and sizes); a negative
// one from a damaged file gives 0 rather than a wrap.
inline std::int64_t saturatingMultiply(std::int64_t a, std::int64_t b) {
    if (a <= 0 || b <= 0) return 0;
    if (a > std::numeric_limits<std::int64_t>::max() / b) return std::numeric_limits<std::int64_t>::max();
    return a * b;
}

}  // namespace diskcache
