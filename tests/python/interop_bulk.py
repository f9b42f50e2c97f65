"""The library's side of the whole-cache tests: a cache large enough that the
engine's cull runs many of the library's 10-row batches in one transaction,
a writer that runs beside it, and a writer that holds the write lock.

usage: interop_bulk.py prepare DIRECTORY ENTRIES   (size_limit set to half the volume)
       interop_bulk.py cull DIRECTORY              (Python's cull(); prints removed)
       interop_bulk.py write DIRECTORY OPERATIONS  (sets, with timeout=60; prints "writing", then the count written)
       interop_bulk.py hold DIRECTORY SECONDS      (prints "locked", then holds the write lock)
       interop_bulk.py state DIRECTORY             (JSON: check() warnings, len, volume, size_limit, keys)
"""
import json
import sys
import time
import warnings

import diskcache

action, directory = sys.argv[1], sys.argv[2]
if action == "prepare":
    cache = diskcache.Cache(directory, cull_limit=0, disk_min_file_size=4096)
    with cache.transact():
        for i in range(int(sys.argv[3])):
            size = 3000 + i % 5000 if i % 13 == 0 else 20 + (i * 37) % 700  # some go to value files
            expire = None if i % 9 else (-1 if i % 2 else 3600)  # some are already expired
            cache.set("k%06d" % i, b"v" * size, expire=expire, tag="t%d" % (i % 4))
    for i in range(0, int(sys.argv[3]), 17):
        cache.get("k%06d" % i)
    cache.reset("size_limit", cache.volume() // 2)
elif action == "cull":
    print(diskcache.Cache(directory).cull())
elif action == "write":
    cache = diskcache.Cache(directory, timeout=60)
    written = 0
    for i in range(int(sys.argv[3])):
        cache.set("w%06d" % i, b"w" * (50 + i % 400))
        written += 1
        if written == 1:
            print("writing", flush=True)
    print(written)
elif action == "hold":
    cache = diskcache.Cache(directory)
    with cache.transact():
        cache.set("held", 1)
        print("locked", flush=True)
        time.sleep(float(sys.argv[3]))
elif action == "state":
    cache = diskcache.Cache(directory)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cache.check()
    print(json.dumps({"warnings": [str(w.message) for w in caught], "len": len(cache), "volume": cache.volume(),
                      "size_limit": cache.size_limit, "keys": sorted(cache.iterkeys())}))
