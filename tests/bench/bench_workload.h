// DiskCache's reference workload (issue "Benchmarks"): 100 byte keys, 90 %
// get, 9 % set, 1 % delete, values of a random length, each operation timed
// in nanoseconds; latencies of every process merged into one summary.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace bench {

enum class Action { Get = 0, Set = 1, Delete = 2 };
inline const char* actionName(Action a) { return a == Action::Get ? "get" : a == Action::Set ? "set" : "delete"; }

struct Sample {
    std::uint32_t nanoseconds;
    std::uint8_t action;
    std::uint8_t miss;
};

// One process's run: `op(action, key, value)` performs an operation and
// returns true for a miss (a get that found nothing, a set that timed out,
// a delete of an absent key).
using Operation = std::function<bool(Action, const std::string& key, const std::string& value)>;
std::vector<Sample> runWorkload(int process, long operations, const Operation& op);

// Prints the merged summary, as JSON (one object) or as a table.
void report(const std::string& impl, int procs, long opsPerProc, std::vector<Sample> samples, bool json);

constexpr int kKeys = 100;
constexpr long kWarmup = 1000;

}  // namespace bench
