# Keys, values and streams; commits, history, diff, checkout, passwd, stats; error paths.
source "$(dirname "$0")/lib.sh" "$@"

# Usage errors: exit 1.
code 1 bogus-command
code 1 put onlykey
code 1 get k --no-such-option
ok --help
out_has "Exit codes"
ok help store
out_has "usage: infinitree store"

# Opening before init: the store is not there (2).
code 2 ls

ok init
code 6 init                        # already exists
ok put greeting hello -m "first"
ok get greeting
out_is hello
ok put color blue
ok ls
out_is "$(printf 'color\ngreeting')"
ok ls gr
out_is greeting

# A file (and stdin) become streams; get writes them back bit-exact.
rand_file "$WORK/blob" 3000000 1
ok put blob --file "$WORK/blob"
ok get blob --out "$WORK/blob.out"
same_file "$WORK/blob" "$WORK/blob.out"
"$BIN" get blob > "$WORK/blob.stdout"
same_file "$WORK/blob" "$WORK/blob.stdout"
printf "from stdin" | "$BIN" -q put piped --file - >/dev/null
ok get piped
out_is "from stdin"
ok ls -l
out_has "stream 3000000	blob"
out_has "value  4	blue\|value  4	color"

# Missing key: 2, with a message.
code 2 get nothere
err_has "no key 'nothere'"
code 2 del nothere
code 2 put x --file "$WORK/does-not-exist"

ok del color -m "drop color"
code 2 get color

# History: every command committed.
ok log --oneline
[ "$(wc -l < "$OUT")" -eq 5 ] || fail "expected 5 commits"
out_has "drop color"
out_has "first"
FIRST=$("$BIN" log --oneline | tail -1 | cut -d' ' -f1)
LAST=$(head_id)
ok log -n 2
out_has "commit $LAST"
out_has "Date:"

# Reading an old version: --at, checkout, show.
ok get color --at "$("$BIN" log --oneline | sed -n 4p | cut -d' ' -f1)"
out_is blue
ok ls --at "$FIRST"
out_is greeting
ok checkout "$FIRST" ls
out_is greeting
ok checkout "$FIRST"
out_has "read-only view of commit $FIRST"
code 1 checkout "$FIRST" put a b    # writing through a checkout
ok show "$LAST"
out_has "drop color"
out_has "kv (map): 3 entries"
out_has "  - color"
ok show "${FIRST:0:8}"               # a unique prefix
out_has "commit $FIRST"
code 2 show deadbeefdeadbeef
code 2 get greeting --at nosuchref

ok diff "$FIRST" "$LAST"
out_has "kv: 2 added, 0 removed, 0 changed"
out_has "  + blob  (stream)"
out_has "  + piped"
ok put greeting "hello again"
ok diff "$LAST" HEAD
out_has "  M greeting  (5 bytes -> 11 bytes)"

# Tags name commits for --at.
ok tag v1 "$FIRST"
ok tag
out_has "v1 $FIRST"
ok get greeting --at v1
out_is hello

# -q: commands that change data print no summary; put, del and commit print the new
# commit's id alone, their result.
ok -q put quiet-key v
[[ "$(cat "$OUT")" =~ ^[0-9a-f]{32}$ ]] || fail "-q put printed '$(cat "$OUT")', not a commit id"
ok -q del quiet-key
[[ "$(cat "$OUT")" =~ ^[0-9a-f]{32}$ ]] && [ ! -s "$ERR" ] || fail "-q del printed more than its commit id"
ok -q --store "$WORK/quiet-store" init
[ ! -s "$OUT" ] && [ ! -s "$ERR" ] || fail "-q init printed something"

# An empty marker commit.
ok commit -m "marker"
ok log --oneline -n 1
out_has "marker"
code 1 commit

# Wrong credentials: 3, with a hint; the right user with the wrong password too.
INFINITREE_PASSWORD=wrong code 3 ls
err_has "wrong credentials"
err_has "hint"
INFINITREE_USER=someone-else code 3 ls
INFINITREE_KDF=default code 3 ls   # other KDF costs derive other keys
# No password anywhere and no terminal: usage error.
( unset INFINITREE_PASSWORD; code 1 ls </dev/null; err_has "no password" )

