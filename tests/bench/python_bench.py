"""python-diskcache, Django's FileBasedCache and Redis on the same reference
workload as cachescope-bench, printing the same JSON object.

usage: python_bench.py --store cache|fanout4|fanout8|django|redis --procs P --ops N --dir DIR [--redis-port PORT]

django is FileBasedCache(DIR) with Django's defaults (keys are str: Django
turns every key into a file name); redis is a redis.Redis client of the
server on 127.0.0.1:PORT (run_bench.sh starts one and flushes nothing else).
"""
import argparse
import json
import multiprocessing
import random
import time

import diskcache

WARMUP = 1000
KEYS = 100


class DjangoStore:
    """Django's file cache, answering the calls of diskcache.Cache used here."""

    def __init__(self, directory):
        import django
        from django.conf import settings
        if not settings.configured:
            settings.configure(CACHES={"default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": directory}})
            django.setup()
        from django.core.cache import caches
        self.cache = caches["default"]

    def get(self, key):
        return self.cache.get(key.decode())

    def set(self, key, value):
        self.cache.set(key.decode(), value)
        return True

    def delete(self, key):
        return self.cache.delete(key.decode())

    def close(self):
        self.cache.close()


class RedisStore:
    def __init__(self, port):
        import redis
        self.client = redis.Redis(host="127.0.0.1", port=port)

    def get(self, key):
        return self.client.get(key)

    def set(self, key, value):
        return bool(self.client.set(key, value))

    def delete(self, key):
        return self.client.delete(key) == 1

    def close(self):
        self.client.close()


REDIS_PORT = 0


def open_store(kind, directory):
    if kind == "django":
        return DjangoStore(directory)
    if kind == "redis":
        return RedisStore(REDIS_PORT)
    if kind == "cache":
        return diskcache.Cache(directory)
    if kind == "fanout4":
        return diskcache.FanoutCache(directory, shards=4, timeout=1.0)
    return diskcache.FanoutCache(directory, shards=8, timeout=0.010)


def worker(kind, directory, process, ops, queue):
    store = open_store(kind, directory)
    rng = random.Random(process)
    samples = []
    clock = time.perf_counter_ns
    for n in range(ops):
        key = str(rng.randrange(KEYS)).encode()
        roll = rng.randrange(1000)
        if roll < 900:
            start = clock()
            miss = store.get(key) is None
        elif roll < 990:
            value = str(n).encode() * rng.randint(1, 99)
            start = clock()
            miss = not store.set(key, value)
        else:
            start = clock()
            miss = not store.delete(key)
        elapsed = clock() - start
        if n >= WARMUP:
            samples.append((0 if roll < 900 else 1 if roll < 990 else 2, elapsed, miss))
    queue.put(samples)


# Percentiles of the latency-vs-percentile curves (the same as cachescope-bench's).
CURVE = [p / 2 for p in range(0, 198)] + [99.0, 99.5, 99.9, 99.99, 100.0]


def summary(times, misses):
    times.sort()
    def pct(p):
        return times[min(len(times) - 1, int(p * (len(times) - 1) + 0.5))] / 1000.0 if times else 0.0
    return {"count": len(times), "misses": misses, "median_us": pct(0.5), "p90_us": pct(0.9),
            "p99_us": pct(0.99), "max_us": (times[-1] / 1000.0) if times else 0.0, "total_s": sum(times) / 1e9,
            "curve_us": [[p, pct(p / 100)] for p in CURVE]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", default="cache", choices=["cache", "fanout4", "fanout8", "django", "redis"])
    parser.add_argument("--redis-port", type=int, default=6379)
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--ops", type=int, default=100000)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    global REDIS_PORT
    REDIS_PORT = args.redis_port
    store = open_store(args.store, args.dir)
    if args.store == "redis":
        store.client.flushdb()
    for i in range(KEYS):
        store.set(str(i).encode(), str(i).encode())
    store.close()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [context.Process(target=worker, args=(args.store, args.dir, p, args.ops, queue))
                 for p in range(args.procs)]
    for process in processes:
        process.start()
    samples = [s for _ in processes for s in queue.get()]
    for process in processes:
        process.join()
    actions = {}
    for index, name in enumerate(["get", "set", "delete"]):
        chosen = [s for s in samples if s[0] == index]
        actions[name] = summary([s[1] for s in chosen], sum(1 for s in chosen if s[2]))
    impl = {"django": "django-file", "redis": "redis"}.get(args.store, "python-" + args.store)
    print(json.dumps({"impl": impl, "procs": args.procs, "ops_per_proc": args.ops, "actions": actions}))


if __name__ == "__main__":
    main()
