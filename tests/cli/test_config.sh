# The config file and the environment as defaults for options repeated on every command
# (store, user, KDF costs): which one wins, the errors of a bad file, and the message when
# the KDF costs, not the password, are what is wrong.
source "$(dirname "$0")/lib.sh" "$@"

# No defaults from the environment lib.sh sets up, and no file of the person running this.
unset INFINITREE_STORE INFINITREE_USER INFINITREE_KDF INFINITREE_CONFIG
export XDG_CONFIG_HOME="$WORK/xdg" HOME="$WORK/home"
mkdir -p "$XDG_CONFIG_HOME/infinitree" "$HOME"

# No store anywhere: a usage error that names the ways to give one.
code 1 ls
err_has "INFINITREE_STORE"

# The default file ($XDG_CONFIG_HOME/infinitree/config): store, user and KDF costs.
cat > "$XDG_CONFIG_HOME/infinitree/config" <<CFG
# the laptop's backups
store = $WORK/store-a
user  = alice
kdf   = fast
CFG
ok init
[ -d "$WORK/store-a" ] || fail "init did not use the config file's store"
ok put fern thirsty
ok get fern
out_is thirsty
# ... the user too: another user has no tree there.
code 3 --user bob get fern
err_has "hint: check the user"

# The environment wins over the file, the command line over both.
ok --store "$WORK/store-b" init
INFINITREE_STORE="$WORK/store-b" it get fern
[ "$CODE" -eq 2 ] || fail "INFINITREE_STORE did not win over the config file (exit $CODE)"
ok --store "$WORK/store-b" put fern dry
INFINITREE_STORE="$WORK/store-a" it --store "$WORK/store-b" get fern
[ "$CODE" -eq 0 ] && [ "$(cat "$OUT")" = dry ] || fail "--store did not win over INFINITREE_STORE"

# --config FILE (and INFINITREE_CONFIG) instead of the default file.
cat > "$WORK/other.conf" <<CFG
store = $WORK/store-b
user = alice
kdf = fast
CFG
ok --config "$WORK/other.conf" get fern
out_is dry
INFINITREE_CONFIG="$WORK/other.conf" it get fern
[ "$CODE" -eq 0 ] && [ "$(cat "$OUT")" = dry ] || fail "INFINITREE_CONFIG was not read"
code 2 --config "$WORK/missing.conf" get fern
err_has "cannot read the config file"

# Single KDF costs from the file: a store made with m=256,t=1,p=1 opens only with them.
cat > "$WORK/costs.conf" <<CFG
store = $WORK/store-c
user = alice
kdf-memory = 256
kdf-iterations = 1
kdf-parallelism = 1
CFG
ok --config "$WORK/costs.conf" init
ok --config "$WORK/costs.conf" put k v
# A --kdf on the command line replaces the file's costs as a whole.
code 3 --config "$WORK/costs.conf" --kdf fast get k
err_has "hint: check the user"

# Bad files are usage errors (exit 1) that name the file and line.
printf 'store = /x\nstorage = /y\n' > "$WORK/bad1.conf"
code 1 --config "$WORK/bad1.conf" ls
err_has "bad1.conf line 2: unknown key 'storage'"
printf 'password = hunter2\n' > "$WORK/bad2.conf"
code 1 --config "$WORK/bad2.conf" ls
err_has "use password-file"
printf 'user = a\nuser = b\n' > "$WORK/bad3.conf"
code 1 --config "$WORK/bad3.conf" ls
err_has "line 2: 'user' is set twice"
printf 'just words\n' > "$WORK/bad4.conf"
code 1 --config "$WORK/bad4.conf" ls
err_has "line 1: expected"

# password-file from the file; INFINITREE_PASSWORD still wins over it.
printf 'correct-horse\n' > "$WORK/pw"
printf 'store = %s\nuser = alice\nkdf = fast\npassword-file = %s\n' "$WORK/store-a" "$WORK/pw" > "$WORK/pw.conf"
(unset INFINITREE_PASSWORD; "$BIN" --config "$WORK/pw.conf" get fern >"$OUT" 2>"$ERR") || fail "password-file from the config file"
out_is thirsty
INFINITREE_PASSWORD=wrong it --config "$WORK/pw.conf" get fern
[ "$CODE" -eq 3 ] || fail "INFINITREE_PASSWORD did not win over the file's password-file (exit $CODE)"

# Wrong KDF costs are told apart from a wrong password where a named preset opens the store.
rm "$XDG_CONFIG_HOME/infinitree/config"
code 3 --store "$WORK/store-a" --user alice --kdf m=128,t=1,p=1 get fern
err_has "open the store with --kdf fast, not with the KDF costs given (m=128,t=1,p=1)"
code 3 --store "$WORK/store-a" --user alice get fern   # the default costs
err_has "open the store with --kdf fast"
# A wrong password with the right costs, or costs no preset has, keep the plain message.
INFINITREE_PASSWORD=wrong it --store "$WORK/store-a" --user alice --kdf fast get fern
[ "$CODE" -eq 3 ] || fail "wrong password: exit $CODE"
err_has "hint: check the user"
! grep -q "open the store with --kdf" "$ERR" || fail "a wrong password was reported as wrong KDF costs"
code 3 --store "$WORK/store-c" --user alice --kdf fast get k
! grep -q "open the store with --kdf" "$ERR" || fail "custom costs were reported as a preset"
done_ok
