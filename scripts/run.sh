#!/usr/bin/env bash
# The README's run command: installs what building needs, builds, and opens
# the inspector on DIR, or on a demo cache when no directory is given. With
# no display it says so and shows the same cache through cachescope-cli.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build
build_dir="${BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCACHESCOPE_BUILD_TESTS=OFF >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)" --target cachescope cachescope-cli

gui="$build_dir/app/gui/cachescope"
cli="$build_dir/app/cli/cachescope-cli"
directory="${1:-}"
if [ -z "$directory" ]; then
  directory="${XDG_CACHE_HOME:-$HOME/.cache}/cachescope-demo"
  [ -f "$directory/.cachescope-demo" ] || QT_QPA_PLATFORM=offscreen "$gui" --make-demo "$directory"
fi

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; then
  exec "$gui" "$directory"
fi

echo "No display found (neither DISPLAY nor WAYLAND_DISPLAY is set): showing $directory with cachescope-cli instead."
echo
"$cli" info "$directory"
echo
"$cli" ls "$directory" --limit 20
