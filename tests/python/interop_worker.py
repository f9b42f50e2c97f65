"""One of several processes hammering one cache at once: random sets, gets,
deletes, increments and large file-backed values on a small key space.
Every value names its key, so a read of the wrong value is caught.

usage: interop_worker.py DIRECTORY SEED OPERATIONS [fanout]
"""
import random
import sys

import diskcache

directory, seed, operations = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
if len(sys.argv) > 4 and sys.argv[4] == "fanout":
    cache = diskcache.FanoutCache(directory, shards=4, timeout=60)
else:
    cache = diskcache.Cache(directory, timeout=60)
rng = random.Random(seed)
bad = 0
for n in range(operations):
    key = "k%d" % rng.randrange(100)
    roll = rng.random()
    if roll < 0.4:
        value = "%s:py%d:%d" % (key, seed, n)
        if rng.random() < 0.1:
            value = value + "|" + "x" * 40000  # goes to a value file
        cache.set(key, value, tag="py", retry=True)
    elif roll < 0.8:
        value = cache.get(key, retry=True)
        if value is not None and not (isinstance(value, str) and value.split(":")[0] == key):
            bad += 1
    elif roll < 0.9:
        cache.delete(key, retry=True)
    else:
        cache.incr("counter", retry=True)
print(bad)
sys.exit(1 if bad else 0)
