# Shared helpers for the CLI end-to-end tests. Each test script is run by ctest as
#   bash tests/cli/test_X.sh /path/to/infinitree
# and sources this file. Failures print what was expected and the command's output.
set -euo pipefail

BIN=${1:?usage: $0 /path/to/infinitree}
[ -x "$BIN" ] || { echo "not executable: $BIN"; exit 1; }
BIN=$(realpath "$BIN")
BASE=${INFINITREE_TEST_TMP:-${TMPDIR:-/tmp}}
mkdir -p "$BASE"
WORK=$(mktemp -d "$BASE/cli-test.XXXXXX")
cleanup() { chmod -R u+rwx "$WORK" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# Cheap Argon2 costs for tests; the store and credentials every call uses by default.
export INFINITREE_KDF=fast
export INFINITREE_USER=tester
export INFINITREE_PASSWORD=correct-horse
export INFINITREE_STORE="$WORK/store"
unset INFINITREE_PASSWORD_FILE INFINITREE_AT INFINITREE_NEW_PASSWORD 2>/dev/null || true

OUT="$WORK/.out"
ERR="$WORK/.err"
TESTS=0

fail() {
  echo "FAIL: $*" >&2
  echo "--- stdout:" >&2; cat "$OUT" >&2 2>/dev/null || true
  echo "--- stderr:" >&2; cat "$ERR" >&2 2>/dev/null || true
  exit 1
}

# A command prefix for every CLI call (e.g. setpriv to run as another user); none by default.
RUN_AS=()

# it ARGS...: runs the CLI; stdout in $OUT, stderr in $ERR, exit code in $CODE.
it() {
  set +e
  "${RUN_AS[@]}" "$BIN" "$@" >"$OUT" 2>"$ERR"
  CODE=$?
  set -e
}

# ok ARGS...: the command must succeed.
ok() {
  it "$@"
  [ "$CODE" -eq 0 ] || fail "infinitree $* exited $CODE, expected 0"
  TESTS=$((TESTS + 1))
}

# code N ARGS...: the command must exit with N.
code() {
  local want=$1; shift
  it "$@"
  [ "$CODE" -eq "$want" ] || fail "infinitree $* exited $CODE, expected $want"
  TESTS=$((TESTS + 1))
}

# Assertions on the last command's output.
out_has() { grep -q -- "$1" "$OUT" || fail "stdout lacks '$1'"; }
out_lacks() { ! grep -q -- "$1" "$OUT" || fail "stdout has '$1'"; }
err_has() { grep -q -- "$1" "$ERR" || fail "stderr lacks '$1'"; }
out_is() { [ "$(cat "$OUT")" = "$1" ] || fail "stdout is '$(cat "$OUT")', expected '$1'"; }
same_file() { cmp -s "$1" "$2" || fail "files differ: $1 $2"; }

# The (full) id of the newest commit.
head_id() { "$BIN" log -n 1 | head -1 | cut -d' ' -f2; }

# Deterministic random bytes: rand_file PATH BYTES SEED
rand_file() {
  python3 - "$1" "$2" "$3" <<'PY'
import random, sys
path, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
r = random.Random(seed)
with open(path, "wb") as f:
    left = n
    while left:
        k = min(left, 1 << 20)
        f.write(r.randbytes(k))
        left -= k
PY
}

done_ok() { echo "ok: $TESTS checks in $(basename "$0")"; }
