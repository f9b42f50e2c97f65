// The values of the SIGKILL soak, shared by the C++ writer and the checker
// (tests/python/soak_writer.py makes the same ones): a value is a function of
// its key and generation, so whoever reads it back can tell exactly what it
// must be, and a truncated or mixed-up file cannot pass for it.
#pragma once

#include <cstdint>
#include <string>

namespace soak {

inline constexpr int kKeys = 48;

inline std::string keyName(int index) { return "k" + std::to_string(index); }

// Every fifth generation is large enough (40 KB to 2 MB) to go to a value file.
inline std::size_t valueLength(std::int64_t generation) {
    if (generation % 5 == 0) return 40000 + static_cast<std::size_t>((generation * 104729) % 2000000);
    return 20 + static_cast<std::size_t>((generation * 7919) % 400);
}

// "<key>:<generation>:" repeated to valueLength(generation) bytes.
inline std::string valueFor(const std::string& key, std::int64_t generation) {
    const std::string unit = key + ":" + std::to_string(generation) + ":";
    const std::size_t length = valueLength(generation);
    std::string value;
    value.reserve(length + unit.size());
    while (value.size() < length) value += unit;
    value.resize(length);
    return value;
}

}  // namespace soak
