#!/usr/bin/env bash
# Go binding overhead: the same N puts + commit, N gets and one iteration through Go and
# through the C ABI.   env INFINITREE_BUILD_DIR=<build> bench/go/run.sh [N] [rounds]
# Use a RelWithDebInfo/Release build; figures go to stdout, one line per language and round.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$(cd "${INFINITREE_BUILD_DIR:-$ROOT/build}" && pwd)
N=${1:-1000000}
ROUNDS=${2:-3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=1
# Without HOME (some CI runners) go has no default build cache: keep one in the build dir.
case "$(go env GOCACHE 2>/dev/null)" in "" | off) export GOCACHE="$BUILD/go-cache" ;; esac
export CGO_CFLAGS="-I$ROOT/include -O2 -g"
export CGO_LDFLAGS="-L$BUILD -linfinitree -Wl,-rpath,$BUILD"
cc -std=c99 -O2 -Wall -Wextra -Werror -I"$ROOT/include" "$HERE/c/c_bench.c" -L"$BUILD" -linfinitree \
  -Wl,-rpath,"$BUILD" -o "$WORK/c_bench"
(cd "$HERE" && go build -o "$WORK/go_bench" .)
for _ in $(seq "$ROUNDS"); do
  "$WORK/c_bench" "$N"
  "$WORK/go_bench" "$N"
done
