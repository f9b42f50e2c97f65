// Opcodes that carry text or bytes: every str, bytes and bytearray form,
// protocol 0's quoted STRING and raw-unicode-escape UNICODE, and GLOBAL.
#include "decoder.h"
#include "normalize.h"

namespace diskcache::py::detail {

namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Python's codecs.escape_decode, which reads protocol 0's STRING argument.
bool escapeDecode(std::string_view text, std::string& out) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\' || i + 1 == text.size()) {
            if (text[i] == '\\') return false;  // a trailing lone backslash
            out.push_back(text[i]);
            continue;
        }
        const char c = text[++i];
        static constexpr std::string_view kSimple = "\\'\"abfnrtv";
        static constexpr std::string_view kValues = "\\'\"\a\b\f\n\r\t\v";
        if (const auto at = kSimple.find(c); at != std::string_view::npos) {
            out.push_back(kValues[at]);
        } else if (c == '\n') {
            // A line continuation: nothing.
        } else if (c >= '0' && c <= '7') {
            int value = c - '0';
            for (int n = 0; n < 2 && i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '7'; ++n)
                value = value * 8 + (text[++i] - '0');
            out.push_back(static_cast<char>(value & 0xff));
        } else if (c == 'x') {
            if (i + 2 >= text.size() || hexValue(text[i + 1]) < 0 || hexValue(text[i + 2]) < 0) return false;
            out.push_back(static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2])));
            i += 2;
        } else {
            out.push_back('\\');  // unknown escapes stay as they are
            out.push_back(c);
        }
    }
    return true;
}

// Python's raw-unicode-escape decoder: bytes are Latin-1 code points, and
// \uXXXX / \UXXXXXXXX after an odd run of backslashes are escapes.
bool rawUnicodeEscapeDecode(std::string_view text, std::string& out) {
    std::size_t backslashes = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool escape = (c == 'u' || c == 'U') && backslashes % 2 == 1;
        backslashes = c == '\\' ? backslashes + 1 : 0;
        if (!escape) {
            appendUtf8(out, static_cast<unsigned char>(c));
            continue;
        }
        out.pop_back();  // the backslash that introduced the escape
        const std::size_t digits = c == 'u' ? 4 : 8;
        if (text.size() - i - 1 < digits) return false;
        std::uint32_t cp = 0;
        for (std::size_t d = 1; d <= digits; ++d) {
            const int v = hexValue(text[i + d]);
            if (v < 0) return false;
            cp = cp * 16 + static_cast<std::uint32_t>(v);
        }
        if (cp > 0x10FFFF) return false;
        appendUtf8(out, cp);
        i += digits;
    }
    return true;
}

bool isAscii(std::string_view text) {
    for (const char c : text)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

// Python 3 reads Python 2's str as ASCII text; other bytes stay bytes (as
// with encoding="bytes") so the value can still be shown.
Object python2String(std::string bytes) {
    if (isAscii(bytes)) return makeStr(std::move(bytes));
    return makeBytes(std::move(bytes));
}

// fix_imports: the names Python 2 pickles use for Python 3's modules.
void fixImports(std::string& module, std::string& name) {
    if (module == "__builtin__" || module == "exceptions") {
        module = "builtins";
        if (name == "xrange") name = "range";
        else if (name == "unicode" || name == "basestring") name = "str";
        else if (name == "long") name = "int";
        else if (name == "StandardError") name = "Exception";
    } else if (module == "copy_reg") {
        module = "copyreg";
    } else if (module == "Queue") {
        module = "queue";
    } else if (module == "cPickle") {
        module = "pickle";
    }
}

}  // namespace

Status Decoder::loadUtf8(std::string_view bytes) {
    if (!isValidUtf8(bytes)) return Status::corrupt("invalid UTF-8 in pickled str");
    return push(addLeaf(makeStr(std::string(bytes))));
}

Status Decoder::loadStringLine() {
    std::string_view line;
    if (!readLine(line)) return truncated();
    if (line.size() < 2 || line.front() != line.back() || (line.front() != '\'' && line.front() != '"'))
        return Status::corrupt("the STRING opcode argument must be quoted");
    std::string decoded;
    if (!escapeDecode(line.substr(1, line.size() - 2), decoded)) return Status::corrupt("invalid escape in STRING");
    return push(addLeaf(python2String(std::move(decoded))));
}

