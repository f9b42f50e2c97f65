"""Python writes a cache with every key type, value mode, tags, expiry and
queues, then prints a manifest of what it wrote, read back through the
library, for the C++ engine to compare against.

usage: interop_write.py DIRECTORY
"""
import collections
import decimal
import pickle
import pickletools
import sys

import diskcache

from interop_common import dump, encode

directory = sys.argv[1]
cache = diskcache.Cache(directory, disk_min_file_size=1024)

keys = ["text", "ünïcode ✓", "", b"\x00bytes\xff", b"", 0, -1, 2**63 - 1, -2**63, 1.5, -0.0, 1e300,
        (1, "a"), ("nested", (2, b"x")), None, 2**70, True, frozenset()]
values = [42, -2**63, 2**63 - 1, 3.25, float("inf"), "small text", "", b"small bytes", b"",
          b"B" * 5000, "Tëxt file\nline two\n" * 200, {"a": [1, 2, 3]},
          collections.OrderedDict(a=1), decimal.Decimal("1.5"), {"big": "x" * 3000}, None, (1, 2)]

items = []
for index, key in enumerate(keys):
    value = values[index % len(values)]
    tag = [None, "tag-a", b"tag-b", 7, 2.5][index % 5]
    expire = [None, 3600, 86400.5][index % 3]
    cache.set(key, value, expire=expire, tag=tag)

# Read back once all are written: SQLite finds 0 and -0.0 equal, so the
# library stores -0.0's value in the row of key 0.
for key in keys:
    value, expire_time, tag = cache.get(key, expire_time=True, tag=True)
    raw_key = diskcache.Disk(directory).put(key)[1]
    entry = {"key": encode(key), "raw": raw_key, "value": encode(value, none_is_null=False), "tag": encode(tag),
             "expire_time": expire_time}
    if not raw_key:
        entry["pickled_key"] = pickletools.optimize(pickle.dumps(key, protocol=5)).hex()
    items.append(entry)

# An expired item stays in the table but reads as missing.
cache.set("expired", "gone", expire=-5)
queue = [cache.push("q%d" % i) for i in range(3)] + [cache.push("front", side="front")]
prefixed = [cache.push(i, prefix="jobs") for i in range(3)]

dump({
    "items": items,
    "queue_keys": [encode(k) for k in queue],
    "prefixed_keys": [encode(k) for k in prefixed],
    "count": len(cache),
    "volume": cache.volume(),
    "size": cache.reset("size"),
})
