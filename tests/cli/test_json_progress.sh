# --json on store and restore: progress events on stderr as JSON lines (stdout keeps the one
# result document). Every line parses, counters only grow, and the last event, always there
# with "done": true, agrees with the summary.
source "$(dirname "$0")/lib.sh" "$@"

SRC="$WORK/src"
mkdir -p "$SRC/sub"
for i in 1 2 3 4 5 6; do rand_file "$SRC/sub/f$i" $((24 << 20)) $i; done
echo small > "$SRC/small"
ok init

# check_events ERR SUMMARY COMMAND BYTES_KEY ITEMS: the events of one run against its summary.
check_events() {
  python3 - "$@" <<'PY'
import json, sys
err, summary, command, bytes_key, items = sys.argv[1:6]
s = json.load(open(summary))
events = [json.loads(line) for line in open(err) if line.strip()]   # every line is JSON
assert events, "no progress events"
for e in events:
    assert e["type"] == "progress" and e["command"] == command, e
    for k in ("seconds", "bytes_done", "items_done", "bytes_per_second"):
        assert isinstance(e[k], (int, float)) and e[k] >= 0, (k, e)
for a, b in zip(events, events[1:]):
    assert b["bytes_done"] >= a["bytes_done"] and b["items_done"] >= a["items_done"], (a, b)
    assert b["seconds"] >= a["seconds"], (a, b)
*running, last = events
assert last["done"] is True and not any(e["done"] for e in running), events
assert last["bytes_done"] == s[bytes_key] == last["bytes_total"], (last, s)
assert last["items_done"] == last["items_total"] == int(items), last
assert last["percent"] == 100.0 and last["eta_seconds"] is None, last
# A run over 1.5 s has had time for at least one event before the last (they come every second).
if s["seconds"] >= 1.5:
    assert running, "a %.1f s run printed no event before the end" % s["seconds"]
    assert all(e["bytes_total"] == last["bytes_total"] for e in running), running
print("%s: %d events over %.2f s" % (command, len(events), s["seconds"]))
PY
}

# One file at a time, so the run is long enough for events on the way.
"$BIN" --json store "$SRC" --threads 1 >"$WORK/store.json" 2>"$WORK/store.err" || fail "store --json failed"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/store.json" || fail "stdout is not one JSON document"
check_events "$WORK/store.err" "$WORK/store.json" store bytes_read 7 || fail "store progress events"

"$BIN" --json restore "$WORK/back" --threads 1 >"$WORK/restore.json" 2>"$WORK/restore.err" || fail "restore --json failed"
check_events "$WORK/restore.err" "$WORK/restore.json" restore bytes 7 || fail "restore progress events"
diff -r "$SRC" "$WORK/back" >/dev/null || fail "the restore differs"

# Nothing to read (all unchanged): still one final event, with nothing done and no total.
"$BIN" --json store "$SRC" >"$WORK/again.json" 2>"$WORK/again.err" || fail "second store failed"
python3 - "$WORK/again.err" <<'PY' || fail "the final event of an empty run"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert len(events) == 1 and events[0]["done"] and events[0]["bytes_done"] == 0, events
assert events[0]["bytes_total"] is None and events[0]["percent"] is None, events
PY

# -q silences the events; without --json, a redirected stderr gets no progress at all.
"$BIN" --json -q restore "$WORK/back2" >/dev/null 2>"$WORK/quiet.err" || fail "restore -q failed"
[ ! -s "$WORK/quiet.err" ] || fail "--json -q printed progress: $(head -2 "$WORK/quiet.err")"
"$BIN" restore "$WORK/back3" >/dev/null 2>"$WORK/plain.err" || fail "restore failed"
[ ! -s "$WORK/plain.err" ] || fail "progress on a redirected stderr without --json"
TESTS=$((TESTS + 6))
done_ok
