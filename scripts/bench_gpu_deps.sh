# scripts/bench-gpu's prerequisites: what the headless build (CONVLAB_HEADLESS,
# cmake/headless.cmake) and its run need, the Debian 12 package that has each
# file, the private prefix that .deb files are unpacked into, and the report of
# what is missing. Sourced by scripts/bench-gpu.
# shellcheck shell=bash
# BENCH_GPU_CC and the like are set here and read by scripts/bench-gpu.
# shellcheck disable=SC2034

# "file package": headers as the build includes them, below an include folder.
BENCH_GPU_HEADERS=(
  "nlohmann/json.hpp nlohmann-json3-dev"
  "CLI/CLI.hpp libcli11-dev"
  "stb/stb_image.h libstb-dev"
  "eigen3/Eigen/Core libeigen3-dev"
  "epoxy/egl.h libepoxy-dev"
  "EGL/eglplatform.h libegl-dev"
  "KHR/khrplatform.h libgl-dev"
)
# The one library linked; libepoxy loads the others (dlopen) when it runs.
BENCH_GPU_LINK_LIBS=("libepoxy.so libepoxy-dev")
# At run time: libepoxy, and glvnd's EGL and OpenGL dispatch, which hand the
# calls to the driver's vendor library (libEGL_nvidia.so.0 on NVIDIA, which
# comes with the driver, never from here).
BENCH_GPU_RUNTIME_LIBS=(
  "libepoxy.so.0 libepoxy0"
  "libEGL.so.1 libegl1"
  "libGLdispatch.so.0 libglvnd0"
  "libOpenGL.so.0 libopengl0"
)
BENCH_GPU_MULTIARCH=x86_64-linux-gnu

# Every package named above, once: what --download-debs fetches.
bench_gpu_deb_packages() {
  local entry
  for entry in "${BENCH_GPU_HEADERS[@]}" "${BENCH_GPU_LINK_LIBS[@]}" "${BENCH_GPU_RUNTIME_LIBS[@]}"; do
    echo "${entry#* }"
  done | awk '!seen[$0]++'
}

# bench_gpu_download_debs DIR: the amd64 .debs, with Debian's own apt-get.
bench_gpu_download_debs() {
  local dir="$1" packages
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bench-gpu: --download-debs needs apt-get (a Debian 12 machine); this one has none" >&2
    return 1
  fi
  mapfile -t packages < <(bench_gpu_deb_packages)
  mkdir -p "$dir"
  echo "bench-gpu: downloading ${#packages[@]} packages into $dir: ${packages[*]}"
  (cd "$dir" && apt-get -o APT::Sandbox::User=root download "${packages[@]/%/:amd64}") || {
    echo "bench-gpu: apt-get download failed (no network, or no package lists: run apt-get update)" >&2
    return 1
  }
  echo "bench-gpu: done. Copy $dir to the GPU machine and run: scripts/bench-gpu --debs DIR"
}

