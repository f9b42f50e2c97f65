"""Reads the JSON lines of run_bench.sh and prints one table: per
implementation and action the median (over rounds) of median and p99
latencies, with the ratios engine/floor and python/engine."""
import json
import statistics
import sys

runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
by_impl = {}
for run in runs:
    by_impl.setdefault(run["impl"], []).append(run)

def figure(impl, action, field):
    values = [r["actions"][action][field] for r in by_impl.get(impl, []) if r["actions"][action]["count"]]
    return statistics.median(values) if values else float("nan")

procs = runs[0]["procs"] if runs else 0
print("medians in microseconds, %d process(es), %d round(s)" % (procs, max(len(v) for v in by_impl.values())))
print("%-20s %-7s %10s %10s %14s %15s" % ("impl", "action", "median", "p99", "x floor (med)", "python/engine"))
for impl in sorted(by_impl):
    for action in ("get", "set", "delete"):
        median = figure(impl, action, "median_us")
        p99 = figure(impl, action, "p99_us")
        floor = figure("sqlite-floor", action, "median_us")
        ratio = "%.2f" % (median / floor) if floor == floor and floor else "-"
        versus = "-"
        if impl.startswith("python-"):
            engine = figure("engine-" + impl[len("python-"):], action, "median_us")
            versus = "%.2f" % (median / engine) if engine == engine and engine else "-"
        print("%-20s %-7s %10.2f %10.2f %14s %15s" % (impl, action, median, p99, ratio, versus))
