// cachescope-bench --inspect DIR: the inspector's queries on a big cache,
// each timed (and its peak RSS taken) in a process of its own.
#pragma once

#include <filesystem>

namespace bench {

// deepRow: how far the deep-page step follows cursors before timing a page.
int runInspectBench(const std::filesystem::path& directory, long deepRow, bool json);

}  // namespace bench
