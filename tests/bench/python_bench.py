"""python-diskcache on the same reference workload as cachescope-bench,
printing the same JSON object.

usage: python_bench.py --store cache|fanout4|fanout8 --procs P --ops N --dir DIR
"""
import argparse
import json
import multiprocessing
import random
import time

import diskcache

WARMUP = 1000
KEYS = 100


def open_store(kind, directory):
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


def summary(times, misses):
    times.sort()
    def pct(p):
        return times[min(len(times) - 1, int(p * (len(times) - 1) + 0.5))] / 1000.0 if times else 0.0
    return {"count": len(times), "misses": misses, "median_us": pct(0.5), "p90_us": pct(0.9),
            "p99_us": pct(0.99), "max_us": (times[-1] / 1000.0) if times else 0.0, "total_s": sum(times) / 1e9}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", default="cache", choices=["cache", "fanout4", "fanout8"])
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--ops", type=int, default=100000)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    store = open_store(args.store, args.dir)
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
    print(json.dumps({"impl": "python-" + args.store, "procs": args.procs, "ops_per_proc": args.ops, "actions": actions}))


if __name__ == "__main__":
    main()
