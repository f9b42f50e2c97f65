// cachescope-bench --structural DIR: the whole-cache operations where the
// Python library is structurally slow (iterating every key, check(), cull,
// len, volume), each in a process of its own. Culls DIR to half its volume:
// give it a copy. --structural-floor DIR does the same on plain SQLite.
#pragma once

#include <filesystem>

namespace bench {

int runStructuralBench(const std::filesystem::path& directory, bool json);
// The same steps on plain SQLite with the library's connection settings: one
// statement to iterate, PRAGMA integrity_check alone for check(), bulk DELETEs
// in one transaction for the cull. What the engine's figures are judged by.
int runStructuralFloor(const std::filesystem::path& directory, bool json);

}  // namespace bench
