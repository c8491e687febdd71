# restore --include/--exclude (partial restores) and ls --include/--exclude, with the pattern
# matcher of store --exclude: what each takes, that the folders holding an included file
# come back with their own modes, and the JSON count of what was left out.
source "$(dirname "$0")/lib.sh" "$@"

SRC="$WORK/src"
mkdir -p "$SRC/src/deep" "$SRC/docs/a/b" "$SRC/build/obj"
echo main > "$SRC/src/main.c"
echo obj > "$SRC/src/main.o"
echo deep > "$SRC/src/deep/x.o"
echo deepc > "$SRC/src/deep/y.c"
echo draft > "$SRC/docs/a/b/draft"
echo keep > "$SRC/docs/keep.md"
echo out > "$SRC/build/obj/out.bin"
echo top > "$SRC/top.txt"
chmod 0750 "$SRC/docs/a"
ok init
ok store "$SRC" -m all

# files DIR: every path below DIR, sorted, one per line ("." excluded).
files() { (cd "$1" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort); }
expect_files() {  # expect_files DIR "a b c": exactly these paths below DIR
  local want; want=$(printf '%s\n' $2 | LC_ALL=C sort)
  [ "$(files "$1")" = "$want" ] || fail "$1 holds: $(files "$1" | tr '\n' ' '), expected: $2"
}

# --include by name (any depth): only the matches, and the folders above them.
ok restore "$WORK/r1" --include '*.c'
expect_files "$WORK/r1" "src src/main.c src/deep src/deep/y.c"
same_file "$SRC/src/deep/y.c" "$WORK/r1/src/deep/y.c"

# --include of a folder brings everything below it; a parent folder keeps its own mode.
ok restore "$WORK/r2" -i docs/a
expect_files "$WORK/r2" "docs docs/a docs/a/b docs/a/b/draft"
[ "$(stat -c %a "$WORK/r2/docs/a")" = 750 ] || fail "docs/a restored with mode $(stat -c %a "$WORK/r2/docs/a")"

# --exclude alone: everything but the matches and what is below them.
ok restore "$WORK/r3" --exclude '*.o' --exclude build
expect_files "$WORK/r3" "src src/main.c src/deep src/deep/y.c docs docs/a docs/a/b docs/a/b/draft docs/keep.md top.txt"

# Both: the includes, minus the excludes (an excluded folder wins over an included file in it).
ok restore "$WORK/r4" --include src --exclude deep
expect_files "$WORK/r4" "src src/main.c src/main.o"
ok restore "$WORK/r5" --include 'src/deep/y.c' --exclude src
expect_files "$WORK/r5" ""

# A '/' pattern is anchored at the snapshot's root, and '*' there crosses folders.
ok restore "$WORK/r6" --include '/src/*.o'
expect_files "$WORK/r6" "src src/main.o src/deep src/deep/x.o"

# Nothing matches: nothing restored, no failure; the summary and JSON say what was left out.
ok restore "$WORK/r7" --include 'no-such-*'
expect_files "$WORK/r7" ""
out_has "left out by --include/--exclude"
ok --json restore "$WORK/r8" --include top.txt
python3 - "$OUT" <<'PY' || fail "restore --json: wrong counts"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["files"] == 1 and j["dirs"] == 0, j
assert j["filtered"] == 14, j   # 15 entries besides the root, one of them restored
PY
expect_files "$WORK/r8" "top.txt"

# The same patterns on an older commit, through --at.
first=$(head_id)
rm "$SRC/top.txt"
ok store "$SRC" -m "no top"
ok restore "$WORK/r9" --at "$first" --include top.txt
expect_files "$WORK/r9" "top.txt"

# Bad patterns are usage errors (exit 1), before anything is written.
code 1 restore "$WORK/r10" --include ''
[ ! -e "$WORK/r10" ] || fail "a usage error created DEST"

# ls takes the same filters on a snapshot field's keys.
ok ls --field files --include '*.c'
[ "$(cat "$OUT")" = "$(printf 'src/deep/y.c\nsrc/main.c')" ] || fail "ls --include '*.c': $(cat "$OUT")"
ok ls --field files --include docs --exclude 'b'
[ "$(cat "$OUT")" = "$(printf 'docs\ndocs/a\ndocs/keep.md')" ] || fail "ls --include docs --exclude b: $(cat "$OUT")"
ok --json ls --field files -i '*.o'
python3 -c 'import json,sys; assert [e["key"] for e in json.load(open(sys.argv[1]))] == ["src/deep/x.o", "src/main.o"]' "$OUT" ||
  fail "ls --json --include"
done_ok
