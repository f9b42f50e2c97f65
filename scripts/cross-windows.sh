#!/usr/bin/env bash
# Proves on Debian that the engine and cachescope-cli work on Windows:
# cross-compiles cachescope-cli.exe with MinGW-w64, runs it under Wine on
# caches made by Python's diskcache, and compares every answer with the Linux
# build's on the same cache (tests/cross/wine_cli.py says what is checked).
#
#   scripts/cross-windows.sh [BUILD_DIR]     (default: build-windows)
#
# Installs its own packages (scripts/deps.sh cross). SQLite for MinGW is not
# packaged by Debian, so its Debian source package is fetched with
# `apt-get source sqlite3` (a deb-src entry is added for that) and built here.
# Prints a pass/fail summary; exits non-zero on any failure.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(realpath -m "${1:-$root/build-windows}")"
mkdir -p "$build"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

step "packages"
bash "$root/scripts/deps.sh" cross

# --- SQLite, from Debian's source package, built with the MinGW compiler ----
sqlite_prefix="$build/sqlite-mingw"
if [ ! -f "$sqlite_prefix/lib/libsqlite3.a" ]; then
  step "SQLite source (apt-get source sqlite3)"
  src_list=/etc/apt/sources.list.d/cachescope-deb-src.sources
  if ! apt-get source --print-uris sqlite3 >/dev/null 2>&1; then
    # The release the machine runs (bookworm, jammy...), from its own archive.
    . /etc/os-release
    mirror="http://deb.debian.org/debian"
    [ "${ID:-debian}" = ubuntu ] && mirror="http://archive.ubuntu.com/ubuntu"
    components="main"
    [ "${ID:-debian}" = ubuntu ] && components="main universe"
    keyring=""
    for k in /usr/share/keyrings/debian-archive-keyring.gpg /usr/share/keyrings/ubuntu-archive-keyring.gpg; do
      [ -f "$k" ] && keyring="Signed-By: $k" && break
    done
    $sudo tee "$src_list" >/dev/null <<EOF
# Added by cachescope scripts/cross-windows.sh: SQLite's source package, built for MinGW there.
Types: deb-src
URIs: $mirror
Suites: $VERSION_CODENAME $VERSION_CODENAME-updates
Components: $components
$keyring
EOF
    $sudo apt-get update -qq
  fi
  rm -rf "$build/sqlite-src" && mkdir -p "$build/sqlite-src"
  (cd "$build/sqlite-src" && apt-get source -qq sqlite3 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
  src="$(find "$build/sqlite-src" -mindepth 1 -maxdepth 1 -type d -name 'sqlite3-*' | head -1)"
  [ -n "$src" ] || { echo "apt-get source sqlite3 gave no source tree" >&2; exit 1; }

  step "SQLite amalgamation (host tools: configure, tclsh)"
  rm -rf "$build/sqlite-amalgamation" && mkdir -p "$build/sqlite-amalgamation"
  (cd "$build/sqlite-amalgamation" && nice "$src/configure" --disable-tcl >/dev/null && nice make -s sqlite3.c >/dev/null)

  step "SQLite for Windows (x86_64-w64-mingw32-gcc-posix)"
  mkdir -p "$sqlite_prefix/include" "$sqlite_prefix/lib"
  # The compile-time options of Debian's own libsqlite3 that change what a
  # program sees (debian/rules), so both builds run the same SQLite.
  nice x86_64-w64-mingw32-gcc-posix -O2 -fno-strict-aliasing \
    -DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_UNLOCK_NOTIFY \
    -DSQLITE_OMIT_LOOKASIDE=1 -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_JSON1 \
    -DSQLITE_LIKE_DOESNT_MATCH_BLOBS -DSQLITE_THREADSAFE=1 -DSQLITE_USE_URI=1 \
    -DSQLITE_MAX_SCHEMA_RETRY=25 -DSQLITE_MAX_VARIABLE_NUMBER=250000 -DSQLITE_OMIT_LOAD_EXTENSION \
    -c "$build/sqlite-amalgamation/sqlite3.c" -o "$build/sqlite-amalgamation/sqlite3.o"
  x86_64-w64-mingw32-ar rcs "$sqlite_prefix/lib/libsqlite3.a" "$build/sqlite-amalgamation/sqlite3.o"
  cp "$build/sqlite-amalgamation/sqlite3.h" "$sqlite_prefix/include/"
fi

# --- The two builds of cachescope-cli ---------------------------------------
cmake_common=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCACHESCOPE_WERROR=ON
              -DCACHESCOPE_BUILD_GUI=OFF -DCACHESCOPE_BUILD_TESTS=OFF)
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi

step "cachescope-cli.exe (MinGW-w64)"
cmake -S "$root" -B "$build/windows" "${cmake_common[@]}" "${launcher[@]}" \
  -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/mingw-w64-x86_64.cmake" \
  -DSQLite3_INCLUDE_DIR="$sqlite_prefix/include" -DSQLite3_LIBRARY="$sqlite_prefix/lib/libsqlite3.a" >/dev/null
nice cmake --build "$build/windows" --target cachescope-cli
exe="$build/windows/app/cli/cachescope-cli.exe"

step "cachescope-cli (Linux, the reference for the comparison)"
cmake -S "$root" -B "$build/linux" "${cmake_common[@]}" "${launcher[@]}" >/dev/null
nice cmake --build "$build/linux" --target cachescope-cli
linux_cli="$build/linux/app/cli/cachescope-cli"

# --- Wine: a private prefix in the build directory, no display, no noise ----
step "Wine prefix"
export WINEPREFIX="$build/wineprefix" WINEDEBUG=-all WINEARCH=win64
# No Mono or Gecko installers: a console program needs neither.
export WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY
# Wine reads the Unix command line and file names in the locale's charset.
export LC_ALL=C.UTF-8
wine=wine
# Debian keeps wineserver out of PATH.
wineserver="$(command -v wineserver || echo /usr/lib/wine/wineserver)"
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  "$wine" wineboot --init >/dev/null 2>&1 || true
  # wineboot returns before the prefix is written; wait for its server.
  "$wineserver" --wait || true
fi
# One server for every run (0.3 s a run instead of 3 s), stopped at the end.
"$wineserver" --persistent 2>/dev/null || true  # already running: that one serves
trap '"$wineserver" --kill >/dev/null 2>&1 || true' EXIT

step "tests under Wine"
status=0
/usr/bin/python3 "$root/tests/cross/wine_cli.py" --wine "$wine" --exe "$exe" --linux "$linux_cli" \
  --work "$build/cases" || status=$?
printf '\ntook %ss\n' "$SECONDS"
exit $status
