// The portable key hash of FanoutCache (Disk.hash, FORMAT.md "Directories
// made of caches").
#include <zlib.h>

#include <algorithm>
#include <bit>

#include "diskcache/inspect.h"

namespace diskcache {

namespace {

std::uint32_t adler32Of(std::string_view data) {
    uLong sum = adler32(0L, Z_NULL, 0);
    // zlib takes uInt lengths; feed long data in pieces.
    while (!data.empty()) {
        const auto piece = static_cast<uInt>(std::min<std::size_t>(data.size(), 1u << 30));
        sum = adler32(sum, reinterpret_cast<const Bytef*>(data.data()), piece);
        data.remove_prefix(piece);
    }
    return static_cast<std::uint32_t>(sum & 0xFFFFFFFFu);
}

}  // namespace

std::uint32_t portableKeyHash(const Value& key) {
    switch (key.kind()) {
    case ValueKind::Text:
    case ValueKind::Bytes:
    case ValueKind::Pickle: return adler32Of(key.data());
    case ValueKind::Int: {
        // Python's key % 0xFFFFFFFF, which is never negative.
        constexpr std::int64_t mask = 0xFFFFFFFF;
        std::int64_t r = key.asInt() % mask;
        if (r < 0) r += mask;
        return static_cast<std::uint32_t>(r);
    }
    case ValueKind::Float: {
        const auto bits = std::bit_cast<std::uint64_t>(key.asFloat());
        char bigEndian[8];
        for (int i = 0; i < 8; ++i) bigEndian[i] = static_cast<char>((bits >> (56 - 8 * i)) & 0xFF);
        return adler32Of(std::string_view(bigEndian, 8));
    }
    case ValueKind::None: break;
    }
    return 0;
}

int fanoutShard(const Value& key, int shards) {
    if (shards <= 0) return 0;
    return static_cast<int>(portableKeyHash(key) % static_cast<std::uint32_t>(shards));
}

}  // namespace diskcache
