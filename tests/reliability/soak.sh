#!/usr/bin/env bash
# The long SIGKILL soak: kills a C++ engine writer KILLS times and a Python
# (python3-diskcache) writer KILLS/2 times at random moments, checking after
# every kill that nothing committed was lost and that check() finds only what
# a crash leaves (tests/tst_reliability_kill.cpp), then prints the figures.
#   tests/reliability/soak.sh [KILLS] [BUILD_DIR]   (defaults: 1000, build)
# Builds the test in BUILD_DIR first if it is not there.
set -euo pipefail
cd "$(dirname "$0")/../.."
kills="${1:-1000}"
build_dir="${2:-build}"
if [ ! -x "$build_dir/tests/tst_reliability_kill" ]; then
  [ -f "$build_dir/CMakeCache.txt" ] || cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCACHESCOPE_BUILD_GUI=OFF >/dev/null
  cmake --build "$build_dir" --target tst_reliability_kill cachescope_soak_writer
fi
start=$SECONDS
# Qt Test stops a test function after 5 minutes unless told otherwise.
export QTEST_FUNCTION_TIMEOUT=$((7 * 24 * 3600 * 1000))
set +e
CACHESCOPE_SOAK_KILLS="$kills" "$build_dir/tests/tst_reliability_kill" 2>&1 | grep -vE "^(Config:|\*\*\*\*\*\*\*\*\*)"
status=${PIPESTATUS[0]}
set -e
echo "soak of $kills + $((kills / 2)) kills: $((SECONDS - start)) s, exit status $status"
exit "$status"
