// One store as a benchmark process uses it: the engine's Cache or
// FanoutCache, or one of the SQLite floors. Every call returns true for a
// miss (a get that found nothing, a set that failed or timed out, a delete
// of an absent key).
#pragma once

#include <string>

namespace bench {

class Store {
public:
    virtual ~Store() = default;
    virtual bool get(const std::string& key) = 0;
    virtual bool set(const std::string& key, const std::string& value) = 0;
    virtual bool remove(const std::string& key) = 0;
};

}  // namespace bench
