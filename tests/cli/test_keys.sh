# Key slots and keys from outside: --key-file, --key-command, `key add|list|remove`, and the
# errors of bad input (wrong key file, failing command, command printing nothing, removed
# slot, malformed key).
source "$(dirname "$0")/lib.sh" "$@"

KEY1=$(openssl rand -hex 32)
KEY2=$(openssl rand -hex 32)
printf '%s\n' "$KEY1" > "$WORK/key1"
printf '%s' "$KEY2" > "$WORK/key2"          # no final newline is fine too
openssl rand 32 > "$WORK/key-raw"           # 32 raw bytes
printf 'not a key\n' > "$WORK/bad-key"

# A tree made with a raw key from a file opens only with that key.
export INFINITREE_STORE="$WORK/kstore"
ok init --key-file "$WORK/key1"
ok put a 1 --key-file "$WORK/key1"
ok get a --key-file "$WORK/key1"
out_is 1
code 3 get a --key-file "$WORK/key2"       # wrong key: same code as a wrong password
code 3 get a                                # the password opens nothing here
code 1 get a --key-file "$WORK/bad-key"     # malformed key file
err_has "64 hex digits"
code 7 get a --key-file "$WORK/missing"     # unreadable key file: local I/O
code 1 get a --key-file "$WORK/key1" --key-command "cat $WORK/key1"

# --key-command: a key or a password, like restic's --password-command.
ok get a --key-command "cat $WORK/key1"
out_is 1
INFINITREE_KEY_COMMAND="cat $WORK/key1" ok get a
out_is 1
code 1 get a --key-command "false"          # failing command
err_has "exit status 1"
code 1 get a --key-command "true"           # printed nothing
err_has "printed nothing"
code 3 get a --key-command "echo $KEY2"

# Slots: a second key, a password, a raw-bytes key file; list; remove; last one stays.
ok key add --label robot --new-key-file "$WORK/key2" --key-file "$WORK/key1"
ROBOT=$(cat "$OUT")
[ ${#ROBOT} -eq 16 ] || fail "slot id '$ROBOT' is not 16 hex digits"
INFINITREE_NEW_PASSWORD=pw2 ok key add --label person --new-user alice --key-file "$WORK/key1"
PERSON=$(cat "$OUT")
ok key add --label raw --new-key-file "$WORK/key-raw" --key-file "$WORK/key1"
code 6 key add --label again --new-key-file "$WORK/key2" --key-file "$WORK/key1"
ok key list --key-file "$WORK/key1"
out_has "robot"
out_has "person"
out_has "^\* "                              # the current slot is marked
[ "$(wc -l < "$OUT")" -eq 4 ] || fail "key list shows $(wc -l < "$OUT") slots, expected 4"
out_lacks "$KEY1"
out_lacks "$KEY2"
ok get a --key-file "$WORK/key2"
ok get a --key-file "$WORK/key-raw"
INFINITREE_PASSWORD=pw2 ok get a --user alice
out_is 1
# Remove the robot: its key fails from then on; the others still open.
ok key remove "$ROBOT" --key-command "cat $WORK/key1"
code 3 get a --key-file "$WORK/key2"
ok get a --key-file "$WORK/key1"
code 2 key remove "$ROBOT" --key-file "$WORK/key1"
code 1 key remove zz --key-file "$WORK/key1"
code 1 key bogus --key-file "$WORK/key1"
# Remove down to one slot; the last cannot go.
ok key remove "$PERSON" --key-file "$WORK/key1"
INFINITREE_PASSWORD=pw2 code 3 get a --user alice
ok key list --key-file "$WORK/key-raw"
OTHER=$(grep -v '^\*' "$OUT" | awk '{print $1}')
ok key remove "$OTHER" --key-file "$WORK/key-raw"
code 3 get a --key-file "$WORK/key1"
ok key list --key-file "$WORK/key-raw"
LAST=$(awk '{print $2}' "$OUT")
code 1 key remove "$LAST" --key-file "$WORK/key-raw"
err_has "last key slot"

# Every object is 4 MiB.
find "$WORK/kstore" -type f ! -path '*/locks/*' | while read -r f; do
  [ "$(stat -c %s "$f")" -eq 4194304 ] || fail "object $f is not 4 MiB"
done
done_ok
