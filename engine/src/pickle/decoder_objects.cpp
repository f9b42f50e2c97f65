// Opcodes that build containers and objects, the memo, and the protocol
// framing opcodes. Containers are filled in place so that a memo GET sees
// later APPENDs, as in Python.
#include "decoder.h"

namespace diskcache::py::detail {

namespace {
Status mutateError(const char* what) { return Status::corrupt(std::string(what) + " on an object that cannot take it"); }
}  // namespace

Status Decoder::loadCollection(Kind kind, std::vector<std::uint32_t> items) {
    if (kind == Kind::Dict) {
        const std::uint32_t dict = addContainer(Kind::Dict, {});
        DISKCACHE_TRY(setItems(dict, items));
        return push(dict);
    }
    if (kind == Kind::Set || kind == Kind::FrozenSet) {
        const std::uint32_t set = addContainer(kind, {});
        DISKCACHE_TRY(addItems(set, items));
        return push(set);
    }
    return push(addContainer(kind, std::move(items)));
}

Status Decoder::loadTupleN(std::size_t count) {
    std::vector<std::uint32_t> items(count);
    for (std::size_t i = count; i > 0; --i) DISKCACHE_TRY(pop(items[i - 1]));
    return push(addContainer(Kind::Tuple, std::move(items)));
}

Status Decoder::appendItems(std::uint32_t target, const std::vector<std::uint32_t>& items) {
    auto& node = m_graph[target];
    if (node.kind != Kind::List && node.kind != Kind::Reduce) return mutateError("APPEND");
    node.items.insert(node.items.end(), items.begin(), items.end());
    return Status::ok();
}

Status Decoder::setItems(std::uint32_t target, const std::vector<std::uint32_t>& items) {
    if (items.size() % 2 != 0) return Status::corrupt("odd number of items for SETITEMS");
    if (m_graph[target].kind != Kind::Dict && m_graph[target].kind != Kind::Reduce) return mutateError("SETITEM");
    for (std::size_t i = 0; i < items.size(); i += 2) {
        const std::string key = canonicalKey(m_graph, items[i]);
        auto& node = m_graph[target];
        if (!node.index) node.index = std::make_unique<std::unordered_map<std::string, std::uint32_t>>();
        const auto [it, inserted] = node.index->emplace(key, static_cast<std::uint32_t>(node.pairs.size()));
        if (!inserted) {
            node.pairs[it->second + 1] = items[i + 1];  // d[k] = v keeps k's place
            continue;
        }
        node.pairs.push_back(items[i]);
        node.pairs.push_back(items[i + 1]);
    }
    return Status::ok();
}

Status Decoder::addItems(std::uint32_t target, const std::vector<std::uint32_t>& items) {
    const Kind kind = m_graph[target].kind;
    if (kind == Kind::Reduce) return appendItems(target, items);
    if (kind != Kind::Set && kind != Kind::FrozenSet) return mutateError("ADDITEMS");
    for (const auto item : items) {
        const std::string key = canonicalKey(m_graph, item);
        auto& node = m_graph[target];
        if (!node.index) node.index = std::make_unique<std::unordered_map<std::string, std::uint32_t>>();
        if (node.index->emplace(key, static_cast<std::uint32_t>(node.items.size())).second)
            node.items.push_back(item);
    }
    return Status::ok();
}

Status Decoder::stepContainer(std::uint8_t op, bool& handled) {
    handled = true;
    std::vector<std::uint32_t> items;
    std::uint32_t value = 0, key = 0, target = 0;
    switch (op) {
    case op::MARK: m_marks.push_back(m_stack.size()); return Status::ok();
    case op::EMPTY_TUPLE: return push(addContainer(Kind::Tuple, {}));
    case op::EMPTY_LIST: return push(addContainer(Kind::List, {}));
    case op::EMPTY_DICT: return push(addContainer(Kind::Dict, {}));
    case op::EMPTY_SET: return push(addContainer(Kind::Set, {}));
    case op::TUPLE1: return loadTupleN(1);
    case op::TUPLE2: return loadTupleN(2);
    case op::TUPLE3: return loadTupleN(3);
    case op::TUPLE: DISKCACHE_TRY(popMark(items)); return loadCollection(Kind::Tuple, std::move(items));
    case op::LIST: DISKCACHE_TRY(popMark(items)); return loadCollection(Kind::List, std::move(items));
    case op::DICT: DISKCACHE_TRY(popMark(items)); return loadCollection(Kind::Dict, std::move(items));
    case op::FROZENSET: DISKCACHE_TRY(popMark(items)); return loadCollection(Kind::FrozenSet, std::move(items));
    case op::APPEND:
        DISKCACHE_TRY(pop(value));
        DISKCACHE_TRY(top(target));
        return appendItems(target, {value});
    case op::APPENDS: DISKCACHE_TRY(popMark(items)); DISKCACHE_TRY(top(target)); return appendItems(target, items);
    case op::SETITEM:
        DISKCACHE_TRY(pop(value));
        DISKCACHE_TRY(pop(key));
        DISKCACHE_TRY(top(target));
        return setItems(target, {key, value});
    case op::SETITEMS: DISKCACHE_TRY(popMark(items)); DISKCACHE_TRY(top(target)); return setItems(target, items);
    case op::ADDITEMS: DISKCACHE_TRY(popMark(items)); DISKCACHE_TRY(top(target)); return addItems(target, items);
    default: handled = false; return Status::ok();
    }
}

// ---- memo ---------------------------------------------------------------

Status Decoder::loadLineNumber(std::uint64_t& out) {
    std::string_view line;
    if (!readLine(line)) return truncated();
    BigInt value;
    if (!parseIntText(trimSpaces(line), value) || value.limbs.size() > 2)
        return Status::corrupt("invalid memo index in pickle");
    if (value.negative) return Status::corrupt("negative memo index in pickle");
    out = value.limbs.empty() ? 0 : value.limbs[0];
    if (value.limbs.size() == 2) out |= std::uint64_t{value.limbs[1]} << 32;
    return Status::ok();
}

Status Decoder::loadPut(std::uint64_t index) {
    std::uint32_t value = 0;
    DISKCACHE_TRY(top(value));
    m_memo[index] = value;
    return Status::ok();
}

Status Decoder::loadGet(std::uint64_t index) {
    const auto it = m_memo.find(index);
    if (it == m_memo.end()) return Status::corrupt("memo value not found at index " + std::to_string(index));
    return push(it->second);
}

Status Decoder::stepMemo(std::uint8_t op, bool& handled) {
    handled = true;
    std::uint8_t n1 = 0;
    std::uint32_t n4 = 0;
    std::uint64_t index = 0;
    switch (op) {
    case op::PUT: DISKCACHE_TRY(loadLineNumber(index)); return loadPut(index);
    case op::BINPUT: if (!readLittle(n1)) return truncated(); return loadPut(n1);
    case op::LONG_BINPUT: if (!readLittle(n4)) return truncated(); return loadPut(n4);
    case op::MEMOIZE: return loadPut(m_memo.size());
    case op::GET: DISKCACHE_TRY(loadLineNumber(index)); return loadGet(index);
    case op::BINGET: if (!readLittle(n1)) return truncated(); return loadGet(n1);
    case op::LONG_BINGET: if (!readLittle(n4)) return truncated(); return loadGet(n4);
    default: handled = false; return Status::ok();
    }
}

// ---- objects ------------------------------------------------------------

Status Decoder::loadReduce(ReduceStyle style, std::uint32_t callable, std::uint32_t args, std::uint32_t kwargs) {
    if (m_graph[args].kind != Kind::Tuple) return Status::corrupt("argument list must be a tuple");
    if (kwargs != kNoNode && m_graph[kwargs].kind != Kind::Dict)
        return Status::corrupt("NEWOBJ_EX keyword arguments must be a dict");
    GraphNode node;
    node.kind = Kind::Reduce;
    node.style = style;
    node.callable = callable;
    node.args = args;
    node.kwargs = kwargs;
    return push(add(std::move(node)));
}

Status Decoder::loadObj() {
    std::vector<std::uint32_t> items;
    DISKCACHE_TRY(popMark(items));
    if (items.empty()) return underflow();
    const std::uint32_t cls = items.front();
    items.erase(items.begin());
    return loadReduce(ReduceStyle::Inst, cls, addContainer(Kind::Tuple, std::move(items)), kNoNode);
}

Status Decoder::loadBuild() {
    std::uint32_t state = 0, target = 0;
    DISKCACHE_TRY(pop(state));
    DISKCACHE_TRY(top(target));
    // Python would call __setstate__ or update __dict__; only objects we
    // keep symbolically can show a state, others are left as they are.
    if (m_graph[target].kind == Kind::Reduce) m_graph[target].state = state;
    return Status::ok();
}

Status Decoder::loadExtension(std::size_t lengthBytes) {
    std::uint32_t code = 0;
    std::uint8_t n1 = 0;
    std::uint16_t n2 = 0;
    const bool ok = lengthBytes == 1 ? readLittle(n1) : lengthBytes == 2 ? readLittle(n2) : readLittle(code);
    if (!ok) return truncated();
    code = lengthBytes == 1 ? n1 : lengthBytes == 2 ? n2 : code;
    // The extension registry lives in the writer's process; keep the code.
    return push(addLeaf(makeGlobal("<extension>", std::to_string(code))));
}

Status Decoder::loadPersistent(bool binary) {
    std::uint32_t id = 0;
    if (binary) {
        DISKCACHE_TRY(pop(id));
    } else {
        std::string_view line;
        if (!readLine(line)) return truncated();
        if (!isValidUtf8(line)) return Status::corrupt("persistent IDs in protocol 0 must be ASCII strings");
        id = addLeaf(makeStr(std::string(line)));
    }
    return push(addContainer(Kind::PersistentId, {id}));
}

Status Decoder::stepObject(std::uint8_t op, bool& handled) {
    handled = true;
    std::uint32_t a = 0, b = 0, c = 0;
    std::uint8_t n1 = 0;
    std::uint64_t n8 = 0;
    switch (op) {
    case op::PROTO:
        if (!readLittle(n1)) return truncated();
        if (n1 > op::kHighestProtocol) return Status::unsupported("unsupported pickle protocol: " + std::to_string(n1));
        m_protocol = n1;
        return Status::ok();
    case op::FRAME:
        // Frames only group opcodes for I/O; the length must still fit.
        if (!readLittle(n8)) return truncated();
        if (n8 > m_data.size() - m_pos) return truncated();
        return Status::ok();
    case op::STOP: DISKCACHE_TRY(pop(m_result)); m_stopped = true; return Status::ok();
    case op::POP:
        if (!m_marks.empty() && m_marks.back() == m_stack.size()) m_marks.pop_back();
        else DISKCACHE_TRY(pop(a));
        return Status::ok();
    case op::POP_MARK: {
        std::vector<std::uint32_t> dropped;
        return popMark(dropped);
    }
    case op::DUP: DISKCACHE_TRY(top(a)); return push(a);
    case op::REDUCE: DISKCACHE_TRY(pop(b)); DISKCACHE_TRY(pop(a)); return loadReduce(ReduceStyle::Call, a, b, kNoNode);
    case op::NEWOBJ: DISKCACHE_TRY(pop(b)); DISKCACHE_TRY(pop(a)); return loadReduce(ReduceStyle::NewObj, a, b, kNoNode);
    case op::NEWOBJ_EX:
        DISKCACHE_TRY(pop(c));
        DISKCACHE_TRY(pop(b));
        DISKCACHE_TRY(pop(a));
        return loadReduce(ReduceStyle::NewObj, a, b, c);
    case op::OBJ: return loadObj();
    case op::BUILD: return loadBuild();
    case op::EXT1: return loadExtension(1);
    case op::EXT2: return loadExtension(2);
    case op::EXT4: return loadExtension(4);
    case op::PERSID: return loadPersistent(false);
    case op::BINPERSID: return loadPersistent(true);
    case op::NEXT_BUFFER: {
        auto node = std::make_shared<Node>();
        node->kind = Kind::PickleBuffer;
        node->intValue = m_nextBuffer++;
        return push(addLeaf(std::move(node)));
    }
    case op::READONLY_BUFFER: {
        DISKCACHE_TRY(top(a));
        if (m_graph[a].kind != Kind::PickleBuffer) return Status::ok();
        auto node = std::make_shared<Node>(*m_graph[a].leaf);
        node->flag = true;
        m_stack.back() = addLeaf(std::move(node));
        return Status::ok();
    }
    default: handled = false; return Status::ok();
    }
}

}  // namespace diskcache::py::detail
