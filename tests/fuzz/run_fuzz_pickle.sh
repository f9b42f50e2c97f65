#!/bin/sh
# Fuzzes the pickle decoder (and repr, encodeKey, parseLiteral) with
# libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer.
#
# Usage: tests/fuzz/run_fuzz_pickle.sh SECONDS [WORKDIR]
#
# A developer tool, not part of the CMake build: it compiles the engine's
# pickle sources directly with clang++. The seed corpus is every pickle that
# tests/python/pickle_corpus.py writes; crashes land in WORKDIR/crashes.
set -eu
seconds=${1:?usage: run_fuzz_pickle.sh SECONDS [WORKDIR]}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${2:-${TMPDIR:-/tmp}/cachescope-fuzz-pickle}
python=${PYTHON:-/usr/bin/python3}
bash "$root/scripts/deps.sh" fuzz
mkdir -p "$work/corpus" "$work/crashes"

if [ ! -d "$work/seeds" ]; then
  "$python" "$root/tests/python/pickle_corpus.py" "$work/generated" --seeds
  mv "$work/generated/seeds" "$work/seeds"
fi

clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$root/engine/include" \
  "$root/engine/src/status.cpp" "$root"/engine/src/pickle/*.cpp "$root/tests/fuzz/fuzz_pickle.cpp" \
  -o "$work/fuzz_pickle"

"$work/fuzz_pickle" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$work/crashes/" -print_final_stats=1 "$work/corpus" "$work/seeds"
