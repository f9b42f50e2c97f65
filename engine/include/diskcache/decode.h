// Value decoding: tells what a stored value's bytes are (text, JSON,
// JSONDisk's zlib-compressed JSON, a Django file-cache file, an image, a
// pickle, or plain binary), says why, and renders them for people (a
// pretty-printed JSON text, a hex dump, Python's repr() of a pickle...).
//
// Nothing here runs code named by the data: pickles go through pickle.h's
// decoder. Hostile input is ordinary input: every failure is a Status, and
// DecodeOptions bound the memory and time one call may use (a zip bomb stops
// at maxInflatedBytes, deep JSON at maxJsonDepth).
//
// Thread safety: every function here is pure; call them from any number of
// threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "diskcache/cache.h"
#include "diskcache/pickle.h"
#include "diskcache/status.h"

namespace diskcache::decode {

// Which decoder applied.
enum class Format {
    Text,        // UTF-8 text (invalid bytes shown as \xNN)
    Binary,      // a hex and ASCII dump
    Json,        // a JSON object or array, pretty-printed
    JsonDisk,    // a zlib stream holding JSON (diskcache.JSONDisk), pretty-printed
    DjangoFile,  // Django's FileBasedCache file: pickled expiry, then zlib(pickle(value))
    Image,       // PNG, JPEG, GIF, WebP, BMP or SVG, known from its bytes
    Pickle,      // a Python pickle, shown as repr()
};
const char* formatName(Format format);  // "text", "binary", "json", "jsondisk", "django", "image", "pickle"

enum class ImageFormat { Png, Jpeg, Gif, WebP, Bmp, Svg };
const char* imageFormatName(ImageFormat format);  // "PNG", "JPEG", "GIF", "WebP", "BMP", "SVG"

// What the cache says about a value: its mode (cache.h) and, for a raw
// value, its Python type ("str", "bytes", "int", "float"). StoreMode::None
// means nothing is known (a file from elsewhere): every decoder is tried.
struct ValueHint {
    StoreMode mode = StoreMode::None;
    std::string pythonType;
};

struct DecodeOptions {
    // Most bytes a zlib stream may inflate to; beyond this it is refused.
    std::size_t maxInflatedBytes = std::size_t{64} << 20;
    // Deepest JSON nesting accepted (the parser recurses once per level).
    std::size_t maxJsonDepth = 256;
    // Most bytes of input shown by a hex dump (16 per line).
    std::size_t maxHexDumpBytes = 64 * 1024;
    // Most bytes of a rendered text (JSON, repr(), text); longer output ends in "...".
    std::size_t maxTextBytes = std::size_t{4} << 20;
    // Bounds of the pickle decoder (pickle.h).
    py::DecodeLimits pickle;
};

struct ImageInfo {
    ImageFormat format = ImageFormat::Png;
    // From the header where it says so cheaply; 0 when unknown.
    std::uint32_t width = 0;
    std::uint32_t height = 0;
};

struct Decoded {
    Format format = Format::Binary;
    // Why this decoder applies: "starts with the PNG signature",
    // "zlib stream whose content is JSON (JSONDisk)", "pickle protocol 5"...
    std::string reason;
    // The presentation: pretty JSON, repr(), text, a hex dump, or a one-line
    // description of an image.
    std::string text;
    // True when `text` stops short of the whole value (at a DecodeOptions bound).
    bool truncated = false;

    std::optional<ImageInfo> image;  // Image
    int pickleProtocol = -1;         // Pickle, DjangoFile: the value's pickle
    std::string pythonType;          // Pickle, DjangoFile: type(value).__name__
    py::Object object;               // Pickle, DjangoFile: the decoded value
    // DjangoFile: the expiry (seconds since the epoch); nullopt for never.
    std::optional<double> expiry;
};

// Classifies `data` with `hint` and decodes it with the decoder that applies.
// The cache's word decides first (mode pickle is a pickle; a str stays text,
// shown as JSON or SVG when it is one); bytes of unknown meaning are sniffed:
// image signatures, a zlib stream of JSON, a Django file, a whole pickle,
// JSON, UTF-8 text, else a hex dump. Corrupt when the data claims a format
// (by the cache's mode or a zlib/pickle signature) and is damaged or beyond
// the options' bounds.
Result<Decoded> decodeValue(std::string_view data, const ValueHint& hint, const DecodeOptions& options = {});

// ---- the decoders one by one ---------------------------------------------

// Strict JSON (RFC 8259, UTF-8) pretty-printed with a 2-space indent, keys
// in their order. Corrupt for invalid JSON or nesting past maxJsonDepth.
Result<std::string> prettyJson(std::string_view json, const DecodeOptions& options = {});
// `json` laid out as Python's json.dumps() lays it out by default: ", " and
// ": " between items, no newlines, non-ASCII characters as backslash-u
// escapes (what JSONDisk compresses). InvalidArgument when it is not JSON.
Result<std::string> compactJson(std::string_view json, const DecodeOptions& options = {});

// zlib.decompress(data) with at most `maxOutput` bytes of result: Corrupt
// for a damaged or truncated stream or one that inflates to more.
Result<std::string> inflateBounded(std::string_view data, std::size_t maxOutput);

// The image `data` starts with, by its magic bytes (SVG: XML text whose root
// is <svg>); nullopt for anything else. Sizes from PNG's IHDR, GIF's screen,
// BMP's info header, JPEG's SOF (a bounded scan) and WebP's VP8/VP8L/VP8X.
std::optional<ImageInfo> sniffImage(std::string_view data);

// A Django FileBasedCache file: its expiry and value (Format::DjangoFile).
// InvalidArgument when it does not have that shape (a pickle followed by a
// zlib header); Corrupt when it does but the expiry is not a float or None,
// or the zlib stream or the value's pickle is damaged or beyond the bounds.
Result<Decoded> decodeDjangoFile(std::string_view data, const DecodeOptions& options = {});

// Text shown as Python shows it: valid UTF-8 unchanged, each invalid byte as \xNN.
std::string escapeText(std::string_view data, std::size_t maxBytes = 0);
// True for well-formed UTF-8 (no surrogates, no overlong forms).
bool isUtf8(std::string_view data);

// "00000000  89 50 4e 47 ...  |.PNG....|" lines, 16 bytes each, of the
// first `maxBytes` bytes of `data` (0: all).
std::string hexDump(std::string_view data, std::size_t maxBytes = 0);

}  // namespace diskcache::decode
