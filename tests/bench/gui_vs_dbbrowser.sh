#!/usr/bin/env bash
# The inspector against DB Browser for SQLite, side by side in one run, on the
# same cache made by the real Python library: launch to rows shown, launch to
# idle, an unindexed sort, Ctrl+End to the last row, resident memory. Both
# run under one private Xvfb with fresh HOMEs; gui_side_by_side.py measures
# them from the outside by the same method and saves every screenshot.
#
#   tests/bench/gui_vs_dbbrowser.sh                 1,000,000 entries (installs `scripts/deps.sh bench` first)
#   tests/bench/gui_vs_dbbrowser.sh --smoke         2,000 entries, cachescope only: what CTest's gui_side_by_side_smoke runs
#   options: --entries N  --cache DIR (an existing cache instead of a generated one)
#            --out DIR (default build/gui-vs-dbbrowser)  --data DIR (generated caches, kept; default build/bench-data)
#            --no-install
# Environment: CACHESCOPE_GUI (the cachescope executable), CACHESCOPE_PYTHON (/usr/bin/python3).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
gui="${CACHESCOPE_GUI:-$root/build/app/gui/cachescope}"
python="${CACHESCOPE_PYTHON:-/usr/bin/python3}"
entries=1000000; cache=""; smoke=0; install=1
out="$root/build/gui-vs-dbbrowser"; data="$root/build/bench-data"
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; install=0; entries=2000 ;;
    --entries) entries="$2"; shift ;;
    --cache) cache="$2"; shift ;;
    --out) out="$2"; shift ;;
    --data) data="$2"; shift ;;
    --no-install) install=0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

[ "$install" = 1 ] && bash "$root/scripts/deps.sh" bench
for tool in Xvfb xdotool xwininfo; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/deps.sh test" >&2; exit 1; }
done
[ -x "$gui" ] || { echo "no cachescope at $gui (build first, or set CACHESCOPE_GUI)" >&2; exit 1; }
if [ "$smoke" = 0 ] && ! command -v sqlitebrowser >/dev/null; then
  echo "sqlitebrowser is missing: run scripts/deps.sh bench" >&2; exit 1
fi

if [ -z "$cache" ]; then
  cache="$data/gui-$entries"
  if [ ! -f "$cache/cache.db" ]; then
    echo "making a $entries-entry cache with python-diskcache in $cache" >&2
    rm -rf "$cache"; mkdir -p "$data"
    "$python" "$here/make_cache.py" "$cache" --entries "$entries" >&2
  fi
fi

# A display of our own: the first free number from 90 on.
display=90
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1920x1200x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.05; done

rm -rf "$out"; mkdir -p "$out"
extra=()
[ "$smoke" = 1 ] && extra+=(--skip-dbbrowser)
DISPLAY=":$display" "$python" "$here/gui_side_by_side.py" --cache "$cache" --cachescope "$gui" --out "$out" \
  "${extra[@]}" | tee "$out/results.md"
# The copies were only there to be opened; the screenshots and figures stay.
rm -rf "$out/cache-copy" "$out/dbbrowser-copy.db" "$out"/home-*
