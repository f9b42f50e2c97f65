// libFuzzer target for the pickle decoder: any input must decode to a value
// or a Status, and repr()/typeName() of a decoded value must finish. Built
// by run_fuzz_pickle.sh with ASan and UBSan.
#include "diskcache/pickle.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace diskcache::py;
    // Tighter limits than the defaults keep each run fast; the code paths
    // are the same.
    DecodeLimits limits;
    limits.maxNodes = 200'000;
    limits.maxOutputBytes = 8u << 20;
    limits.maxDepth = 200;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    (void)pickleProtocol(input);
    auto decoded = decodePickle(input, limits);
    if (!decoded) return 0;
    (void)repr(*decoded);
    (void)repr(*decoded, 64);
    (void)typeName(*decoded);
    for (int protocol = 2; protocol <= 5; ++protocol) {
        auto encoded = encodeKey(*decoded, protocol);
        if (encoded) (void)decodePickle(*encoded, limits);
    }
    // The same bytes as literal text exercise the literal parser too.
    auto literal = parseLiteral(input);
    if (literal) (void)repr(*literal, 256);
    return 0;
}
