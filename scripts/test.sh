#!/usr/bin/env bash
# Sets everything up and runs every test suite: C++ (ctest, including the C ABI suite and
# the S3 suite against a local moto server), Python (pytest) and Go (go test -race).
#
#   scripts/test.sh                 # the whole suite (what CI runs)
#   scripts/test.sh --sanitizers    # also rebuild and run the C/C++ suites under ASan+UBSan and TSan
# Each libFuzzer harness also runs for a few seconds (scripts/fuzz.sh; longer runs: --long).
#   INFINITREE_SOAK=1 scripts/test.sh   # longer randomized and crash runs
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${INFINITREE_BUILD_DIR:-$ROOT/build}
SANITIZERS=0
for arg in "$@"; do
  case "$arg" in
    --sanitizers) SANITIZERS=1 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh

# ccache (installed above) as the compiler launcher unless the caller chose one: the Python
# package test and the subproject consumers build the library again, and with one cache and
# paths taken relative to the checkout those builds are mostly cache hits, not full compiles.
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_C_COMPILER_LAUNCHER="${CMAKE_C_COMPILER_LAUNCHER:-ccache}"
  export CMAKE_CXX_COMPILER_LAUNCHER="${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}"
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
fi

echo "== configure and build ($BUILD)"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc)"

failures=0
run() {
  echo "== $*"
  if ! "$@"; then
    echo "!! FAILED: $*"
    failures=$((failures + 1))
  fi
}

# C and C++ suites (S3 tests are run below with a server; ctest skips them here).
run ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)" -LE s3

# The S3 suite against a real S3-compatible server on 127.0.0.1 (moto, installed from PyPI).
if [ -x scripts/s3/run-s3-tests.sh ]; then
  run scripts/s3/run-s3-tests.sh "$BUILD"
fi

# Python bindings.
if [ -d bindings/python/tests ]; then
  run env INFINITREE_LIBRARY="$BUILD/libinfinitree.so" python3 -m pytest -q bindings/python/tests
fi

# Go bindings.
if [ -f bindings/go/go.mod ]; then
  run env INFINITREE_BUILD_DIR="$BUILD" bindings/go/test.sh
fi

# Across languages: C writes, Python extends, Go checks, and back.
if [ -x tests/cross/run.sh ]; then
  run env INFINITREE_BUILD_DIR="$BUILD" tests/cross/run.sh
fi

# Fuzzing: every libFuzzer harness for a few seconds on its checked-in corpus (clang build
# in build-fuzz; skipped with the reason when clang cannot be installed). docs/fuzzing.md.
if [ -x scripts/fuzz.sh ]; then
  run scripts/fuzz.sh
fi

if [ "$SANITIZERS" = 1 ]; then
  for type in Asan Tsan; do
    dir="$ROOT/build-$(echo "$type" | tr A-Z a-z)"
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=$type -DINFINITREE_BUILD_BENCH=OFF >/dev/null
    cmake --build "$dir" -j"$(nproc)"
    # The 1 M-key prune test runs at 100 k keys here: same code paths, a tenth of the time.
    run env INFINITREE_PRUNE_KEYS=100000 ctest --test-dir "$dir" --output-on-failure -j"$(nproc)" -LE s3
  done
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures suite(s) failed"
  exit 1
fi
echo "all suites passed"
