// consumer CACHE_DIR: opens (creates) a cache, sets a key, reads it back.
// Exits 0 and prints the value when the round trip works.
#include <diskcache/cache.h>

#include <cstdio>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: consumer CACHE_DIR\n");
        return 2;
    }
    auto cache = diskcache::Cache::open(argv[1]);
    if (!cache) {
        std::fprintf(stderr, "open: %s\n", cache.status().toString().c_str());
        return 1;
    }
    const auto key = diskcache::Value::text("greeting");
    const auto status = (*cache)->set(key, diskcache::Value::text("hello"), {.expire = 60.0});
    if (!status.isOk()) {
        std::fprintf(stderr, "set: %s\n", status.toString().c_str());
        return 1;
    }
    auto item = (*cache)->get(key);
    if (!item) {
        std::fprintf(stderr, "get: %s\n", item.status().toString().c_str());
        return 1;
    }
    if (!*item || !((*item)->value == diskcache::Value::text("hello"))) {
        std::fprintf(stderr, "get: the value set is not read back\n");
        return 1;
    }
    std::printf("%s\n", (*item)->value.data().c_str());
    return 0;
}
