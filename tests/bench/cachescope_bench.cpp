// cachescope-bench: the engine (and SQLite's floors) on DiskCache's
// reference workload, P processes at once; the inspector's queries on a big
// cache (--inspect); the whole-cache operations (--structural). See kUsage.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "bench_workload.h"
#include "inspect_bench.h"
#include "sqlite_floors.h"
#include "store.h"
#include "structural_bench.h"
#include "diskcache/cache.h"
#include "diskcache/fanout.h"

namespace fs = std::filesystem;
using namespace diskcache;

namespace {

struct Args {
    std::string store = "cache";
    int procs = 1;
    long ops = 100000;
    fs::path dir;
    bool json = false;
    std::string inspect;     // --inspect DIR
    std::string structural;  // --structural DIR
    std::string structuralFloor;  // --structural-floor DIR
    long deepRow = 500000;
};

// Cache and FanoutCache answer the same calls.
template <typename Engine>
class EngineStore : public bench::Store {
public:
    explicit EngineStore(std::unique_ptr<Engine> cache) : m_cache(std::move(cache)) {}
    bool get(const std::string& key) override {
        auto item = m_cache->get(Value::bytes(key));
        return !item || !item->has_value();
    }
    bool set(const std::string& key, const std::string& value) override {
        return !m_cache->set(Value::bytes(key), Value::bytes(value)).isOk();
    }
    bool remove(const std::string& key) override {
        auto removed = m_cache->remove(Value::bytes(key));
        return !removed || !*removed;
    }

private:
    std::unique_ptr<Engine> m_cache;
};

std::unique_ptr<bench::Store> openStore(const Args& args) {
    if (args.store == "sqlite-floor") return bench::openPlainTableFloor(args.dir);
    if (args.store == "python-sql") return bench::openPythonSqlReplay(args.dir);
    if (args.store == "cache") {
        auto cache = Cache::open(args.dir);
        if (!cache) return std::fprintf(stderr, "%s\n", cache.status().toString().c_str()), nullptr;
        return std::make_unique<EngineStore<Cache>>(std::move(*cache));
    }
    const bool four = args.store == "fanout4";
    // Python's Cache.__init__ writes its settings through _sql_retry, which
    // retries "database is locked" for 60 s whatever the timeout; the
    // engine's open gives up after `timeout` (10 ms for fanout8) when other
    // processes open the same shards at once. Retry the same way here, and
    // say so, so that the workload runs and the difference stays visible.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    auto fanout = FanoutCache::open(args.dir, {.shards = four ? 4 : 8, .timeout = four ? 1.0 : 0.010});
    int retries = 0;
    for (; !fanout && fanout.status().code() == StatusCode::Timeout && std::chrono::steady_clock::now() < deadline; ++retries)
        fanout = FanoutCache::open(args.dir, {.shards = four ? 4 : 8, .timeout = four ? 1.0 : 0.010});
    if (retries) std::fprintf(stderr, "note: FanoutCache::open(%s) timed out %d time(s) before it opened\n", args.store.c_str(), retries);
    if (!fanout) return std::fprintf(stderr, "%s\n", fanout.status().toString().c_str()), nullptr;
    return std::make_unique<EngineStore<FanoutCache>>(std::move(*fanout));
}

bool parse(int argc, char** argv, Args& args) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--store") args.store = next();
        else if (a == "--procs") args.procs = std::atoi(next());
        else if (a == "--ops") args.ops = std::atol(next());
        else if (a == "--dir") args.dir = next();
        else if (a == "--json") args.json = true;
        else if (a == "--inspect") args.inspect = next();
        else if (a == "--structural") args.structural = next();
        else if (a == "--structural-floor") args.structuralFloor = next();
        else if (a == "--deep-row") args.deepRow = std::atol(next());
        else return false;
    }
    if (!args.inspect.empty() || !args.structural.empty() || !args.structuralFloor.empty()) return args.deepRow > 0;
    const bool knownStore = args.store == "cache" || args.store == "fanout4" || args.store == "fanout8" ||
                            args.store == "sqlite-floor" || args.store == "python-sql";
    return knownStore && args.procs > 0 && args.ops > 0 && !args.dir.empty();
}


}  // namespace

const char* const kUsage =
    "usage: cachescope-bench --store cache|fanout4|fanout8|sqlite-floor|python-sql --procs P --ops N --dir DIR [--json]\n"
    "       cachescope-bench --inspect DIR [--deep-row N] [--json]   the inspector's queries on a cache\n"
    "       cachescope-bench --structural DIR [--json]               iterate, check, len, volume, cull to half (writes DIR)\n"
    "       cachescope-bench --structural-floor DIR [--json]         the same on plain SQLite (writes DIR)\n";

int main(int argc, char** argv) {
    Args args;
    if (!parse(argc, argv, args)) {
        std::fprintf(stderr, "%s", kUsage);
        return 2;
    }
    if (!args.inspect.empty()) return bench::runInspectBench(args.inspect, args.deepRow, args.json);
    if (!args.structural.empty()) return bench::runStructuralBench(args.structural, args.json);
    if (!args.structuralFloor.empty()) return bench::runStructuralFloor(args.structuralFloor, args.json);
    {
        auto store = openStore(args);
        if (!store) {
            std::fprintf(stderr, "cannot open %s\n", args.dir.c_str());
            return 1;
        }
        for (int i = 0; i < bench::kKeys; ++i) store->set(std::to_string(i), std::to_string(i));
    }
    std::vector<pid_t> children;
    for (int p = 0; p < args.procs; ++p) {
        const pid_t pid = fork();
        if (pid == 0) {
            auto store = openStore(args);
            if (!store) {
                std::fprintf(stderr, "process %d: cannot open %s as %s\n", p, args.dir.c_str(), args.store.c_str());
                _exit(1);
            }
            auto samples = bench::runWorkload(p, args.ops, [&](bench::Action a, const std::string& k, const std::string& v) {
                return a == bench::Action::Get ? store->get(k) : a == bench::Action::Set ? store->set(k, v) : store->remove(k);
            });
            std::ofstream out(args.dir.string() + ".samples." + std::to_string(p), std::ios::binary);
            out.write(reinterpret_cast<const char*>(samples.data()), std::streamsize(samples.size() * sizeof(bench::Sample)));
            _exit(out ? 0 : 1);
        }
        children.push_back(pid);
    }
    int failures = 0;
    for (pid_t pid : children) {
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failures;
    }
    std::vector<bench::Sample> all;
    for (int p = 0; p < args.procs; ++p) {
        const std::string name = args.dir.string() + ".samples." + std::to_string(p);
        std::ifstream in(name, std::ios::binary);
        bench::Sample s{};
        while (in.read(reinterpret_cast<char*>(&s), sizeof s)) all.push_back(s);
        fs::remove(name);
    }
    if (failures) {
        std::fprintf(stderr, "%d process(es) failed\n", failures);
        return 1;
    }
    const std::string impl = args.store == "sqlite-floor" ? "sqlite-floor"
                             : args.store == "python-sql" ? "python-sql-floor"
                                                          : "engine-" + args.store;
    bench::report(impl, args.procs, args.ops, std::move(all), args.json);
    return 0;
}
