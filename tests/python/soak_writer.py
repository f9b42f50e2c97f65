"""The Python side of the SIGKILL soak (tst_reliability_kill): the real
library sets, deletes and runs small transactions on one cache until it is
killed, telling its parent on stdout what it is about to do and what has
returned, exactly as tests/reliability/soak_writer.cpp does (one os.write per
message; "B" + operations before a group, "C" after it returned). Values are
made as tests/reliability/soak_values.h makes them.

usage: soak_writer.py DIRECTORY SEED FIRST_GENERATION
"""
import os
import random
import sys

import diskcache

KEYS = 48


def value_length(generation):
    if generation % 5 == 0:
        return 40000 + (generation * 104729) % 2000000
    return 20 + (generation * 7919) % 400


def value_for(key, generation):
    unit = ("%s:%d:" % (key, generation)).encode()
    length = value_length(generation)
    return (unit * (length // len(unit) + 1))[:length]


def say(text):
    data = text.encode()
    while data:
        data = data[os.write(1, data):]


def apply(cache, op):
    key, remove, generation = op
    if remove:
        cache.delete(key)
    else:
        cache.set(key, value_for(key, generation))


directory, seed, generation = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cache = diskcache.Cache(directory, timeout=60)
rng = random.Random(seed)
while True:
    size = 2 + rng.randrange(4) if rng.randrange(3) == 0 else 1
    group, used = [], set()
    while len(group) < size:
        index = rng.randrange(KEYS)
        if index in used:
            continue
        used.add(index)
        group.append(("k%d" % index, rng.randrange(6) == 0, generation))
        generation += 1
    say("B\n" + "".join("D %s\n" % key if remove else "S %s %d\n" % (key, gen) for key, remove, gen in group))
    if len(group) == 1:
        apply(cache, group[0])
    else:
        with cache.transact():
            for op in group:
                apply(cache, op)
    say("C\n")
