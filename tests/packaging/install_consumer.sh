#!/usr/bin/env bash
# install_consumer.sh BUILD_DIR CONSUMER_SOURCE_DIR GENERATOR
# Installs the built project to a temporary prefix with `cmake --install`,
# checks what landed there, then configures, builds and runs a project outside
# the tree (tests/packaging/consumer) that finds the engine with
# find_package(diskcache) in that prefix only.
set -euo pipefail
build_dir=$1 consumer_src=$2 generator=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix with space"

fail() { echo "FAIL: $*" >&2; exit 1; }
cmake=${CMAKE_COMMAND:-cmake}  # the CMake that built the tree (set by CTest)

"$cmake" --install "$build_dir" --prefix "$prefix" >"$work/install.log" || { cat "$work/install.log"; fail "cmake --install"; }

libdir=$(cd "$prefix" && ls -d lib*/cmake/diskcache 2>/dev/null | head -1 | cut -d/ -f1 || true)
[ -n "$libdir" ] || fail "cmake --install did not install lib*/cmake/diskcache"
for file in bin/cachescope-cli include/diskcache/cache.h include/diskcache/status.h \
            "$libdir/cmake/diskcache/diskcacheConfig.cmake" "$libdir/cmake/diskcache/diskcacheConfigVersion.cmake" \
            "$libdir/cmake/diskcache/diskcacheTargets.cmake"; do
  [ -e "$prefix/$file" ] || fail "cmake --install did not install $file"
done
# Engine sources stay private: only the public headers are installed.
private=$(find "$prefix/include" -name '*_impl.h' -o -name 'sqlite.h')
[ -z "$private" ] || fail "private headers installed: $private"

# Nothing may come from the source or build tree: no package registry, and
# only the temporary prefix on the search path.
"$cmake" -S "$consumer_src" -B "$work/consumer-build" -G "$generator" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
      -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log"; fail "configuring the consumer"; }
grep -F -- "from $prefix/" "$work/configure.log" || { cat "$work/configure.log"; fail "diskcache was not found in the install prefix"; }
"$cmake" --build "$work/consumer-build" >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "building the consumer"; }

output=$("$work/consumer-build/consumer" "$work/cache")
[ "$output" = hello ] || fail "consumer printed '$output', expected 'hello'"
[ -f "$work/cache/cache.db" ] || fail "consumer made no cache.db"
echo "PASS: installed engine found, linked and used by an outside project"
