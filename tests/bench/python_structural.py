"""The whole-cache operations where python-diskcache is structurally slow,
on the real library, each timed in a forked child (with its peak RSS), printing
the JSON object of `cachescope-bench --structural`.

usage: /usr/bin/python3 python_structural.py DIR      (culls DIR to half its volume: give it a copy)
"""
import json
import os
import resource
import sys
import time
import warnings

import diskcache


def iterate(cache):
    keys = list(cache.iterkeys())
    return "%d keys" % len(keys)


def check(cache):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return "%d findings" % len(cache.check(fix=False))


def length(cache):
    return str(len(cache))


def volume(cache):
    return str(cache.volume())


def cull_half(cache):
    cache.reset("size_limit", cache.volume() // 2)
    return None  # the timed part is cache.cull(), below


STEPS = [("iterate every key", iterate), ("check() without fix", check), ("len", length), ("volume", volume),
         ("cull to half the volume", cull_half)]


def run_step(directory, name, body):
    """In a child: open the cache (untimed), time the step, report over a pipe."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            cache = diskcache.Cache(directory)
            if body is cull_half:
                cull_half(cache)
                start = time.perf_counter()
                removed = cache.cull()
                seconds = time.perf_counter() - start
                result = "%d removed, %d left" % (removed, len(cache))
            else:
                start = time.perf_counter()
                result = body(cache)
                seconds = time.perf_counter() - start
            ok = True
        except Exception as exc:  # reported as the step's result
            seconds, result, ok = 0.0, "error: %r" % exc, False
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        os.write(write_end, json.dumps({"name": name, "ok": ok, "seconds": seconds, "peak_rss_kb": rss,
                                        "result": result}).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reply:
        data = reply.read()
    os.waitpid(pid, 0)
    return json.loads(data) if data else {"name": name, "ok": False, "seconds": 0, "peak_rss_kb": 0,
                                          "result": "error: the child failed"}


def main():
    directory = sys.argv[1]
    steps = [run_step(directory, name, body) for name, body in STEPS]
    print(json.dumps({"mode": "structural", "impl": "python", "steps": steps}))
    return 0 if all(s["ok"] for s in steps) else 1


if __name__ == "__main__":
    sys.exit(main())
