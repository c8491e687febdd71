#!/usr/bin/env bash
# Runs the S3 suites against a fresh local S3 server: starts moto on 127.0.0.1, runs
# `ctest -L s3` in BUILD_DIR (test_s3, which also drives scripts/s3/fault_proxy.py, and
# the botocore signature comparison), then stops moto whatever happened.
#   scripts/s3/run-s3-tests.sh BUILD_DIR [extra ctest arguments]
set -uo pipefail
build="${1:?usage: run-s3-tests.sh BUILD_DIR [ctest args...]}"
shift
here="$(cd "$(dirname "$0")" && pwd)"
state="$(mktemp -d "${TMPDIR:-/tmp}/infinitree-moto.XXXXXX")"
if ! env_lines="$("$here/start-moto.sh" "$state")"; then
  echo "run-s3-tests.sh: could not start moto" >&2
  exit 1
fi
eval "$env_lines"
trap '"$here/stop-moto.sh" "$state"; rm -rf "$state"' EXIT
echo "S3 tests against moto at $INFINITREE_S3_ENDPOINT" >&2
if [ -f "$build/CTestTestfile.cmake" ]; then
  ctest --test-dir "$build" -L s3 --output-on-failure "$@"
else
  "$build/test_s3" "$@"
fi
