// cachescope-bench: the engine (and SQLite's own floor) on DiskCache's
// reference workload, P processes at once.
//   cachescope-bench --store cache|fanout4|fanout8|sqlite-floor --procs P --ops N --dir DIR [--json]
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "bench_workload.h"
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
};

// One store as a process uses it; every implementation answers the same calls.
class Store {
public:
    virtual ~Store() = default;
    virtual bool get(const std::string& key) = 0;   // true: miss
    virtual bool set(const std::string& key, const std::string& value) = 0;
    virtual bool remove(const std::string& key) = 0;
};

// Cache and FanoutCache answer the same calls.
template <typename Engine>
class EngineStore : public Store {
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

// The floor: one plain table, prepared statements, WAL, synchronous NORMAL.
class SqliteFloor : public Store {
public:
    explicit SqliteFloor(const fs::path& dir) {
        fs::create_directories(dir);
        sqlite3_open((dir / "floor.db").string().c_str(), &m_db);
        sqlite3_busy_timeout(m_db, 60000);
        sqlite3_exec(m_db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                           " CREATE TABLE IF NOT EXISTS t (key BLOB PRIMARY KEY, value BLOB)", nullptr, nullptr, nullptr);
        sqlite3_prepare_v2(m_db, "SELECT value FROM t WHERE key = ?", -1, &m_get, nullptr);
        sqlite3_prepare_v2(m_db, "INSERT OR REPLACE INTO t VALUES (?, ?)", -1, &m_set, nullptr);
        sqlite3_prepare_v2(m_db, "DELETE FROM t WHERE key = ?", -1, &m_delete, nullptr);
    }
    ~SqliteFloor() override {
        sqlite3_finalize(m_get);
        sqlite3_finalize(m_set);
        sqlite3_finalize(m_delete);
        sqlite3_close(m_db);
    }
    bool get(const std::string& key) override {
        sqlite3_bind_blob(m_get, 1, key.data(), int(key.size()), SQLITE_STATIC);
        const bool miss = sqlite3_step(m_get) != SQLITE_ROW;
        std::string value;
        if (!miss) value.assign(static_cast<const char*>(sqlite3_column_blob(m_get, 0)), size_t(sqlite3_column_bytes(m_get, 0)));
        sqlite3_reset(m_get);
        return miss;
    }
    bool set(const std::string& key, const std::string& value) override {
        sqlite3_bind_blob(m_set, 1, key.data(), int(key.size()), SQLITE_STATIC);
        sqlite3_bind_blob(m_set, 2, value.data(), int(value.size()), SQLITE_STATIC);
        const bool failed = sqlite3_step(m_set) != SQLITE_DONE;
        sqlite3_reset(m_set);
        return failed;
    }
    bool remove(const std::string& key) override {
        sqlite3_bind_blob(m_delete, 1, key.data(), int(key.size()), SQLITE_STATIC);
        sqlite3_step(m_delete);
        const bool miss = sqlite3_changes(m_db) == 0;
        sqlite3_reset(m_delete);
        return miss;
    }

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_get = nullptr;
    sqlite3_stmt* m_set = nullptr;
    sqlite3_stmt* m_delete = nullptr;
};

std::unique_ptr<Store> openStore(const Args& args) {
    if (args.store == "sqlite-floor") return std::make_unique<SqliteFloor>(args.dir);
    if (args.store == "cache") {
        auto cache = Cache::open(args.dir);
        if (!cache) return nullptr;
        return std::make_unique<EngineStore<Cache>>(std::move(*cache));
    }
    const bool four = args.store == "fanout4";
    auto fanout = FanoutCache::open(args.dir, {.shards = four ? 4 : 8, .timeout = four ? 1.0 : 0.010});
    if (!fanout) return nullptr;
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
        else return false;
    }
    const bool knownStore = args.store == "cache" || args.store == "fanout4" || args.store == "fanout8" ||
                            args.store == "sqlite-floor";
    return knownStore && args.procs > 0 && args.ops > 0 && !args.dir.empty();
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    if (!parse(argc, argv, args)) {
        std::fprintf(stderr, "usage: cachescope-bench --store cache|fanout4|fanout8|sqlite-floor --procs P --ops N --dir DIR [--json]\n");
        return 2;
    }
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
            if (!store) _exit(1);
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
    const std::string impl = args.store == "sqlite-floor" ? "sqlite-floor" : "engine-" + args.store;
    bench::report(impl, args.procs, args.ops, std::move(all), args.json);
    return 0;
}
