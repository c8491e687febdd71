#!/usr/bin/env bash
# Stops the moto server started by start-moto.sh with the same STATE_DIR.
set -u
state="${1:-${INFINITREE_S3_STATE:-}}"
if [ -z "$state" ] || [ ! -f "$state/moto.pid" ]; then
  echo "stop-moto.sh: no moto.pid in '${state}'" >&2
  exit 0
fi
for f in moto.pid moto-auth.pid moto-tls.pid; do
  [ -f "$state/$f" ] || continue
  pid="$(cat "$state/$f")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$state/$f"
done
