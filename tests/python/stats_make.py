"""Makes the caches tst_statistics inspects, with the real library, and
prints what Python and SQLite themselves say about them as JSON.

usage: stats_make.py ROOT

ROOT/plain   a Cache with memoized functions, tags, expired entries (touched
             into the past, never short expiries), file-backed values and
             pickles of protocols 2 and 5
ROOT/json    a Cache written with JSONDisk
ROOT/ledger  a Cache with three value files, one of them deleted and one
             unknown file planted
ROOT/fanout  a FanoutCache whose settings the doctor should complain about
ROOT/many    12,000 pickled keys, memoized calls of two functions among plain
             tuples, so that a pass over the pickled keys runs in several
             batches
"""
import json
import os
import pickle
import sqlite3
import sys
import time

import diskcache

root = sys.argv[1]
report = {}

# ---- plain ------------------------------------------------------------------
plain = os.path.join(root, "plain")
with diskcache.Cache(plain, eviction_policy="least-recently-stored") as cache:

    @cache.memoize()
    def square(x):
        return x * x

    class Shape:
        @cache.memoize(typed=True)
        def area(self_or_size, scale=1):
            return self_or_size * scale

    for i in range(7):
        square(i)
    for i in range(3):
        Shape.area(i, scale=2)
    cache.set(("user", 42), "a tuple key that memoize did not make")
    for i in range(5):
        cache.set("red-%d" % i, "r" * (10 + i), tag="red")
    for i in range(2):
        cache.set("blue-%d" % i, b"b" * 100, tag="blue")
    cache.set("seven", 7, tag=7)
    cache.set("big-1", b"x" * 200_000)             # a file: 195 KiB
    cache.set("big-2", "y" * 70_000)               # a text file
    cache.set("old-pickle", pickle.dumps([1, 2]))  # bytes, not a pickle value
    cache.set("list", [1, 2, 3])                   # a protocol-5 pickle value
    # A pickle of protocol 2 as a value, through a second Disk setting.
    cache.reset("disk_pickle_protocol", 2)
with diskcache.Cache(plain, disk_pickle_protocol=2) as cache:
    cache.set("dict-p2", {"a": 1})

    @cache.memoize()
    def cube(x):
        return x ** 3

    cube(2)
    cube(3)  # keys pickled with protocol 2: BINUNICODE names
    for i in range(4):
        cache.set("doomed-%d" % i, i)
    # Touched after the last set(): set() culls expired rows.
    for i in range(4):
        cache.touch("doomed-%d" % i, expire=-100 - i)  # expired 100+ s ago
    cache.reset("disk_pickle_protocol", 5)

# The stored length of a value, as inspect.h defines it: its file's size, its
# bytes in the database, or 8 for an integer or float.
STORED = ("CASE WHEN filename IS NOT NULL THEN size WHEN typeof(value) IN ('integer', 'real') THEN 8"
          " ELSE length(CAST(value AS BLOB)) END")
db = sqlite3.connect(os.path.join(plain, "cache.db"))
now = time.time()
keys = {}
for rowid, key, raw in db.execute("SELECT rowid, key, raw FROM Cache"):
    keys[rowid] = repr(key if raw else pickle.loads(key))
report["plain"] = {
    "count": db.execute("SELECT count(*) FROM Cache").fetchone()[0],
    "tags": {repr(t): [n, b] for t, n, b in db.execute(
        "SELECT tag, count(*), sum(" + STORED + ")"
        " FROM Cache WHERE tag IS NOT NULL GROUP BY tag")},
    "in_file": db.execute("SELECT count(*) FROM Cache WHERE filename IS NOT NULL").fetchone()[0],
    "expired": db.execute("SELECT count(*) FROM Cache WHERE expire_time < ?", (now,)).fetchone()[0],
    "largest": [keys[r] for (r,) in db.execute(
        "SELECT rowid FROM Cache ORDER BY " + STORED + " DESC LIMIT 3")],
    # cull(): expired rows by expire_time, then the rest by store_time.
    "cull_order": [keys[r] for (r,) in db.execute(
        "SELECT rowid FROM Cache WHERE expire_time > 0 AND expire_time < ? ORDER BY expire_time", (now,))]
    + [keys[r] for (r,) in db.execute(
        "SELECT rowid FROM Cache WHERE NOT (expire_time > 0 AND expire_time < ?) OR expire_time IS NULL"
        " ORDER BY store_time LIMIT 3", (now,))],
    "functions": {square.__cache_key__(0)[0]: 7, Shape.area.__cache_key__(0)[0]: 3, cube.__cache_key__(0)[0]: 2},
    "value_protocols": {},
}
for (head,) in db.execute("SELECT substr(value, 1, 2) FROM Cache WHERE mode = 4 AND filename IS NULL"):
    p = head[1] if head[0] == 0x80 else 0
    report["plain"]["value_protocols"][str(p)] = report["plain"]["value_protocols"].get(str(p), 0) + 1
db.close()

# ---- json -------------------------------------------------------------------
jdir = os.path.join(root, "json")
json_keys = ["alpha", [1, 2], {"name": "\u00e9t\u00e9", "n": 3}, 12.5]
with diskcache.Cache(jdir, disk=diskcache.JSONDisk, disk_compress_level=6) as cache:
    for i, key in enumerate(json_keys):
        cache.set(key, {"i": i})
report["json"] = {"keys": [json.dumps(k) for k in json_keys]}

# ---- ledger -----------------------------------------------------------------
ldir = os.path.join(root, "ledger")
with diskcache.Cache(ldir) as cache:
    for i in range(3):
        cache.set("file-%d" % i, bytes([i]) * (40_000 + i))
    cache.set("small", b"s")
    db = sqlite3.connect(os.path.join(ldir, "cache.db"))
    (gone,) = db.execute("SELECT filename FROM Cache WHERE key = 'file-0'").fetchone()
    db.close()
os.remove(os.path.join(ldir, gone))
with open(os.path.join(ldir, "stray.txt"), "wb") as f:
    f.write(b"not the cache's" * 10)
report["ledger"] = {"value_files": 2, "value_bytes": 40_001 + 40_002, "missing": 1,
                    "orphans": 1, "orphan_bytes": 150}

# ---- fanout -----------------------------------------------------------------
fdir = os.path.join(root, "fanout")
with diskcache.FanoutCache(fdir, shards=8, size_limit=2**22, cull_limit=0,
                           eviction_policy="none", tag_index=False, statistics=False) as cache:
    for i in range(40):
        cache.set("k%d" % i, b"v" * 600_000 if i == 0 else i, tag="t")
report["fanout"] = {"per_shard_limit": 2**22 // 8}

# ---- many -------------------------------------------------------------------
mdir = os.path.join(root, "many")
with diskcache.Cache(mdir) as cache:

    @cache.memoize()
    def halve(x):
        return x / 2

    @cache.memoize(name="reports.weekly")
    def weekly(x):
        return x

    for i in range(5_000):
        halve(i)
        cache.set(("plain", i), i)
    for i in range(2_000):
        weekly(i)
    # What Python itself finds: keys that are tuples led by a function name.
    functions = {}
    for key in cache.iterkeys():
        if isinstance(key, tuple) and key and key[0] in (halve.__cache_key__(0)[0], "reports.weekly"):
            functions[key[0]] = functions.get(key[0], 0) + 1
report["many"] = {"functions": functions}

json.dump(report, sys.stdout)
