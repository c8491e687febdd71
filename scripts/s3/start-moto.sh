#!/usr/bin/env bash
# Starts moto's S3-compatible server on 127.0.0.1 at a free port, for the S3 tests.
#   eval "$(scripts/s3/start-moto.sh STATE_DIR)"   # exports INFINITREE_S3_* and AWS_* vars
# Installs moto[server] with pip (quietly, into the user site) if moto_server is missing.
# STATE_DIR (default: a new temp dir) receives moto.pid, moto.port and moto.log;
# scripts/s3/stop-moto.sh STATE_DIR stops it.
set -euo pipefail
state="${1:-$(mktemp -d /tmp/infinitree-moto.XXXXXX)}"
mkdir -p "$state"
state="$(cd "$state" && pwd)"

if ! command -v moto_server >/dev/null 2>&1; then
  echo "moto_server not found: installing moto[server] with pip" >&2
  python3 -m pip install --quiet --user 'moto[server]' >&2
  export PATH="$HOME/.local/bin:$PATH"
fi

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
# A fixed account and no IAM enforcement: any key pair signs; bad-credential tests use a
# second instance (see tests/s3) or the fault proxy.
nohup moto_server -H 127.0.0.1 -p "$port" >"$state/moto.log" 2>&1 &
echo $! >"$state/moto.pid"
echo "$port" >"$state/moto.port"

# A second instance that verifies signatures (IAM enforcement after 4 set-up actions),
# for the tests of SigV4 against a server's own check and of 403 handling.
auth_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
INITIAL_NO_AUTH_ACTION_COUNT=4 nohup moto_server -H 127.0.0.1 -p "$auth_port" >"$state/moto-auth.log" 2>&1 &
echo $! >"$state/moto-auth.pid"

wait_up() {
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$1/moto-api/" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# A third instance over HTTPS with a self-signed certificate made here, for the tests of
# certificate verification and the CA-file option.
tls_env=""
tls_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
if openssl req -x509 -newkey rsa:2048 -nodes -keyout "$state/tls-key.pem" -out "$state/tls-cert.pem" \
     -days 2 -subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
     -addext "basicConstraints=critical,CA:TRUE" >/dev/null 2>&1; then
  nohup moto_server -H 127.0.0.1 -p "$tls_port" -c "$state/tls-cert.pem" -k "$state/tls-key.pem" \
    >"$state/moto-tls.log" 2>&1 &
  echo $! >"$state/moto-tls.pid"
  tls_env="export INFINITREE_S3_TLS_ENDPOINT=https://127.0.0.1:$tls_port
export INFINITREE_S3_TLS_CA=$state/tls-cert.pem"
fi

auth_env=""
if wait_up "$auth_port"; then
  here="$(cd "$(dirname "$0")" && pwd)"
  auth_env="$(python3 "$here/provision_auth.py" "http://127.0.0.1:$auth_port" 2>>"$state/moto-auth.log")" ||
    echo "start-moto.sh: provisioning the signature-checking moto failed (see $state/moto-auth.log)" >&2
fi

for _ in $(seq 1 100); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/" 2>/dev/null; then
    echo "$auth_env"
    for _ in $(seq 1 50); do
      [ -z "$tls_env" ] && break
      curl -s -o /dev/null --cacert "$state/tls-cert.pem" "https://127.0.0.1:$tls_port/moto-api/" && break
      sleep 0.2
    done
    echo "$tls_env"
    cat <<ENV
export INFINITREE_S3_ENDPOINT=http://127.0.0.1:$port
export INFINITREE_S3_REGION=us-east-1
export INFINITREE_S3_STATE=$state
export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing
unset AWS_SESSION_TOKEN
ENV
    exit 0
  fi
  sleep 0.2
done
echo "moto_server did not start; log:" >&2
cat "$state/moto.log" >&2
kill "$(cat "$state/moto.pid")" "$(cat "$state/moto-auth.pid")" "$(cat "$state/moto-tls.pid" 2>/dev/null)" 2>/dev/null || true
exit 1
