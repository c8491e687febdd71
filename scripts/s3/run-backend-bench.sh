#!/usr/bin/env bash
# Runs bench/backend_bench against a fresh local moto server, then stops it.
#   scripts/s3/run-backend-bench.sh PATH/TO/backend_bench [bench args]
set -uo pipefail
bench="${1:?usage: run-backend-bench.sh PATH/TO/backend_bench [args]}"
shift
here="$(cd "$(dirname "$0")" && pwd)"
state="$(mktemp -d "${TMPDIR:-/tmp}/infinitree-moto.XXXXXX")"
env_lines="$("$here/start-moto.sh" "$state")" || exit 1
eval "$env_lines"
trap '"$here/stop-moto.sh" "$state"; rm -rf "$state"' EXIT
"$bench" "$@"
