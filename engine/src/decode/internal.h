// Helpers shared by the decoders in engine/src/decode/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "diskcache/decode.h"

namespace diskcache::decode::detail {

// Length of the well-formed UTF-8 sequence at `pos`, or 0 when the byte
// there does not start one (overlong forms and surrogates are invalid, as
// in Python's strict UTF-8 codec).
std::size_t utf8SequenceLength(std::string_view data, std::size_t pos);

// Cuts `text` to at most `maxBytes` (0: no bound), ending in "..." and
// never inside a UTF-8 sequence. True when it cut.
bool cutText(std::string& text, std::size_t maxBytes);

// True when `data` starts with a zlib header (RFC 1950: deflate, a window of
// at most 32 KiB, no preset dictionary, and the header check bits right).
bool looksLikeZlib(std::string_view data);

}  // namespace diskcache::decode::detail

namespace diskcache::decode::detail {

struct PrettyJson {
    std::string text;
    bool truncated = false;
    char top = 0;  // the top-level value's first character: '{', '[', '"', 't', '0'...
};

// The JSON parser and pretty-printer behind prettyJson(); empty `text` and
// a message in `error` when the input is not JSON.
bool prettyPrintJson(std::string_view json, const DecodeOptions& options, PrettyJson& out, std::string& error);

}  // namespace diskcache::decode::detail

namespace diskcache::decode::detail {

// "object", "array", "string", "number", "true"... for a JSON text's first character.
const char* jsonKindName(char top);

// Fills a Decoded's pickle fields (object, protocol, type, repr text) from a
// pickle's bytes. Corrupt/Unsupported as decodePickle says.
Status decodePickleInto(std::string_view pickle, const DecodeOptions& options, Decoded& out);

}  // namespace diskcache::decode::detail
