// encodeKey(): the bytes CPython 3.11 stores for a pickled diskcache key,
// pickletools.optimize(pickle.dumps(key, protocol)).
//
// Two stages mirror the two Python functions. KeyPickler writes the opcodes
// the C pickler would, with a PUT after every memoised object and a GET for
// every object seen before (by identity, which is what the memo tracks).
// optimize() then keeps only the PUTs some GET uses, renumbers them, and
// frames the result as pickle._Framer does for protocols 4 and 5.
#include "diskcache/pickle.h"

#include "internal.h"
#include "opcodes.h"

#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

namespace diskcache::py {

namespace detail {

namespace {

struct Chunk {
    enum Type { Raw, Put, Get } type = Raw;
    std::string bytes;      // Raw: one opcode with its argument
    std::uint64_t id = 0;   // Put, Get: the memo entry
};

std::string littleEndian(std::uint64_t value, int size) {
    std::string out;
    for (int i = 0; i < size; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    return out;
}

class KeyPickler {
public:
    explicit KeyPickler(int protocol) : m_protocol(protocol) {}
    Status save(const Object& value);
    const std::vector<Chunk>& chunks() const { return m_chunks; }

private:
    void raw(std::string bytes) { m_chunks.push_back({Chunk::Raw, std::move(bytes), 0}); }
    // Emits a GET and returns true when `identity` was memoised before.
    bool fromMemo(const std::string& identity);
    void memoise(const std::string& identity);
    std::string freshIdentity() { return "fresh:" + std::to_string(m_fresh++); }

    void saveInt(const Object& value);
    void saveFloat(double value);
    void saveStr(const std::string& utf8, const std::string& identity);
    void saveBytes(const std::string& bytes, const std::string& identity);
    void saveGlobal(const std::string& module, const std::string& name);
    Status saveTuple(const Object& value, const std::string& identity);
    void saveComplex(const Object& value, const std::string& identity);

    int m_protocol;
    std::vector<Chunk> m_chunks;
    std::unordered_map<std::string, std::uint64_t> m_memo;
    std::uint64_t m_fresh = 0;
};

bool KeyPickler::fromMemo(const std::string& identity) {
    const auto it = m_memo.find(identity);
    if (it == m_memo.end()) return false;
    m_chunks.push_back({Chunk::Get, {}, it->second});
    return true;
}

void KeyPickler::memoise(const std::string& identity) {
    const std::uint64_t id = m_memo.size();
    m_memo.emplace(identity, id);
    m_chunks.push_back({Chunk::Put, {}, id});
}

// CPython keeps one object for the empty str and bytes and for each str of
// one Latin-1 character or bytes of one byte, so equal ones share a memo
// entry; any other value is its own object.
std::string identityOf(const Object& value) {
    const bool str = value->kind == Kind::Str;
    if (value->kind == Kind::Bytes && value->data.size() <= 1) return "value:b:" + value->data;
    if (str && (value->data.empty() || (codePointCount(value->data) == 1 && value->data.size() <= 2))) {
        std::size_t pos = 0;
        std::uint32_t cp = 0;
        if (value->data.empty() || (nextCodePoint(value->data, pos, cp) && cp < 0x100))
            return "value:s:" + value->data;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "node:%p", static_cast<const void*>(value.get()));
    return buffer;
}

void KeyPickler::saveInt(const Object& value) {
    if (value->bigInt.empty() && value->intValue >= INT32_MIN && value->intValue <= INT32_MAX) {
        const std::int64_t v = value->intValue;
        if (v >= 0 && v <= 0xff) return raw(std::string(1, static_cast<char>(op::BININT1)) + littleEndian(static_cast<std::uint64_t>(v), 1));
        if (v >= 0 && v <= 0xffff) return raw(std::string(1, static_cast<char>(op::BININT2)) + littleEndian(static_cast<std::uint64_t>(v), 2));
        return raw(std::string(1, static_cast<char>(op::BININT)) + littleEndian(static_cast<std::uint64_t>(v), 4));
    }
    std::string twos = value->bigInt;
    if (twos.empty()) {
        BigInt big;
        const std::uint64_t magnitude = value->intValue < 0 ? 0 - static_cast<std::uint64_t>(value->intValue)
                                                            : static_cast<std::uint64_t>(value->intValue);
        big.limbs = {static_cast<std::uint32_t>(magnitude), static_cast<std::uint32_t>(magnitude >> 32)};
        big.negative = value->intValue < 0;
        twos = bigToTwos(big);
    }
    if (twos.size() < 256) return raw(std::string(1, static_cast<char>(op::LONG1)) + littleEndian(twos.size(), 1) + twos);
    raw(std::string(1, static_cast<char>(op::LONG4)) + littleEndian(twos.size(), 4) + twos);
}

void KeyPickler::saveFloat(double value) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    std::string out(1, static_cast<char>(op::BINFLOAT));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((bits >> shift) & 0xff));
    raw(std::move(out));
}

void KeyPickler::saveStr(const std::string& utf8, const std::string& identity) {
    if (fromMemo(identity)) return;
    if (m_protocol >= 4 && utf8.size() < 256)
        raw(std::string(1, static_cast<char>(op::SHORT_BINUNICODE)) + littleEndian(utf8.size(), 1) + utf8);
    else if (utf8.size() <= 0xffffffffu)
        raw(std::string(1, static_cast<char>(op::BINUNICODE)) + littleEndian(utf8.size(), 4) + utf8);
    else
        raw(std::string(1, static_cast<char>(op::BINUNICODE8)) + littleEndian(utf8.size(), 8) + utf8);
    memoise(identity);
}

std::string latin1Text(const std::string& bytes) {
    std::string text;
    for (const char c : bytes) appendUtf8(text, static_cast<unsigned char>(c));
    return text;
}

void KeyPickler::saveBytes(const std::string& bytes, const std::string& identity) {
    if (fromMemo(identity)) return;
    if (m_protocol < 3) {
        // Protocol 2 has no bytes opcode: CPython writes bytes() or
        // _codecs.encode(latin-1 text, 'latin1'), a reduce that the
        // unpickler of Python 2 and 3 both understand.
        if (bytes.empty()) {
            saveGlobal("builtins", "bytes");
            raw(std::string(1, static_cast<char>(op::EMPTY_TUPLE)));
        } else {
            saveGlobal("_codecs", "encode");
            const std::string text = latin1Text(bytes);
            saveStr(text, bytes.size() == 1 ? "value:s:" + text : freshIdentity());
            saveStr("latin1", "const:latin1");
            raw(std::string(1, static_cast<char>(op::TUPLE2)));
            memoise(freshIdentity());
        }
        raw(std::string(1, static_cast<char>(op::REDUCE)));
    } else if (bytes.size() < 256) {
        raw(std::string(1, static_cast<char>(op::SHORT_BINBYTES)) + littleEndian(bytes.size(), 1) + bytes);
    } else if (bytes.size() <= 0xffffffffu) {
        raw(std::string(1, static_cast<char>(op::BINBYTES)) + littleEndian(bytes.size(), 4) + bytes);
    } else {
        raw(std::string(1, static_cast<char>(op::BINBYTES8)) + littleEndian(bytes.size(), 8) + bytes);
    }
    memoise(identity);
}

void KeyPickler::saveGlobal(const std::string& module, const std::string& name) {
    const std::string identity = "global:" + module + "." + name;
    if (fromMemo(identity)) return;
    if (m_protocol >= 4) {
        saveStr(module, "const:" + module);
        saveStr(name, "const:" + name);
        raw(std::string(1, static_cast<char>(op::STACK_GLOBAL)));
    } else {
        // fix_imports: protocol 2 names Python 2's module for builtins.
        const std::string written = m_protocol < 3 && module == "builtins" ? "__builtin__" : module;
        raw(std::string(1, static_cast<char>(op::GLOBAL)) + written + "\n" + name + "\n");
    }
    memoise(identity);
}

Status KeyPickler::saveTuple(const Object& value, const std::string& identity) {
    const auto& items = value->items;
    if (items.empty()) return raw(std::string(1, static_cast<char>(op::EMPTY_TUPLE))), Status::ok();
    if (fromMemo(identity)) return Status::ok();
    if (items.size() > 3) raw(std::string(1, static_cast<char>(op::MARK)));
    for (const auto& item : items) DISKCACHE_TRY(save(item));
    static constexpr std::uint8_t kSmall[] = {op::TUPLE1, op::TUPLE2, op::TUPLE3};
    raw(std::string(1, static_cast<char>(items.size() > 3 ? op::TUPLE : kSmall[items.size() - 1])));
    memoise(identity);
    return Status::ok();
}

void KeyPickler::saveComplex(const Object& value, const std::string& identity) {
    if (fromMemo(identity)) return;
    saveGlobal("builtins", "complex");
    saveFloat(value->real);
    saveFloat(value->imag);
    raw(std::string(1, static_cast<char>(op::TUPLE2)));
    memoise(freshIdentity());
    raw(std::string(1, static_cast<char>(op::REDUCE)));
    memoise(identity);
}

Status KeyPickler::save(const Object& value) {
    if (!value) return Status::invalidArgument("null value");
    switch (value->kind) {
    case Kind::None: raw("N"); return Status::ok();
    case Kind::Bool: raw(std::string(1, static_cast<char>(value->flag ? op::NEWTRUE : op::NEWFALSE))); return Status::ok();
    case Kind::Int: saveInt(value); return Status::ok();
    case Kind::Float: saveFloat(value->real); return Status::ok();
    case Kind::Complex: saveComplex(value, identityOf(value)); return Status::ok();
    case Kind::Str: saveStr(value->data, identityOf(value)); return Status::ok();
    case Kind::Bytes: saveBytes(value->data, identityOf(value)); return Status::ok();
    case Kind::Ellipsis: saveGlobal("builtins", "Ellipsis"); return Status::ok();
    case Kind::Tuple: return saveTuple(value, identityOf(value));
    default: return Status::unsupported("cannot encode a " + typeName(value) + " key");
    }
}

// pickle._Framer as pickletools.optimize drives it.
class Framer {
public:
    Framer(std::string& out, bool framing) : m_out(out), m_framing(framing) {}
    void write(const std::string& data, bool mayBeFrameless) {
        const bool frameless = mayBeFrameless && data.size() > kFrameTarget;
        if (!m_framing) return void(m_out += data);
        commit(frameless);
        if (frameless) m_out += data;
        else m_frame += data;
    }
    void end() {
        if (m_framing && !m_frame.empty()) commit(true);
    }

private:
    static constexpr std::size_t kFrameTarget = 64 * 1024;
    static constexpr std::size_t kFrameMin = 4;
    void commit(bool force) {
        if (m_frame.size() < kFrameTarget && !force) return;
        if (m_frame.size() >= kFrameMin) m_out += std::string(1, static_cast<char>(op::FRAME)) + littleEndian(m_frame.size(), 8);
        m_out += m_frame;
        m_frame.clear();
    }
    std::string& m_out;
    std::string m_frame;
    bool m_framing;
};

std::string optimize(const std::vector<Chunk>& chunks, int protocol) {
    std::unordered_set<std::uint64_t> used;
    for (const auto& chunk : chunks)
        if (chunk.type == Chunk::Get) used.insert(chunk.id);
    std::string out{static_cast<char>(op::PROTO), static_cast<char>(protocol)};
    Framer framer(out, protocol >= 4);
    std::unordered_map<std::uint64_t, std::uint64_t> renumbered;
    for (const auto& chunk : chunks) {
        if (chunk.type == Chunk::Raw) {
            framer.write(chunk.bytes, true);
            continue;
        }
        if (chunk.type == Chunk::Put && !used.count(chunk.id)) continue;
        if (chunk.type == Chunk::Put) renumbered.emplace(chunk.id, renumbered.size());
        const std::uint64_t index = renumbered.at(chunk.id);
        std::string data;
        if (chunk.type == Chunk::Put && protocol >= 4) data = std::string(1, static_cast<char>(op::MEMOIZE));
        else if (chunk.type == Chunk::Put) data = index < 256 ? std::string(1, static_cast<char>(op::BINPUT)) + littleEndian(index, 1) : std::string(1, static_cast<char>(op::LONG_BINPUT)) + littleEndian(index, 4);
        else data = index < 256 ? std::string(1, static_cast<char>(op::BINGET)) + littleEndian(index, 1) : std::string(1, static_cast<char>(op::LONG_BINGET)) + littleEndian(index, 4);
        framer.write(data, false);
    }
    framer.write(std::string(1, static_cast<char>(op::STOP)), true);
    framer.end();
    return out;
}

}  // namespace

}  // namespace detail

Result<std::string> encodeKey(const Object& value, int protocol) {
    if (protocol < 2 || protocol > 5) return Status::invalidArgument("diskcache keys use pickle protocols 2 to 5");
    detail::KeyPickler pickler(protocol);
    DISKCACHE_TRY(pickler.save(value));
    return detail::optimize(pickler.chunks(), protocol);
}

}  // namespace diskcache::py
