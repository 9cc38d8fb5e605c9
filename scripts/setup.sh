# Shared by scripts/demo and scripts/test (sourced, not run): installs the Debian packages the
# build needs when they are missing, then configures and builds into $DATAMUX_BUILD_DIR.
#
# Environment:
#   DATAMUX_BUILD_DIR   build directory (default: build)
#   CMAKE_PREFIX_PATH   where to find another libtorch, e.g. a CUDA one from a PyTorch install
#   DATAMUX_JOBS        parallel build jobs (default: number of cores)
#   DATAMUX_TARGETS     what to build (default: everything; scripts/demo sets the CLI and plugins)
set -euo pipefail

DATAMUX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATAMUX_BUILD_DIR=${DATAMUX_BUILD_DIR:-$DATAMUX_ROOT/build}
DATAMUX_JOBS=${DATAMUX_JOBS:-$(nproc)}

# libopenblas0-pthread matters: Debian's libtorch on the reference BLAS is ~25x slower.
DATAMUX_PACKAGES=(g++ cmake ninja-build libtorch-dev libboost-dev libboost-program-options-dev
  rapidjson-dev libcxxopts-dev libgtest-dev libsentencepiece-dev libopenblas0-pthread
  libgloo-dev  # the Gloo headers libtorch's c10d includes (data-parallel training)
  clang libclang-rt-dev  # clang + its runtime: the readers' libFuzzer targets
  chromium)  # headless, for the report.html test
# npm fetches the chart libraries report.html inlines (reports/package-lock.json); a Node.js
# from elsewhere (e.g. NodeSource, which bundles npm) is used as it is.
command -v npm >/dev/null || DATAMUX_PACKAGES+=(nodejs npm)
# Optional: torchrun, for the test that launches two ranks with it (it skips without it).
DATAMUX_OPTIONAL_PACKAGES=(python3-torch)

datamux_install_packages() {
  local missing=()
  for package in "${DATAMUX_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  if [ "$(id -u)" -eq 0 ]; then
    for package in "${DATAMUX_OPTIONAL_PACKAGES[@]}"; do
      dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$package")
    done
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "datamux: missing Debian packages: ${missing[*]}" >&2
    echo "datamux: install them as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "datamux: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The pinned vega, vega-lite and vega-embed builds, once (node_modules is not committed).
datamux_install_chart_libraries() {
  [ -f "$DATAMUX_ROOT/reports/node_modules/vega-embed/build/vega-embed.min.js" ] && return 0
  echo "datamux: npm ci in reports/ (chart libraries for report.html)" >&2
  (cd "$DATAMUX_ROOT/reports" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

datamux_build() {
  cmake -S "$DATAMUX_ROOT" -B "$DATAMUX_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    ${CMAKE_PREFIX_PATH:+-DCMAKE_PREFIX_PATH="$CMAKE_PREFIX_PATH"} >/dev/null
  # shellcheck disable=SC2086  # DATAMUX_TARGETS is a list of target names
  cmake --build "$DATAMUX_BUILD_DIR" -j "$DATAMUX_JOBS" ${DATAMUX_TARGETS:+--target $DATAMUX_TARGETS}
}

datamux_install_packages
datamux_install_chart_libraries
datamux_build
