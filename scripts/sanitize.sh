#!/usr/bin/env bash
# Memory and thread safety: builds the engine, cachescope-cli and their tests
# (no GUI) with sanitizers, each in its own build directory, and runs them.
#   scripts/sanitize.sh [asan|tsan|all]   (default: all)
#   asan: AddressSanitizer + UndefinedBehaviorSanitizer, every engine and CLI
#         suite (build-asan/)
#   tsan: ThreadSanitizer, the concurrency tests: tst_interop's mixed
#         workload, tst_cache's threads, the SIGKILL soak (build-tsan/)
# Any sanitizer report fails the run. BUILD_ROOT (default: the repository)
# holds the build directories; JOBS (default: nproc) builds in parallel.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
mode="${1:-all}"
build_root="${BUILD_ROOT:-$repo}"
jobs="${JOBS:-$(nproc)}"
case "$mode" in asan|tsan|all) ;; *) echo "usage: scripts/sanitize.sh [asan|tsan|all]" >&2; exit 2 ;; esac

bash scripts/deps.sh test

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi

# configure DIR FLAGS: a RelWithDebInfo build with -Werror and the flags on
# every compile and link.
configure() {
  cmake -S "$repo" -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCACHESCOPE_WERROR=ON \
    -DCACHESCOPE_BUILD_GUI=OFF "${launcher[@]}" \
    -DCMAKE_CXX_FLAGS="$2" -DCMAKE_C_FLAGS="$2" \
    -DCMAKE_EXE_LINKER_FLAGS="$2" -DCMAKE_SHARED_LINKER_FLAGS="$2" >/dev/null
}

engine_suites=(tst_cache tst_interop tst_cli tst_pickle tst_collections tst_decode
               tst_reliability_kill tst_reliability_fs tst_reliability_corrupt tst_reliability_input)
start=$SECONDS

if [ "$mode" = asan ] || [ "$mode" = all ]; then
  dir="$build_root/build-asan"
  configure "$dir" "-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
  cmake --build "$dir" --parallel "$jobs" --target cachescope-cli cachescope_soak_writer "${engine_suites[@]}"
  echo "== ASan+UBSan build: $((SECONDS - start)) s"
  regex="^($(IFS='|'; echo "${engine_suites[*]}"))\$"
  (cd "$dir" && ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1" \
     UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
     ctest --output-on-failure --parallel "$jobs" --timeout 1800 -R "$regex")
  echo "== ASan+UBSan: every engine and CLI suite clean, $((SECONDS - start)) s so far"
fi

if [ "$mode" = tsan ] || [ "$mode" = all ]; then
  tsan_start=$SECONDS
  dir="$build_root/build-tsan"
  configure "$dir" "-fsanitize=thread -fno-omit-frame-pointer"
  cmake --build "$dir" --parallel "$jobs" --target cachescope_soak_writer tst_interop tst_cache tst_reliability_kill
  echo "== TSan build: $((SECONDS - tsan_start)) s"
  # die_after_fork=0: the tests start processes (QProcess, fork+exec) while
  # threads exist; the children only exec, which TSan cannot know.
  # Qt itself is not instrumented: tests/reliability/tsan.supp says why.
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:die_after_fork=0:suppressions=$repo/tests/reliability/tsan.supp"
  "$dir/tests/tst_interop" concurrentMixedWorkload fanoutSharesShardsWithPython
  "$dir/tests/tst_cache" manyThreadsShareOneCache transactRollsBackEverything lockedDatabaseTimesOut
  "$dir/tests/tst_reliability_kill"
  echo "== TSan: concurrency tests clean, $((SECONDS - tsan_start)) s"
fi
echo "== sanitize.sh $mode: done in $((SECONDS - start)) s"
