#!/usr/bin/env bash
# Runs the S3 suites against fresh local S3 servers, one after the other:
#   1. moto on 127.0.0.1 (a mock, kept for fault injection: scripts/s3/fault_proxy.py in front
#      of it, a signature-checking instance, one over TLS);
#   2. SeaweedFS (`weed mini`, a real object store; scripts/s3/seaweedfs.sh), built once into a
#      cache folder outside the repository. Its build starts in the background at once, so a
#      first (cold) build overlaps the moto run. If it cannot be built (no Go, no network),
#      the run says so loudly and skips SeaweedFS instead of failing, unless
#      INFINITREE_REQUIRE_SEAWEEDFS=1.
#   For now the SeaweedFS run is opt-in (INFINITREE_SEAWEEDFS=1): its first full run here
#   failed 5 of 74 tests (missing bucket not reported, failed-upload abandon, virtual-hosted
#   addressing, credentials from the environment, the botocore signature comparison); see
#   docs/backends.md. It becomes the default once those are settled.
# Each run is `ctest -L s3` in BUILD_DIR (test_s3, the botocore signature comparison and the
# CLI's S3 test); each server is stopped whatever happened.
#   scripts/s3/run-s3-tests.sh BUILD_DIR [extra ctest arguments]
set -uo pipefail
build="${1:?usage: run-s3-tests.sh BUILD_DIR [ctest args...]}"
shift
here="$(cd "$(dirname "$0")" && pwd)"
failures=0

run_suite() {
  if [ -f "$build/CTestTestfile.cmake" ]; then
    ctest --test-dir "$build" -L s3 --output-on-failure "$@"
  else
    "$build/test_s3" "$@"
  fi
}

weed_log="$(mktemp "${TMPDIR:-/tmp}/infinitree-weed-build.XXXXXX")"
weed_build_pid=""
if [ "${INFINITREE_SEAWEEDFS:-0}" = 1 ] || [ "${INFINITREE_REQUIRE_SEAWEEDFS:-0}" = 1 ]; then
  "$here/seaweedfs.sh" build >"$weed_log" 2>&1 &
  weed_build_pid=$!
fi

# 1. moto
state="$(mktemp -d "${TMPDIR:-/tmp}/infinitree-moto.XXXXXX")"
if env_lines="$("$here/start-moto.sh" "$state")"; then
  (
    eval "$env_lines"
    echo "S3 tests against moto at $INFINITREE_S3_ENDPOINT" >&2
    run_suite "$@"
  ) || failures=$((failures + 1))
  "$here/stop-moto.sh" "$state"
else
  echo "run-s3-tests.sh: could not start moto" >&2
  failures=$((failures + 1))
fi
rm -rf "$state"

# 2. SeaweedFS
loud_skip() {
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
  echo "!! SeaweedFS SKIPPED: $1" >&2
  echo "!! The S3 suites ran against moto only." >&2
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
  if [ "${INFINITREE_REQUIRE_SEAWEEDFS:-0}" = 1 ]; then failures=$((failures + 1)); fi
}
if [ -z "$weed_build_pid" ]; then
  loud_skip "opt-in: set INFINITREE_SEAWEEDFS=1 to run it (5 known failures, docs/backends.md)"
else
  started=$(date +%s)
  if ! wait "$weed_build_pid"; then
    loud_skip "it could not be built: $(tail -5 "$weed_log" | tr '\n' ' ')"
  else
    echo "SeaweedFS binary $(tail -1 "$weed_log") (waited $(($(date +%s) - started)) s for the build)" >&2
    wstate="$(mktemp -d "${TMPDIR:-/tmp}/infinitree-weed.XXXXXX")"
    if env_lines="$("$here/seaweedfs.sh" start "$wstate")"; then
      (
        eval "$env_lines"
        echo "S3 tests against SeaweedFS at $INFINITREE_S3_ENDPOINT" >&2
        run_suite "$@"
      ) || failures=$((failures + 1))
      "$here/seaweedfs.sh" stop "$wstate"
    else
      echo "run-s3-tests.sh: SeaweedFS was built but did not start (log above)" >&2
      failures=$((failures + 1))
    fi
    rm -rf "$wstate"
  fi
fi
rm -f "$weed_log"
exit $((failures > 0))
