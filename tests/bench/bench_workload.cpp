#include "bench_workload.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace bench {

std::vector<Sample> runWorkload(int process, long operations, const Operation& op) {
    std::mt19937 rng(static_cast<std::uint32_t>(process));
    std::uniform_int_distribution<int> keyPick(0, kKeys - 1), repeat(1, 99), roll(0, 999);
    std::vector<Sample> samples;
    samples.reserve(static_cast<std::size_t>(std::max(0L, operations - kWarmup)));
    for (long n = 0; n < operations; ++n) {
        const std::string key = std::to_string(keyPick(rng));
        const int r = roll(rng);
        const Action action = r < 900 ? Action::Get : r < 990 ? Action::Set : Action::Delete;
        std::string value;
        if (action == Action::Set) {
            const std::string count = std::to_string(n);
            for (int i = repeat(rng); i > 0; --i) value += count;
        }
        const auto start = std::chrono::steady_clock::now();
        const bool miss = op(action, key, value);
        const auto elapsed = std::chrono::steady_clock::now() - start;
        if (n < kWarmup) continue;
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count();
        samples.push_back({static_cast<std::uint32_t>(std::min<long long>(ns, UINT32_MAX)),
                           static_cast<std::uint8_t>(action), static_cast<std::uint8_t>(miss)});
    }
    return samples;
}

namespace {

double percentile(const std::vector<std::uint32_t>& sorted, double p) {
    if (sorted.empty()) return 0;
    const auto index = static_cast<std::size_t>(p * double(sorted.size() - 1) + 0.5);
    return sorted[std::min(index, sorted.size() - 1)] / 1000.0;
}

// The latency-vs-percentile curve, at the percentiles python_bench.py uses.
std::string curve(const std::vector<std::uint32_t>& sorted) {
    std::vector<double> points;
    for (int p = 0; p < 198; ++p) points.push_back(p / 2.0);
    for (double p : {99.0, 99.5, 99.9, 99.99, 100.0}) points.push_back(p);
    std::string out = "[";
    char buffer[64];
    for (std::size_t i = 0; i < points.size(); ++i) {
        std::snprintf(buffer, sizeof buffer, "%s[%g, %.3f]", i ? ", " : "", points[i], percentile(sorted, points[i] / 100));
        out += buffer;
    }
    return out + "]";
}

}  // namespace

void report(const std::string& impl, int procs, long opsPerProc, std::vector<Sample> samples, bool json) {
    if (json) std::printf("{\"impl\": \"%s\", \"procs\": %d, \"ops_per_proc\": %ld, \"actions\": {", impl.c_str(), procs, opsPerProc);
    else std::printf("%s, %d process(es), %ld ops each\n%-8s %9s %7s %10s %10s %10s %10s %9s\n", impl.c_str(), procs, opsPerProc,
                     "action", "count", "misses", "median_us", "p90_us", "p99_us", "max_us", "total_s");
    for (int a = 0; a < 3; ++a) {
        std::vector<std::uint32_t> times;
        long misses = 0;
        double total = 0;
        for (const auto& s : samples) {
            if (s.action != a) continue;
            times.push_back(s.nanoseconds);
            misses += s.miss;
            total += s.nanoseconds / 1e9;
        }
        std::sort(times.begin(), times.end());
        const char* name = actionName(Action(a));
        const double max = times.empty() ? 0 : times.back() / 1000.0;
        if (json)
            std::printf("%s\"%s\": {\"count\": %zu, \"misses\": %ld, \"median_us\": %.3f, \"p90_us\": %.3f, \"p99_us\": %.3f, "
                        "\"max_us\": %.3f, \"total_s\": %.6f, \"curve_us\": %s}", a ? ", " : "", name, times.size(), misses,
                        percentile(times, 0.5), percentile(times, 0.9), percentile(times, 0.99), max, total,
                        curve(times).c_str());
        else
            std::printf("%-8s %9zu %7ld %10.3f %10.3f %10.3f %10.1f %9.4f\n", name, times.size(), misses,
                        percentile(times, 0.5), percentile(times, 0.9), percentile(times, 0.99), max, total);
    }
    if (json) std::printf("}}\n");
}

}  // namespace bench
