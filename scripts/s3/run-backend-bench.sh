#!/usr/bin/env bash
# Runs bench/backend_bench against a fresh local S3 server, then stops it: moto by default,
# SeaweedFS (scripts/s3/seaweedfs.sh) with --seaweedfs. With --raw, the same transfers are
# then made with boto3 alone (scripts/s3/raw_transfer_bench.py) as a baseline in the same run.
#   scripts/s3/run-backend-bench.sh [--seaweedfs] [--raw] PATH/TO/backend_bench [bench args]
set -uo pipefail
server=moto
raw=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seaweedfs) server=seaweedfs; shift ;;
    --raw) raw=1; shift ;;
    *) break ;;
  esac
done
bench="${1:?usage: run-backend-bench.sh [--seaweedfs] [--raw] PATH/TO/backend_bench [args]}"
shift
here="$(cd "$(dirname "$0")" && pwd)"
state="$(mktemp -d "${TMPDIR:-/tmp}/infinitree-bench.XXXXXX")"
if [ "$server" = seaweedfs ]; then
  env_lines="$("$here/seaweedfs.sh" start "$state")" || exit 1
  trap '"$here/seaweedfs.sh" stop "$state"; rm -rf "$state"' EXIT
else
  env_lines="$("$here/start-moto.sh" "$state")" || exit 1
  trap '"$here/stop-moto.sh" "$state"; rm -rf "$state"' EXIT
fi
eval "$env_lines"
echo "server: $server at $INFINITREE_S3_ENDPOINT; load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bench" "$@"
objects=32
prev=""
for a in "$@"; do
  [ "$prev" = --objects ] && objects="$a"
  prev="$a"
done
if [ "$raw" = 1 ]; then python3 "$here/raw_transfer_bench.py" --objects "$objects"; fi
