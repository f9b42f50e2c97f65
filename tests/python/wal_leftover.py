"""A cache whose last commits live only in its -wal, as a writer that died
leaves it, and a process that keeps the cache open (tst_reliability_corrupt).

usage: wal_leftover.py make DIR N   set N keys 'k<i>' = i, then die without
                                     closing (no checkpoint: -wal and -shm stay)
       wal_leftover.py hold DIR      open DIR, print its len(), wait for a line
                                     on stdin, print len() again, close cleanly
"""
import os
import sys

import diskcache


def make(directory, n):
    cache = diskcache.Cache(directory)
    for i in range(n):
        cache.set("k%d" % i, i)
    sys.stdout.flush()
    os._exit(0)  # like SIGKILL for SQLite: no close, so no checkpoint


def hold(directory):
    cache = diskcache.Cache(directory)
    print(len(cache), flush=True)
    sys.stdin.readline()
    print(len(cache), cache.check(), flush=True)
    cache.close()


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]))
    else:
        hold(sys.argv[2])
