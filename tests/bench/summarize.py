"""Reads what run_bench.sh wrote into OUT and prints one Markdown report
(also written to OUT/results.md): the workload table per process count with
the ratios engine/floor and Python/engine and the issue's targets checked,
the inspector at scale, and the whole-cache operations against Python.
Draws OUT/latency-ACTION-Pp.png (latency vs percentile) when matplotlib is
installed, and says so when it is not.

usage: summarize.py OUT
  OUT/workload.jsonl     cachescope-bench / python_bench.py lines
  OUT/inspect.jsonl      cachescope-bench --inspect --json lines
  OUT/structural.jsonl   cachescope-bench --structural / --structural-floor / python_structural.py lines
  OUT/startup.json       hyperfine --export-json (optional)
  OUT/machine.txt        what the figures came from
"""
import json
import os
import statistics
import sys

ACTIONS = ("get", "set", "delete")
ORDER = ["sqlite-floor", "python-sql-floor", "engine-cache", "engine-fanout4", "engine-fanout8",
         "python-cache", "python-fanout4", "python-fanout8", "django-file", "redis"]


def read_lines(path):
    if not os.path.exists(path):
        return []
    return [json.loads(line) for line in open(path) if line.strip()]


def median_of(runs, action, field):
    values = [r["actions"][action][field] for r in runs if r["actions"][action]["count"]]
    return statistics.median(values) if values else None


def ratio(a, b):
    return "%.2f" % (a / b) if a is not None and b else "-"


def engine_for(impl):
    """The engine store an implementation is compared with."""
    if impl.startswith("python-") and impl != "python-sql-floor":
        return "engine-" + impl[len("python-"):]
    if impl in ("django-file", "redis"):
        return "engine-cache"
    return None


def workload_tables(runs, out):
    lines, targets = [], []
    for procs in sorted({r["procs"] for r in runs}):
        group = {}
        for r in runs:
            if r["procs"] == procs:
                group.setdefault(r["impl"], []).append(r)
        impls = [i for i in ORDER if i in group] + sorted(i for i in group if i not in ORDER)
        rounds = max(len(v) for v in group.values())
        ops = runs[0]["ops_per_proc"]
        lines += ["", "### %d process%s (%d ops each, median of %d round%s)" %
                  (procs, "" if procs == 1 else "es", ops, rounds, "" if rounds == 1 else "s"), "",
                  "| store | action | median µs | p99 µs | × plain floor | × Python-SQL floor | ÷ engine |",
                  "|---|---|---:|---:|---:|---:|---:|"]
        fig = lambda impl, action, field: median_of(group.get(impl, []), action, field)
        for impl in impls:
            for action in ACTIONS:
                median, p99 = fig(impl, action, "median_us"), fig(impl, action, "p99_us")
                if median is None:
                    continue
                floors = ["-", "-"]
                if impl.startswith("engine-"):
                    floors = [ratio(median, fig("sqlite-floor", action, "median_us")),
                              ratio(median, fig("python-sql-floor", action, "median_us"))]
                engine = engine_for(impl)
                versus = ratio(median, fig(engine, action, "median_us")) if engine else "-"
                lines.append("| %s | %s | %.2f | %.2f | %s | %s | %s |" % (impl, action, median, p99, floors[0], floors[1],
                                                                          versus))
        targets += check_targets(procs, fig)
        draw(procs, group, impls, out)
    return lines, targets


def check_targets(procs, fig):
    """The issue's targets, as `(text, met)` pairs; missing figures are skipped."""
    found = []

    def add(text, value, limit, better_low=True):
        if value is None or limit is None:
            return
        found.append(("%s: %.2f vs %.2f" % (text, value, limit), value <= limit if better_low else value >= limit))

    if procs == 1:
        floor = {a: fig("sqlite-floor", a, "median_us") for a in ACTIONS}
        engine = {a: fig("engine-cache", a, "median_us") for a in ACTIONS}
        for action, limit in (("get", 1.10), ("set", 1.30), ("delete", 1.40)):
            if engine[action] and floor[action]:
                add("1 process, engine-cache %s median ÷ plain floor (target ≤ %.2f)" % (action, limit),
                    engine[action] / floor[action], limit)
        for fanout in ("engine-fanout4", "engine-fanout8"):
            for action in ACTIONS:
                f, c = fig(fanout, action, "median_us"), engine[action]
                if f and c:
                    add("1 process, %s %s median ÷ engine-cache (target ≤ 1.15)" % (fanout, action), f / c, 1.15)
    else:
        for store in ("cache", "fanout4", "fanout8"):
            for action in ("set", "delete"):
                add("%d processes, engine-%s %s p99 µs (target ≤ python-%s's)" % (procs, store, action, store),
                    fig("engine-" + store, action, "p99_us"), fig("python-" + store, action, "p99_us"))
    return found


