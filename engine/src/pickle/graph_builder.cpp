// From the decoder's graph to the public tree. A depth-first walk copies
// each graph node into a Node; a node already on the walk's path becomes a
// Ref (the cycle Python's repr shows as [...]). A finished subtree whose
// Refs all point inside itself is cached and shared, so memo sharing costs
// no copies, but every appearance is charged against DecodeLimits: the
// limits bound the tree as repr() will walk it, not just the allocation.
#include "graph.h"
#include "internal.h"
#include "normalize.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace diskcache::py::detail {

namespace {

constexpr std::size_t kNoDepth = std::numeric_limits<std::size_t>::max();

struct Weight {
    std::size_t nodes = 0;
    std::size_t bytes = 0;
};

std::size_t payloadBytes(const Node& node) { return 8 + node.data.size() + node.name.size() + node.bigInt.size(); }

class TreeBuilder {
public:
    TreeBuilder(const Graph& graph, const DecodeLimits& limits)
        : m_graph(graph), m_limits(limits), m_open(graph.size()), m_openDepth(graph.size(), kNoDepth),
          m_cache(graph.size()), m_weight(graph.size()) {}

    // `lowestRef` gets the smallest depth of an open ancestor that the
    // subtree refers back to (kNoDepth when none).
    Result<Object> build(std::uint32_t index, std::size_t depth, std::size_t& lowestRef);

private:
    Status charge(std::size_t nodes, std::size_t bytes);
    Object backReference(std::uint32_t index, std::size_t& lowestRef);
    Status buildChildren(const GraphNode& from, Node& to, std::size_t depth, std::size_t& lowestRef);
    Status buildOne(std::uint32_t index, std::size_t depth, std::size_t& lowestRef, Object& out);

