"""Makes and reads back the caches of the GUI maintenance tests, with the real
diskcache library, printing JSON.

usage: ui_maint_make.py make DIR        a cache with tags, file values and expired entries
       ui_maint_make.py big DIR         file values well over a small size_limit (for cull)
       ui_maint_make.py damage DIR      make DIR, then break it the ways check() finds
       ui_maint_make.py describe DIR    what Python sees: len, tags, volume, check()
       ui_maint_make.py lock DIR SECS   hold the write lock for SECS seconds ("locked" on stdout)
       ui_maint_make.py fanout DIR      what Python sees of a 4-shard FanoutCache (made by ui_make.py fanout)
       ui_maint_make.py write DIR N     set N keys "w:<i>" tagged "writer", one transaction each
                                        ("writing" on stdout first), then print what it wrote
"""
import collections
import json
import os
import sys
import time
import warnings

import diskcache


def make(directory, **settings):
    with diskcache.Cache(directory, **settings) as cache:
        for i in range(60):
            cache.set("user:%03d" % i, {"id": i, "name": "n%d" % i}, tag="users")
        for i in range(25):
            cache.set(b"blob-%d" % i, os.urandom(40000), tag="blobs")  # value files
        for i in range(15):
            cache.set(("order", i), "tuple key", tag=7)
        for i in range(20):
            cache.set(1000 + i, i * 1.5)
        # Ten expired entries, stored live and touched into the past: set()
        # culls expired rows as it goes, so short expiries would make the
        # count depend on how fast this runs.
        for i in range(10):
            cache.set("expired:%d" % i, i, expire=3600)
        for i in range(10):
            cache.touch("expired:%d" % i, expire=-60)


def damage(directory):
    make(directory)
    with diskcache.Cache(directory) as cache:
        files = sorted(row[0] for row in cache._sql("SELECT filename FROM Cache WHERE filename IS NOT NULL"))
    os.remove(os.path.join(directory, files[0]))  # a missing value file
    with open(os.path.join(directory, files[1]), "ab") as f:  # a value file of the wrong size
        f.write(b"extra")
    os.makedirs(os.path.join(directory, "zz", "yy"))  # empty directories
    with open(os.path.join(directory, files[2][:2], "stray.txt"), "w") as f:  # a file no row names
        f.write("not the cache's")


def describe(directory):
    with diskcache.Cache(directory) as cache:
        tags = collections.Counter()
        keys = []
        for (key, raw, tag) in cache._sql("SELECT key, raw, tag FROM Cache"):
            tags[repr(tag)] += 1
        for key in cache.iterkeys():
            keys.append(repr(key))
        with warnings.catch_warnings():
            warnings.simplefilter("always")  # check() records what it warns; "ignore" would hide it
            problems = [str(w.message) for w in cache.check()]
        now = time.time()
        expired = cache._sql("SELECT COUNT(*) FROM Cache WHERE expire_time < ?", (now,)).fetchone()[0]
        expiring = cache._sql("SELECT COUNT(*) FROM Cache WHERE expire_time >= ?", (now,)).fetchone()[0]
        return {
            "len": len(cache),
            "tags": dict(tags),
            "keys": sorted(keys),
            "volume": cache.volume(),
            "size_limit": cache.size_limit,
            "expired": expired,
            "expiring": expiring,
            "check": problems,
            "settings": {key: value for (key, value) in cache._sql("SELECT key, value FROM Settings")},
        }


def main():
    command, directory = sys.argv[1], sys.argv[2]
    out = {}
    if command == "make":
        make(directory)
        out = describe(directory)
    elif command == "big":
        # 25 value files of 40 kB are about 1 MB; the limit is a third of that,
        # and cull_limit 0 keeps Python's own set() from culling while we fill.
        make(directory, size_limit=300000, cull_limit=0)
        out = describe(directory)
    elif command == "damage":
        damage(directory)
        out = describe(directory)
    elif command == "describe":
        out = describe(directory)
    elif command == "lock":
        with diskcache.Cache(directory) as cache:
            with cache.transact():
                print("locked", flush=True)
                time.sleep(float(sys.argv[3]))
        return
    elif command == "fanout":
        tags = collections.Counter()
        problems = []
        keys = []
        for shard in range(4):
            with diskcache.Cache(os.path.join(directory, "%03d" % shard)) as cache:
                for (tag,) in cache._sql("SELECT tag FROM Cache"):
                    tags[repr(tag)] += 1
                keys += [repr(k) for k in cache.iterkeys()]
                with warnings.catch_warnings():
                    warnings.simplefilter("always")
                    problems += [str(w.message) for w in cache.check()]
        with diskcache.FanoutCache(directory, shards=4) as cache:
            out = {"len": len(cache), "tags": dict(tags), "keys": sorted(keys), "check": problems}
    elif command == "write":
        count = int(sys.argv[3])
        with diskcache.Cache(directory) as cache:  # the library's own 60 s lock timeout
            print("writing", flush=True)
            for i in range(count):
                cache.set("w:%d" % i, os.urandom(100 + i % 50000 // 10), tag="writer")
            out = {"written": count, "present": sum(1 for i in range(count) if ("w:%d" % i) in cache)}
    else:
        raise SystemExit("unknown command " + command)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
