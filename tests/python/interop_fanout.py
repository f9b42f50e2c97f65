"""The library's FanoutCache side of the fanout interop test.

usage: interop_fanout.py write DIRECTORY   writes keys of every raw type and a tuple,
                                          prints each key's Disk.hash and shard
       interop_fanout.py read DIRECTORY    reads the keys the engine wrote
"""
import json
import sys

import diskcache

from interop_common import dump, encode

action, directory = sys.argv[1], sys.argv[2]
cache = diskcache.FanoutCache(directory, shards=4, timeout=1)
if action == "write":
    keys = ["alpha", "ünï", b"\x00\x01", 0, -1, -12345678901, 2**62, 1.5, -2.75, (1, "a")]
    out = []
    for i, key in enumerate(keys):
        cache.set(key, "value-%d" % i, tag="t%d" % (i % 2))
        disk_hash = cache._shards[0].disk.hash(key)
        out.append({"key": encode(key), "hash": disk_hash, "shard": disk_hash % 4, "value": "value-%d" % i})
    dump({"items": out, "count": len(cache)})
else:
    keys = ["cpp-text", b"cpp-bytes", -98765, 3.25, 2**40]
    dump({"values": [cache.get(k) for k in keys], "count": len(cache),
          "check": [str(w.message) for w in cache.check()]})
