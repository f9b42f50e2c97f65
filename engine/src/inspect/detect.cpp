// What a directory is (inspect.h, inspect::detect). Only looks: stats
// files and reads cache.db through ReadOnlyDb; never creates anything.
#include <algorithm>
#include <cstdio>
#include <system_error>

#include "source.h"

namespace fs = std::filesystem;

namespace diskcache::inspect_detail {

namespace {

bool isFile(const fs::path& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

bool isDir(const fs::path& path) {
    std::error_code ec;
    return fs::is_directory(path, ec);
}

std::vector<fs::path> subdirectories(const fs::path& directory) {
    std::vector<fs::path> dirs;
    std::error_code ec;
    for (fs::directory_iterator it(directory, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
         it.increment(ec)) {
        std::error_code typeError;
        if (it->is_directory(typeError) && !it->is_symlink(typeError)) dirs.push_back(it->path());
    }
    std::sort(dirs.begin(), dirs.end());
    return dirs;
}

// Value-file folders are two hex digits (FORMAT.md); no store lives there.
bool isValueFolder(const fs::path& path) {
    const std::string name = path.filename().string();
    return name.size() == 2 && std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

void collectStores(const fs::path& directory, StoreKind kind, int depth, std::vector<ChildStore>& out) {
    if (depth > 8) return;
    const bool isStore = isFile(directory / "cache.db");
    if (isStore) out.push_back({directory, kind});
    for (const auto& sub : subdirectories(directory)) {
        if (isStore && isValueFolder(sub)) continue;
        collectStores(sub, kind, depth + 1, out);
    }
}

// The kind a fanout gives a sub-store by the folder it lives in, if
// `directory` lies below a fanout's cache/, deque/ or index/ folder.
std::optional<StoreKind> kindFromFanoutParent(const fs::path& directory) {
    fs::path p = fs::absolute(directory).lexically_normal();
    if (p.filename().empty()) p = p.parent_path();
    for (int depth = 0; depth < 8 && p.has_parent_path() && p != p.parent_path(); ++depth) {
        const fs::path parent = p.parent_path();
        const std::string name = parent.filename().string();
        if ((name == "cache" || name == "deque" || name == "index") && !findShards(parent.parent_path()).empty())
            return name == "cache" ? StoreKind::Cache : name == "deque" ? StoreKind::Deque : StoreKind::Index;
        p = parent;
    }
    return std::nullopt;
}

Result<StoreKind> cacheKind(const fs::path& directory) {
    if (auto kind = kindFromFanoutParent(directory)) return *kind;
    auto traits = readCacheTraits(directory);
    if (!traits) return traits.status();
    if (traits->policy != EvictionPolicy::None) return StoreKind::Cache;
    // A standalone Deque and Index both use policy `none`; only a Deque's
    // keys are all queue keys. An empty one cannot be told: call it an index.
    return traits->queueKeysOnly ? StoreKind::Deque : StoreKind::Index;
}

// Any kind but a collection.
Result<StoreKind> detectStore(const fs::path& directory) {
    if (isFile(directory / "cache.db")) return cacheKind(directory);
    if (!findShards(directory).empty()) return StoreKind::Fanout;
    if (hasDjangoFiles(directory)) return StoreKind::DjangoFile;
    return Status::notFound("not a diskcache directory: " + directory.string());
}

}  // namespace

std::vector<std::string> findShards(const fs::path& directory) {
    std::vector<std::string> shards;
    for (int i = 0; i < 1000; ++i) {
        char name[8];
        std::snprintf(name, sizeof name, "%03d", i);
        if (!isFile(directory / name / "cache.db")) break;
        shards.emplace_back(name);
    }
    return shards;
}

std::vector<ChildStore> findFanoutChildren(const fs::path& directory) {
    std::vector<ChildStore> children;
    const std::pair<const char*, StoreKind> folders[] = {
        {"cache", StoreKind::Cache}, {"deque", StoreKind::Deque}, {"index", StoreKind::Index}};
    for (const auto& [name, kind] : folders) {
        if (isDir(directory / name))
            for (const auto& sub : subdirectories(directory / name)) collectStores(sub, kind, 0, children);
    }
    return children;
}

std::vector<ChildStore> findCollectionChildren(const fs::path& directory) {
    std::vector<ChildStore> children;
    for (const auto& sub : subdirectories(directory)) {
        if (auto kind = detectStore(sub)) {
            children.push_back({sub, *kind});
            continue;
        }
        for (const auto& inner : subdirectories(sub)) {
            if (auto kind = detectStore(inner)) children.push_back({inner, *kind});
        }
    }
    return children;
}

bool hasDjangoFiles(const fs::path& directory) {
    std::error_code ec;
    for (fs::directory_iterator it(directory, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->path().extension() == ".djcache" && it->is_regular_file(ec)) return true;
    }
    return false;
}

Result<StoreKind> detectKind(const fs::path& directory) {
    std::error_code ec;
    if (!fs::exists(directory, ec)) return Status::notFound("no such directory: " + directory.string());
    if (!fs::is_directory(directory, ec)) return Status::notFound("not a directory: " + directory.string());
    auto kind = detectStore(directory);
    if (kind || kind.status().code() != StatusCode::NotFound) return kind;
    if (!findCollectionChildren(directory).empty()) return StoreKind::Collection;
    return Status::notFound("not a diskcache directory (no cache.db, no shard folders 000, 001..., no .djcache files,"
                            " no stores in its sub-folders): " + directory.string());
}

}  // namespace diskcache::inspect_detail
