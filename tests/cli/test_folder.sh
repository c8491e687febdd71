# store/restore: bit-exact round trips (0 B, 1 B, MiB of random, zero-filled and sparse
# files), symlinks, permissions, mtimes, empty folders; dedup of a file changed in the
# middle; history of snapshots; restore of old versions.
source "$(dirname "$0")/lib.sh" "$@"
COMPARE="python3 $(dirname "$0")/tree_compare.py"

SRC="$WORK/src"
mkdir -p "$SRC/docs/deep/er" "$SRC/empty-dir" "$SRC/ro-dir" "$SRC/bin"
: > "$SRC/zero-bytes"
printf 'x' > "$SRC/one-byte"
rand_file "$SRC/big.bin" $((6 * 1024 * 1024 + 123)) 7
dd if=/dev/zero of="$SRC/zeros.bin" bs=1M count=5 status=none
truncate -s 20M "$SRC/sparse.img"
printf 'island in the middle' | dd of="$SRC/sparse.img" bs=1 seek=$((10 * 1024 * 1024)) conv=notrunc status=none
for i in $(seq 1 30); do echo "line $i of a small text file" >> "$SRC/docs/notes.txt"; done
echo "deep" > "$SRC/docs/deep/er/file.txt"
printf '#!/bin/sh\necho hi\n' > "$SRC/bin/script.sh"; chmod 0755 "$SRC/bin/script.sh"
echo secret > "$SRC/secret"; chmod 0600 "$SRC/secret"
echo frozen > "$SRC/ro-dir/inside"; chmod 0444 "$SRC/ro-dir/inside"
ln -s docs/notes.txt "$SRC/link-relative"
ln -s /etc/hostname "$SRC/link-absolute"
ln -s does/not/exist "$SRC/link-dangling"
ln -s ../docs "$SRC/bin/link-to-dir"
echo "name with spaces" > "$SRC/docs/a file with spaces.txt"
touch -d "2001-02-03 04:05:06.123456789" "$SRC/docs/notes.txt"
chmod 0555 "$SRC/ro-dir"
chmod 0750 "$SRC/docs"

ok init
ok store "$SRC" -m "first snapshot"
out_has "committed"
out_has "3 symlinks\|4 symlinks"
FIRST=$(head_id)
ok restore "$WORK/out1"
$COMPARE "$SRC" "$WORK/out1" > "$OUT" || fail "restored tree differs"
diff -r --no-dereference "$SRC" "$WORK/out1" > "$OUT" || fail "diff -r found differences"

# Holes stay holes (when the file system made the source sparse).
src_blocks=$(stat -c %b "$SRC/sparse.img")
if [ "$src_blocks" -lt 2048 ]; then
  out_blocks=$(stat -c %b "$WORK/out1/sparse.img")
  [ "$out_blocks" -lt 4096 ] || fail "sparse.img restored with $out_blocks blocks"
fi

# Storing the same folder again changes nothing.
ok store "$SRC"
out_has "nothing changed"
# -q: a successful store prints nothing at all.
ok -q store "$SRC"
[ ! -s "$OUT" ] && [ ! -s "$ERR" ] || fail "-q store printed something"
ok store -q "$SRC" --no-commit
[ ! -s "$OUT" ] && [ ! -s "$ERR" ] || fail "store -q --no-commit printed something"
ok -q restore "$WORK/out-quiet"
[ ! -s "$OUT" ] && [ ! -s "$ERR" ] || fail "-q restore printed something"

# Change 100 bytes in the middle of big.bin: only chunks near the change are new.
chmod u+w "$SRC"
printf '%0100d' 0 | dd of="$SRC/big.bin" bs=1 seek=$((3 * 1024 * 1024)) conv=notrunc status=none
rm "$SRC/one-byte"
echo "new file" > "$SRC/added.txt"
ok store "$SRC" -m "second snapshot"
out_has "entries added 1, changed 2, removed 1"   # big.bin and the root folder's mtime
SECOND=$(head_id)
new_kib=$(sed -n 's/.*new after dedup \([0-9.]*\) \(KiB\|MiB\|B\).*/\1 \2/p' "$OUT")
python3 - "$new_kib" <<'PY' || fail "too much new data after a 100-byte change: $new_kib"
import sys
v, unit = sys.argv[1].split()
mib = float(v) / (1024 if unit == "KiB" else 1 if unit == "MiB" else 1024 * 1024)
sys.exit(0 if mib < 4.5 else 1)
PY
ok stats
ratio=$(sed -n 's/^dedup ratio: *\([0-9.]*\)x.*/\1/p' "$OUT")
python3 -c "import sys; sys.exit(0 if float('$ratio') > 1.5 else 1)" || fail "dedup ratio $ratio, expected > 1.5"

ok diff "$FIRST" "$SECOND"
out_has "M big.bin"
out_has "+ added.txt"
out_has "- one-byte"

# Both versions restore exactly.
ok restore "$WORK/out2"
$COMPARE "$SRC" "$WORK/out2" > "$OUT" || fail "second snapshot differs"
ok restore --at "$FIRST" "$WORK/out-first"
[ -f "$WORK/out-first/one-byte" ] && [ ! -e "$WORK/out-first/added.txt" ] || fail "old snapshot has the wrong files"
cmp -s "$WORK/out1/big.bin" "$WORK/out-first/big.bin" || fail "old big.bin differs"
ok checkout "$FIRST" restore "$WORK/out-first-co"
cmp -s "$WORK/out1/big.bin" "$WORK/out-first-co/big.bin" || fail "checkout restore differs"

# Restoring onto a non-empty folder needs --overwrite.
code 6 restore "$WORK/out2"
echo clobber > "$WORK/out2/added.txt"
ok restore --overwrite "$WORK/out2"
$COMPARE "$SRC" "$WORK/out2" > "$OUT" || fail "--overwrite restore differs"

# --reread reads everything again and stores nothing new.
ok store "$SRC" --reread --no-commit
out_has "new after dedup 0 B"

# A store inside the folder it snapshots is left out of the snapshot.
mkdir "$WORK/self"; echo a > "$WORK/self/a"
INFINITREE_STORE="$WORK/self/store" ok init
INFINITREE_STORE="$WORK/self/store" ok store "$WORK/self"
INFINITREE_STORE="$WORK/self/store" ok ls --field files
out_is "$(printf '.\na')"

# Files the store cannot read are skipped with a warning and exit 7 (not as root).
if [ "$(id -u)" -ne 0 ]; then
  echo hidden > "$SRC/unreadable"; chmod 000 "$SRC/unreadable"
  code 7 store "$SRC"
  err_has "unreadable"
  rm -f "$SRC/unreadable"
fi

# Sockets, FIFOs and devices are ignored with a note, not an error.
mkfifo "$SRC/a-fifo"
ok store "$SRC"
err_has "ignoring .*a-fifo"
rm "$SRC/a-fifo"

code 2 store "$WORK/no-such-folder"
code 1 store "$SRC/secret"     # not a folder
done_ok
