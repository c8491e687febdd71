# forget, prune and the space figures of stats: forget by name and by policy (with
# --dry-run), log across a forgotten parent, prune reclaiming object files (with and without
# a grace period), -q, and the usage errors (exit 1) and refusals of heads and tags.
source "$(dirname "$0")/lib.sh" "$@"

# Object files in the store: 64 hex digits, one 4 MiB file each.
count_objects() { find "$INFINITREE_STORE" -type f -regextype posix-extended -regex '.*/[0-9a-f]{64}' | wc -l; }
# The value of a "name: N ..." line of the last stdout.
field() { grep "^$1" "$OUT" | head -1 | sed -E "s/^$1 *//" | cut -d' ' -f1; }

SRC="$WORK/src"
mkdir -p "$SRC"
echo small > "$SRC/small.txt"
ok init
# Three snapshots, each with 6 MiB of new random data in big.bin, then a put.
for i in 1 2 3; do
  rand_file "$SRC/big.bin" $((6 * 1024 * 1024)) "$i"
  ok store -m "snapshot $i" "$SRC"
done
ok put key value -m "a put"
ok log  # full ids: forget prints those
C4=$(grep '^commit ' "$OUT" | sed -n 1p | cut -d' ' -f2)
C3=$(grep '^commit ' "$OUT" | sed -n 2p | cut -d' ' -f2)
C2=$(grep '^commit ' "$OUT" | sed -n 3p | cut -d' ' -f2)
C1=$(grep '^commit ' "$OUT" | sed -n 4p | cut -d' ' -f2)
[ -n "$C1" ] && [ "$(grep -c "^commit " "$OUT")" -eq 4 ] || fail "expected 4 commits"

# ---- Usage errors: exit 1 before anything is opened.
code 1 forget
err_has "needs commits to forget or at least one --keep-"
code 1 forget "$C1" --keep-last 1
err_has "not both"
code 1 forget --keep-last 0
err_has "every --keep-\* rule is 0"
code 1 forget --keep-last -1
code 1 forget --keep-last lots
err_has "keep-last"
code 1 forget --keep-within 7x
err_has "unknown unit 'x'"
code 1 forget --keep-within 7
err_has "needs a unit"
code 1 forget --keep-within 0
err_has "above zero"
code 1 forget --keep-last 1 --grace 0
err_has "go with --prune"
code 1 forget --keep-last 1 --prune --repack-below 101
err_has "percentage from 0 to 100"
code 1 prune --repack-below abc
code 1 prune --repack-below -5
code 1 prune --grace 15
err_has "needs a unit"
code 1 prune extra
code 1 prune --bogus
# Nothing was forgotten by any of them.
ok log --oneline
[ "$(wc -l < "$OUT")" -eq 4 ] || fail "a refused forget changed the history"

# ---- Refusals: a branch head and a tagged commit are invalid arguments (exit 1); an
# unknown commit is not found (exit 2).
code 1 forget HEAD
err_has "head of branch"
code 1 forget "$C4"
ok tag keepme "$C2"
code 1 forget "$C2"
err_has "tagged 'keepme'"
code 2 forget 0123456789abcdef
ok tag -d keepme

# ---- forget by name, dry run first: lists and changes nothing.
ok forget --dry-run "$C2"
out_has "would forget 1 commit:"
out_has "  $C2 .* snapshot 2"
out_has "would keep 3 commits:"
out_has "  $C3 .* snapshot 3"
ok log --oneline
out_has "^${C2:0:12} "
ok forget "$C2"
out_has "forgot 1 commit:"
out_has "$C2"
out_has "kept 3 commits"
ok log
out_lacks "^commit $C2"
out_has "parent $C2 (forgotten)"
out_has "^commit $C1"       # log walks past the gap
ok log --oneline
out_has "^${C3:0:12} .*snapshot 3 (parent forgotten)"
code 2 show "$C2"           # a forgotten commit no longer opens
err_has "forgotten"
code 2 ls --field files --at "$C2"
ok diff "$C1" "$C3"         # diff across the gap
out_has "M big.bin"
code 2 forget "$C2"         # already gone

