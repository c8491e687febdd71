# git's ways of naming commits: HEAD~N, HEAD^, BRANCH~N, TAG^, unique prefixes, A..B ranges
# in log and diff, log --oneline's short ids, and the branch command (list, create,
# switch, delete), tag -d.
source "$(dirname "$0")/lib.sh" "$@"

ok init
for i in 1 2 3 4 5; do ok put "k$i" "v$i" -m "c$i"; done
# ids[0] is the newest (c5).
mapfile -t ids < <("$BIN" log | grep '^commit ' | cut -d' ' -f2)
[ "${#ids[@]}" -eq 5 ] || fail "expected 5 commits"
# show_id REF: the full id `show REF` names.
show_id() { "$BIN" show "$1" | head -1 | cut -d' ' -f2; }
[ "$(show_id HEAD)" = "${ids[0]}" ] || fail "HEAD"
[ "$(show_id HEAD~1)" = "${ids[1]}" ] || fail "HEAD~1"
[ "$(show_id HEAD~)" = "${ids[1]}" ] || fail "HEAD~"
[ "$(show_id HEAD^)" = "${ids[1]}" ] || fail "HEAD^"
[ "$(show_id HEAD~4)" = "${ids[4]}" ] || fail "HEAD~4"
[ "$(show_id HEAD~2^)" = "${ids[3]}" ] || fail "HEAD~2^"
[ "$(show_id HEAD^^)" = "${ids[2]}" ] || fail "HEAD^^"
[ "$(show_id HEAD^0)" = "${ids[0]}" ] || fail "HEAD^0"
[ "$(show_id main~3)" = "${ids[3]}" ] || fail "main~3"
[ "$(show_id "${ids[2]:0:8}")" = "${ids[2]}" ] || fail "an 8-digit prefix"
[ "$(show_id "${ids[2]:0:8}~1")" = "${ids[3]}" ] || fail "PREFIX~1"
TESTS=$((TESTS + 11))
code 2 show HEAD~5                # past the first commit
err_has "only 5 commit"
code 2 show HEAD^2                # not a merge
code 1 show 'HEAD~x'
ok get k3 --at HEAD~2
out_is v3
code 2 get k4 --at HEAD~2

# Tags, tag -d, and a tag with ~ in its name (found by its whole name first).
ok tag v1 HEAD~3
[ "$(show_id v1^)" = "${ids[4]}" ] || fail "v1^"
ok tag 'odd~1' HEAD
[ "$(show_id 'odd~1')" = "${ids[0]}" ] || fail "a tag named odd~1"
ok tag -d v1
code 2 show v1

# log --oneline: 12-digit ids, usable as refs.
ok log --oneline
[ "$(cut -d' ' -f1 "$OUT" | head -1)" = "${ids[0]:0:12}" ] || fail "--oneline id is not the 12-digit prefix"
# Ranges: A..B lists B's commits that are not in A's history, A excluded.
ok log --oneline HEAD~3..HEAD
[ "$(wc -l < "$OUT")" -eq 3 ] && out_has " c5$" && out_has " c3$" && out_lacks " c2$" || fail "HEAD~3..HEAD"
ok log --oneline "${ids[4]:0:6}.."
[ "$(wc -l < "$OUT")" -eq 4 ] || fail "A.. is A..HEAD"
ok log --oneline HEAD..HEAD~2
[ ! -s "$OUT" ] || fail "HEAD..HEAD~2 is empty"
ok diff HEAD~2..HEAD
out_has "kv: 2 added"
ok diff HEAD~2 HEAD
out_has "kv: 2 added"
code 1 diff HEAD~2
code 1 diff 'a..b..c'

# branch: list (current marked), create at a ref, switch (lasts across commands), delete.
ok branch
out_is "* main ${ids[0]}"
ok branch side HEAD~2
ok branch
out_has "^  side ${ids[2]}$"
ok branch -s side
ok branch
out_has "^\* side"
ok put onside yes -m "on side"
ok log --oneline -n 2
out_has " on side$" && out_has " c3$"
ok get onside
code 2 get onside --at main
[ "$(show_id side~1)" = "${ids[2]}" ] || fail "side~1"
ok log --oneline main..side
[ "$(wc -l < "$OUT")" -eq 1 ] && out_has "on side" || fail "main..side"
code 2 branch -s nowhere
ok branch -s main
ok get k5
code 1 branch -d               # needs a name
ok branch -d side
ok branch
out_is "* main ${ids[0]}"

echo "test_refs: $TESTS checks passed"
