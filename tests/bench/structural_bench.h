// cachescope-bench --structural DIR: the whole-cache operations where the
// Python library is structurally slow (iterating every key, check(), cull,
// len, volume), each in a process of its own. Culls DIR to half its volume:
// give it a copy.
#pragma once

#include <filesystem>

namespace bench {

int runStructuralBench(const std::filesystem::path& directory, bool json);

}  // namespace bench
