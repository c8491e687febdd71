#!/usr/bin/env bash
# Runs the Go binding's test suite (with the race detector) against a build of the library:
#   env INFINITREE_BUILD_DIR=<build dir with libinfinitree.so> bindings/go/test.sh [go test args]
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
export CGO_CFLAGS="-I$ROOT/include -O2 -g"
export CGO_LDFLAGS="-L$BUILD -linfinitree -Wl,-rpath,$BUILD"
cd "$HERE"
go vet ./...
# -race also runs the concurrency test under the race detector; cgocheck=1 (the default)
# checks the cgo pointer rules on every call.
GODEBUG=cgocheck=1 go test -race -count=1 "$@" ./...
