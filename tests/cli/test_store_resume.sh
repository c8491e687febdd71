# A store killed half way and run again sends far fewer bytes the second time: the checkpoint
# commits (store --checkpoint) made what was uploaded durable and known to the dedup index.
# The store is killed (SIGKILL) right after a checkpoint that came once half the data was
# read; the bytes each run added to the store folder are compared, and the result restores
# bit for bit.
source "$(dirname "$0")/lib.sh" "$@"

SRC="$WORK/src"
mkdir -p "$SRC"
FILES=64 SIZE=$((8 << 20))
for i in $(seq 1 $FILES); do rand_file "$SRC/f$i" $SIZE $i; done
TOTAL=$((FILES * SIZE))
ok init
store_bytes() { du -sb "$INFINITREE_STORE" | cut -f1; }
checkpoints() { "$BIN" log --oneline 2>/dev/null | grep -c '(checkpoint)$' || true; }
S0=$(store_bytes)

# One file at a time and a checkpoint every second; progress events tell how far it got.
"$BIN" --json store "$SRC" --threads 1 --checkpoint 1s >"$WORK/run1.out" 2>"$WORK/run1.err" &
pid=$!
half_at=-1 killed=0
while kill -0 "$pid" 2>/dev/null; do
  sleep 0.1
  kill -STOP "$pid" 2>/dev/null || break
  done_bytes=$(tail -n 1 "$WORK/run1.err" | python3 -c 'import json,sys
try: print(json.loads(sys.stdin.read())["bytes_done"])
except Exception: print(0)')
  n=$(checkpoints)
  if [ "$half_at" -ge 0 ] && [ "$n" -gt "$half_at" ]; then
    kill -KILL "$pid"; killed=1; break
  fi
  if [ "$half_at" -lt 0 ] && [ $((done_bytes * 2)) -ge $TOTAL ]; then half_at=$n; fi
  kill -CONT "$pid"
done
wait "$pid" 2>/dev/null || true
[ "$killed" = 1 ] || fail "the store finished before a checkpoint after half way (machine too fast for $TOTAL bytes?)"
S1=$(store_bytes)
first=$((S1 - S0))
"$BIN" log --oneline > "$OUT"
! grep -v '(checkpoint)$' "$OUT" | grep -q 'store ' || fail "the killed store committed its snapshot"
ok snapshots
out_lacks "$SRC"   # checkpoints are not snapshots

# The second run: same folder, default options.
ok --json store "$SRC"
cp "$OUT" "$WORK/run2.json"
S2=$(store_bytes)
second=$((S2 - S1))
python3 - "$WORK/run2.json" "$TOTAL" "$first" "$second" <<'PY' || fail "the second run re-sent what the first uploaded"
import json, sys
j = json.load(open(sys.argv[1]))
total, first, second = map(int, sys.argv[2:5])
print(f"first run (killed) added {first} bytes to the store, the second {second}; "
      f"second run: read {j['bytes_read']}, new after dedup {j['bytes_new']} of {total}")
assert j["bytes_read"] == total, j            # every file read again (none was in a snapshot) ...
assert j["bytes_new"] <= total // 2, j        # ... but at least half of it was already stored
assert first >= total // 2, first             # random data: the first run really sent half
assert second < first, (first, second)        # far fewer bytes the second time
assert second < total * 0.6, second
PY
ok snapshots --json
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert len(s) == 1, s' "$OUT" || fail "expected one snapshot"

# What was stored across the two runs restores bit for bit.
ok restore "$WORK/back"
diff -r "$SRC" "$WORK/back" >/dev/null || fail "the restore differs from the source"
ok verify
done_ok