    const Graph& m_graph;
    const DecodeLimits& m_limits;
    std::vector<std::shared_ptr<Node>> m_open;  // nodes on the current path
    std::vector<std::size_t> m_openDepth;
    std::vector<Object> m_cache;                // finished, path-independent subtrees
    std::vector<Weight> m_weight;
    Weight m_total;
};

Status TreeBuilder::charge(std::size_t nodes, std::size_t bytes) {
    m_total.nodes += nodes;
    m_total.bytes += bytes;
    if (m_total.nodes > m_limits.maxNodes)
        return Status::corrupt("pickle expands to more than " + std::to_string(m_limits.maxNodes) + " values");
    if (m_total.bytes > m_limits.maxOutputBytes)
        return Status::corrupt("pickle expands to more than " + std::to_string(m_limits.maxOutputBytes) + " bytes");
    return Status::ok();
}

Object TreeBuilder::backReference(std::uint32_t index, std::size_t& lowestRef) {
    auto ref = std::make_shared<Node>();
    ref->kind = Kind::Ref;
    ref->target = m_open[index];
    lowestRef = std::min(lowestRef, m_openDepth[index]);
    return ref;
}

Status TreeBuilder::buildOne(std::uint32_t index, std::size_t depth, std::size_t& lowestRef, Object& out) {
    if (index == kNoNode) return Status::ok();
    auto result = build(index, depth, lowestRef);
    if (!result) return result.status();
    out = std::move(result).value();
    return Status::ok();
}

Status TreeBuilder::buildChildren(const GraphNode& from, Node& to, std::size_t depth, std::size_t& lowestRef) {
    to.items.resize(from.items.size());
    for (std::size_t i = 0; i < from.items.size(); ++i)
        DISKCACHE_TRY(buildOne(from.items[i], depth + 1, lowestRef, to.items[i]));
    to.pairs.resize(from.pairs.size() / 2);
    for (std::size_t i = 0; i + 1 < from.pairs.size(); i += 2) {
        DISKCACHE_TRY(buildOne(from.pairs[i], depth + 1, lowestRef, to.pairs[i / 2].first));
        DISKCACHE_TRY(buildOne(from.pairs[i + 1], depth + 1, lowestRef, to.pairs[i / 2].second));
    }
    to.style = from.style;
    DISKCACHE_TRY(buildOne(from.callable, depth + 1, lowestRef, to.callable));
    DISKCACHE_TRY(buildOne(from.args, depth + 1, lowestRef, to.args));
    DISKCACHE_TRY(buildOne(from.kwargs, depth + 1, lowestRef, to.kwargs));
    return buildOne(from.state, depth + 1, lowestRef, to.state);
}

Result<Object> TreeBuilder::build(std::uint32_t index, std::size_t depth, std::size_t& lowestRef) {
    if (depth > m_limits.maxDepth)
        return Status::corrupt("pickle nests deeper than " + std::to_string(m_limits.maxDepth) + " levels");
    if (m_cache[index]) {
        DISKCACHE_TRY(charge(m_weight[index].nodes, m_weight[index].bytes));
        return m_cache[index];
    }
    if (m_open[index]) {
        DISKCACHE_TRY(charge(1, 8));
        return backReference(index, lowestRef);
    }
    const GraphNode& from = m_graph[index];
    const Weight before = m_total;
    DISKCACHE_TRY(charge(1, from.leaf ? payloadBytes(*from.leaf) : 8));
    Object result = from.leaf;
    std::size_t innerRef = kNoDepth;
    if (!result) {
        auto node = std::make_shared<Node>();
        node->kind = from.kind;
        m_open[index] = node;
        m_openDepth[index] = depth;
        const Status status = buildChildren(from, *node, depth, innerRef);
        m_open[index] = nullptr;
        m_openDepth[index] = kNoDepth;
        if (!status) return status;
        result = normalize(std::move(node));
    }
    if (innerRef == kNoDepth) {
        m_cache[index] = result;
        m_weight[index] = {m_total.nodes - before.nodes, m_total.bytes - before.bytes};
    }
    lowestRef = std::min(lowestRef, innerRef);
    return result;
}

// Canonical keys: equal for Python-equal hashable values.
constexpr std::size_t kMaxKeyBytes = 4096;
constexpr int kMaxKeyDepth = 32;

std::string identityKey(std::uint32_t node) { return "#" + std::to_string(node); }

std::string numberKey(double value, std::uint32_t node) {
    if (std::isnan(value)) return identityKey(node);  // nan != nan
    if (std::trunc(value) == value && std::fabs(value) < 9.2e18)
        return "n" + std::to_string(static_cast<std::int64_t>(value));
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return "f" + std::to_string(bits);
}

std::string leafKey(const Node& leaf, std::uint32_t node) {
    if (leaf.data.size() + leaf.bigInt.size() > kMaxKeyBytes) return identityKey(node);
    switch (leaf.kind) {
    case Kind::None: return "N";
    case Kind::Ellipsis: return "E";
    case Kind::Bool: return leaf.flag ? "n1" : "n0";
    case Kind::Int: return leaf.bigInt.empty() ? "n" + std::to_string(leaf.intValue) : "i" + leaf.bigInt;
    case Kind::Float: return numberKey(leaf.real, node);
    case Kind::Complex: return leaf.imag == 0.0 ? numberKey(leaf.real, node) : "c" + identityKey(node);
    case Kind::Str: return "s" + leaf.data;
    case Kind::Bytes: return "b" + leaf.data;
    case Kind::Global: return "g" + leaf.data + "\n" + leaf.name;
    default: return identityKey(node);
    }
}

std::string keyAt(const Graph& graph, std::uint32_t node, int depth) {
    const GraphNode& g = graph[node];
    if (g.leaf) return leafKey(*g.leaf, node);
    if (g.kind != Kind::Tuple || depth > kMaxKeyDepth) return identityKey(node);
    std::string key = "t";
    for (const auto item : g.items) {
        const std::string part = keyAt(graph, item, depth + 1);
        key += std::to_string(part.size()) + ":" + part;
        if (key.size() > kMaxKeyBytes) return identityKey(node);
    }
    return key;
}

}  // namespace

std::string canonicalKey(const Graph& graph, std::uint32_t node) {
    std::string key = keyAt(graph, node, 0);
    return key.size() > kMaxKeyBytes ? identityKey(node) : key;
}

Result<Object> buildTree(const Graph& graph, std::uint32_t root, const DecodeLimits& limits) {
    TreeBuilder builder(graph, limits);
    std::size_t lowestRef = kNoDepth;
    return builder.build(root, 0, lowestRef);
}

}  // namespace diskcache::py::detail
