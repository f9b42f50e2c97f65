// Python pickles without Python: decode any pickle (protocols 0-5) into a
// symbolic tree, show it as Python's repr() would, encode the keys that
// diskcache pickles, and parse the literals users type (ast.literal_eval).
//
// The decoder never imports or calls anything: a class, function or
// reduction stays a symbolic node (pyobject.h). Hostile input is ordinary
// input: every failure is a Status, and DecodeLimits bound time and memory.
//
// Thread safety: every function here is pure (no shared state); call them
// from any number of threads at once.
#pragma once

#include "diskcache/pyobject.h"
#include "diskcache/status.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace diskcache::py {

// Bounds on what one decodePickle call may build. A pickle past a bound
// fails with Corrupt instead of using more memory or time.
struct DecodeLimits {
    // Values the pickle makes, and nodes in the decoded tree (a shared node
    // counts each time it appears). Each costs a few hundred bytes.
    std::size_t maxNodes = 2'000'000;
    // Nesting depth of the decoded tree.
    std::size_t maxDepth = 1000;
    // Payload bytes in the tree (str, bytes and int data, counted each time
    // a node appears, plus 8 per node); this also bounds repr()'s output.
    std::size_t maxOutputBytes = std::size_t{512} << 20;
};

// Decodes `data` up to its STOP opcode (trailing bytes are ignored, as
// Python does). Corrupt for a damaged or truncated pickle, a bad opcode,
// stack underflow, or a pickle beyond `limits`; Unsupported for a protocol
// above 5. Pure; never runs code named by the pickle.
Result<Object> decodePickle(std::string_view data, const DecodeLimits& limits = {});

// Python 3.11's repr(value). Classes and instances Python would show with an
// address are shown symbolically (`mod.Name(args)`, `<mod.Name object
// state={...}>`). maxLength > 0 cuts the text to at most that many bytes,
// ending in "...".
std::string repr(const Object& value, std::size_t maxLength = 0);

// Python's type(value).__name__: "int", "dict", "OrderedDict", "datetime";
// for an unknown class the last part of its qualified name.
std::string typeName(const Object& value);

// The protocol of a pickle: the PROTO opcode's argument (0-5), else 1 when
// the first opcode is a binary one and 0 when it is a text one. -1 when
// `data` does not start with a pickle opcode.
int pickleProtocol(std::string_view data);

// The bytes diskcache stores for a key that is not raw:
// pickletools.optimize(pickle.dumps(value, protocol)), byte for byte as
// CPython 3.11 makes them. Values: None, bool, int, float, complex, str,
// bytes, Ellipsis and tuples of these. Protocols 2 to 5 (InvalidArgument
// otherwise); Unsupported for other kinds of value (sets, lists...).
// Sharing follows CPython: one node appearing twice, and equal empty or
// one-character str/bytes, are one object and pickle as a memo GET.
Result<std::string> encodeKey(const Object& value, int protocol);

// Python's ast.literal_eval for `text`: str and bytes literals (all prefixes,
// quotes and escapes except \N{...}, adjacent concatenation), int in any
// base and size, float, complex, None, True, False, Ellipsis, tuples, lists,
// dicts, sets and set(). InvalidArgument when the text is not such a
// literal (callers then treat it as plain text).
Result<Object> parseLiteral(std::string_view text);

// repr() of values diskcache stores raw, without building a tree.
std::string reprStr(std::string_view utf8);
std::string reprBytes(std::string_view bytes);
std::string reprFloat(double value);
std::string reprInt(std::int64_t value);
// repr() of an int given as two's complement little-endian bytes (any size).
std::string reprBigInt(std::string_view twosComplementLE);

}  // namespace diskcache::py
