# store --exclude/--exclude-file/--exclude-caches/--one-file-system: what each leaves out
# (as restic does), checked by listing the snapshot's entries and by restoring it.
source "$(dirname "$0")/lib.sh" "$@"

SRC="$WORK/src"
mkdir -p "$SRC/src/deep" "$SRC/build/obj" "$SRC/cache" "$SRC/node_modules/pkg" "$SRC/docs/a/b"
echo main > "$SRC/src/main.c"
echo obj > "$SRC/src/main.o"
echo deep > "$SRC/src/deep/x.o"
echo out > "$SRC/build/obj/out.bin"
echo pkg > "$SRC/node_modules/pkg/index.js"
echo draft > "$SRC/docs/a/b/draft"
echo keep > "$SRC/docs/keep.md"
echo tmp > "$SRC/notes.tmp"
printf 'Signature: 8a477f597d28d172789f06886806bc55\n# a cache\n' > "$SRC/cache/CACHEDIR.TAG"
echo cached > "$SRC/cache/blob"
mkdir -p "$SRC/fake-cache"
echo "Signature: not the right one" > "$SRC/fake-cache/CACHEDIR.TAG"

# entries: the keys of the snapshot field, one per line.
entries() { "$BIN" ls --field files "$@"; }

ok init
ok store "$SRC" -m all
entries > "$WORK/all"
grep -qx "src/main.o" "$WORK/all" || fail "the first snapshot lacks src/main.o"

# Name patterns match at any depth; a '/' pattern matches the relative path; an excluded
# folder goes with everything in it.
ok store "$SRC" -e '*.o' --exclude node_modules --exclude /build --exclude 'docs/*/draft' -m excl
entries > "$WORK/excl"
for gone in src/main.o src/deep/x.o node_modules node_modules/pkg/index.js build build/obj/out.bin docs/a/b/draft; do
  ! grep -qx "$gone" "$WORK/excl" || fail "--exclude kept $gone"
done
for kept in src/main.c src/deep docs/keep.md docs/a/b notes.tmp cache/blob; do
  grep -qx "$kept" "$WORK/excl" || fail "--exclude dropped $kept"
done

# --exclude-file: one pattern per line, comments and blank lines skipped.
printf '# patterns\n\n*.tmp\n  src/deep\n' > "$WORK/patterns"
ok store "$SRC" --exclude-file "$WORK/patterns"
entries > "$WORK/file"
! grep -qx "notes.tmp" "$WORK/file" || fail "--exclude-file kept notes.tmp"
! grep -qx "src/deep/x.o" "$WORK/file" || fail "--exclude-file kept src/deep/x.o"
grep -qx "src/main.o" "$WORK/file" || fail "--exclude-file dropped src/main.o"
code 2 store "$SRC" --exclude-file "$WORK/no-such-file"
code 1 store "$SRC" --exclude ''

# --exclude-caches: a folder with a valid CACHEDIR.TAG is left out, one with another
# signature is kept.
ok store "$SRC" --exclude-caches
entries > "$WORK/caches"
! grep -q "^cache" "$WORK/caches" || fail "--exclude-caches kept cache/"
grep -qx "fake-cache/CACHEDIR.TAG" "$WORK/caches" || fail "--exclude-caches dropped fake-cache"

# The restore of an excluded snapshot has exactly what was kept.
ok store "$SRC" -e '*.o' -e cache -m "for restore"
ok restore "$WORK/out"
[ -f "$WORK/out/src/main.c" ] && [ ! -e "$WORK/out/src/main.o" ] && [ ! -e "$WORK/out/cache" ] ||
  fail "the restore does not match the exclusions"

# --one-file-system: a tmpfs mounted inside the folder is left out (needs mount rights).
if mkdir -p "$SRC/mnt" && mount -t tmpfs none "$SRC/mnt" 2>/dev/null; then
  echo other-fs > "$SRC/mnt/file"
  ok store "$SRC" --one-file-system
  entries > "$WORK/onefs"
  umount "$SRC/mnt"
  ! grep -q "^mnt" "$WORK/onefs" || fail "--one-file-system crossed into the tmpfs"
  grep -qx "src/main.c" "$WORK/onefs" || fail "--one-file-system dropped src/main.c"
else
  echo "skipped the --one-file-system check: cannot mount a tmpfs here"
fi

echo "test_store_exclude: $TESTS checks passed"
