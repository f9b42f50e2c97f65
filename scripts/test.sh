#!/usr/bin/env bash
# The README's test command: installs what the tests need, builds with
# warnings as errors, and runs every test through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh test
build_dir="${BUILD_DIR:-build-test}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCACHESCOPE_WERROR=ON >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"
cd "$build_dir"
ctest --output-on-failure --parallel "$(nproc)" --timeout 900
