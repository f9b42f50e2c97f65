// The decoder's working form of a pickle: a graph of nodes addressed by
// index, where memo GETs share nodes and mutations (APPENDS, SETITEMS,
// BUILD) may create cycles. graph_builder.cpp turns it into the public tree.
#pragma once

#include "diskcache/pickle.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace diskcache::py::detail {

constexpr std::uint32_t kNoNode = UINT32_MAX;

struct GraphNode {
    Kind kind = Kind::None;
    Object leaf;                          // finished value for leaf kinds
    std::vector<std::uint32_t> items;     // Tuple/List/Set/FrozenSet; Reduce: appended; PersistentId: [id]
    std::vector<std::uint32_t> pairs;     // Dict: k0, v0, k1, v1...; Reduce: SETITEMS pairs
    ReduceStyle style = ReduceStyle::Call;
    std::uint32_t callable = kNoNode;
    std::uint32_t args = kNoNode;
    std::uint32_t kwargs = kNoNode;
    std::uint32_t state = kNoNode;
    // Dict and set membership by canonical key, to replace duplicates as
    // Python does; built on first insertion.
    std::unique_ptr<std::unordered_map<std::string, std::uint32_t>> index;
};

using Graph = std::vector<GraphNode>;

// A string that is equal for two keys exactly when Python's == says so for
// the hashable kinds (1 == 1.0 == True); identity for everything else.
std::string canonicalKey(const Graph& graph, std::uint32_t node);

// Turns the graph below `root` into a tree, within `limits`.
Result<Object> buildTree(const Graph& graph, std::uint32_t root, const DecodeLimits& limits);

}  // namespace diskcache::py::detail
