#!/usr/bin/env bash
# Runs the engine, python-diskcache and SQLite's plain-table floor side by
# side on fresh directories, three rounds interleaved, and prints medians
# and p99 per action with the ratios engine/floor and python/engine.
#   tests/bench/run_bench.sh [--procs P] [--ops N]   (defaults: 1 process, 100000 ops)
#   tests/bench/run_bench.sh --smoke                 (tiny sizes; CI keeps the benchmarks running)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bench="${CACHESCOPE_BENCH:-$here/../../build/tests/bench/cachescope-bench}"
python="${CACHESCOPE_PYTHON:-/usr/bin/python3}"
procs=1; ops=100000; rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) ops=2000; rounds=1 ;;
    --procs) procs="$2"; shift ;;
    --ops) ops="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="$work/results.jsonl"
for round in $(seq 1 "$rounds"); do
  for store in sqlite-floor cache fanout4 fanout8; do
    "$bench" --store "$store" --procs "$procs" --ops "$ops" --dir "$work/e-$store-$round" --json >> "$results"
  done
  for store in cache fanout4 fanout8; do
    "$python" "$here/python_bench.py" --store "$store" --procs "$procs" --ops "$ops" --dir "$work/p-$store-$round" >> "$results"
  done
done
"$python" "$here/summarize.py" "$results"
