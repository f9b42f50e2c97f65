"""Makes a diskcache Cache of N entries with the real Python library, for the
inspector-at-scale and "where Python is structurally slow" benchmarks.

usage: /usr/bin/python3 make_cache.py DIR --entries N [--seed S]

The mix is what an application cache holds: str keys mostly, some bytes,
int and tuple (pickled) keys; raw bytes, text, ints and pickled dicts as
values, and a few values large enough (> disk_min_file_size, 32 KiB) to
live in files, binary and text; a third of the entries tagged with one of
a few dozen tags; 40 % with an expiry an hour to a day ahead, and 10 %
expired. Expired entries are made by touching them into the past after all
writes (a short expiry would let later set() calls cull them, and the count
would depend on timing). Writes go in transactions of 10,000.
"""
import argparse
import random

import diskcache

BATCH = 10000
LARGE = 40 * 1024  # over disk_min_file_size: stored in a file


def key_for(i, rng):
    roll = rng.random()
    if roll < 0.70:
        return "user:%d:profile" % i if i % 2 else "page:/articles/%d?lang=en" % i
    if roll < 0.85:
        return ("blob-%08d" % i).encode()
    if roll < 0.93:
        return 10_000_000_000 + i
    return ("session", i, "v2")


def value_for(i, rng):
    roll = rng.random()
    if roll < 0.002:
        return bytes(rng.getrandbits(8) for _ in range(64)) * (LARGE // 64)
    if roll < 0.003:
        return ("line %d of a report\n" % i) * (LARGE // 16)
    if roll < 0.40:
        return ("payload-%d-" % i).encode() * rng.randint(1, 20)
    if roll < 0.60:
        return "text value %d " % i * rng.randint(1, 10)
    if roll < 0.70:
        return i * 7
    return {"id": i, "name": "user %d" % i, "scores": [i % 97, i % 89], "active": bool(i % 3)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tags = ["tenant-%d" % t for t in range(40)]
    cache = diskcache.Cache(args.directory)
    to_expire = []
    for start in range(0, args.entries, BATCH):
        with cache.transact():
            for i in range(start, min(start + BATCH, args.entries)):
                key = key_for(i, rng)
                tag = rng.choice(tags) if rng.random() < 0.33 else None
                roll = rng.random()
                expire = rng.uniform(3600, 86400) if roll < 0.40 else None
                cache.set(key, value_for(i, rng), expire=expire, tag=tag)
                if roll < 0.10:
                    to_expire.append(key)
    for start in range(0, len(to_expire), BATCH):
        with cache.transact():
            for key in to_expire[start:start + BATCH]:
                cache.touch(key, expire=-rng.uniform(60, 86400))
    print("%s: %d entries, %d expired, volume %d bytes" % (args.directory, len(cache), len(to_expire), cache.volume()))
    cache.close()


if __name__ == "__main__":
    main()
