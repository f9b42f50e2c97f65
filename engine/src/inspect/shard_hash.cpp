// Which shard of a FanoutCache directory holds a key, for the inspector and
// the CLI; the hash itself is the engine's one (fanout.h).
#include "diskcache/fanout.h"
#include "diskcache/inspect.h"

namespace diskcache {

int fanoutShard(const Value& key, int shards) {
    if (shards <= 0) return 0;
    return static_cast<int>(portableHash(key) % static_cast<std::uint32_t>(shards));
}

}  // namespace diskcache
