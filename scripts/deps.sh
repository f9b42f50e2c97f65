#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Cachescope needs, by name.
#   scripts/deps.sh build   what building and running needs
#   scripts/deps.sh test    that, plus the reference Python library, Django and Xvfb for the tests
#   scripts/deps.sh fuzz    what tests/fuzz/run_fuzz_pickle.sh needs (clang with libFuzzer, python3 for the seeds),
#                           and dpkg-dev and the desktop/AppStream validators for the packaging tests
#   scripts/deps.sh cross   what scripts/cross-windows.sh needs: MinGW-w64 (posix threads), zlib for MinGW,
#                           dpkg-dev to unpack SQLite's Debian source, Wine, and the reference Python library
#   scripts/deps.sh bench   that of `test`, plus what tests/bench/run_bench.sh compares against and draws
#                           with: Redis and its Python client, matplotlib, hyperfine, DB Browser for SQLite
set -euo pipefail

build_packages=(build-essential cmake ninja-build pkg-config libsqlite3-dev zlib1g-dev
                qt6-base-dev qt6-base-dev-tools libgl-dev qt6-svg-dev qt6-qpa-plugins)
test_packages=(python3 python3-diskcache python3-django xvfb xauth
               dpkg-dev file desktop-file-utils appstream  # packaging tests: shlibdeps, validators
               xdotool x11-utils)  # gui_side_by_side_smoke: clicks, keys and window geometry

fuzz_packages=(clang python3)
bench_packages=(redis-server python3-redis python3-matplotlib hyperfine sqlitebrowser)  # + DB Browser: gui_vs_dbbrowser.sh

# g++-mingw-w64-x86-64-posix: GCC 12's win32 thread model has no std::thread/std::mutex; the posix one does.
# tcl: SQLite's build makes its amalgamation (sqlite3.c) with tclsh.
cross_packages=(cmake ninja-build ccache mingw-w64 g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix
                libz-mingw-w64-dev dpkg-dev tcl wine wine64 python3 python3-diskcache
                build-essential libsqlite3-dev zlib1g-dev)  # the Linux build whose output is compared

packages=("${build_packages[@]}")
case "${1:-build}" in
  build) ;;
  test) packages+=("${test_packages[@]}") ;;
  fuzz) packages=("${fuzz_packages[@]}") ;;
  cross) packages=("${cross_packages[@]}") ;;
  bench) packages+=("${test_packages[@]}" "${bench_packages[@]}") ;;
  *) echo "usage: scripts/deps.sh [build|test|fuzz|cross|bench]" >&2; exit 2 ;;
esac

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends "${missing[@]}" >/dev/null
