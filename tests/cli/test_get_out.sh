# get KEY --out FILE writes a temporary file beside FILE and renames it into place: a read
# error leaves FILE as it was (missing, an old file, or a symlink with its target
# untouched) and no temporary file behind; success replaces a symlink itself, never its
# target; a device is written in place (issue 11).
source "$(dirname "$0")/lib.sh" "$@"
D="$WORK/out"
mkdir -p "$D"
rand_file "$WORK/big" $((9 * 1024 * 1024)) 5

ok init
ok put big --file "$WORK/big"
ok put small tiny-value

# only_these NAMES...: the output folder holds exactly these entries (no temporary files).
only_these() {
  local want got
  want=$(printf '%s\n' "$@" | sort)
  got=$(ls -A "$D" | sort)
  [ "$got" = "$want" ] || fail "the output folder holds '$got', expected '$want'"
}

# Success: a new file, an existing file, a symlink (replaced, target untouched), a device.
ok get big --out "$D/new"
same_file "$WORK/big" "$D/new"
echo before > "$D/existing"
ok get small --out "$D/existing"
[ "$(cat "$D/existing")" = tiny-value ] || fail "existing file not replaced"
echo "target content" > "$WORK/target"
ln -s "$WORK/target" "$D/link"
ok get small --out "$D/link"
[ ! -L "$D/link" ] && [ "$(cat "$D/link")" = tiny-value ] || fail "the symlink was not replaced by the file"
[ "$(cat "$WORK/target")" = "target content" ] || fail "get wrote through the symlink"
ok get big --out /dev/null
[ -c /dev/null ] || fail "/dev/null is no longer a device"
(cd "$D" && "$BIN" get small --out relative) || fail "relative --out failed"
[ "$(cat "$D/relative")" = tiny-value ] || fail "relative --out wrong"
only_these new existing link relative
rm -f "$D"/*

# damage FILE: flips one byte every 64 (as test_verify.sh does).
damage() {
  python3 - "$1" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
for i in range(0, len(data), 64):
    data[i] ^= 0x5a
open(sys.argv[1], "wb").write(bytes(data))
PY
}

# Find an object whose damage breaks reading the stream but not opening the tree.
objects=$(find "$INFINITREE_STORE" -type f -regextype posix-extended -regex '.*/[0-9a-f]{64}' | sort)
broken=""
for obj in $objects; do
  cp -p "$obj" "$WORK/backup"
  chmod u+w "$obj"
  damage "$obj"
  it ls
  if [ "$CODE" -eq 0 ]; then
    it get big --out "$D/probe"
    if [ "$CODE" -eq 4 ]; then broken=$obj; break; fi
  fi
  cp -p "$WORK/backup" "$obj"
  rm -f "$D/probe"
done
[ -n "$broken" ] || fail "no object holds only stream data"
only_these   # the failed probe left nothing

# A read error: a missing FILE stays missing; an old FILE keeps its content; a symlink
# FILE stays a link to an untouched target. No temporary file is left.
code 4 get big --out "$D/missing"
[ ! -e "$D/missing" ] || fail "a partial file was left behind"
echo before > "$D/existing"
code 4 get big --out "$D/existing"
[ "$(cat "$D/existing")" = before ] || fail "the existing file was damaged by a failed get"
ln -s "$WORK/target" "$D/link"
code 4 get big --out "$D/link"
[ -L "$D/link" ] && [ "$(readlink "$D/link")" = "$WORK/target" ] || fail "the symlink was removed"
[ "$(cat "$WORK/target")" = "target content" ] || fail "the symlink's target was damaged"
only_these existing link
cp -p "$WORK/backup" "$broken"

# Where no file can be made: a clear error, and nothing touched.
code 2 get small --out "$WORK/no/such/folder/f"
mkdir "$D/adir"
code 7 get small --out "$D/adir"
[ -d "$D/adir" ] || fail "a folder was replaced"
only_these existing link adir
done_ok
