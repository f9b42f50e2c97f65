#include "structural_bench.h"

#include <string>
#include <vector>

#include "diskcache/cache.h"
#include "diskcache/value.h"
#include "measured.h"

namespace bench {

using namespace diskcache;

namespace {

using Timed = std::function<void(const std::function<void()>&)>;

std::string error(const Status& status) { return "error: " + status.toString(); }

Step withCache(const std::filesystem::path& directory, std::function<std::string(Cache&, const Timed&)> body) {
    return [directory, body](const Timed& timed) -> std::string {
        auto cache = Cache::open(directory);
        if (!cache) return error(cache.status());
        return body(**cache, timed);
    };
}

std::vector<Measurement> measureAll(const std::filesystem::path& dir) {
    std::vector<Measurement> out;
    // Python: list(cache.iterkeys()), so the keys are kept.
    out.push_back(measureInChild("iterate every key", withCache(dir, [](Cache& cache, const Timed& timed) {
        std::vector<Value> keys;
        Status status;
        timed([&] {
            status = cache.forEachKey(Cache::KeyOrder::Key, [&](const Value& key) {
                keys.push_back(key);
                return true;
            });
        });
        return status ? std::to_string(keys.size()) + " keys" : error(status);
    })));
    out.push_back(measureInChild("check() without fix", withCache(dir, [](Cache& cache, const Timed& timed) {
        Result<CheckReport> report = Status::cancelled("not run");
        timed([&] { report = cache.check(false); });
        return report ? std::to_string(report->findings.size()) + " findings" : error(report.status());
    })));
    out.push_back(measureInChild("len", withCache(dir, [](Cache& cache, const Timed& timed) {
        Result<std::int64_t> n = Status::cancelled("not run");
        timed([&] { n = cache.count(); });
        return n ? std::to_string(*n) : error(n.status());
    })));
    out.push_back(measureInChild("volume", withCache(dir, [](Cache& cache, const Timed& timed) {
        Result<std::int64_t> n = Status::cancelled("not run");
        timed([&] { n = cache.volume(); });
        return n ? std::to_string(*n) : error(n.status());
    })));
    // Python: cache.reset('size_limit', cache.volume() // 2); cache.cull()
    out.push_back(measureInChild("cull to half the volume", withCache(dir, [](Cache& cache, const Timed& timed) {
        auto volume = cache.volume();
        if (!volume) return error(volume.status());
        if (Status s = cache.reset("size_limit", Value::integer(*volume / 2)); !s) return error(s);
        Result<Removal> removed = Status::cancelled("not run");
        timed([&] { removed = cache.cull(); });
        if (!removed) return error(removed.status());
        auto after = cache.count();
        return std::to_string(removed->removed) + " removed, " + (after ? std::to_string(*after) : "?") + " left";
    })));
    return out;
}

}  // namespace

int runStructuralBench(const std::filesystem::path& directory, bool json) {
    auto steps = measureAll(directory);
    printMeasurements("structural", json ? "\"impl\": \"engine\"" : "engine", steps, json);
    for (const auto& s : steps)
        if (!s.ok) return 1;
    return 0;
}

}  // namespace bench
