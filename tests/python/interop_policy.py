"""Sets up a cache for comparing culling and eviction with the engine, and
performs the library's side of the comparison.

usage: interop_policy.py prepare DIRECTORY POLICY
       interop_policy.py cull DIRECTORY      (Python's cull(), prints removed)
       interop_policy.py set DIRECTORY       (one set() that culls 3 rows)
       interop_policy.py keys DIRECTORY      (prints the keys left, sorted)
"""
import json
import sys
import time

import diskcache

action, directory = sys.argv[1], sys.argv[2]
if action == "prepare":
    cache = diskcache.Cache(directory, eviction_policy=sys.argv[3], cull_limit=0,
                            size_limit=2**30, disk_min_file_size=512)
    for i in range(60):
        expire = 0.5 if i % 7 == 0 else None  # a few expire soon after
        cache.set("k%02d" % i, b"v" * (100 if i % 3 else 2000), expire=expire)
    for i in range(0, 60, 2):  # reads change LRU and LFU order
        for _ in range(i % 5):
            cache.get("k%02d" % i)
    time.sleep(0.6)
    cache.reset("size_limit", cache.volume() - 30000)  # over the limit by a few rows
elif action == "cull":
    print(diskcache.Cache(directory).cull())
elif action == "set":
    cache = diskcache.Cache(directory)
    cache.reset("cull_limit", 13)
    cache.set("new", 1)
elif action == "keys":
    print(json.dumps(sorted(diskcache.Cache(directory).iterkeys())))
