# Shared by scripts/run, scripts/test and scripts/bench: install what is
# missing (Debian 12 packages only), then configure and build.
# shellcheck shell=bash

CONVLAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Everything the build and the tests need, by Debian package name.
CONVLAB_PACKAGES=(
  cmake ninja-build g++ pkg-config
  libstb-dev doctest-dev libcli11-dev nlohmann-json3-dev libdnnl-dev
  libepoxy-dev libegl-mesa0 libgl1-mesa-dri
  libimgui-dev libglfw3-dev fonts-dejavu-core xvfb xauth libgif-dev libmd4c-dev gettext
  libonnx-dev libprotobuf-dev libonnx-testdata
)

convlab_install_packages() {
  local missing=()
  local pkg
  for pkg in "${CONVLAB_PACKAGES[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "convlab: installing missing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "convlab: need root or sudo to install: ${missing[*]}" >&2
      return 1
    fi
  fi
  "${sudo[@]}" apt-get update -qq || return 1
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" || return 1
}

# convlab_build BUILD_DIR [extra cmake args...]
convlab_build() {
  local dir="$1"
  shift
  cmake -S "$CONVLAB_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" || return 1
  cmake --build "$dir" -j "$(nproc)" || return 1
}

# The browser build's packages (scripts/web) and its tests' (scripts/test).
CONVLAB_WEB_PACKAGES=(emscripten chromium chromium-driver python3-selenium python3-pil)

# Debian's emscripten with this machine's tools: its em++ wrapper runs the
# first python3 on PATH (it needs Debian's), and its JavaScript tools find
# Debian's node modules (acorn) only through NODE_PATH. Its cache of system
# libraries goes to the build folder when the system one is not writable.
convlab_web_environment() {
  export EMSDK_PYTHON=/usr/bin/python3
  export NODE_PATH=/usr/share/nodejs
  if [ ! -w /usr/share/emscripten/cache ]; then
    export EM_CACHE="$CONVLAB_ROOT/build-web/emcache"
  fi
}

# convlab_fetch_web_sources DIR: Debian's source packages of Dear ImGui 1.86,
# md4c and giflib (the versions the desktop build links), unpacked in DIR.
# A private sources list made from the mirror this machine's apt already
# uses; /etc/apt is never written.
convlab_fetch_web_sources() {
  local dir="$1"
  if [ -d "$dir/imgui-1.86" ] && compgen -G "$dir/md4c-*/src/md4c.c" >/dev/null &&
    compgen -G "$dir/giflib-*/gif_lib.h" >/dev/null; then
    return 0
  fi
  mkdir -p "$dir/apt/lists/partial" "$dir/download"
  local mirrors
  mirrors=$(
    {
      grep -hE '^[[:space:]]*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -E 's/^[[:space:]]*URIs:[[:space:]]*//' | tr ' ' '\n'
      grep -hE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        sed -E 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/'
    } | grep -v -- '-security' | grep -E '^(https?|file):' | sort -u || true
  )
  if [ -z "$mirrors" ]; then
    echo "convlab: no Debian mirror found in /etc/apt to fetch the source packages from" >&2
    return 1
  fi
  local list="$dir/apt/sources.list" mirror
  : >"$list"
  for mirror in $mirrors; do echo "deb-src $mirror bookworm main" >>"$list"; done
  local apt_options=(-o "Dir::Etc::SourceList=$list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$dir/apt/lists" -o Debug::NoLocking=1)
  apt-get "${apt_options[@]}" update -qq || return 1
  # Only the upstream tarballs are needed; a missing Debian patch tarball
  # (seen on some mirrors) is not an error as long as they arrived.
  (cd "$dir/download" && apt-get "${apt_options[@]}" source --download-only imgui=1.86+ds-1 md4c giflib >/dev/null 2>&1) || true
  local tarball
  for tarball in imgui_1.86+ds.orig.tar.xz "md4c_*.orig.tar.gz" "giflib_*.orig.tar.gz"; do
    if ! compgen -G "$dir/download/$tarball" >/dev/null; then
      echo "convlab: could not fetch the Debian source tarball $tarball from $mirrors" >&2
      return 1
    fi
    tar -xf $(compgen -G "$dir/download/$tarball" | head -1) -C "$dir"
  done
}
