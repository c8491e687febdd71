# snapshots: the store commits with the host, folder and tags recorded at store time, and
# the --host/--tag/--path filters (as `restic snapshots`), in text and JSON.
source "$(dirname "$0")/lib.sh" "$@"

mkdir -p "$WORK/a" "$WORK/b"
echo one > "$WORK/a/f"
echo two > "$WORK/b/g"
ok init
ok snapshots
[ ! -s "$OUT" ] || fail "snapshots of an empty tree printed something"
ok store "$WORK/a" --host laptop --tag daily --tag home -m "a daily"
ok put k v                                     # not a snapshot
ok store "$WORK/b" --host server --tag daily -m "b daily"
ok store "$WORK/a" --tag weekly -m "a weekly"  # default host: this machine's
ok snapshots
[ "$(grep -c '^[0-9a-f]\{12\} ' "$OUT")" -eq 3 ] || fail "expected 3 snapshots"
out_has "laptop .*$WORK/a  \[daily,home\]"
out_has "server .*$WORK/b  \[daily\]"
out_has "$(hostname) .*$WORK/a  \[weekly\]"
ok snapshots --host laptop
[ "$(grep -c '^[0-9a-f]\{12\} ' "$OUT")" -eq 1 ] && out_has laptop || fail "--host laptop"
ok snapshots --tag daily
[ "$(grep -c '^[0-9a-f]\{12\} ' "$OUT")" -eq 2 ] || fail "--tag daily"
ok snapshots --tag daily --tag home
[ "$(grep -c '^[0-9a-f]\{12\} ' "$OUT")" -eq 1 ] && out_has laptop || fail "--tag daily --tag home"
ok snapshots --path "$WORK/a"
[ "$(grep -c '^[0-9a-f]\{12\} ' "$OUT")" -eq 2 ] || fail "--path"
ok snapshots --host nowhere
[ ! -s "$OUT" ] || fail "--host nowhere listed something"
ok snapshots HEAD~1                             # from an older commit: b and the first a
[ "$(grep -c '^[0-9a-f]\{12\} ' "$OUT")" -eq 2 ] || fail "snapshots HEAD~1"

ok snapshots --json --tag daily
python3 - "$OUT" "$WORK" <<'PY' || fail "snapshots --json"
import json, sys
d = json.load(open(sys.argv[1]))
work = sys.argv[2]
assert [(s["host"], s["path"], s["tags"], s["files"]) for s in d] == [
    ("server", work + "/b", ["daily"], 1), ("laptop", work + "/a", ["daily", "home"], 1)], d
assert d[0]["commit"]["message"] == "b daily" and d[0]["bytes"] == 4
assert d[0]["commit"]["stats"]["host"] == "server"
PY
echo "test_snapshots: $TESTS checks passed"
