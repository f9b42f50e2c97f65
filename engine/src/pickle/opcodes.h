// Pickle opcodes by protocol, as documented in CPython's pickletools.
#pragma once

#include <cstdint>

namespace diskcache::py::detail::op {

// Protocol 0 (text) and 1 (binary).
constexpr std::uint8_t MARK = '(', STOP = '.', POP = '0', POP_MARK = '1', DUP = '2';
constexpr std::uint8_t FLOAT = 'F', INT = 'I', BININT = 'J', BININT1 = 'K', LONG = 'L', BININT2 = 'M';
constexpr std::uint8_t NONE = 'N', PERSID = 'P', BINPERSID = 'Q', REDUCE = 'R';
constexpr std::uint8_t STRING = 'S', BINSTRING = 'T', SHORT_BINSTRING = 'U';
constexpr std::uint8_t UNICODE = 'V', BINUNICODE = 'X';
constexpr std::uint8_t APPEND = 'a', BUILD = 'b', GLOBAL = 'c', DICT = 'd', EMPTY_DICT = '}';
constexpr std::uint8_t APPENDS = 'e', GET = 'g', BINGET = 'h', INST = 'i', LONG_BINGET = 'j';
constexpr std::uint8_t LIST = 'l', EMPTY_LIST = ']', OBJ = 'o', PUT = 'p', BINPUT = 'q', LONG_BINPUT = 'r';
constexpr std::uint8_t SETITEM = 's', TUPLE = 't', EMPTY_TUPLE = ')', SETITEMS = 'u', BINFLOAT = 'G';
// Protocol 2.
constexpr std::uint8_t PROTO = 0x80, NEWOBJ = 0x81, EXT1 = 0x82, EXT2 = 0x83, EXT4 = 0x84;
constexpr std::uint8_t TUPLE1 = 0x85, TUPLE2 = 0x86, TUPLE3 = 0x87, NEWTRUE = 0x88, NEWFALSE = 0x89;
constexpr std::uint8_t LONG1 = 0x8a, LONG4 = 0x8b;
// Protocol 3.
constexpr std::uint8_t BINBYTES = 'B', SHORT_BINBYTES = 'C';
// Protocol 4.
constexpr std::uint8_t SHORT_BINUNICODE = 0x8c, BINUNICODE8 = 0x8d, BINBYTES8 = 0x8e;
constexpr std::uint8_t EMPTY_SET = 0x8f, ADDITEMS = 0x90, FROZENSET = 0x91, NEWOBJ_EX = 0x92;
constexpr std::uint8_t STACK_GLOBAL = 0x93, MEMOIZE = 0x94, FRAME = 0x95;
// Protocol 5.
constexpr std::uint8_t BYTEARRAY8 = 0x96, NEXT_BUFFER = 0x97, READONLY_BUFFER = 0x98;

constexpr int kHighestProtocol = 5;

}  // namespace diskcache::py::detail::op

namespace diskcache::py::detail {
// The protocol that introduced `opcode`, or -1 when it is not an opcode.
int opcodeProtocol(std::uint8_t opcode);
}  // namespace diskcache::py::detail
