# Shared by scripts/run, scripts/test and scripts/bench: install what is
# missing (Debian 12 packages only), then configure and build.
# shellcheck shell=bash

CONVLAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Everything the build and the tests need, by Debian package name.
CONVLAB_PACKAGES=(
  cmake ninja-build g++ pkg-config
  libstb-dev doctest-dev libcli11-dev nlohmann-json3-dev libopenblas-dev
  libepoxy-dev libegl-mesa0 libgl1-mesa-dri
  libimgui-dev libglfw3-dev fonts-dejavu-core xvfb xauth libgif-dev libmd4c-dev
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
