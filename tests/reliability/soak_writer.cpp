// A writer for the SIGKILL soak (tst_reliability_kill): sets, deletes and
// small transactions on one cache through the engine, until it is killed.
//
// It tells its parent on stdout (a pipe) what it is about to do and what
// has returned, with one write() per message so a kill never splits one:
//   "B\n" then one "S <key> <generation>\n" or "D <key>\n" per operation,
//       written together before the group starts;
//   "C\n" once the group (one call, or one transact() of several) returned ok.
// A group without its "C" was in flight when the kill came: its keys must
// afterwards hold either all their old values or all their new ones.
//
// usage: cachescope_soak_writer DIRECTORY SEED FIRST_GENERATION
#include <diskcache/cache.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "soak_values.h"

using namespace diskcache;

namespace {

void say(const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(STDOUT_FILENO, text.data() + done, text.size() - done);
        if (n <= 0) std::_Exit(3);  // the parent has gone
        done += static_cast<std::size_t>(n);
    }
}

struct Operation {
    int key = 0;
    bool remove = false;
    std::int64_t generation = 0;
};

Status apply(Cache& cache, const Operation& op) {
    const Value key = Value::text(soak::keyName(op.key));
    if (op.remove) {
        auto removed = cache.remove(key);
        return removed ? Status::ok() : removed.status();
    }
    return cache.set(key, Value::bytes(soak::valueFor(soak::keyName(op.key), op.generation)));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s DIRECTORY SEED FIRST_GENERATION\n", argv[0]);
        return 2;
    }
    auto cache = Cache::open(argv[1]);
    if (!cache) {
        std::fprintf(stderr, "open: %s\n", cache.status().toString().c_str());
        return 1;
    }
    std::mt19937 rng(static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10)));
    std::int64_t generation = std::strtoll(argv[3], nullptr, 10);
    for (;;) {
        // One operation alone, or 2-5 on distinct keys in one transaction.
        const int groupSize = rng() % 3 == 0 ? 2 + static_cast<int>(rng() % 4) : 1;
        std::vector<Operation> group;
        std::set<int> used;
        std::string announce = "B\n";
        while (static_cast<int>(group.size()) < groupSize) {
            Operation op{static_cast<int>(rng() % soak::kKeys), rng() % 6 == 0, generation++};
            if (!used.insert(op.key).second) continue;
            announce += op.remove ? "D " + soak::keyName(op.key) + "\n"
                                  : "S " + soak::keyName(op.key) + " " + std::to_string(op.generation) + "\n";
            group.push_back(op);
        }
        say(announce);
        Status status = group.size() == 1 ? apply(**cache, group[0]) : (*cache)->transact([&] {
            for (const auto& op : group) DISKCACHE_TRY(apply(**cache, op));
            return Status::ok();
        });
        if (!status) {
            std::fprintf(stderr, "write failed: %s\n", status.toString().c_str());
            return 1;
        }
        say("C\n");
    }
}