Status Decoder::loadUnicodeLine() {
    std::string_view line;
    if (!readLine(line)) return truncated();
    std::string decoded;
    if (!rawUnicodeEscapeDecode(line, decoded)) return Status::corrupt("invalid escape in UNICODE");
    return push(addLeaf(makeStr(std::move(decoded))));
}

Status Decoder::loadGlobalLine(bool inst) {
    std::string_view module, name;
    if (!readLine(module) || !readLine(name)) return truncated();
    if (!isValidUtf8(module) || !isValidUtf8(name)) return Status::corrupt("invalid UTF-8 in GLOBAL");
    std::string moduleText(module), nameText(name);
    if (m_protocol < 3) fixImports(moduleText, nameText);
    const std::uint32_t cls = addLeaf(globalObject(std::move(moduleText), std::move(nameText)));
    if (!inst) return push(cls);
    std::vector<std::uint32_t> args;
    DISKCACHE_TRY(popMark(args));
    return loadReduce(ReduceStyle::Inst, cls, addContainer(Kind::Tuple, std::move(args)), kNoNode);
}

Status Decoder::loadStackGlobal() {
    std::uint32_t name = 0, module = 0;
    DISKCACHE_TRY(pop(name));
    DISKCACHE_TRY(pop(module));
    const auto& nameNode = m_graph[name];
    const auto& moduleNode = m_graph[module];
    if (nameNode.kind != Kind::Str || moduleNode.kind != Kind::Str)
        return Status::corrupt("STACK_GLOBAL requires str");
    return push(addLeaf(globalObject(moduleNode.leaf->data, nameNode.leaf->data)));
}

Status Decoder::stepText(std::uint8_t op, bool& handled) {
    handled = true;
    std::string_view bytes;
    std::uint8_t n1 = 0;
    std::uint32_t n4 = 0;
    std::uint64_t n8 = 0;
    switch (op) {
    case op::STRING: return loadStringLine();
    case op::UNICODE: return loadUnicodeLine();
    case op::GLOBAL: return loadGlobalLine(false);
    case op::INST: return loadGlobalLine(true);
    case op::STACK_GLOBAL: return loadStackGlobal();
    case op::SHORT_BINSTRING:
        if (!readLittle(n1) || !read(n1, bytes)) return truncated();
        return push(addLeaf(python2String(std::string(bytes))));
    case op::BINSTRING:
        if (!readLittle(n4)) return truncated();
        if (static_cast<std::int32_t>(n4) < 0) return Status::corrupt("BINSTRING pickle has negative byte count");
        if (!read(n4, bytes)) return truncated();
        return push(addLeaf(python2String(std::string(bytes))));
    case op::SHORT_BINUNICODE:
        if (!readLittle(n1) || !read(n1, bytes)) return truncated();
        return loadUtf8(bytes);
    case op::BINUNICODE:
        if (!readLittle(n4) || !read(n4, bytes)) return truncated();
        return loadUtf8(bytes);
    case op::BINUNICODE8:
        if (!readLittle(n8) || n8 > m_data.size() || !read(static_cast<std::size_t>(n8), bytes)) return truncated();
        return loadUtf8(bytes);
    case op::SHORT_BINBYTES:
        if (!readLittle(n1) || !read(n1, bytes)) return truncated();
        return push(addLeaf(makeBytes(std::string(bytes))));
    case op::BINBYTES:
        if (!readLittle(n4) || !read(n4, bytes)) return truncated();
        return push(addLeaf(makeBytes(std::string(bytes))));
    case op::BINBYTES8:
    case op::BYTEARRAY8: {
        if (!readLittle(n8) || n8 > m_data.size() || !read(static_cast<std::size_t>(n8), bytes)) return truncated();
        auto node = std::make_shared<Node>();
        node->kind = op == op::BINBYTES8 ? Kind::Bytes : Kind::ByteArray;
        node->data = std::string(bytes);
        return push(addLeaf(std::move(node)));
    }
    default: handled = false; return Status::ok();
    }
}

}  // namespace diskcache::py::detail