# bench_gpu_unpack_debs DEBS_DIR PREFIX: every .deb's files under PREFIX
# (dpkg-deb -x: files only, no maintainer scripts, nothing written to /).
# Skipped when PREFIX already holds exactly these files (same names and sizes).
bench_gpu_unpack_debs() {
  local debs="$1" prefix="$2" stamp deb
  stamp="$(find "$debs" -maxdepth 1 -name '*.deb' -printf '%s %f\n' | sort)"
  if [ -f "$prefix/.debs" ] && [ "$(cat "$prefix/.debs")" = "$stamp" ]; then
    return 0
  fi
  rm -rf "$prefix"
  mkdir -p "$prefix"
  for deb in "$debs"/*.deb; do
    if command -v dpkg-deb >/dev/null 2>&1; then
      dpkg-deb -x "$deb" "$prefix"
    else  # no dpkg here: the same unpacking with Python's standard library
      python3 "$CONVLAB_ROOT/tools/deb_extract.py" "$deb" "$prefix"
    fi || {
      echo "bench-gpu: could not unpack $deb" >&2
      return 1
    }
  done
  echo "$stamp" >"$prefix/.debs"
  echo "bench-gpu: unpacked $(echo "$stamp" | wc -l) .deb files into $prefix"
}

# Folders searched, prefix first: the ones CMake's find_path/find_library use.
bench_gpu_include_dirs() {
  [ -z "$1" ] || echo "$1/usr/include"
  printf '%s\n' /usr/local/include /usr/include
}
bench_gpu_lib_dirs() {
  [ -z "$1" ] || echo "$1/usr/lib/$BENCH_GPU_MULTIARCH"
  printf '%s\n' /usr/local/lib "/usr/lib/$BENCH_GPU_MULTIARCH" /usr/lib64 /usr/lib
}

# bench_gpu_find FILE DIR...: the first DIR/FILE that exists.
bench_gpu_find() {
  local file="$1" dir
  shift
  for dir in "$@"; do
    if [ -e "$dir/$file" ]; then
      echo "$dir/$file"
      return 0
    fi
  done
  return 1
}

# bench_gpu_system_lib SONAME: where the dynamic loader finds it without the
# prefix (LD_LIBRARY_PATH, then its cache), or nothing.
bench_gpu_system_lib() {
  local soname="$1" dirs=() ldconfig
  [ -z "${LD_LIBRARY_PATH:-}" ] || IFS=: read -r -a dirs <<<"$LD_LIBRARY_PATH"
  if [ ${#dirs[@]} -gt 0 ] && bench_gpu_find "$soname" "${dirs[@]}"; then return 0; fi
  ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
  if [ -x "$ldconfig" ]; then
    "$ldconfig" -p 2>/dev/null | awk -v so="$soname" '$1 == so && /x86-64/ {print $NF; exit}' | grep . && return 0
  fi
  bench_gpu_find "$soname" /usr/local/lib "/usr/lib/$BENCH_GPU_MULTIARCH" /usr/lib64 /usr/lib
}

# bench_gpu_check_files PREFIX RUNTIME_DIR USE_DEB_LIBS: appends each missing
# header or library to BENCH_GPU_MISSING, with its package; links into
# RUNTIME_DIR the prefix's runtime libraries the system lacks (all of them
# with USE_DEB_LIBS=1), for LD_LIBRARY_PATH.
bench_gpu_check_files() {
  local prefix="$1" runtime="$2" use_deb_libs="$3" entry file package
  local include_dirs lib_dirs
  mapfile -t include_dirs < <(bench_gpu_include_dirs "$prefix")
  mapfile -t lib_dirs < <(bench_gpu_lib_dirs "$prefix")
  local hint="not in ${include_dirs[*]}"
  for entry in "${BENCH_GPU_HEADERS[@]}"; do
    file="${entry% *}" package="${entry#* }"
    bench_gpu_find "$file" "${include_dirs[@]}" >/dev/null ||
      BENCH_GPU_MISSING+=("header $file: $hint (Debian package $package)")
  done
  for entry in "${BENCH_GPU_LINK_LIBS[@]}"; do
    file="${entry% *}" package="${entry#* }"
    bench_gpu_find "$file" "${lib_dirs[@]}" >/dev/null ||
      BENCH_GPU_MISSING+=("library $file: not in ${lib_dirs[*]} (Debian package $package)")
  done
  rm -rf "$runtime"
  mkdir -p "$runtime"
  local deb_lib_dir="$prefix/usr/lib/$BENCH_GPU_MULTIARCH"
  for entry in "${BENCH_GPU_RUNTIME_LIBS[@]}"; do
    file="${entry% *}" package="${entry#* }"
    if [ -n "$prefix" ] && [ -e "$deb_lib_dir/$file" ] &&
      { [ "$use_deb_libs" = 1 ] || ! bench_gpu_system_lib "$file" >/dev/null; }; then
      ln -s "$deb_lib_dir/$file" "$runtime/$file"
    elif ! bench_gpu_system_lib "$file" >/dev/null; then
      BENCH_GPU_MISSING+=("library $file: not known to the dynamic loader${prefix:+ nor in $deb_lib_dir} (Debian package $package)")
    fi
  done
}

# bench_gpu_check_tools NO_PYTORCH ALLOW_SOFTWARE PYTHON: compilers, CMake, a
# build tool, Python with PyTorch (with CUDA). Sets BENCH_GPU_CC, _CXX,
# _GENERATOR, _TORCH_DEVICE; appends what is missing to BENCH_GPU_MISSING.
bench_gpu_check_tools() {
  local no_pytorch="$1" allow_software="$2" python="$3" tool version
  BENCH_GPU_CC="" BENCH_GPU_CXX="" BENCH_GPU_GENERATOR="" BENCH_GPU_TORCH_DEVICE=""
  for tool in ${CC:-} cc gcc clang; do
    if command -v "$tool" >/dev/null 2>&1; then BENCH_GPU_CC="$(command -v "$tool")" && break; fi
  done
  [ -n "$BENCH_GPU_CC" ] || BENCH_GPU_MISSING+=("C compiler: no \$CC, cc, gcc or clang on PATH (Debian package gcc)")
  for tool in ${CXX:-} c++ g++ clang++; do
    if command -v "$tool" >/dev/null 2>&1; then BENCH_GPU_CXX="$(command -v "$tool")" && break; fi
  done
  if [ -z "$BENCH_GPU_CXX" ]; then
    BENCH_GPU_MISSING+=("C++ compiler: no \$CXX, c++, g++ or clang++ on PATH (Debian package g++; C++20: GCC 10 or Clang 13 and newer)")
  elif ! printf '#include <span>\n#include <concepts>\nint main() { return std::same_as<int, int> ? 0 : 1; }\n' |
    "$BENCH_GPU_CXX" -std=c++20 -fsyntax-only -x c++ - 2>/dev/null; then
    BENCH_GPU_MISSING+=("C++20 compiler: $BENCH_GPU_CXX cannot compile C++20 (<span>, concepts); install GCC 10 or Clang 13 or newer (Debian package g++) and set CXX")
  fi
  if ! command -v cmake >/dev/null 2>&1; then
    BENCH_GPU_MISSING+=("cmake 3.25 or newer: not on PATH (Debian package cmake; or: pip install 'cmake>=3.25')")
  else
    version="$(cmake --version | awk 'NR == 1 {print $3}')"
    if [ "$(printf '3.25\n%s\n' "$version" | sort -V | head -1)" != 3.25 ]; then
      BENCH_GPU_MISSING+=("cmake 3.25 or newer: $(command -v cmake) is $version (Debian 12's cmake; or: pip install 'cmake>=3.25')")
    fi
  fi
  if command -v ninja >/dev/null 2>&1; then
    BENCH_GPU_GENERATOR=Ninja
  elif command -v make >/dev/null 2>&1; then
    BENCH_GPU_GENERATOR="Unix Makefiles"
  else
    BENCH_GPU_MISSING+=("build tool: neither ninja nor make on PATH (Debian package ninja-build or make; or: pip install ninja)")
  fi
  if ! command -v "$python" >/dev/null 2>&1; then
    BENCH_GPU_MISSING+=("Python 3: $python not on PATH (Debian package python3), for the report and PyTorch")
    return 0
  fi
  [ "$no_pytorch" = 1 ] && return 0
  local torch
  if ! torch="$("$python" -c 'import torch; print(torch.__version__, torch.cuda.is_available())' 2>/dev/null)"; then
    BENCH_GPU_MISSING+=("PyTorch: $python cannot import torch (pip install torch, a CUDA build; Debian's python3-torch is CPU-only; or --no-pytorch)")
  elif [ "${torch##* }" = True ]; then
    BENCH_GPU_TORCH_DEVICE=cuda
  elif [ "$allow_software" = 1 ]; then
    BENCH_GPU_TORCH_DEVICE=cpu
    echo "bench-gpu: PyTorch ${torch% *} has no CUDA here; --allow-software: timing PyTorch on the CPU" >&2
  else
    BENCH_GPU_MISSING+=("PyTorch with CUDA: torch ${torch% *} in $python says torch.cuda.is_available() is False (a CUDA build of torch and the NVIDIA driver; or --no-pytorch, or --allow-software for PyTorch on the CPU)")
  fi
}

# Prints BENCH_GPU_MISSING and how to carry the packages; returns 1 if any.
bench_gpu_report_missing() {
  [ ${#BENCH_GPU_MISSING[@]} -eq 0 ] && return 0
  local item
  echo "bench-gpu: cannot build and run; missing:" >&2
  for item in "${BENCH_GPU_MISSING[@]}"; do echo "  - $item" >&2; done
  echo "Debian packages can be carried: on a Debian 12 machine run 'scripts/bench-gpu --download-debs DIR'," >&2
  echo "copy DIR here and run 'scripts/bench-gpu --debs DIR' (unpacked into the build folder, never into /)." >&2
  return 1
}

# The NVIDIA driver's EGL vendor for glvnd, where the container or driver put it.
bench_gpu_egl_vendor() {
  [ -z "${__EGL_VENDOR_LIBRARY_FILENAMES:-}" ] || return 0
  local json
  for json in /usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json \
    /usr/share/glvnd/egl_vendor.d/10_nvidia.json /etc/glvnd/egl_vendor.d/10_nvidia.json; do
    if [ -f "$json" ]; then
      export __EGL_VENDOR_LIBRARY_FILENAMES="$json"
      echo "bench-gpu: EGL vendor: $json"
      return 0
    fi
  done
}
