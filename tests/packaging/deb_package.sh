#!/usr/bin/env bash
# deb_package.sh BUILD_DIR VERSION WITH_GUI(0|1)
# Makes the packages of the already built tree with CPack (.deb per component
# and .tar.gz), checks the .deb's metadata and dependencies, installs it with
# dpkg into an empty temporary root, runs the installed programs from there,
# validates the desktop file and the AppStream metainfo it installs, and
# removes it again.
set -euo pipefail
build_dir=$(cd "$1" && pwd) version=$2 with_gui=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
# The package names of a Depends field, one a line ("a (>= 1), b" -> a, b).
package_names() { tr ',|' '\n\n' <<<"$1" | sed 's/^ *//; s/[ (].*//'; }
cpack=${CPACK_COMMAND:-cpack}  # the CPack of the CMake that built the tree (set by CTest)

(cd "$work" && "$cpack" --config "$build_dir/CPackConfig.cmake" -G "DEB;TGZ" -B "$work/out" >"$work/cpack.log" 2>&1) \
  || { cat "$work/cpack.log"; fail "cpack"; }

arch=$(dpkg --print-architecture)
deb="$work/out/cachescope_${version}_${arch}.deb"
devdeb="$work/out/libdiskcache-dev_${version}_${arch}.deb"
tgz=$(ls "$work"/out/cachescope-"$version"-*.tar.gz 2>/dev/null | head -1 || true)
[ -f "$deb" ] || { ls "$work/out"; fail "no $(basename "$deb")"; }
[ -f "$devdeb" ] || { ls "$work/out"; fail "no $(basename "$devdeb")"; }
[ -n "$tgz" ] || { ls "$work/out"; fail "no cachescope-$version-*.tar.gz"; }

# ---- the programs' package ----
[ "$(dpkg-deb -f "$deb" Package)" = cachescope ] || fail "package name"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is '$(dpkg-deb -f "$deb" Version)', expected $version"
depends=$(dpkg-deb -f "$deb" Depends)
echo "cachescope Depends: $depends"
# Each shared library the programs link must be named by its Debian package.
required=(libc6 libstdc++6 libsqlite3-0 zlib1g)
[ "$with_gui" = 1 ] && required+=(libqt6core6 libqt6gui6 libqt6widgets6 libqt6svg6)
for package in "${required[@]}"; do
  grep -Fxq "$package" <<<"$(package_names "$depends")" || fail "Depends lacks $package"
done

dpkg-deb -c "$deb" >"$work/contents.txt"
grep -q '/usr/include/' "$work/contents.txt" && fail "headers belong in libdiskcache-dev, not cachescope"
# Install it with dpkg into an empty root of its own (whose dpkg database has
# none of the dependencies checked above, hence --force-depends); works as
# root and as a normal user.
root="$work/root"
export PATH="$PATH:/usr/sbin:/sbin"  # dpkg wants ldconfig on the path
mkdir -p "$root"/var/lib/dpkg/{info,updates,triggers} "$root/var/log"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
dpkg_root() { dpkg --root="$root" --log="$root/var/log/dpkg.log" --force-not-root --force-script-chrootless "$@"; }
dpkg_root --force-depends -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i"; }
[ "$(dpkg --root="$root" -s cachescope | grep '^Status:')" = "Status: install ok installed" ] || fail "dpkg does not list cachescope as installed"
cli="$root/usr/bin/cachescope-cli"
[ -x "$cli" ] || fail "no usr/bin/cachescope-cli in the package"
[ "$("$cli" --version)" = "cachescope-cli $version" ] || fail "cachescope-cli --version says '$("$cli" --version)'"

# The installed CLI works on a cache, not just on --version: an empty cache
# made by the Python library (as the interop tests do), then a set and a get.
"${CACHESCOPE_PYTHON:-/usr/bin/python3}" -c 'import sys, diskcache; diskcache.Cache(sys.argv[1]).close()' "$work/cache" \
  || fail "python3 with diskcache could not make a cache"
"$cli" set "$work/cache" "'k'" "'v'" >/dev/null || fail "cachescope-cli set"
value=$("$cli" get "$work/cache" "'k'") || fail "cachescope-cli get"
grep -q v <<<"$value" || fail "cachescope-cli get printed '$value'"

if [ "$with_gui" = 1 ]; then
  gui="$root/usr/bin/cachescope"
  [ -x "$gui" ] || fail "no usr/bin/cachescope in the package"
  [ "$("$gui" --version)" = "cachescope $version" ] || fail "cachescope --version says '$("$gui" --version)'"
  export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$work/runtime" HOME="$work/home"
  mkdir -m 700 -p "$XDG_RUNTIME_DIR" "$HOME"
  "$gui" --make-demo "$work/demo" >/dev/null 2>&1 || fail "cachescope --make-demo"
  "$gui" --screenshot "$work/out.png" "$work/demo" >"$work/gui.log" 2>&1 || { cat "$work/gui.log"; fail "cachescope --screenshot"; }
  [ "$(head -c 8 "$work/out.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "the screenshot is not a PNG"
  [ "$(stat -c %s "$work/out.png")" -gt 10000 ] || fail "the screenshot is too small to show a window"

  desktop="$root/usr/share/applications/cachescope.desktop"
  [ -f "$desktop" ] || fail "no .desktop file"
  desktop-file-validate "$desktop" || fail "desktop-file-validate"
  grep -Eq '^Exec=cachescope %[fFuU]' "$desktop" || fail "the .desktop Exec does not take the file manager's directory"
  grep -q '^Icon=cachescope$' "$desktop" || fail "the .desktop Icon is not cachescope"
  for size in 16 22 24 32 48 64 128 256; do
    [ -f "$root/usr/share/icons/hicolor/${size}x${size}/apps/cachescope.png" ] || fail "no ${size}x${size} icon"
  done
  [ -f "$root/usr/share/icons/hicolor/scalable/apps/cachescope.svg" ] || fail "no scalable icon"
  metainfo=$(ls "$root"/usr/share/metainfo/*.metainfo.xml 2>/dev/null | head -1 || true)
  [ -n "$metainfo" ] || fail "no AppStream metainfo"
  grep -q "<release version=\"$version\"" "$metainfo" || fail "the metainfo has no release $version"
  if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate"
  else
    echo "note: appstreamcli not installed, metainfo not validated"
  fi
fi

# Removing it leaves nothing behind but dpkg's own records.
dpkg_root --purge cachescope >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg --purge"; }
left=$(cd "$root" && find . -mindepth 1 -path ./var -prune -o -print)
[ -z "$left" ] || fail "dpkg --purge left: $left"

# ---- the engine's development package ----
devdepends=$(dpkg-deb -f "$devdeb" Depends)
echo "libdiskcache-dev Depends: $devdepends"
for package in libsqlite3-dev zlib1g-dev; do
  grep -Fxq "$package" <<<"$(package_names "$devdepends")" || fail "libdiskcache-dev Depends lacks $package"
done
dpkg-deb -c "$devdeb" >"$work/devcontents.txt"
for file in /usr/include/diskcache/cache.h /cmake/diskcache/diskcacheConfig.cmake /libdiskcache.a; do
  grep -q -- "$file\$" "$work/devcontents.txt" || fail "libdiskcache-dev lacks $file"
done

# ---- the archive: everything under one top directory ----
tar -tzf "$tgz" >"$work/tgz.txt"
for file in bin/cachescope-cli include/diskcache/cache.h; do
  grep -q -- "/$file\$" "$work/tgz.txt" || fail "$(basename "$tgz") lacks $file"
done
echo "PASS: packages made, dependencies declared, installed programs run"
