// zlib streams (JSONDisk values, Django file-cache files), inflated with a
// bound on the output so that a small "zip bomb" cannot take the memory.
#include <zlib.h>

#include <algorithm>
#include <climits>

#include "diskcache/decode.h"
#include "internal.h"

namespace diskcache::decode {
namespace detail {

bool looksLikeZlib(std::string_view data) {
    if (data.size() < 2) return false;
    const auto cmf = static_cast<unsigned char>(data[0]);
    const auto flg = static_cast<unsigned char>(data[1]);
    // RFC 1950: method 8 (deflate), window 2^(8+CINFO) with CINFO <= 7, the
    // 16-bit header a multiple of 31, and no preset dictionary (FDICT),
    // which Python's zlib.compress never asks for.
    return (cmf & 0x0F) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0 && (flg & 0x20) == 0;
}

}  // namespace detail

namespace {

// Owns a z_stream for inflating, so that every exit path frees it.
class Inflater {
public:
    Inflater() { m_ok = inflateInit(&m_stream) == Z_OK; }
    ~Inflater() {
        if (m_ok) inflateEnd(&m_stream);
    }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;
    bool ok() const { return m_ok; }
    z_stream& stream() { return m_stream; }

private:
    z_stream m_stream{};
    bool m_ok = false;
};

}  // namespace

Result<std::string> inflateBounded(std::string_view data, std::size_t maxOutput) {
    if (!detail::looksLikeZlib(data)) return Status::corrupt("not a zlib stream (no zlib header)");
    Inflater inflater;
    if (!inflater.ok()) return Status::io("zlib could not start");
    z_stream& stream = inflater.stream();
    std::string out;
    std::size_t consumed = 0;
    char buffer[16384];
    while (true) {
        if (stream.avail_in == 0 && consumed < data.size()) {
            // avail_in is 32-bit: feed very long inputs in slices.
            const std::size_t slice = std::min<std::size_t>(data.size() - consumed, UINT_MAX);
            stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
            stream.avail_in = static_cast<uInt>(slice);
            consumed += slice;
        }
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        const int rc = inflate(&stream, Z_NO_FLUSH);
        const std::size_t produced = sizeof buffer - stream.avail_out;
        if (out.size() + produced > maxOutput)
            return Status::corrupt("zlib stream inflates to more than " + std::to_string(maxOutput) + " bytes");
        out.append(buffer, produced);
        if (rc == Z_STREAM_END) return out;
        if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR) return Status::corrupt("invalid zlib data");
        if (rc == Z_MEM_ERROR) return Status::io("zlib ran out of memory");
        // Z_BUF_ERROR with no input left and no progress: the stream stops short.
        if (rc == Z_BUF_ERROR || (stream.avail_in == 0 && consumed == data.size() && produced == 0))
            return Status::corrupt("zlib stream is truncated");
    }
}

}  // namespace diskcache::decode