def draw(procs, group, impls, out):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    for action in ACTIONS:
        figure, axes = plt.subplots(figsize=(8, 5))
        for impl in impls:
            curves = [r["actions"][action].get("curve_us") for r in group[impl] if r["actions"][action]["count"]]
            curves = [c for c in curves if c]
            if not curves:
                continue
            points = [p for p, _ in curves[0] if p <= 99.9]
            latency = [statistics.median(c[i][1] for c in curves) for i in range(len(points))]
            style = "--" if "floor" in impl else ":" if impl in ("django-file", "redis") else "-"
            axes.plot(points, latency, style, label=impl, linewidth=1.4)
        axes.set_yscale("log")
        axes.set_xlabel("percentile")
        axes.set_ylabel("latency (µs, log scale)")
        axes.set_title("%s: latency vs percentile, %d process%s" % (action, procs, "" if procs == 1 else "es"))
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize=8, loc="upper left")
        figure.tight_layout()
        figure.savefig(os.path.join(out, "latency-%s-%dp.png" % (action, procs)), dpi=100)
        plt.close(figure)


INSPECT_TARGETS_MS = (("first page", 1000.0), ("page at row", 50.0), ("count", 3000.0), ("summary", 3000.0),
                      ("estimateCull", 3000.0), ("check", 3000.0))


def target_ms(step):
    for prefix, limit in INSPECT_TARGETS_MS:
        if step.startswith(prefix):
            return limit
    return None


def inspect_table(runs):
    if not runs:
        return [], []
    runs = sorted(runs, key=lambda r: r["entries"])
    largest = runs[-1]
    lines = ["", "| step | " + " | ".join("%d entries: ms, MB" % r["entries"] for r in runs) + " | result at %d |" %
             largest["entries"], "|---|" + "---:|" * len(runs) + "---|"]
    targets = []
    for i, step in enumerate(largest["steps"]):
        cells = []
        for r in runs:
            s = r["steps"][i] if i < len(r["steps"]) else None
            cells.append("%.1f, %.0f" % (s["seconds"] * 1000, s["peak_rss_kb"] / 1024) if s and s["ok"] else "failed")
        lines.append("| %s | %s | %s |" % (step["name"], " | ".join(cells), step["result"]))
        limit = target_ms(step["name"])
        if limit and step["ok"] and largest["entries"] >= 1000000:
            ms = step["seconds"] * 1000
            targets.append(("%d entries, %s: %.1f ms (target < %.0f ms)" % (largest["entries"], step["name"], ms, limit),
                            ms < limit))
    if largest["entries"] >= 1000000:
        rss = max(s["peak_rss_kb"] for s in largest["steps"]) / 1024
        targets.append(("%d entries, largest peak RSS of any step: %.0f MB (target < 300 MB)" % (largest["entries"], rss),
                        rss < 300))
    return lines, targets


# The targets for the whole-cache steps at 1M entries, in seconds.
STRUCTURAL_TARGETS = {"iterate every key": 1.0, "check() without fix": 1.5, "cull to half the volume": 2.0}


