// A decoded Python value, as a tree of immutable shared nodes.
//
// The pickle decoder (pickle.h) and the literal parser produce these trees;
// nothing here imports or runs Python. A class instance, a function or any
// other reduction stays symbolic: the class is a Global (module + qualname)
// and the instance a Reduce node holding the call the pickle asked for.
//
// Sharing: one node may appear at several places in a tree (the pickle's
// memo says two places hold the same Python object). A back-reference that
// would make a cycle (a list that contains itself) is a Ref node instead, so
// walking the tree recursively always ends.
//
// Thread safety: nodes are never changed after the call that built them
// returns; any number of threads may read one tree at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace diskcache::py {

enum class Kind : std::uint8_t {
    None,
    Bool,
    Int,           // small in Node::intValue, else Node::bigInt
    Float,         // Node::real
    Complex,       // Node::real, Node::imag
    Str,           // Node::data: UTF-8; lone surrogates kept as 3-byte sequences (WTF-8)
    Bytes,         // Node::data
    ByteArray,     // Node::data
    Tuple,         // Node::items
    List,          // Node::items
    Dict,          // Node::pairs, in insertion order
    Set,           // Node::items
    FrozenSet,     // Node::items
    Ellipsis,
    Global,        // Node::data module, Node::name qualname (a class, function, enum member...)
    Reduce,        // an object made by calling something; see Node::callable
    PickleBuffer,  // an out-of-band buffer (protocol 5): Node::intValue is its index
    PersistentId,  // a persistent reference; Node::items[0] is the id object
    Ref,           // a back-reference to an enclosing node (a cycle); Node::target
    Error,         // a value that could not be decoded; Node::data says why
};

struct Node;
// A decoded value. Never null when produced by this library.
using Object = std::shared_ptr<const Node>;

// How a Reduce node's object was made, as the pickle opcode said.
enum class ReduceStyle : std::uint8_t {
    Call,      // REDUCE: callable(*args)
    NewObj,    // NEWOBJ / NEWOBJ_EX: cls.__new__(cls, *args, **kwargs)
    Inst,      // INST / OBJ: cls(*args) (protocols 0 and 1)
};

struct Node {
    Kind kind = Kind::None;
    bool flag = false;             // Bool: the value; PickleBuffer: read-only; Global: an attribute (enum member...)
    std::int64_t intValue = 0;     // Int when bigInt is empty; PickleBuffer: buffer number
    std::string bigInt;            // Int outside int64: two's complement, little-endian, minimal length
    double real = 0.0;             // Float, Complex
    double imag = 0.0;             // Complex
    std::string data;              // Str, Bytes, ByteArray payload; Global module; Error message
    std::string name;              // Global qualname
    std::vector<Object> items;     // Tuple, List, Set, FrozenSet; Reduce: APPENDed items; PersistentId: [id]
    std::vector<std::pair<Object, Object>> pairs;  // Dict; Reduce: SETITEMS pairs

    // Reduce only.
    ReduceStyle style = ReduceStyle::Call;
    Object callable;               // usually a Global (the class)
    Object args;                   // a Tuple (may be empty)
    Object kwargs;                 // NEWOBJ_EX keyword arguments (a Dict), or null
    Object state;                  // BUILD's argument, or null

    // Ref only: the enclosing node this refers back to (alive while the tree is).
    std::weak_ptr<const Node> target;
};

// Builders for leaf values; containers are built by filling a Node.
Object makeNone();
Object makeBool(bool value);
Object makeInt(std::int64_t value);
// `twosComplementLE`: any length; normalised to int64 when it fits.
Object makeBigInt(std::string twosComplementLE);
Object makeFloat(double value);
Object makeComplex(double real, double imag);
Object makeStr(std::string utf8);
Object makeBytes(std::string bytes);
Object makeGlobal(std::string module, std::string qualname);
Object makeError(std::string message);
Object makeContainer(Kind kind, std::vector<Object> items);  // Tuple, List, Set, FrozenSet
Object makeDict(std::vector<std::pair<Object, Object>> pairs);

// True when `object` is a Global naming module.qualname.
bool isGlobal(const Object& object, std::string_view module, std::string_view qualname);

}  // namespace diskcache::py