# ---- forget by policy: --keep-within keeps all (they are seconds apart); --keep-last 1
# keeps only the head.
ok forget --keep-within 1h --dry-run
out_has "would forget 0 commits:"
ok forget --keep-last 2 --dry-run
out_has "would keep 2 commits:"
out_has "  $C4 "
out_has "  $C3 "
out_has "would forget 1 commit:"
out_has "  $C1 "
ok stats
out_has "^live bytes:"
out_has "^garbage bytes:"
out_has "^pending deletion: *0 objects"
# reclaimable: the objects prune would delete plus those it would repack.
reclaimable() { sed -nE 's/^prune would: *delete ([0-9]+) objects, repack ([0-9]+) .*/\1 \2/p' "$OUT" | awk '{print $1 + $2}'; }
reclaimable_before=$(reclaimable)
[ -n "$reclaimable_before" ] || fail "stats has no 'prune would: delete N objects, repack M' line"
ok -q forget --keep-last 1
[ ! -s "$OUT" ] || fail "-q forget printed something on success"
ok log --oneline
[ "$(wc -l < "$OUT")" -eq 1 ] && out_has "^${C4:0:12} " || fail "keep-last 1 should leave only $C4"

# ---- stats shows what prune would reclaim; a dry run changes nothing.
ok stats
deletable=$(sed -nE 's/^prune would: *delete ([0-9]+) objects.*/\1/p' "$OUT")
[ "$(reclaimable)" -ge $((reclaimable_before + 2)) ] ||
  fail "stats: forgetting 12 MiB of snapshots should give prune 2 or more objects more ($reclaimable_before before, $(reclaimable) after)"
before=$(count_objects)
ok prune --dry-run
out_has "prune would delete $deletable objects"
[ "$(count_objects)" -eq "$before" ] || fail "prune --dry-run changed the store"

# ---- prune with the default grace period: deletions are only scheduled.
ok prune
out_has "^objects deleted: *0 "
deferred=$(field "objects deferred:")
[ "$deferred" -ge "$deletable" ] && [ "$deferred" -ge 2 ] || fail "expected $deletable or more deferred deletions, got $deferred"
[ "$(count_objects)" -ge "$before" ] || fail "prune deleted objects inside the grace period"
ok stats
out_has "^pending deletion: *$deferred objects"
ok verify
out_has "no problems"

# ---- A second history on a fresh store: prune --grace 0 deletes at once.
export INFINITREE_STORE="$WORK/store2"
ok init
for i in 1 2 3; do
  rand_file "$SRC/big.bin" $((6 * 1024 * 1024)) "$((i + 10))"
  ok -q store -m "snapshot $i" "$SRC"
done
before=$(count_objects)
ok forget --keep-last 1 --prune --grace 0
out_has "forgot 2 commits:"
deleted=$(field "objects deleted:")
after=$(count_objects)
echo "prune --grace 0: $before object files before, $after after, $deleted deleted"
[ "$deleted" -ge 2 ] || fail "expected 2 or more objects deleted, got $deleted"
[ "$after" -le $((before - 2)) ] || fail "the store did not shrink: $before -> $after object files"
ok stats
out_has "^pending deletion: *0 objects"
ok verify
out_has "no problems"
rm -rf "$WORK/check"
ok restore "$WORK/check"
python3 "$(dirname "$0")/tree_compare.py" "$SRC" "$WORK/check" > "$OUT" || fail "restore after prune differs"
# A store after the prune reuses the unchanged files' streams through their new refs, and
# every version restores.
ok -q store -m "after prune" "$SRC"
rm -rf "$WORK/check"
ok restore "$WORK/check"
python3 "$(dirname "$0")/tree_compare.py" "$SRC" "$WORK/check" > "$OUT" || fail "restore of a store after prune differs"
ok verify
# -q: nothing on success.
ok -q prune --grace 0
[ ! -s "$OUT" ] && [ ! -s "$ERR" ] || fail "-q prune printed something on success"
done_ok
