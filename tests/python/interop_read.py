"""Python reads a cache written by the C++ engine: every item with its value,
tag and expiry, the library's check() warnings, count and volume.

usage: interop_read.py DIRECTORY
"""
import sys
import warnings

import diskcache

from interop_common import dump, encode

directory = sys.argv[1]
cache = diskcache.Cache(directory)
items = []
for key in cache.iterkeys():
    result = cache.get(key, default=KeyError, expire_time=True, tag=True)
    value, expire_time, tag = result
    if value is KeyError:
        continue  # expired
    items.append({"key": encode(key), "value": encode(value), "tag": encode(tag), "expire_time": expire_time})

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    problems = [str(w.message) for w in cache.check()]

table_count = cache._sql("SELECT COUNT(*) FROM Cache").fetchone()[0]
table_size = cache._sql("SELECT COALESCE(SUM(size), 0) FROM Cache").fetchone()[0]
dump({
    "items": items,
    "check": problems,
    "count": len(cache),
    "table_count": table_count,
    "size": cache.reset("size"),
    "table_size": table_size,
    "volume": cache.volume(),
    "hits": cache.reset("hits"),
    "misses": cache.reset("misses"),
})
