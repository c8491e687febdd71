# Issue 10: 100 CLI put commands make at most 2 index objects. Each command is a short-lived
# writer that hands its open index object to the next one (docs/space.md), so the store ends
# with the root object and at most 2 others (small values live in B-tree leaves, so there is
# no storage object to discount). The count is printed for the test log.
source "$(dirname "$0")/lib.sh" "$@"

count_objects() { find "$INFINITREE_STORE" -type f -regextype posix-extended -regex '.*/[0-9a-f]{64}' | wc -l; }

ok init
for i in $(seq 1 100); do
  ok -q put "key$i" "value $i"
done
total=$(count_objects)
echo "100 CLI put commands: $total object files in the store (the root object and $((total - 1)) others)"
[ "$total" -ge 2 ] || fail "expected the root object and an index object, found $total files"
[ "$((total - 1))" -le 2 ] || fail "100 puts made $((total - 1)) index objects, more than 2"
# Every put is there.
ok get key1
out_is "value 1"
ok get key100
out_is "value 100"
ok ls
[ "$(wc -l < "$OUT")" -eq 100 ] || fail "expected 100 keys"
ok log --oneline
[ "$(wc -l < "$OUT")" -eq 100 ] || fail "expected 100 commits"
done_ok
