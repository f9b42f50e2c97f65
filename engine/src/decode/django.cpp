// Django's FileBasedCache files (django/core/cache/backends/filebased.py,
// FORMAT.md): pickle.dumps(expiry) immediately followed by
// zlib.compress(pickle.dumps(value)), with no length between them.
#include <algorithm>
#include <optional>

#include "diskcache/decode.h"
#include "internal.h"

namespace diskcache::decode {
namespace {

// An expiry pickle is about 20 bytes; its end is looked for this far only.
constexpr std::size_t kMaxExpiryPickle = 4096;

// Where the leading pickle ends. A pickle ends with its STOP opcode ('.'), so
// the first prefix ending in '.' that decodes is exactly the pickle: any
// shorter prefix lacks its STOP and fails as truncated.
std::optional<std::size_t> expiryPickleEnd(std::string_view data, const DecodeOptions& options, py::Object& expiry) {
    py::DecodeLimits limits = options.pickle;
    limits.maxNodes = std::min<std::size_t>(limits.maxNodes, 64);
    const std::size_t scan = std::min(data.size(), kMaxExpiryPickle);
    for (std::size_t end = 1; end <= scan; ++end) {
        if (data[end - 1] != '.') continue;
        auto decoded = py::decodePickle(data.substr(0, end), limits);
        if (!decoded) continue;
        expiry = std::move(*decoded);
        return end;
    }
    return std::nullopt;
}

Status readExpiry(const py::Object& expiry, Decoded& out) {
    // get_backend_timeout() gives time.time() + timeout, or None for never.
    switch (expiry->kind) {
        case py::Kind::None:
            out.expiry.reset();
            return Status::ok();
        case py::Kind::Float:
            out.expiry = expiry->real;
            return Status::ok();
        case py::Kind::Int:
            if (expiry->bigInt.empty()) {
                out.expiry = static_cast<double>(expiry->intValue);
                return Status::ok();
            }
            break;
        default:
            break;
    }
    return Status::corrupt("the Django file's leading pickle is a " + py::typeName(expiry) + ", not an expiry time");
}

}  // namespace

Result<Decoded> decodeDjangoFile(std::string_view data, const DecodeOptions& options) {
    if (py::pickleProtocol(data) < 0)
        return Status::invalidArgument("not a Django cache file: it does not start with a pickle");
    py::Object expiry;
    const auto end = expiryPickleEnd(data, options, expiry);
    if (!end) return Status::invalidArgument("not a Django cache file: no complete pickle at its start");
    const std::string_view rest = data.substr(*end);
    if (!detail::looksLikeZlib(rest))
        return Status::invalidArgument("not a Django cache file: no zlib stream after its first pickle");
    // From here on the bytes have a Django file's shape: damage is Corrupt.
    Decoded out;
    DISKCACHE_TRY(readExpiry(expiry, out));
    auto pickle = inflateBounded(rest, options.maxInflatedBytes);
    if (!pickle) return Status::corrupt("Django cache file: " + pickle.status().message());
    DISKCACHE_TRY(detail::decodePickleInto(*pickle, options, out));
    out.format = Format::DjangoFile;
    out.reason = "Django FileBasedCache file: pickled expiry (" +
                 (out.expiry ? py::reprFloat(*out.expiry) : std::string("None")) +
                 ") followed by zlib-compressed pickle protocol " + std::to_string(out.pickleProtocol);
    return out;
}

}  // namespace diskcache::decode
