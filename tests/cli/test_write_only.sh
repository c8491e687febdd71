# write-only keys | store | sessions | import (docs/cli.md, "Write-only trees"): a writer
# holding only the write key (and no password) stores folders; its attempts to list or
# import fail with exit code 3; the owner lists the sessions, imports them into its tree
# (once each) and restores them byte-identical, next to its own snapshots; every object in
# the store is 4 MiB.
source "$(dirname "$0")/lib.sh" "$@"

R="$WORK/keys/read.key"
W="$WORK/keys/write.key"
mkdir -p "$WORK/keys"

# --- keys ------------------------------------------------------------------------------------
ok write-only keys --read-key-file "$R" --write-key-file "$W"
[ "$(stat -c %a "$R")" = 600 ] && [ "$(stat -c %a "$W")" = 600 ] || fail "key files are not 0600"
grep -q '^infinitree-read-key-1:[0-9a-f]\{128\}$' "$R" || fail "read key file: $(cat "$R")"
grep -q '^infinitree-write-key-1:[0-9a-f]\{128\}$' "$W" || fail "write key file: $(cat "$W")"
cp "$R" "$WORK/r.copy"; cp "$W" "$WORK/w.copy"
# Never replaces a key file, and leaves nothing half made.
code 6 write-only keys --read-key-file "$R" --write-key-file "$WORK/keys/other"
err_has "exists"
[ ! -e "$WORK/keys/other" ] || fail "a write key was written although the read key file exists"
code 6 write-only keys --read-key-file "$WORK/keys/new-read" --write-key-file "$W"
[ ! -e "$WORK/keys/new-read" ] || fail "the read key file was left behind"
same_file "$R" "$WORK/r.copy"; same_file "$W" "$WORK/w.copy"
code 1 write-only keys --read-key-file "$WORK/keys/x"
code 1 write-only keys --read-key-file "$WORK/keys/x" --write-key-file "$WORK/keys/x"

# --- the owner's tree, with a snapshot of its own ---------------------------------------------
OWN="$WORK/own"
mkdir -p "$OWN"; echo "the owner's file" > "$OWN/mine.txt"
ok init
ok store "$OWN" -m "owner's snapshot"
OWN_COMMIT=$(head_id)

# --- the writer: no password, no owner credentials --------------------------------------------
SRC="$WORK/src"
mkdir -p "$SRC/sub/deeper" "$SRC/empty-dir"
: > "$SRC/empty"
printf 'x' > "$SRC/one-byte"
for i in $(seq 1 200); do echo "line $i" >> "$SRC/sub/text.txt"; done
rand_file "$SRC/big.bin" $((5 * 1024 * 1024 + 321)) 11
rand_file "$SRC/sub/deeper/mid.bin" $((300 * 1024)) 12
ln -s sub/text.txt "$SRC/link"
SRC2="$WORK/src2"
mkdir -p "$SRC2"; echo "second night" > "$SRC2/night2.txt"

RUN_AS=(env -u INFINITREE_PASSWORD -u INFINITREE_USER -u INFINITREE_KDF)
ok write-only store "$SRC" --write-key-file "$W" -m "nightly" --host agent-1 --tag agent -q
out_is 0
ok write-only store "$SRC2" --write-key-command "cat $W" --host agent-1
out_is 1
err_has "write-only session 1"
# The writer cannot list or import, whichever option carries its key: exit code 3.
code 3 write-only sessions --read-key-file "$W"
err_has "write key"
code 3 write-only sessions --write-key-file "$W"
code 3 write-only import --read-key-file "$W"
code 3 write-only import --write-key-file "$W" --session 0
# Nor open the owner's tree (it has no credentials for it).
code 3 log --password-file /dev/null --allow-empty-password
# Bad keys and stores.
echo "not a key" > "$WORK/bad.key"
code 1 write-only store "$SRC" --write-key-file "$WORK/bad.key"
code 2 write-only store "$SRC" --write-key-file "$W" --store "$WORK/no-such-store"
code 1 write-only store "$SRC"
RUN_AS=()

# --- the owner lists, imports, restores ------------------------------------------------------
ok write-only sessions --read-key-file "$R"
out_has "^0 .* ok .*$SRC (agent-1)"
out_has "^1 .* ok .*$SRC2"
ok --json write-only sessions --read-key-command "cat $R"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [(s["session"], s["status"], s["commits"]) for s in d] == [(0,"ok",1),(1,"ok",1)], d' "$OUT" ||
  fail "sessions --json"

ok write-only import --read-key-file "$R" --session 0
out_has "session 0: imported as commit"
ok snapshots
out_has "agent-1"
out_has "$SRC"
out_has "$OWN"
ok restore "$WORK/out0"
diff -r --no-dereference "$SRC" "$WORK/out0" > "$OUT" || fail "the imported snapshot does not restore byte-identical"
# The owner's own snapshot is still there, as it was.
ok restore "$WORK/out-own" --at "$OWN_COMMIT"
diff -r "$OWN" "$WORK/out-own" > "$OUT" || fail "the owner's snapshot changed"
ok log
out_has "import write-only session 0: nightly"

# A second import of the same session is skipped, and commits nothing.
BEFORE=$(head_id)
ok write-only import --read-key-file "$R" --session 0
out_has "already imported"
[ "$(head_id)" = "$BEFORE" ] || fail "a second import committed"

# Every session: 0 is skipped, 1 imported; the snapshot at HEAD is exactly the second folder.
ok write-only import --read-key-file "$R"
out_has "session 0: already imported"
out_has "session 1: imported"
ok restore "$WORK/out1"
diff -r "$SRC2" "$WORK/out1" > "$OUT" || fail "session 1 does not restore as its folder alone"
ok restore "$WORK/out0b" --at HEAD~1
diff -r --no-dereference "$SRC" "$WORK/out0b" > "$OUT" || fail "session 0's snapshot changed"
code 2 write-only import --read-key-file "$R" --session 7

# --branch: onto a branch of its own (made at HEAD, so it knows what HEAD imported); the
# current branch and its head stay as they were.
SRC3="$WORK/src3"
mkdir -p "$SRC3"; echo "third night" > "$SRC3/night3.txt"
RUN_AS=(env -u INFINITREE_PASSWORD -u INFINITREE_USER -u INFINITREE_KDF)
ok write-only store "$SRC3" --write-key-file "$W" --host agent-2
out_is 2
RUN_AS=()
MAIN=$(head_id)
ok write-only import --read-key-file "$R" --branch agents
out_has "session 0: already imported"
out_has "session 2: imported"
ok branch
out_has "^\* main"
[ "$(head_id)" = "$MAIN" ] || fail "the import onto a branch moved main"
ok restore "$WORK/out-branch" --at agents
diff -r "$SRC3" "$WORK/out-branch" > "$OUT" || fail "import onto a branch"
ok snapshots agents --host agent-2
out_has "$SRC3"

ok verify

# Every object is 4 MiB: the inbox entries and the sessions' trees look like any other.
n=0
while read -r f; do
  [ "$(stat -c %s "$f")" -eq 4194304 ] || fail "object $f is not 4 MiB"
  n=$((n + 1))
done < <(find "$WORK/store" -type f ! -path '*/locks/*' ! -name '.tmp-*')
[ "$n" -gt 5 ] || fail "only $n objects in the store"
done_ok