def structural_table(runs, startup):
    by_impl = {r["impl"]: {s["name"]: s for s in r["steps"]} for r in runs}
    if not by_impl:
        return [], []
    engine, python, floor = by_impl.get("engine", {}), by_impl.get("python", {}), by_impl.get("sqlite-floor", {})
    names = list(engine) or list(python)
    lines = ["", "| operation | engine s | SQLite floor s | engine ÷ floor | Python s | Python ÷ engine"
                 " | engine peak MB | Python peak MB | result (engine / floor / Python) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    good = lambda s: s is not None and s["ok"]
    targets = []
    for name in names:
        e, f, p = engine.get(name), floor.get(name), python.get(name)
        fmt = lambda s: "%.4f" % s["seconds"] if good(s) else "-"
        mb = lambda s: "%.0f" % (s["peak_rss_kb"] / 1024) if s else "-"
        over_floor = ratio(e["seconds"], f["seconds"]) if good(e) and good(f) else "-"
        versus = ratio(p["seconds"], e["seconds"]) if good(e) and good(p) else "-"
        result = lambda s: s["result"] if s else "-"
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s / %s / %s |" % (
            name, fmt(e), fmt(f), over_floor, fmt(p), versus, mb(e), mb(p), result(e), result(f), result(p)))
        if name in STRUCTURAL_TARGETS and good(e):
            limit = STRUCTURAL_TARGETS[name]
            text = "%s %.2f s (target < %.1f s; SQLite floor %s s, engine ÷ floor %s; Python %s s)" % (
                name, e["seconds"], limit, fmt(f), over_floor, fmt(p))
            targets.append((text, e["seconds"] < limit))
    for result in (startup or {}).get("results", []):
        lines.append("| start-up: `%s` | %.4f ± %.4f (mean ± σ, %d runs) | | | | | | | |" %
                     (result["command"], result["mean"], result["stddev"], len(result["times"])))
    return lines, targets


def consistency(workload, structural):
    """Disagreements that mean a store answered wrongly, not slowly: with one
    process every store sees the same operations (the C++ stores share one
    random sequence), so misses must agree; engine and Python must find the
    same keys, length and volume in copies of one cache."""
    problems = []
    for action in ACTIONS:
        misses = {r["impl"]: r["actions"][action]["misses"] for r in workload
                  if r["procs"] == 1 and (r["impl"].startswith("engine-") or "floor" in r["impl"])}
        if len(set(misses.values())) > 1:
            problems.append("1 process, %s misses differ: %s" % (action, misses))
    by_impl = {r["impl"]: {s["name"]: s["result"] for s in r["steps"]} for r in structural}
    if "engine" in by_impl and "python" in by_impl:
        for name in ("iterate every key", "len", "volume"):
            e, p = by_impl["engine"].get(name), by_impl["python"].get(name)
            if e != p:
                problems.append("%s: engine %r, Python %r" % (name, e, p))
    return problems


def main():
    out = sys.argv[1]
    report = []
    machine = os.path.join(out, "machine.txt")
    if os.path.exists(machine):
        report += ["Machine: " + open(machine).read().strip()]
    workload = read_lines(os.path.join(out, "workload.jsonl"))
    targets = []
    if workload:
        report += ["", "## Reference workload (90 % get, 9 % set, 1 % delete on 100 keys)"]
        lines, found = workload_tables(workload, out)
        report += lines
        targets += found
    inspect_runs = read_lines(os.path.join(out, "inspect.jsonl"))
    if inspect_runs:
        report += ["", "## The inspector at scale (each step in a fresh process: time of the step, peak RSS of that process)"]
        lines, found = inspect_table(inspect_runs)
        report += lines
        targets += found
    structural = read_lines(os.path.join(out, "structural.jsonl"))
    startup_path = os.path.join(out, "startup.json")
    startup = json.load(open(startup_path)) if os.path.exists(startup_path) else None
    if structural or startup:
        entries = max((r.get("entries", 0) for r in inspect_runs), default=0)
        report += ["", "## Where Python is structurally slow (cache of %d entries made by python-diskcache)" % entries]
        lines, found = structural_table(structural, startup)
        report += lines
        targets += found
    if targets:
        report += ["", "## Targets", ""] + ["- %s %s" % ("met:" if met else "**missed**:", text) for text, met in targets]
    problems = consistency(workload, structural)
    if problems:
        report += ["", "## Disagreements (a store answered wrongly)", ""] + ["- " + p for p in problems]
    text = "\n".join(report) + "\n"
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(text)
    print(text)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
