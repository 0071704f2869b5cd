#!/usr/bin/env bash
# ctest "bench_gpu: private prefix": scripts/bench-gpu --download-debs fetches
# the .debs here (Debian's apt-get download, kept in WORK_DIR between runs);
# then --debs unpacks them into the build folder's private prefix, the EGL
# probe is built against it and runs on llvmpipe with the prefix's libepoxy
# and glvnd libEGL, and CMake's headless configure takes every header and
# libepoxy from the prefix. Without --allow-software llvmpipe is refused. The
# full headless build is left out (minutes); README shows it run by hand.
#   tests/scripts/bench_gpu_prefix.sh SOURCE_DIR WORK_DIR
set -euo pipefail
# shellcheck source=tests/scripts/expect.sh
source "$(dirname "$0")/expect.sh"
script="$1/scripts/bench-gpu"
work="$2"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "SKIP: no apt-get here to download the Debian packages with"
  exit 77
fi
mkdir -p "$work"
if [ "$(find "$work/debs" -name '*.deb' 2>/dev/null | wc -l)" -lt 11 ]; then
  "$script" --download-debs "$work/debs"
fi
build="$work/build"
rm -rf "$build"
prefix="$build/debs-prefix"
lib="$prefix/usr/lib/x86_64-linux-gnu"

expect_line "refuses llvmpipe" 1 "  NVIDIA's EGL vendor was not used (see the libraries above); or pass --allow-software" \
  "$script" --debs "$work/debs" --build-dir "$build" --no-pytorch --stop-after probe
expect_in "unpacked into the prefix" "bench-gpu: unpacked 11 .deb files into $prefix"
expect_match "names the software renderer" "^bench-gpu: 'llvmpipe[^']*' is a software renderer, not the GPU: no figures would be GPU figures[.]$"

expect_line "probe and configure" 0 "  compute=ok" \
  "$script" --debs "$work/debs" --build-dir "$build" --no-pytorch --allow-software --use-deb-libs --stop-after configure
expect_in "probe loaded the prefix's libepoxy" "  library=$lib/libepoxy.so.0.0.0"
expect_in "probe loaded the prefix's glvnd libEGL" "  library=$lib/libEGL.so.1.1.0"
expect_match "probe ran on llvmpipe" "^bench-gpu: OpenGL renderer: llvmpipe"
expect_match "configured" "^bench-gpu: configure done [(][0-9]+ s[)]$"
cache="$(cat "$build/convlab/CMakeCache.txt")"
for entry in CONVLAB_HEADLESS:BOOL=ON "EPOXY_INCLUDE_DIR:PATH=$prefix/usr/include" "EPOXY_LIBRARY:FILEPATH=$lib/libepoxy.so" \
  "CONVLAB_JSON_INCLUDE_DIR:PATH=$prefix/usr/include" "CONVLAB_CLI11_INCLUDE_DIR:PATH=$prefix/usr/include" \
  "CONVLAB_STB_ROOT:PATH=$prefix/usr/include" "CONVLAB_EIGEN_ROOT:PATH=$prefix/usr/include" \
  "CONVLAB_EGL_INCLUDE_DIR:PATH=$prefix/usr/include" "CONVLAB_KHR_INCLUDE_DIR:PATH=$prefix/usr/include"; do
  EXPECT_OUTPUT="$cache"
  expect_in "CMake cache: $entry" "$entry"
done

# The unpacking used where a machine has no dpkg: the same files as dpkg-deb.
python3 "$1/tools/deb_extract.py" "$(compgen -G "$work/debs/libepoxy-dev_*.deb")" "$work/python-unpack"
if diff -r "$prefix/usr/include/epoxy" "$work/python-unpack/usr/include/epoxy" >/dev/null; then
  echo "ok   tools/deb_extract.py unpacks as dpkg-deb"
else
  echo "FAIL tools/deb_extract.py and dpkg-deb differ on libepoxy-dev"
  EXPECT_FAILURES=$((EXPECT_FAILURES + 1))
fi
rm -rf "$work/python-unpack"
expect_done
