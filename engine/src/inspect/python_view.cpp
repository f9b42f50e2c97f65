// Python's view of keys and values: literals typed by users, repr() and
// type names, through the pickle decoder (pickle.h).
#include <zlib.h>

#include "diskcache/decode.h"
#include "diskcache/pickle.h"
#include "source.h"

namespace diskcache {

namespace {

// `text` cut to at most maxLength bytes (0: no limit), ending in "..." and
// never inside a UTF-8 sequence.
std::string cutText(std::string text, std::size_t maxLength) {
    if (maxLength > 3 && text.size() > maxLength) {
        std::size_t cut = maxLength - 3;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole code points only
        text = text.substr(0, cut) + "...";
    }
    return text;
}

}  // namespace

namespace inspect {

Result<Value> keyFromLiteral(std::string_view text, int pickleProtocol) {
    auto parsed = py::parseLiteral(text);
    if (!parsed) return Value::text(std::string(text));  // CLI-NOTES: not a literal is a str
    const py::Object& object = *parsed;
    switch (object->kind) {
    case py::Kind::Str: return Value::text(object->data);
    case py::Kind::Bytes: return Value::bytes(object->data);
    case py::Kind::Float: return Value::real(object->real);
    case py::Kind::Int:
        if (object->bigInt.empty()) return Value::integer(object->intValue);
        break;  // beyond 64 bits: pickled, as diskcache does
    default: break;
    }
    auto pickled = py::encodeKey(object, pickleProtocol);
    if (!pickled) return Status::invalidArgument("cannot use " + std::string(text) + " as a key: " + pickled.status().message());
    return Value::pickle(std::move(*pickled));
}

Result<Value> jsonDiskKey(std::string_view json, int compressLevel) {
    auto compact = decode::compactJson(json);
    if (!compact) return compact.status();
    // zlib.compress(data, level) is deflate with zlib's defaults (a 32 KiB
    // window, memLevel 8), which is what compress2() uses: the same bytes.
    uLongf length = compressBound(static_cast<uLong>(compact->size()));
    std::string out(length, '\0');
    const int rc = compress2(reinterpret_cast<Bytef*>(out.data()), &length, reinterpret_cast<const Bytef*>(compact->data()),
                             static_cast<uLong>(compact->size()), compressLevel);
    if (rc != Z_OK) return Status::invalidArgument("zlib could not compress the key at level " + std::to_string(compressLevel));
    out.resize(length);
    return Value::bytes(std::move(out));
}

std::string keyText(const Entry& entry, std::size_t maxLength) {
    if (entry.keyJson) return cutText(*entry.keyJson, maxLength);
    if (entry.keyType == "md5") return entry.key.data();
    return pythonRepr(entry.key, maxLength);
}

std::string pythonRepr(const Value& value, std::size_t maxLength) {
    std::string text;
    switch (value.kind()) {
    case ValueKind::None: text = "None"; break;
    case ValueKind::Int: text = py::reprInt(value.asInt()); break;
    case ValueKind::Float: text = py::reprFloat(value.asFloat()); break;
    case ValueKind::Text: text = py::reprStr(value.data()); break;
    case ValueKind::Bytes: text = py::reprBytes(value.data()); break;
    case ValueKind::Pickle: {
        auto object = py::decodePickle(value.data());
        if (!object) return "<pickle: " + object.status().message() + ">";
        return py::repr(*object, maxLength);
    }
    }
    return cutText(std::move(text), maxLength);
}

std::string pythonTypeName(const Value& value) {
    if (value.kind() == ValueKind::Pickle) return inspect_detail::pickleTypeName(value.data());
    return inspect_detail::rawTypeName(value);
}

}  // namespace inspect

namespace inspect_detail {

std::string pickleTypeName(std::string_view pickle) {
    auto object = py::decodePickle(pickle);
    if (!object) return "?";
    return py::typeName(*object);
}

}  // namespace inspect_detail

}  // namespace diskcache
