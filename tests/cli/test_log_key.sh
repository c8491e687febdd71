# log --key: the commits that changed one key, newest first, with the value each left.
source "$(dirname "$0")/lib.sh" "$@"

ok init
ok put color red -m "red"
ok put other 1 -m "unrelated"
ok put color blue -m "blue"
ok del color -m "gone"
ok put color green -m "green"
ok log --key color
out_has "green"
out_has "(removed)"
[ "$(grep -c '^[0-9a-f]\{32\} ' "$OUT")" -eq 4 ] || fail "expected 4 changes of color"
# Newest first: green before blue before red; the unrelated commit is not listed.
[ "$(grep -n 'green$' "$OUT" | head -1 | cut -d: -f1)" -lt "$(grep -n 'red$' "$OUT" | tail -1 | cut -d: -f1)" ] ||
  fail "not newest first"
grep -q "unrelated" "$OUT" && fail "an unrelated commit is listed"
ok log --key color -n 1
[ "$(grep -c '^[0-9a-f]\{32\} ' "$OUT")" -eq 1 ] || fail "-n 1 listed more"
ok log --key nothere
[ ! -s "$OUT" ] || fail "a key never set has a history"
done_ok
