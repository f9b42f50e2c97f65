"""Makes the caches the UI tests open, with the real diskcache library, and
prints what a user should see in the window as JSON.

usage: ui_make.py cache DIR | fanout DIR | add DIR (adds 5 entries to a cache)
"""
import json
import sys
import time

import diskcache


def fill(cache):
    for i in range(120):
        cache.set("user:%03d" % i, {"id": i, "name": "n%d" % i, "tags": ["a", "b"]}, tag="users")
    for i in range(40):
        cache.set(b"blob-%d" % i, bytes(range(i % 200)), tag="blobs")
    for i in range(30):
        cache.set(1000 + i, i * 1.5)
    for i in range(20):
        cache.set(i / 4.0, "float key %d" % i)
    for i in range(15):
        cache.set(("order", i), "tuple key", tag=7)
    cache.set("big", "x" * 100000)  # kept in a file
    cache.set("dict", {"alpha": 1, "beta": [1.5, None, True], "gamma": ("x", b"y")})
    # Ten entries that have expired. They are stored live and then touched
    # into the past: set() culls expired rows as it goes, so entries made with
    # a short expiry survive or not depending on how fast this script runs.
    for i in range(10):
        cache.set("expired:%d" % i, i, expire=3600)
    for i in range(10):
        cache.touch("expired:%d" % i, expire=-60)


def describe(cache):
    now = time.time()
    keys = list(cache.iterkeys())
    return {
        "len": len(cache),
        "keys": sorted(repr(k) for k in keys),
        "user_count": sum(1 for k in keys if isinstance(k, str) and "user:" in k),
        "dict_repr": repr(cache.get("dict")),
        "now": now,
    }


def main():
    kind, directory = sys.argv[1], sys.argv[2]
    if kind == "cache":
        with diskcache.Cache(directory) as cache:
            fill(cache)
            out = describe(cache)
    elif kind == "fanout":
        with diskcache.FanoutCache(directory, shards=4) as cache:
            for i in range(500):
                cache.set("k%d" % i, i, tag="even" if i % 2 == 0 else None)
            sub = cache.cache("sessions")
            for i in range(25):
                sub.set("s%d" % i, "v")
            out = {"len": len(cache), "sub_len": len(sub), "sub_dir": sub.directory,
                   "shard_lens": [len(diskcache.Cache("%s/%03d" % (directory, s))) for s in range(4)],
                   # the Settings row 'size' (sum of Cache.size) each shard keeps
                   "shard_sizes": [diskcache.Cache("%s/%03d" % (directory, s)).reset("size") for s in range(4)]}
    elif kind == "add":
        with diskcache.Cache(directory) as cache:
            for i in range(5):
                cache.set("added:%d" % i, i)
            out = {"len": len(cache)}
    else:
        raise SystemExit("unknown kind " + kind)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
