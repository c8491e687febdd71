# find and dump (as restic's): paths matching a glob in each folder snapshot of the branch
# (or of --at REFs), newest first, in text and JSON; one stored file written to stdout or
# --out, bit for bit (empty, over 4 MiB), and the errors: a missing path (2), a folder or
# symlink (1), a wrong password (3).
source "$(dirname "$0")/lib.sh" "$@"

D="$WORK/d"
mkdir -p "$D/sub"
echo one > "$D/a.txt"
echo bee > "$D/sub/b.txt"
: > "$D/empty.bin"
rand_file "$D/big.bin" $((5 * 1024 * 1024 + 123)) 7
ln -s a.txt "$D/l"
chmod 0640 "$D/a.txt"
cp "$D/a.txt" "$WORK/a.v1"
ok init
ok find '*.txt'
[ ! -s "$OUT" ] || fail "find in an empty tree printed something"
ok store "$D"
C1=$(head_id)
ok put k v                                   # not a snapshot: no new version of the folder
echo two-two >> "$D/a.txt"
rm "$D/sub/b.txt"
echo sea > "$D/sub/c.txt"
ok store "$D"
C2=$(head_id)
ok put k w
C3=$(head_id)                                # holds the same snapshot as C2

# --- find, text -------------------------------------------------------------------------------
ok find '*.txt'
[ "$(wc -l < "$OUT")" -eq 4 ] || fail "find '*.txt': expected 4 lines (2 per snapshot)"
# Newest first; each version of the folder once, under the store commit that made it.
[ "$(cut -d' ' -f1 "$OUT" | uniq | tr '\n' ' ')" = "${C2:0:12} ${C1:0:12} " ] || fail "commits listed"
grep -q "^${C2:0:12}  .* UTC  -rw-r----- \+12  a.txt\$" "$OUT" || fail "a.txt in the second snapshot"
grep -q "^${C1:0:12}  .* UTC  -rw-r----- \+4  a.txt\$" "$OUT" || fail "a.txt in the first snapshot"
grep -q "^${C2:0:12} .*  sub/c.txt\$" "$OUT" || fail "sub/c.txt in the second snapshot"
grep -q "^${C1:0:12} .*  sub/b.txt\$" "$OUT" || fail "sub/b.txt in the first snapshot"
! grep -q "^${C2:0:12} .*sub/b.txt" "$OUT" || fail "sub/b.txt listed after it was removed"
ok find 'sub/*'                              # a pattern with '/' matches the whole path
[ "$(wc -l < "$OUT")" -eq 2 ] && out_has "sub/c.txt" && out_has "sub/b.txt" || fail "find sub/*"
ok find sub                                  # a folder matches itself, not what is below
[ "$(wc -l < "$OUT")" -eq 2 ] && out_has "drwx" || fail "find sub"
ok find l big.bin                            # several patterns: any one matches
[ "$(wc -l < "$OUT")" -eq 4 ] || fail "find l big.bin"
out_has "lrwxrwxrwx \+5  l -> a.txt"
out_has " $((5 * 1024 * 1024 + 123))  big.bin"
ok find '*.txt' --at "$C1"
[ "$(wc -l < "$OUT")" -eq 2 ] && ! grep -q "${C2:0:12}" "$OUT" || fail "find --at C1"
ok find a.txt --at "$C1" --at HEAD           # the refs as given, in their order
[ "$(cut -d' ' -f1 "$OUT" | tr '\n' ' ')" = "${C1:0:12} ${C3:0:12} " ] || fail "find --at C1 --at HEAD"
ok find a.txt --at HEAD~1 --at HEAD          # --at reports each ref, even the same snapshot twice
[ "$(cut -d' ' -f1 "$OUT" | tr '\n' ' ')" = "${C2:0:12} ${C3:0:12} " ] || fail "find --at HEAD~1 --at HEAD"
ok find nothing-matches
[ ! -s "$OUT" ] && err_has "no stored path matches" || fail "find without a match"
ok find a.txt --field other
[ ! -s "$OUT" ] || fail "find in a missing field"
code 1 find
code 1 find ''
code 2 find a.txt --at no-such-ref

# --- find, JSON -------------------------------------------------------------------------------
ok find '*.txt' --json
python3 -m json.tool "$OUT" > /dev/null || fail "find --json is not JSON"
python3 - "$OUT" "$C1" "$C2" <<'PY' || fail "find --json document"
import json, sys
doc = json.load(open(sys.argv[1]))
c1, c2 = sys.argv[2], sys.argv[3]
assert [v["commit"]["id"] for v in doc] == [c2, c1], doc
assert [v["hits"] for v in doc] == [2, 2]
new = {m["path"]: m for m in doc[0]["matches"]}
old = {m["path"]: m for m in doc[1]["matches"]}
assert sorted(new) == ["a.txt", "sub/c.txt"] and sorted(old) == ["a.txt", "sub/b.txt"], (new, old)
a = new["a.txt"]
assert a["type"] == "file" and a["size"] == 12 and a["mode"] == 0o640 and a["permissions"] == "-rw-r-----", a
assert isinstance(a["mtime_ns"], int) and a["mtime_ns"] > 0
assert old["a.txt"]["size"] == 4
PY
ok find l --json --at HEAD
python3 -c 'import json,sys; m = json.load(open(sys.argv[1]))[0]["matches"][0]; assert m["type"] == "symlink" and m["target"] == "a.txt", m' "$OUT" ||
  fail "find --json symlink"
ok find nothing-matches --json
out_is "[]"

# --- dump -------------------------------------------------------------------------------------
ok dump HEAD a.txt
same_file "$OUT" "$D/a.txt"
ok dump "$C1" /a.txt                          # a leading / as restic shows paths
same_file "$OUT" "$WORK/a.v1"
ok dump "$C1" sub/b.txt
out_is "bee"
ok dump HEAD big.bin
same_file "$OUT" "$D/big.bin"
ok dump HEAD empty.bin
[ -f "$OUT" ] && [ ! -s "$OUT" ] || fail "dump of an empty file wrote something"
ok dump HEAD~1 big.bin --out "$WORK/big.out"
same_file "$WORK/big.out" "$D/big.bin"
"$BIN" dump HEAD big.bin | cmp -s - "$D/big.bin" || fail "dump through a pipe"
code 2 dump HEAD sub/b.txt                    # removed by the second store
err_has "no path 'sub/b.txt'"
code 2 dump HEAD no/such/file
code 2 dump no-such-ref a.txt
code 2 dump HEAD a.txt --field other
code 1 dump HEAD sub
err_has "is a folder"
code 1 dump HEAD /
code 1 dump HEAD l
err_has "is a symlink"
code 1 dump HEAD a.txt --json
code 1 dump HEAD

# --- credentials ------------------------------------------------------------------------------
INFINITREE_PASSWORD=wrong code 3 find '*.txt'
INFINITREE_PASSWORD=wrong code 3 dump HEAD a.txt
[ ! -s "$OUT" ] || fail "dump with a wrong password wrote something"

done_ok
