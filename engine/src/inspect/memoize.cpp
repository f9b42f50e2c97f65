// Recognising keys that diskcache's memoize() made. Such a key is
// args_to_key((full_name,), args, kwargs, typed, ignore): a tuple whose
// first item is the function's "module.qualname" (or the name= given to
// memoize), pickled because tuples are never raw keys. Decoding the whole
// pickle of every key would be wasteful on a million keys, so the first
// string is read from the opcodes first and the pickle is decoded only when
// that string looks like a qualified name.
#include <cctype>

#include "diskcache/pickle.h"
#include "diskcache/statistics.h"

namespace diskcache::inspect {

namespace {

// The first str pushed by the pickle, if its opening opcodes are what
// pickle.dumps(tuple) writes: PROTO, FRAME, MARK (tuples of 4 or more items)
// and then a str opcode. nullopt for anything else.
std::optional<std::string_view> leadingString(std::string_view data) {
    std::size_t i = 0;
    auto byte = [&](std::size_t at) { return static_cast<unsigned char>(data[at]); };
    auto littleEndian = [&](std::size_t at, int n) {
        std::uint64_t v = 0;
        for (int k = n - 1; k >= 0; --k) v = (v << 8) | byte(at + static_cast<std::size_t>(k));
        return v;
    };
    if (i + 2 <= data.size() && byte(i) == 0x80) i += 2;  // PROTO n
    if (i + 9 <= data.size() && byte(i) == 0x95) i += 9;  // FRAME length
    if (i < data.size() && byte(i) == '(') ++i;           // MARK
    if (i >= data.size()) return std::nullopt;
    const unsigned char op = byte(i++);
    std::uint64_t length = 0;
    switch (op) {
    case 0x8c:  // SHORT_BINUNICODE
        if (i + 1 > data.size()) return std::nullopt;
        length = byte(i);
        i += 1;
        break;
    case 'X':  // BINUNICODE
        if (i + 4 > data.size()) return std::nullopt;
        length = littleEndian(i, 4);
        i += 4;
        break;
    case 'V': {  // UNICODE (protocol 0): raw-unicode-escape text up to a newline
        const std::size_t end = data.find('\n', i);
        if (end == std::string_view::npos) return std::nullopt;
        return data.substr(i, end - i);
    }
    default: return std::nullopt;
    }
    if (length > data.size() - i) return std::nullopt;
    return data.substr(i, static_cast<std::size_t>(length));
}

// "pkg.module.func", "module.Class.method", "mod.outer.<locals>.inner":
// dot-separated identifiers (or <locals>/<lambda>), at least two parts.
bool looksQualified(std::string_view name) {
    if (name.empty() || name.size() > 1024) return false;
    int parts = 0;
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t end = name.find('.', start);
        if (end == std::string_view::npos) end = name.size();
        const std::string_view part = name.substr(start, end - start);
        if (part.empty()) return false;
        if (part != "<locals>" && part != "<lambda>") {
            if (std::isdigit(static_cast<unsigned char>(part[0]))) return false;
            for (char c : part) {
                const auto u = static_cast<unsigned char>(c);
                if (!(std::isalnum(u) || c == '_' || u >= 0x80)) return false;  // non-ASCII identifiers are legal Python
            }
        }
        ++parts;
        start = end + 1;
    }
    return parts >= 2;
}

}  // namespace

std::optional<std::string> memoizedFunction(std::string_view pickledKey) {
    const auto first = leadingString(pickledKey);
    if (!first || !looksQualified(*first)) return std::nullopt;
    // The opcodes said so; the decoded object must agree: a tuple led by that str.
    py::DecodeLimits limits;
    limits.maxNodes = 100'000;
    limits.maxOutputBytes = std::size_t{16} << 20;
    auto object = py::decodePickle(pickledKey, limits);
    if (!object) return std::nullopt;
    const py::Node& node = **object;
    if (node.kind != py::Kind::Tuple || node.items.empty()) return std::nullopt;
    const py::Node& head = *node.items.front();
    if (head.kind != py::Kind::Str || !looksQualified(head.data)) return std::nullopt;
    return head.data;
}

}  // namespace diskcache::inspect
