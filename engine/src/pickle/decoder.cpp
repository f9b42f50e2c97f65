// The pickle virtual machine (protocols 0-5), run symbolically: opcodes
// build a graph (graph.h) instead of Python objects, and nothing named by
// the pickle is imported or called. Every read is checked against the
// remaining data before anything is allocated, so a length prefix can never
// ask for more memory than the input holds.
//
// The stack discipline follows CPython's C unpickler: MARK pushes a fence,
// and an opcode may not pop below the innermost fence.
#include "decoder.h"

#include <charconv>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>

namespace diskcache::py::detail {

// ---- input --------------------------------------------------------------

bool Decoder::read(std::size_t count, std::string_view& out) {
    if (count > m_data.size() - m_pos) return false;
    out = m_data.substr(m_pos, count);
    m_pos += count;
    return true;
}

bool Decoder::readLine(std::string_view& out) {
    const auto end = m_data.find('\n', m_pos);
    if (end == std::string_view::npos) return false;
    out = m_data.substr(m_pos, end - m_pos);
    m_pos = end + 1;
    return true;
}

// ---- graph and stacks ---------------------------------------------------

std::uint32_t Decoder::add(GraphNode node) {
    m_graph.push_back(std::move(node));
    return static_cast<std::uint32_t>(m_graph.size() - 1);
}

std::uint32_t Decoder::addLeaf(Object leaf) {
    GraphNode node;
    node.kind = leaf->kind;
    node.leaf = std::move(leaf);
    return add(std::move(node));
}

std::uint32_t Decoder::addContainer(Kind kind, std::vector<std::uint32_t> items) {
    GraphNode node;
    node.kind = kind;
    node.items = std::move(items);
    return add(std::move(node));
}

Status Decoder::push(std::uint32_t node) {
    m_stack.push_back(node);
    return Status::ok();
}

Status Decoder::pop(std::uint32_t& node) {
    if (m_stack.size() <= fence()) return underflow();
    node = m_stack.back();
    m_stack.pop_back();
    return Status::ok();
}

Status Decoder::top(std::uint32_t& node) const {
    if (m_stack.size() <= fence()) return underflow();
    node = m_stack.back();
    return Status::ok();
}

Status Decoder::popMark(std::vector<std::uint32_t>& items) {
    if (m_marks.empty()) return Status::corrupt("could not find MARK");
    const std::size_t mark = m_marks.back();
    m_marks.pop_back();
    items.assign(m_stack.begin() + static_cast<std::ptrdiff_t>(mark), m_stack.end());
    m_stack.resize(mark);
    return Status::ok();
}

// ---- the machine --------------------------------------------------------

Result<std::uint32_t> Decoder::run() {
    while (!m_stopped) {
        std::string_view op;
        if (!read(1, op)) return Status(truncated());
        const Status status = step(static_cast<std::uint8_t>(op[0]));
        if (!status) return status;
        // Values the pickle makes, even unused ones, count against the limit.
        if (m_graph.size() > m_maxNodes)
            return Status::corrupt("pickle makes more than " + std::to_string(m_maxNodes) + " values");
    }
    return m_result;
}

Status Decoder::step(std::uint8_t op) {
    bool handled = false;
    m_highestOpcodeProtocol = std::max(m_highestOpcodeProtocol, opcodeProtocol(op));
    DISKCACHE_TRY(stepScalar(op, handled));
    if (!handled) DISKCACHE_TRY(stepText(op, handled));
    if (!handled) DISKCACHE_TRY(stepContainer(op, handled));
    if (!handled) DISKCACHE_TRY(stepMemo(op, handled));
    if (!handled) DISKCACHE_TRY(stepObject(op, handled));
    if (!handled) return Status::corrupt("invalid load key, '\\x" + std::string(1, "0123456789abcdef"[op >> 4]) +
                                         std::string(1, "0123456789abcdef"[op & 15]) + "'");
    return Status::ok();
}

Status Decoder::stepScalar(std::uint8_t op, bool& handled) {
    handled = true;
    switch (op) {
    case op::NONE: return push(addLeaf(makeNone()));
    case op::NEWTRUE: return push(addLeaf(makeBool(true)));
    case op::NEWFALSE: return push(addLeaf(makeBool(false)));
    case op::BININT: {
        std::int32_t v = 0;
        if (!readLittle(v)) return truncated();
        return push(addLeaf(makeInt(v)));
    }
    case op::BININT1: {
        std::uint8_t v = 0;
        if (!readLittle(v)) return truncated();
        return push(addLeaf(makeInt(v)));
    }
    case op::BININT2: {
        std::uint16_t v = 0;
        if (!readLittle(v)) return truncated();
        return push(addLeaf(makeInt(v)));
    }
    case op::LONG1: return loadLong(1);
    case op::LONG4: return loadLong(4);
    case op::INT: return loadIntLine(false);
    case op::LONG: return loadIntLine(true);
    case op::FLOAT: return loadFloatLine();
    case op::BINFLOAT: {
        std::string_view bytes;
        if (!read(8, bytes)) return truncated();
        std::uint64_t bits = 0;
        for (const char c : bytes) bits = (bits << 8) | static_cast<unsigned char>(c);  // big-endian
        double value = 0;
        std::memcpy(&value, &bits, sizeof value);
        return push(addLeaf(makeFloat(value)));
    }
    default: handled = false; return Status::ok();
    }
}

Status Decoder::loadLong(std::size_t lengthBytes) {
    std::uint32_t length = 0;
    if (lengthBytes == 1) {
        std::uint8_t n = 0;
        if (!readLittle(n)) return truncated();
        length = n;
    } else if (!readLittle(length)) {
        return truncated();
    }
    if (lengthBytes == 4 && static_cast<std::int32_t>(length) < 0)
        return Status::corrupt("LONG pickle has negative byte count");
    std::string_view bytes;
    if (!read(length, bytes)) return truncated();
    return push(addLeaf(intObject(bigFromTwos(bytes))));
}

std::string_view trimSpaces(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

Status Decoder::loadIntLine(bool isLong) {
    std::string_view line;
    if (!readLine(line)) return truncated();
    if (!isLong && (line == "00" || line == "01")) return push(addLeaf(makeBool(line == "01")));
    if (isLong && !line.empty() && line.back() == 'L') line.remove_suffix(1);
    BigInt value;
    if (!parseIntText(trimSpaces(line), value)) return Status::corrupt("invalid literal for int() in pickle");
    return push(addLeaf(intObject(value)));
}

// Python's float() of text, without the C locale's help (an application
// may have set a locale whose decimal point is a comma).
bool parseFloatText(std::string_view text, double& out) {
    text = trimSpaces(text);
    bool negative = false;
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
        negative = text[0] == '-';
        text.remove_prefix(1);
    }
    std::string lower;
    for (const char c : text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower == "inf" || lower == "infinity") out = HUGE_VAL;
    else if (lower == "nan") out = std::nan("");
    else {
        if (lower.empty() || lower[0] == '+' || lower[0] == '-') return false;
        const auto result = std::from_chars(lower.data(), lower.data() + lower.size(), out);
        if (result.ptr != lower.data() + lower.size()) return false;
        if (result.ec == std::errc::result_out_of_range) {
            // Overflow gives inf and underflow 0.0, as Python does.
            const auto e = lower.find('e');
            out = (e != std::string::npos && e + 1 < lower.size() && lower[e + 1] == '-') ? 0.0 : HUGE_VAL;
        } else if (result.ec != std::errc()) {
            return false;
        }
    }
    out = negative ? -out : out;
    return true;
}

Status Decoder::loadFloatLine() {
    std::string_view line;
    if (!readLine(line)) return truncated();
    double value = 0;
    if (!parseFloatText(line, value)) return Status::corrupt("could not convert string to float in pickle");
    return push(addLeaf(makeFloat(value)));
}

int opcodeProtocol(std::uint8_t opcode) {
    static constexpr std::string_view kProtocol0 = "(.02FILNPRSVabcdgilpst";
    static constexpr std::string_view kProtocol1 = "1JKMQTUX}ehj]oqr)uG";
    const char c = static_cast<char>(opcode);
    if (opcode < 0x80 && kProtocol0.find(c) != std::string_view::npos) return 0;
    if (opcode < 0x80 && kProtocol1.find(c) != std::string_view::npos) return 1;
    if (opcode == op::BINBYTES || opcode == op::SHORT_BINBYTES) return 3;
    if (opcode >= op::PROTO && opcode <= op::LONG4) return 2;
    if (opcode >= op::SHORT_BINUNICODE && opcode <= op::FRAME) return 4;
    if (opcode >= op::BYTEARRAY8 && opcode <= op::READONLY_BUFFER) return 5;
    return -1;
}

}  // namespace diskcache::py::detail

namespace diskcache::py {

Result<Object> decodePickle(std::string_view data, const DecodeLimits& limits) {
    detail::Decoder decoder(data, std::min<std::size_t>(limits.maxNodes, detail::kNoNode - 1));
    auto root = decoder.run();
    if (!root) return root.status();
    return detail::buildTree(decoder.graph(), *root, limits);
}

int pickleProtocol(std::string_view data) {
    if (data.empty()) return -1;
    const auto first = static_cast<std::uint8_t>(data[0]);
    if (first == detail::op::PROTO)
        return data.size() >= 2 && static_cast<std::uint8_t>(data[1]) <= detail::op::kHighestProtocol
                   ? static_cast<unsigned char>(data[1])
                   : -1;
    if (detail::opcodeProtocol(first) < 0) return -1;
    // No PROTO: protocol 0 or 1, told apart by the opcodes actually used.
    // A pickle without PROTO must at least decode to be called one.
    detail::Decoder decoder(data, DecodeLimits{}.maxNodes);
    if (!decoder.run()) return -1;
    return decoder.highestOpcodeProtocol() >= 1 ? 1 : 0;
}

}  // namespace diskcache::py
