#!/usr/bin/env bash
# SeaweedFS (Apache-2.0, an object store with an S3 gateway, written in Go) for the S3 tests:
# a real server beside moto (which stays for fault injection).
#
#   scripts/s3/seaweedfs.sh build              # build `weed` once into the cache; prints its path
#   eval "$(scripts/s3/seaweedfs.sh start STATE_DIR)"  # exports INFINITREE_S3_* and AWS_* vars
#   scripts/s3/seaweedfs.sh stop STATE_DIR     # stops the server by its pid
#
# The binary is built from the Go module proxy at a pinned version into a cache folder outside
# the repository (INFINITREE_SEAWEEDFS_CACHE, default ${XDG_CACHE_HOME:-$HOME/.cache}/infinitree/
# seaweedfs) and reused: the first build takes ~10 CPU-minutes. `go install module@version` is
# refused because the module's go.mod has replace directives, so the module is downloaded, copied
# out of the (read-only) module cache and built with `go build ./weed` inside the copy.
# `start` runs `weed mini` (master, volume server, filer and S3 gateway in one process) on a fresh
# data folder with free ports and an S3 identity file, so every request's signature is checked.
set -euo pipefail

SEAWEEDFS_MODULE=github.com/seaweedfs/seaweedfs
SEAWEEDFS_VERSION=v0.0.0-20261109003541-7506e5f91cd6
cache="${INFINITREE_SEAWEEDFS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/infinitree/seaweedfs}"
bin="$cache/$SEAWEEDFS_VERSION/weed"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

build() {
  if [ -x "$bin" ]; then
    echo "$bin"
    return 0
  fi
  command -v go >/dev/null 2>&1 || { echo "seaweedfs.sh: no Go toolchain (go) on PATH" >&2; return 1; }
  mkdir -p "$cache"
  # One build at a time per cache folder (two test runs started together share the result).
  exec 9>"$cache/build.lock"
  flock 9
  if [ -x "$bin" ]; then
    echo "$bin"
    return 0
  fi
  local work="$cache/$SEAWEEDFS_VERSION.build"
  rm -rf "$work"
  mkdir -p "$work"
  local dir
  dir="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "$SEAWEEDFS_MODULE@$SEAWEEDFS_VERSION" |
         python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(d["Error"]) if d.get("Error") else print(d["Dir"])')" ||
    { echo "seaweedfs.sh: downloading $SEAWEEDFS_MODULE@$SEAWEEDFS_VERSION failed" >&2; return 1; }
  cp -r "$dir" "$work/src"
  chmod -R u+w "$work/src"
  echo "seaweedfs.sh: building weed $SEAWEEDFS_VERSION into $cache (first time only, several minutes)" >&2
  if ! (cd "$work/src" && GOFLAGS=-buildvcs=false go build -o "$work/weed" ./weed) >"$work/build.log" 2>&1; then
    echo "seaweedfs.sh: go build failed; log: $work/build.log" >&2
    tail -20 "$work/build.log" >&2
    return 1
  fi
  mkdir -p "$(dirname "$bin")"
  mv "$work/weed" "$bin"
  rm -rf "$work"
  echo "$bin"
}

start() {
  local state="${1:?usage: seaweedfs.sh start STATE_DIR}"
  mkdir -p "$state"
  state="$(cd "$state" && pwd)"
  build >/dev/null
  local data="$state/data"
  rm -rf "$data"
  mkdir -p "$data"
  local key=infinitree-seaweed secret
  secret="$(python3 -c 'import secrets; print(secrets.token_hex(20))')"
  # With an identity configured, the gateway checks SigV4 on every request and refuses anonymous.
  cat >"$state/s3.json" <<JSON
{"identities": [{"name": "infinitree", "credentials": [{"accessKey": "$key", "secretKey": "$secret"}],
  "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}
JSON
  local s3_port master_port volume_port filer_port
  s3_port="$(free_port)"
  master_port="$(free_port)"
  volume_port="$(free_port)"
  filer_port="$(free_port)"
  nohup "$bin" mini -dir="$data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -s3.port="$s3_port" -master.port="$master_port" -volume.port="$volume_port" \
    -filer.port="$filer_port" -s3.config="$state/s3.json" >"$state/weed.log" 2>&1 &
  echo $! >"$state/weed.pid"
  local endpoint="http://127.0.0.1:$s3_port"
  # Ready when the gateway answers an unsigned request with an S3 error (403 AccessDenied).
  for _ in $(seq 1 300); do
    code="$(curl -s -o /dev/null -w '%{http_code}' "$endpoint/" 2>/dev/null || true)"
    if [ "$code" = 403 ] || [ "$code" = 200 ]; then
      if AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" python3 - "$endpoint" <<'PY' 2>>"$state/weed.log"
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1")
s3.list_buckets()
PY
      then
        cat <<ENV
export INFINITREE_S3_ENDPOINT=$endpoint
export INFINITREE_S3_REGION=us-east-1
export INFINITREE_S3_SERVER=seaweedfs
export INFINITREE_SEAWEEDFS_STATE=$state
export AWS_ACCESS_KEY_ID=$key
export AWS_SECRET_ACCESS_KEY=$secret
unset AWS_SESSION_TOKEN
ENV
        return 0
      fi
    fi
    kill -0 "$(cat "$state/weed.pid")" 2>/dev/null || break
    sleep 0.2
  done
  echo "seaweedfs.sh: weed mini did not become ready; log:" >&2
  tail -40 "$state/weed.log" >&2
  stop "$state"
  return 1
}

stop() {
  local state="${1:?usage: seaweedfs.sh stop STATE_DIR}"
  [ -f "$state/weed.pid" ] || return 0
  local pid
  pid="$(cat "$state/weed.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$state/weed.pid"
}

cmd="${1:?usage: seaweedfs.sh build|start STATE_DIR|stop STATE_DIR}"
shift
case "$cmd" in
  build) build ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  *) echo "seaweedfs.sh: unknown command $cmd" >&2; exit 2 ;;
esac
