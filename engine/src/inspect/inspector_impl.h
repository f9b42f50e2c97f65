// Inspector::Impl: what an open Inspector holds (one cache.db, every fanout
// shard, or a Django folder), shared by the files that implement Inspector's
// calls (inspector.cpp, seek.cpp, statistics.cpp).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "source.h"

namespace diskcache {

class Inspector::Impl {
public:
    StoreKind kind = StoreKind::Cache;
    std::filesystem::path directory;
    std::vector<ChildStore> children;
    std::vector<std::unique_ptr<inspect_detail::Source>> sources;  // the cache, every fanout shard in order, or the Django folder
    std::vector<std::filesystem::path> cacheDirectories;
    bool fanout = false;
    // Inspector::setCancelCheck's check; the sources point at it.
    std::function<bool()> cancelCheck;

    Result<inspect_detail::Source*> sourceOf(const Entry& entry) {
        if (sources.empty()) return Status::invalidArgument(collectionMessage());
        if (!fanout || !entry.shard) return sources.front().get();
        const int index = std::atoi(entry.shard->c_str());
        if (index < 0 || static_cast<std::size_t>(index) >= sources.size()) return Status::invalidArgument("no shard " + *entry.shard);
        return sources[static_cast<std::size_t>(index)].get();
    }

    std::string collectionMessage() const {
        std::string text = directory.string() + " is a collection of " + std::to_string(children.size()) +
                           " stores; inspect one of them:";
        for (const auto& child : children) text += " " + child.path.string();
        return text;
    }
};

}  // namespace diskcache
