# verify: a clean tree has no problems; a damaged or missing object is reported by name
# with exit code 4, and reading the damaged data fails the same way.
source "$(dirname "$0")/lib.sh" "$@"

SRC="$WORK/src"
mkdir -p "$SRC"
rand_file "$SRC/a.bin" $((5 * 1024 * 1024)) 3
echo small > "$SRC/small.txt"
ok init
ok store "$SRC"
ok put key value
ok verify
out_has "no problems"
ok -q verify
[ ! -s "$OUT" ] && [ ! -s "$ERR" ] || fail "-q verify printed something on success"

# damage FILE STEP: flips one byte every STEP bytes of FILE, in place.
damage() {
  python3 - "$1" "$2" <<'PY'
import sys
path, step = sys.argv[1], int(sys.argv[2])
data = bytearray(open(path, "rb").read())
for i in range(0, len(data), step):
    data[i] ^= 0x5a
open(path, "wb").write(bytes(data))
PY
}

objects=$(find "$INFINITREE_STORE" -type f -regextype posix-extended -regex '.*/[0-9a-f]{64}' | sort)
[ -n "$objects" ] || fail "no object files found"
reported=0
for obj in $objects; do
  name=$(basename "$obj")
  cp -p "$obj" "$WORK/backup"
  chmod u+w "$obj"
  # Flip a byte every 64 bytes: every chunk is hit, wherever it lies (the rest is padding).
  damage "$obj" 64
  it verify
  if [ "$CODE" -eq 4 ]; then
    # Reported: named in a problem line or in the error that stopped the open.
    grep -q "$name" "$OUT" "$ERR" || fail "verify did not name the damaged object $name"
    reported=$((reported + 1))
  else
    # Not reported: then nothing any commit needs is in it (e.g. the first, superseded
    # index object written by init), and every version still reads back exactly.
    [ "$CODE" -eq 0 ] || fail "verify exited $CODE with $name damaged"
    rm -rf "$WORK/check"
    ok restore "$WORK/check"
    python3 "$(dirname "$0")/tree_compare.py" "$SRC" "$WORK/check" > "$OUT" || fail "undetected damage in $name changed the data"
    ok get key
    out_is value
  fi
  cp -p "$WORK/backup" "$obj"
done
[ "$reported" -ge 3 ] || fail "only $reported damaged objects were reported"
ok verify
out_has "no problems"

# A damaged data object: verify names it in a problem line, and restore fails with 4.
data_obj=""
for obj in $objects; do
  cp -p "$obj" "$WORK/backup"
  damage "$obj" 64
  it verify
  if [ "$CODE" -eq 4 ] && grep -q "^problem: .*$(basename "$obj")" "$OUT"; then data_obj=$obj; break; fi
  cp -p "$WORK/backup" "$obj"
done
[ -n "$data_obj" ] || fail "no object's damage was reported as a problem line"
code 4 restore "$WORK/out"
cp -p "$WORK/backup" "$data_obj"

# A missing object.
mv "$data_obj" "$WORK/moved"
code 4 verify
out_has "$(basename "$data_obj")"
mv "$WORK/moved" "$data_obj"
ok verify
done_ok
