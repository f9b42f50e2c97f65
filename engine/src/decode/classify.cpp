// decodeValue(): which decoder applies to a stored value, and why. The
// cache's own word (mode, Python type) comes first; bytes of unknown meaning
// are recognised by the signatures their formats define, strongest first.
#include "diskcache/decode.h"
#include "internal.h"

namespace diskcache::decode {
namespace detail {

const char* jsonKindName(char top) {
    switch (top) {
        case '{':
            return "object";
        case '[':
            return "array";
        case '"':
            return "string";
        case 't':
        case 'f':
            return "boolean";
        case 'n':
            return "null";
        default:
            return "number";
    }
}

Status decodePickleInto(std::string_view pickle, const DecodeOptions& options, Decoded& out) {
    auto object = py::decodePickle(pickle, options.pickle);
    if (!object) return object.status();
    out.object = std::move(*object);
    out.pickleProtocol = py::pickleProtocol(pickle);
    out.pythonType = py::typeName(out.object);
    out.text = py::repr(out.object, options.maxTextBytes);
    // repr() marks a cut with "..."; so may a value (Ellipsis), hence the length test too.
    out.truncated =
        options.maxTextBytes != 0 && out.text.size() + 4 > options.maxTextBytes && out.text.ends_with("...");
    return Status::ok();
}

}  // namespace detail

namespace {

Decoded make(Format format, std::string reason, std::string text = {}) {
    Decoded out;
    out.format = format;
    out.reason = std::move(reason);
    out.text = std::move(text);
    return out;
}

std::string sizeText(const ImageInfo& image) {
    if (image.width == 0 && image.height == 0) return "";
    return ", " + std::to_string(image.width) + "\xC3\x97" + std::to_string(image.height);  // U+00D7 ×
}

Decoded image(const ImageInfo& info, std::string reason) {
    Decoded out =
        make(Format::Image, std::move(reason), std::string(imageFormatName(info.format)) + " image" + sizeText(info));
    out.image = info;
    return out;
}

Result<Decoded> pickleValue(std::string_view data, const DecodeOptions& options, const std::string& why) {
    Decoded out;
    const Status status = detail::decodePickleInto(data, options, out);
    if (!status) return Status(status.code(), why + ", but " + status.message());
    out.format = Format::Pickle;
    out.reason = why + ": pickle protocol " + std::to_string(out.pickleProtocol);
    return out;
}

// A JSON object or array in `text`, pretty-printed; nullopt otherwise.
// Other JSON values ("42", "\"a\"") are left to be shown as text.
std::optional<Decoded> jsonContainer(std::string_view text, const DecodeOptions& options) {
    if (text.empty()) return std::nullopt;
    detail::PrettyJson pretty;
    std::string error;
    if (!detail::prettyPrintJson(text, options, pretty, error)) return std::nullopt;
    if (pretty.top != '{' && pretty.top != '[') return std::nullopt;
    Decoded out =
        make(Format::Json, std::string("valid UTF-8 JSON ") + detail::jsonKindName(pretty.top), std::move(pretty.text));
    out.truncated = pretty.truncated;
    return out;
}

// A Python str (or bytes that are UTF-8): SVG, JSON, or text.
Decoded textLike(std::string_view data, const DecodeOptions& options, const std::string& why) {
    if (auto info = sniffImage(data); info && info->format == ImageFormat::Svg)
        return image(*info, "XML text whose root element is <svg>");
    if (auto json = jsonContainer(data, options)) return std::move(*json);
    const bool utf8 = isUtf8(data);
    Decoded out = make(Format::Text, why + (utf8 ? ": valid UTF-8" : ": not valid UTF-8 (bad bytes shown as \\xNN)"),
                       escapeText(data, options.maxTextBytes));
    out.truncated = options.maxTextBytes != 0 && data.size() > options.maxTextBytes;
    return out;
}

Decoded binary(std::string_view data, const DecodeOptions& options, std::string reason) {
    Decoded out = make(Format::Binary, std::move(reason), hexDump(data, options.maxHexDumpBytes));
    out.truncated = options.maxHexDumpBytes != 0 && data.size() > options.maxHexDumpBytes;
    return out;
}

// What a zlib stream holds: JSON (JSONDisk), text, or bytes.
Result<Decoded> zlibValue(std::string_view data, const DecodeOptions& options) {
    auto inflated = inflateBounded(data, options.maxInflatedBytes);
    if (!inflated)
        return Status(inflated.status().code(), "starts with a zlib header, but " + inflated.status().message());
    detail::PrettyJson pretty;
    std::string error;
    if (detail::prettyPrintJson(*inflated, options, pretty, error)) {
        // JSONDisk stores json.dumps() of anything, so any JSON value counts here.
        Decoded out =
            make(Format::JsonDisk,
                 std::string("zlib stream whose content is a JSON ") + detail::jsonKindName(pretty.top) + " (JSONDisk)",
                 std::move(pretty.text));
        out.truncated = pretty.truncated;
        return out;
    }
    const std::string size = " (" + std::to_string(inflated->size()) + " bytes inflated)";
    if (isUtf8(*inflated)) return textLike(*inflated, options, "zlib stream whose content is not JSON" + size);
    return binary(*inflated, options, "zlib stream whose content is neither JSON nor text" + size);
}

// Bytes the cache says nothing more about: recognised by their signatures.
Result<Decoded> sniffBytes(std::string_view data, const DecodeOptions& options) {
    if (data.empty()) return make(Format::Binary, "empty value");
    if (auto info = sniffImage(data); info && info->format != ImageFormat::Svg)
        return image(*info, std::string("starts with the ") + imageFormatName(info->format) + " signature");
    const bool utf8 = isUtf8(data);
    // Compressed data is practically never UTF-8; text such as "x^..." that
    // happens to fit a zlib header is left to be text.
    if (detail::looksLikeZlib(data) && !utf8) return zlibValue(data, options);
    if (static_cast<unsigned char>(data[0]) == 0x80 && py::pickleProtocol(data) >= 2) {
        auto django = decodeDjangoFile(data, options);
        if (django || django.status().code() != StatusCode::InvalidArgument) return django;
        return pickleValue(data, options, "starts with a pickle PROTO opcode");
    }
    if (utf8) return textLike(data, options, "bytes");
    return binary(data, options, "no known signature and not UTF-8 text");
}

}  // namespace

const char* formatName(Format format) {
    switch (format) {
        case Format::Text:
            return "text";
        case Format::Binary:
            return "binary";
        case Format::Json:
            return "json";
        case Format::JsonDisk:
            return "jsondisk";
        case Format::DjangoFile:
            return "django";
        case Format::Image:
            return "image";
        case Format::Pickle:
            return "pickle";
    }
    return "?";
}

Result<Decoded> decodeValue(std::string_view data, const ValueHint& hint, const DecodeOptions& options) {
    switch (hint.mode) {
        case StoreMode::Pickle:
            return pickleValue(data, options, "the cache stores it as a pickle (mode 4)");
        case StoreMode::Text:
            return textLike(data, options, "a str the cache keeps in a text file (mode 3)");
        case StoreMode::Raw:
            if (hint.pythonType == "str") return textLike(data, options, "a str stored raw");
            if (hint.pythonType == "int" || hint.pythonType == "float")
                return make(Format::Text, "a Python " + hint.pythonType + " stored raw", std::string(data));
            return sniffBytes(data, options);
        case StoreMode::Binary:
        case StoreMode::None:
            return sniffBytes(data, options);
    }
    return sniffBytes(data, options);
}

}  // namespace diskcache::decode
