# Stored text (commit messages, keys, file names, symlink targets, tag names) reaches the
# terminal escaped by log, show, ls, diff, tag and checkout: an ESC or a newline in a tree
# cannot move the cursor or forge an output line (issue 11).
source "$(dirname "$0")/lib.sh" "$@"
ESC=$'\e'

# no_raw_controls: the last output holds no ESC and no line made of the hostile text.
no_raw_controls() {
  ! grep -q "$ESC" "$OUT" || fail "raw ESC in the output of $1"
  ! grep -q '^FORGED' "$OUT" || fail "a newline in stored text started a line in $1"
}

ok init
ok put $'key\e[31m\nFORGED' v -m $'msg \e]0;title\a\nFORGED line'
FIRST=$(head_id)
ok ls
no_raw_controls ls
out_has 'key\\x1b\[31m\\x0aFORGED'
ok ls -l
no_raw_controls "ls -l"
ok log
no_raw_controls log
out_has 'msg \\x1b\]0;title\\x07\\x0aFORGED line'
ok log --oneline
no_raw_controls "log --oneline"
ok show
no_raw_controls show
ok tag $'t\e[1m'
ok tag
no_raw_controls tag
out_has 't\\x1b\[1m'
ok log
no_raw_controls "log with tags"
ok checkout "$FIRST"
no_raw_controls checkout

# File names and symlink targets of a folder snapshot.
SRC="$WORK/src"
mkdir -p "$SRC"
echo a > "$SRC/plain"
ok store "$SRC" -m "before"
BEFORE=$(head_id)
echo x > "$SRC/"$'name\e[2J\nFORGED'
ln -s $'target\e[5m\nFORGED' "$SRC/link"
ok store "$SRC" -m $'after\e[H'
ok diff "$BEFORE" HEAD
no_raw_controls diff
out_has '+ name\\x1b\[2J\\x0aFORGED'
out_has 'symlink -> target\\x1b\[5m\\x0aFORGED'
ok show
no_raw_controls "show of a snapshot"
out_has 'name\\x1b\[2J\\x0aFORGED'
out_has 'after\\x1b\[H'
ok ls --field files
no_raw_controls "ls --field files"
ok log --oneline
no_raw_controls "log of a snapshot"

# The data itself is not escaped: get prints the stored bytes.
ok get $'key\e[31m\nFORGED'
out_is v
done_ok
