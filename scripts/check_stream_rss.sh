#!/usr/bin/env bash
# Bounded memory of streams: stores 2 GiB of generated data through StreamWriter (default
# options: 64 MiB in flight, all cores) into a directory backend, reads it back through
# StreamReader comparing every byte, and fails if the peak RSS (VmHWM) exceeds the bound
# documented in docs/streams.md.
#   scripts/check_stream_rss.sh [BUILD_DIR] [GIB] [BOUND_MIB]
# BUILD_DIR defaults to build-rss (configured Release and built here if needed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build-rss}"
gib="${2:-2}"
bound="${3:-256}"
# STREAM_RSS_CHECK may name an already built binary.
bin="${STREAM_RSS_CHECK:-$build/bench/stream_rss_check}"
if [ ! -x "$bin" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DINFINITREE_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" --target stream_rss_check
fi
scratch="$(mktemp -d "${TMPDIR:-/tmp}/it-rss-XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
"$bin" --dir "$scratch/objects" --gib "$gib" --bound-mib "$bound"
