#!/usr/bin/env bash
# Runs the Go binding's test suite (with the race detector) against a build of the library:
#   env INFINITREE_BUILD_DIR=<build dir with libinfinitree.so> bindings/go/test.sh [go test args]
# As a Go user builds it (docs/go.md): the C library is installed into a prefix
# (`cmake --install --component c`, in <build>/go-prefix) and cgo's flags come from its
# infinitree.pc through PKG_CONFIG_PATH; TestLinkedFromPkgConfigPrefix checks that the test
# binary really loaded the library of that prefix.
# No network: the module has no dependencies and the local Go toolchain is used.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${INFINITREE_BUILD_DIR:-$ROOT/build}
BUILD=$(cd "$BUILD" && pwd)
if [ ! -e "$BUILD/libinfinitree.so" ]; then
  echo "no libinfinitree.so in $BUILD (build the 'infinitree' target first)" >&2
  exit 1
fi
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=1
# Without HOME (some CI runners) go has no default build cache: keep one in the build dir.
case "$(go env GOCACHE 2>/dev/null)" in "" | off) export GOCACHE="$BUILD/go-cache" ;; esac
PREFIX="$BUILD/go-prefix"
rm -rf "$PREFIX"
cmake --install "$BUILD" --component c --prefix "$PREFIX" >/dev/null
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"
pkg-config --exists infinitree || { echo "no infinitree.pc in $PKG_CONFIG_PATH" >&2; exit 1; }
export CGO_CFLAGS="$(pkg-config --cflags infinitree) -O2 -g"
export CGO_LDFLAGS="$(pkg-config --libs infinitree) -Wl,-rpath,$(pkg-config --variable=libdir infinitree)"
export INFINITREE_GO_EXPECT_LIBDIR="$(cd "$(pkg-config --variable=libdir infinitree)" && pwd)"
# The S3 test needs a server: start a local moto if it is installed and none was given
# (INFINITREE_GO_S3=0 skips this).
if [ -z "${INFINITREE_S3_ENDPOINT:-}" ] && [ "${INFINITREE_GO_S3:-1}" != 0 ] &&
  command -v moto_server >/dev/null 2>&1 && [ -x "$ROOT/scripts/s3/start-moto.sh" ]; then
  MOTO_STATE=$(mktemp -d)
  if env_lines=$("$ROOT/scripts/s3/start-moto.sh" "$MOTO_STATE" 2>/dev/null); then
    eval "$env_lines"
    trap '"$ROOT/scripts/s3/stop-moto.sh" "$MOTO_STATE" >/dev/null 2>&1; rm -rf "$MOTO_STATE"' EXIT
  fi
fi
cd "$HERE"
unformatted=$(gofmt -l . "$ROOT/tests/cross/go" "$ROOT/bench/go")
if [ -n "$unformatted" ]; then
  echo "not gofmt-formatted: $unformatted" >&2
  exit 1
fi
go vet ./...
# An ASan+UBSan build of the library (CMAKE_BUILD_TYPE=Asan) is tested with go test -asan
# (which excludes -race); any other with -race, which also runs the concurrency tests under
# the race detector. cgocheck=1 (the default) checks the cgo pointer rules on every call.
if grep -q '^CMAKE_BUILD_TYPE:STRING=Asan$' "$BUILD/CMakeCache.txt" 2>/dev/null; then
  export CGO_CFLAGS="$CGO_CFLAGS -fsanitize=address,undefined"
  export CGO_LDFLAGS="$CGO_LDFLAGS -fsanitize=address,undefined"
  GODEBUG=cgocheck=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 go test -asan -count=1 "$@" ./...
else
  GODEBUG=cgocheck=1 go test -race -count=1 "$@" ./...
fi
