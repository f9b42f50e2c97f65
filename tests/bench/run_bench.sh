#!/usr/bin/env bash
# Every benchmark of issue 12 in one run, on fresh directories:
#  1. the reference workload (90 % get, 9 % set, 1 % delete on 100 keys) with
#     1, 2 and 8 processes, rounds interleaved: the engine's Cache and
#     FanoutCaches, SQLite's plain-table floor, python-diskcache's SQL replayed
#     from C, python-diskcache itself, Django's FileBasedCache and Redis (a
#     redis-server started here on 127.0.0.1, stopped by its PID);
#  2. the inspector's queries on caches of 10k, 100k and 1M entries made by
#     the real Python library (make_cache.py);
#  3. the whole-cache operations, engine against Python, on a copy of the
#     largest cache, and the start-up time of each (hyperfine).
# Prints one Markdown report (OUT/results.md) and draws OUT/latency-*.png.
#
#   tests/bench/run_bench.sh                  the full run (installs `scripts/deps.sh bench` first)
#   tests/bench/run_bench.sh --smoke          tiny sizes, seconds; what CTest's bench_smoke runs
#   options: --ops N  --rounds R  --procs "1 2 8"  --sizes "10000 100000 1000000"
#            --out DIR (default build/bench-results)  --data DIR (generated caches, kept; default build/bench-data)
#            --stages "workload scale" (which parts to run)  --no-install
# Environment: CACHESCOPE_BENCH, CACHESCOPE_CLI (the executables), CACHESCOPE_PYTHON (/usr/bin/python3).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bench="${CACHESCOPE_BENCH:-$root/build/tests/bench/cachescope-bench}"
cli="${CACHESCOPE_CLI:-$root/build/app/cli/cachescope-cli}"
python="${CACHESCOPE_PYTHON:-/usr/bin/python3}"
smoke=0; install=1; stages="workload scale"
ops=100000; rounds=3; procs_list="1 2 8"; sizes="10000 100000 1000000"; deep_row=500000
out="$root/build/bench-results"; data="$root/build/bench-data"
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; install=0; ops=1500; rounds=1; procs_list="1 2"; sizes="300"; deep_row=150 ;;
    --ops) ops="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --procs) procs_list="$2"; shift ;;
    --sizes) sizes="$2"; shift ;;
    --out) out="$2"; shift ;;
    --data) data="$2"; shift ;;
    --stages) stages="$2"; shift ;;
    --no-install) install=0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ "$install" = 1 ] && bash "$root/scripts/deps.sh" bench

work="$(mktemp -d)"
redis_pid=""
cleanup() {
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
if [ "$smoke" = 1 ]; then out="$work/out"; data="$work/data"; fi
mkdir -p "$out" "$data"

has_python_module() { "$python" -c "import $1" 2>/dev/null; }
skipped=()
{
  echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), Linux $(uname -r),"
  echo "$(. /etc/os-release && echo "$PRETTY_NAME"), SQLite $("$python" -c 'import sqlite3; print(sqlite3.sqlite_version)'),"
  echo "python-diskcache $("$python" -c 'import diskcache; print(diskcache.__version__)'), $(date -u '+%Y-%m-%d %H:%M UTC');"
  echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"

stage() { case " $stages " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
# A stage that runs replaces its own results only, so stages may run one at a time into one OUT.
stage workload && rm -f "$out"/workload.jsonl "$out"/latency-*.png
stage scale && rm -f "$out"/inspect.jsonl "$out"/structural.jsonl "$out"/startup.json

# ---- 1. the reference workload ----------------------------------------------
redis_port=""
stage workload || procs_list=""
if [ -z "$procs_list" ]; then
  :
elif command -v redis-server >/dev/null && has_python_module redis; then
  redis_port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  # In memory only (no snapshots, no append-only file), like a cache.
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --dir "$work" \
               --logfile "$work/redis.log" &
  redis_pid=$!
  "$python" -c "
import sys, time, redis
client = redis.Redis(host='127.0.0.1', port=$redis_port)
for _ in range(100):
    try:
        client.ping(); sys.exit(0)
    except redis.ConnectionError:
        time.sleep(0.05)
sys.exit('redis-server did not answer on port $redis_port')"
else
  skipped+=("Redis (needs redis-server and python3-redis: scripts/deps.sh bench)")
fi
[ -n "$procs_list" ] && ! has_python_module django && skipped+=("Django FileBasedCache (needs python3-django)")

for procs in $procs_list; do
  for round in $(seq 1 "$rounds"); do
    echo "workload: $procs process(es), round $round of $rounds" >&2
    for store in sqlite-floor python-sql cache fanout4 fanout8; do
      "$bench" --store "$store" --procs "$procs" --ops "$ops" --dir "$work/e-$store-$procs-$round" --json >> "$out/workload.jsonl"
    done
    stores="cache fanout4 fanout8"
    has_python_module django && stores="$stores django"
    [ -n "$redis_port" ] && stores="$stores redis"
    for store in $stores; do
      "$python" "$here/python_bench.py" --store "$store" --procs "$procs" --ops "$ops" --dir "$work/p-$store-$procs-$round" \
                --redis-port "${redis_port:-0}" >> "$out/workload.jsonl"
    done
    rm -rf "$work"/e-* "$work"/p-*
  done
done
if [ -n "$redis_pid" ]; then kill "$redis_pid"; wait "$redis_pid" || true; redis_pid=""; fi

# ---- 2. the inspector at scale -------------------------------------------------
largest=""
stage scale || sizes=""
for size in $sizes; do
  cache="$data/c$size"
  if [ ! -f "$cache.complete" ]; then
    echo "making a cache of $size entries with python-diskcache (kept in $cache)" >&2
    rm -rf "$cache"
    "$python" "$here/make_cache.py" "$cache" --entries "$size" >&2
    touch "$cache.complete"
  fi
  row=$deep_row; [ "$row" -ge "$size" ] && row=$((size / 2))
  echo "inspector on $size entries" >&2
  "$bench" --inspect "$cache" --deep-row "$row" --json >> "$out/inspect.jsonl"
  largest="$cache"
done

# ---- 3. whole-cache operations and start-up --------------------------------
if [ -n "$largest" ]; then
  echo "whole-cache operations on copies of $largest" >&2
  cp -a "$largest" "$work/s-engine"
  "$bench" --structural "$work/s-engine" --json >> "$out/structural.jsonl"
  rm -rf "$work/s-engine"
  cp -a "$largest" "$work/s-floor"
  "$bench" --structural-floor "$work/s-floor" --json >> "$out/structural.jsonl"
  rm -rf "$work/s-floor"
  cp -a "$largest" "$work/s-python"
  "$python" "$here/python_structural.py" "$work/s-python" >> "$out/structural.jsonl"
  rm -rf "$work/s-python"
fi
if ! stage scale; then
  :
elif command -v hyperfine >/dev/null; then
  runs=30; [ "$smoke" = 1 ] && runs=3
  hyperfine --style none --warmup 3 --runs "$runs" --export-json "$out/startup.json" \
            "$cli --version" "$python -c 'import diskcache'" >/dev/null
else
  skipped+=("start-up times (needs hyperfine: scripts/deps.sh bench)")
fi

status=0
"$python" "$here/summarize.py" "$out" || status=$?
has_python_module matplotlib || skipped+=("the latency plots (needs python3-matplotlib)")
for s in "${skipped[@]+"${skipped[@]}"}"; do echo "SKIPPED: $s"; done
echo "report: $out/results.md"
exit "$status"