# Password from a file.
printf 'correct-horse\n' > "$WORK/pw"
( unset INFINITREE_PASSWORD; code 0 --password-file "$WORK/pw" get greeting; out_is "hello again" )
( unset INFINITREE_PASSWORD; INFINITREE_PASSWORD_FILE="$WORK/pw" code 0 get greeting )

# An empty password (an empty variable, an empty file, an empty new password) is refused
# unless --allow-empty-password says it is meant.
( export INFINITREE_STORE="$WORK/empty-pw-store"
  INFINITREE_PASSWORD= code 1 init
  err_has "is empty: refused"
  INFINITREE_PASSWORD= ok init --allow-empty-password
  INFINITREE_PASSWORD= ok put k v --allow-empty-password
  INFINITREE_PASSWORD= code 1 ls
  err_has "INFINITREE_PASSWORD is empty"
  printf '\n' > "$WORK/empty-pw"
  unset INFINITREE_PASSWORD
  code 1 --password-file "$WORK/empty-pw" ls
  err_has "empty-pw is empty"
  ok --password-file "$WORK/empty-pw" ls --allow-empty-password
  out_is k )
INFINITREE_NEW_PASSWORD= code 1 passwd
err_has "INFINITREE_NEW_PASSWORD is empty"
ok get greeting   # the refused passwd changed nothing

# --kdf fast warns a person at a terminal, and only then (tests redirect stderr).
it get greeting
! grep -q "warning" "$ERR" || fail "a --kdf fast warning on a redirected stderr"
if command -v script >/dev/null; then
  script -qec "'$BIN' get greeting" /dev/null > "$OUT" 2>&1 </dev/null || fail "get under a terminal failed"
  grep -q "warning: --kdf fast" "$OUT" || fail "no --kdf fast warning on a terminal: $(cat "$OUT")"
  INFINITREE_KDF=m=128,t=1,p=1 script -qec "'$BIN' --store '$WORK/kdf-store' init" /dev/null > "$OUT" 2>&1 </dev/null
  ! grep -q "warning" "$OUT" || fail "a warning for costs other than fast"
else
  echo "note: no script(1): the terminal warning of --kdf fast is not checked"
fi

# passwd: new password works, old does not; data intact. It does not claim that the old
# credentials stop working everywhere: copies of the old root still open with them.
INFINITREE_NEW_PASSWORD=battery-staple ok passwd
err_has "copies of it"
! grep -q "no longer" "$ERR" || fail "passwd claims the old credentials no longer open the tree"
code 3 get greeting
INFINITREE_PASSWORD=battery-staple ok get greeting
out_is "hello again"
INFINITREE_PASSWORD=battery-staple ok get blob --out "$WORK/blob.out2"
same_file "$WORK/blob" "$WORK/blob.out2"
export INFINITREE_PASSWORD=battery-staple
INFINITREE_NEW_PASSWORD=p2 ok passwd --new-user other
code 3 ls
INFINITREE_USER=other INFINITREE_PASSWORD=p2 ok ls
out_has greeting
export INFINITREE_USER=other INFINITREE_PASSWORD=p2

ok stats
out_has "objects:"
out_has "commits:"
out_has "dedup ratio:"
ok verify
out_has "no problems"

# A writer holding the tree (blocked reading its stdin) locks out a second writer: 5.
# Readers are not blocked. The probe (`del` of a missing key) never commits; if it took
# the lock just as the holder opened, the holder loses (exits 5) and is started again.
locked=0
for attempt in 1 2 3 4 5; do
  sleep 8 | "$BIN" put held --file - >/dev/null 2>&1 &
  HOLDER=$!
  for _ in $(seq 1 100); do
    kill -0 "$HOLDER" 2>/dev/null || break
    it del no-such-key
    if [ "$CODE" -eq 5 ]; then locked=1; break 2; fi
    [ "$CODE" -eq 2 ] || fail "probe exited $CODE"
    sleep 0.1
  done
  wait "$HOLDER" || true
done
[ "$locked" -eq 1 ] || fail "a second writer was not locked out"
err_has "locked"
ok get greeting
wait "$HOLDER"
ok ls held
out_is held
done_ok
