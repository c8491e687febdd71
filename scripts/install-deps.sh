#!/usr/bin/env bash
# Installs the Debian packages libinfinitree builds, tests and benchmarks with.
# Skips apt entirely when everything is present; otherwise needs root (or sudo).
#   scripts/install-deps.sh          # what the build and the test suites need
#   scripts/install-deps.sh --fuzz   # also clang and its libFuzzer runtime (scripts/fuzz.sh)
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config
          libssl-dev libargon2-dev libmsgpack-cxx-dev libcurl4-openssl-dev libexpat1-dev
          liblz4-dev libzstd-dev libgtest-dev nlohmann-json3-dev
          liblmdb-dev libsqlite3-dev libbenchmark-dev
          libfuse3-dev fuse3
          zsh fish groff-base ccache
          python3 python3-pip python3-venv golang-go)
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang libclang-rt-dev)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# Go and Python may come from elsewhere than Debian (pyenv, a Go tarball): accept them.
filtered=()
for p in "${missing[@]}"; do
  case "$p" in
    golang-go) command -v go >/dev/null 2>&1 || filtered+=("$p") ;;
    python3|python3-pip|python3-venv) command -v python3 >/dev/null 2>&1 || filtered+=("$p") ;;
    *) filtered+=("$p") ;;
  esac
done
if [ ${#filtered[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${filtered[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${filtered[@]}"
