#!/usr/bin/env bash
# Renders the application icon (cachescope.svg) to the files that packages
# install: PNGs in the hicolor theme's sizes (Linux), cachescope.icns (the
# macOS bundle) and cachescope.ico (the Windows installer). They are committed,
# so building needs none of these tools; run this again after changing the SVG.
# Needs rsvg-convert (librsvg2-bin), png2icns (icnsutils), icotool (icoutils).
set -euo pipefail
cd "$(dirname "$0")"
png() { echo "hicolor/${1}x${1}/apps/cachescope.png"; }
for size in 16 22 24 32 48 64 128 256; do
  mkdir -p "hicolor/${size}x${size}/apps"
  rsvg-convert --width "$size" --height "$size" cachescope.svg -o "$(png "$size")"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rsvg-convert --width 512 --height 512 cachescope.svg -o "$tmp/512.png"
png2icns cachescope.icns "$(png 16)" "$(png 32)" "$(png 48)" "$(png 128)" "$(png 256)" "$tmp/512.png" >/dev/null
icotool -c -o cachescope.ico "$(png 16)" "$(png 24)" "$(png 32)" "$(png 48)" "$(png 64)" \
        -r "$(png 128)" -r "$(png 256)"
