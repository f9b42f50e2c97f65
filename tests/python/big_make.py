"""Makes a large cache quickly with the real diskcache library, for the lazy
table, seek and benchmark tests, and prints what the GUI should show as JSON.

usage: big_make.py cache DIR N | fanout DIR N SHARDS
       big_make.py describe DIR   (len, rows in the Cache table, check() warnings)

Keys are "key-%07d" strs inserted in a shuffled order (so rowid order is not
key order), values small ints and bytes kept in cache.db, a tag on every
third entry and an expiry (far in the future) on every fifth.

Cache.set() costs ~0.1 ms a row, minutes for a million, so the rows go in
with one executemany in one transaction on the library's own connection,
with exactly the columns set() writes for such values (raw str keys; ints
and short bytes stored raw in the database, size 0; FORMAT.md). The
library's triggers keep Settings.count; check() finds such a cache clean.
"""
import json
import random
import sys
import time

import diskcache


def rows(n, now):
    rng = random.Random(6)
    order = list(range(n))
    rng.shuffle(order)
    for i in order:
        value = i if i % 2 else b"v" * (i % 97)
        tag = "t%d" % (i % 5) if i % 3 == 0 else None
        expire = now + 10 ** 7 + i if i % 5 == 0 else None
        # key, raw, store_time, expire_time, access_time, access_count, tag, size, mode, filename, value
        yield ("key-%07d" % i, 1, now - i * 0.001, expire, now - i * 0.001, 0, tag, 0, 1, None, value)


def fill(cache, n):
    con = cache._con
    con.execute("BEGIN IMMEDIATE")
    con.executemany(
        "INSERT INTO Cache(key, raw, store_time, expire_time, access_time, access_count, tag, size, mode,"
        " filename, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows(n, time.time()))
    con.execute("COMMIT")


def fill_shard(shard, n, index, shards):
    """The rows of one FanoutCache shard: those whose key the library would put there."""
    con = shard._con
    con.execute("BEGIN IMMEDIATE")
    wanted = (row for row in rows(n, time.time()) if shard_of(row[0], shards) == index)
    con.executemany(
        "INSERT INTO Cache(key, raw, store_time, expire_time, access_time, access_count, tag, size, mode,"
        " filename, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", wanted)
    con.execute("COMMIT")


def shard_of(key, shards):
    return diskcache.Disk(None).hash(key) % shards


def describe(directory):
    import warnings
    with diskcache.Cache(directory) as cache:
        (rows,), = cache._sql("SELECT count(*) FROM Cache").fetchall()
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            problems = [str(w.message) for w in cache.check()]
        print(json.dumps({"len": len(cache), "rows": rows, "check": problems}))


def main():
    if sys.argv[1] == "describe":
        describe(sys.argv[2])
        return
    kind, directory, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    # No culling while filling: the default size limit (1 GB) is not reached,
    # and cull_limit=0 keeps set() from scanning for expired rows.
    settings = dict(cull_limit=0, size_limit=2 ** 40, statistics=0)
    if kind == "fanout":
        cache = diskcache.FanoutCache(directory, shards=int(sys.argv[4]), **settings)
        for index, shard in enumerate(cache._shards):
            fill_shard(shard, n, index, len(cache._shards))
    else:
        cache = diskcache.Cache(directory, **settings)
        fill(cache, n)
    keys = sorted(cache)  # str keys: Python's order is SQLite's (UTF-8 bytes)
    print(json.dumps({"len": len(cache), "first_key": keys[0], "last_key": keys[-1],
                      "middle_key": keys[len(keys) // 2]}))
    cache.close()


if __name__ == "__main__":
    main()
