// The pickle machine's state, shared by the files that implement its
// opcodes (decoder*.cpp). See decoder.cpp for the design.
#pragma once

#include "graph.h"
#include "internal.h"
#include "opcodes.h"

#include <string_view>
#include <unordered_map>
#include <vector>

namespace diskcache::py::detail {

inline Status truncated() { return Status::corrupt("pickle data was truncated"); }
inline Status underflow() { return Status::corrupt("unpickling stack underflow"); }
std::string_view trimSpaces(std::string_view text);

class Decoder {
public:
    Decoder(std::string_view data, std::size_t maxNodes) : m_data(data), m_maxNodes(maxNodes) {}

    Result<std::uint32_t> run();
    Graph& graph() { return m_graph; }
    int protocol() const { return m_protocol; }
    // The newest protocol among the opcodes run so far.
    int highestOpcodeProtocol() const { return m_highestOpcodeProtocol; }

private:
    Status step(std::uint8_t op);
    Status stepScalar(std::uint8_t op, bool& handled);
    Status stepText(std::uint8_t op, bool& handled);
    Status stepContainer(std::uint8_t op, bool& handled);
    Status stepMemo(std::uint8_t op, bool& handled);
    Status stepObject(std::uint8_t op, bool& handled);

    // Input.
    bool read(std::size_t count, std::string_view& out);
    bool readLine(std::string_view& out);
    template <typename T>
    bool readLittle(T& out);

    // Graph and stacks.
    std::uint32_t add(GraphNode node);
    std::uint32_t addLeaf(Object leaf);
    std::uint32_t addContainer(Kind kind, std::vector<std::uint32_t> items);
    Status push(std::uint32_t node);
    Status pop(std::uint32_t& node);
    Status top(std::uint32_t& node) const;
    Status popMark(std::vector<std::uint32_t>& items);
    std::size_t fence() const { return m_marks.empty() ? 0 : m_marks.back(); }

    // Opcode groups.
    Status loadLong(std::size_t lengthBytes);
    Status loadIntLine(bool isLong);
    Status loadFloatLine();
    Status loadStringLine();
    Status loadUnicodeLine();
    Status loadUtf8(std::string_view bytes);
    Status loadGlobalLine(bool inst);
    Status loadStackGlobal();
    Status loadExtension(std::size_t lengthBytes);
    Status loadCollection(Kind kind, std::vector<std::uint32_t> items);
    Status loadTupleN(std::size_t count);
    Status appendItems(std::uint32_t target, const std::vector<std::uint32_t>& items);
    Status setItems(std::uint32_t target, const std::vector<std::uint32_t>& items);
    Status addItems(std::uint32_t target, const std::vector<std::uint32_t>& items);
    Status loadReduce(ReduceStyle style, std::uint32_t callable, std::uint32_t args, std::uint32_t kwargs);
    Status loadObj();
    Status loadInst();
    Status loadBuild();
    Status loadPut(std::uint64_t index);
    Status loadGet(std::uint64_t index);
    Status loadLineNumber(std::uint64_t& out);
    Status loadPersistent(bool binary);

    std::string_view m_data;
    std::size_t m_maxNodes;
    std::size_t m_pos = 0;
    int m_protocol = 0;
    int m_highestOpcodeProtocol = 0;
    bool m_stopped = false;
    std::uint32_t m_result = kNoNode;
    std::int64_t m_nextBuffer = 0;
    Graph m_graph;
    std::vector<std::uint32_t> m_stack;
    std::vector<std::size_t> m_marks;
    std::unordered_map<std::uint64_t, std::uint32_t> m_memo;
};

// Reads a little-endian integer of T's size.
template <typename T>
bool Decoder::readLittle(T& out) {
    std::string_view bytes;
    if (!read(sizeof(T), bytes)) return false;
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
        value |= std::uint64_t{static_cast<unsigned char>(bytes[i])} << (8 * i);
    out = static_cast<T>(value);
    return true;
}

}  // namespace diskcache::py::detail
