# restore against hostile snapshots (issue 11): snapshots built through the C++ API by
# infinitree_snapshot_writer hold what `store` never makes (a symlink `a -> ../outside`
# plus entries below `a`, setuid bits, foreign owners). Whatever they hold, and whatever
# an earlier restore left in DEST, nothing outside DEST may be written, chmod'ed, chown'ed
# or deleted. Each scenario runs with and without --overwrite, as root and as an
# unprivileged user (when the test runs as root), and checks a folder `outside` beside DEST.
source "$(dirname "$0")/lib.sh" "$@"
WRITER="$(dirname "$BIN")/infinitree_snapshot_writer"
[ -x "$WRITER" ] || { echo "FAIL: $WRITER not built (target infinitree_snapshot_writer)"; exit 1; }

# Who runs the restores: root and nobody when we are root, else just us.
if [ "$(id -u)" -eq 0 ]; then
  if command -v setpriv >/dev/null; then
    UNPRIV=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  elif command -v runuser >/dev/null; then
    UNPRIV=(runuser -u nobody --)
  else
    UNPRIV=()
    echo "note: neither setpriv nor runuser: the unprivileged runs are skipped"
  fi
  WHOS="root"
  [ ${#UNPRIV[@]} -gt 0 ] && WHOS="root nobody"
  # The unprivileged user must reach the work folder.
  chmod 755 "$WORK"
  if [ ${#UNPRIV[@]} -gt 0 ] && ! "${UNPRIV[@]}" test -x "$WORK"; then
    echo "note: $WORK is not reachable by nobody: the unprivileged runs are skipped"
    WHOS="root"
  fi
else
  WHOS="self"
  echo "note: not root: the root runs are skipped"
fi

# setup NAME: a fresh folder $R with outside/ (the victim area) and an empty store.
setup() {
  R="$WORK/$1"
  mkdir -p "$R/outside/victim" "$R/outside/keep/sub"
  chmod 700 "$R/outside/victim"
  echo original > "$R/outside/victimfile"; chmod 600 "$R/outside/victimfile"
  echo precious > "$R/outside/keep/sub/data"
  export INFINITREE_STORE="$R/store"
  T="$R/target"
}

# snapshot [--create] < SPEC: commits a snapshot written through the C++ API.
snapshot() { "$WRITER" "$INFINITREE_STORE" "$@" > /dev/null || fail "snapshot_writer failed"; }

# handover WHO: files of $R belong to the user who restores; RUN_AS runs as that user.
handover() {
  if [ "$1" = nobody ]; then
    chown -R 65534:65534 "$R"
    RUN_AS=("${UNPRIV[@]}")
  else
    RUN_AS=()
  fi
}

# outside_intact: nothing beside DEST changed: owners, modes, contents, no new files.
outside_intact() {
  local o="$R/outside" owner
  owner=$(stat -c %u "$R")
  [ "$(stat -c '%u %a' "$o/victim")" = "$owner 700" ] || fail "outside/victim changed: $(stat -c '%u %a' "$o/victim") ($1)"
  [ "$(stat -c '%u %a' "$o/victimfile")" = "$owner 600" ] || fail "outside/victimfile changed: $(stat -c '%u %a' "$o/victimfile") ($1)"
  [ "$(cat "$o/victimfile")" = original ] || fail "outside/victimfile was written ($1)"
  [ "$(cat "$o/keep/sub/data" 2>/dev/null)" = precious ] || fail "outside/keep was deleted or changed ($1)"
  [ ! -e "$o/pwned.txt" ] || fail "outside/pwned.txt was written ($1)"
  [ "$(find "$o" | wc -l)" -eq 6 ] || fail "outside has new entries: $(find "$o") ($1)"
}

for WHO in $WHOS; do
  for OW in "" "--overwrite"; do
    tag="$WHO${OW:+-overwrite}"

    # (a) A symlink `a -> ../outside` and entries a/victim (folder) and a/victimfile (file),
    # mode 0777, owner 4242, restored into an empty folder: refused by name, exit 4; the
    # link itself is restored, and nothing outside changes.
    setup "a-$tag"
    snapshot --create <<'SPEC'
dir . 0755 0 0
link a 0777 0 0 ../outside
dir a/victim 0777 4242 4242
file a/victimfile 0777 4242 4242 pwned
file fine.txt 0644 0 0 fine
SPEC
    handover "$WHO"
    code 4 restore $OW "$T"
    err_has "not restoring .*a/victim: its parent a is a symlink in the snapshot"
    err_has "not restoring .*a/victimfile: its parent a is a symlink in the snapshot"
    err_has "2 refused"
    [ -L "$T/a" ] && [ "$(readlink "$T/a")" = ../outside ] || fail "the link a was not restored ($tag)"
    [ "$(cat "$T/fine.txt")" = fine ] || fail "fine.txt was not restored ($tag)"
    outside_intact "a $tag"

    # (b) Restoring over an earlier restore that left the link `a -> ../outside`: a snapshot
    # with a/pwned.txt (and no entry for `a`) must not write outside/pwned.txt. With
    # --overwrite the link is replaced by a folder; without, DEST is not empty: exit 6.
    setup "b-$tag"
    printf 'dir . 0755 0 0\nlink a 0777 0 0 ../outside\n' | snapshot --create
    handover "$WHO"
    ok restore "$T"
    RUN_AS=()
    printf 'dir . 0755 0 0\nfile a/pwned.txt 0644 0 0 pwned\n' | snapshot
    handover "$WHO"
    if [ -n "$OW" ]; then
      ok restore --overwrite "$T"
      [ -d "$T/a" ] && [ ! -L "$T/a" ] && [ "$(cat "$T/a/pwned.txt")" = pwned ] || fail "a/pwned.txt not restored inside ($tag)"
    else
      code 6 restore "$T"
    fi
    outside_intact "b $tag"

    # (c) Restoring over that link a snapshot with a file a/keep must not delete the folder
    # outside/keep; nor may replacing a folder of DEST that holds links to outside follow them.
    setup "c-$tag"
    printf 'dir . 0755 0 0\nlink a 0777 0 0 ../outside\ndir d 0755 0 0\nlink d/l 0777 0 0 ../../outside\nlink d/k 0777 0 0 ../../outside/keep\n' |
      snapshot --create
    handover "$WHO"
    ok restore "$T"
    RUN_AS=()
    printf 'dir . 0755 0 0\nfile a/keep 0644 0 0 x\nfile d 0644 0 0 now a file\n' | snapshot
    handover "$WHO"
    if [ -n "$OW" ]; then
      ok restore --overwrite "$T"
      [ "$(cat "$T/a/keep")" = x ] && [ "$(cat "$T/d")" = "now a file" ] || fail "over-restore wrong ($tag)"
    else
      code 6 restore "$T"
    fi
    outside_intact "c $tag"

    # A root entry that is a symlink is refused: with --overwrite it would replace DEST.
    setup "root-$tag"
    mkdir -p "$T"; echo mine > "$T/mine"
    printf 'link . 0777 0 0 ../outside\nfile x 0644 0 0 x\n' | snapshot --create
    handover "$WHO"
    if [ -n "$OW" ]; then
      code 4 restore --overwrite "$T"
      err_has "root entry is not a folder"
      [ -d "$T" ] && [ ! -L "$T" ] && [ "$(cat "$T/mine")" = mine ] || fail "DEST was replaced ($tag)"
    else
      code 6 restore "$T"
    fi
    outside_intact "root $tag"

    # Unsafe names ('..', empty segments, NUL, absolute): nothing is written at all, exit 4.
    for bad in 'a/../../outside/pwned.txt' '../outside/pwned.txt' 'a//b' '/abs' 'a\x00b' 'x/./y'; do
      setup "name-$tag"
      rm -rf "$T"
      printf 'dir . 0755 0 0\nfile %s 0644 0 0 pwned\n' "$bad" | snapshot --create
      handover "$WHO"
      code 4 restore $OW "$T"
      err_has "unsafe path in snapshot"
      [ ! -e "$T" ] || fail "restore wrote $T despite the unsafe name $bad"
      outside_intact "name $bad $tag"
      RUN_AS=()
      rm -rf "$R"
    done
    RUN_AS=()
  done

  # Setuid, setgid and sticky bits are kept only with the owner: as root without
  # --no-owner. Otherwise they are cleared, as `cp -p` does.
  for NO in "" "--no-owner"; do
    setup "modes-$WHO$NO"
    owner=$([ "$WHO" = nobody ] && echo 65534 || id -u)
    printf 'dir . 0755 %s %s\nfile suid 4755 %s %s x\nfile sgid 2750 %s %s y\ndir sticky 1777 %s %s\n' \
      "$owner" "$owner" "$owner" "$owner" "$owner" "$owner" "$owner" "$owner" | snapshot --create
    handover "$WHO"
    ok restore $NO "$T"
    modes="$(stat -c %a "$T/suid") $(stat -c %a "$T/sgid") $(stat -c %a "$T/sticky")"
    if [ "$WHO" = root ] && [ -z "$NO" ]; then
      [ "$modes" = "4755 2750 1777" ] || fail "root restore lost special bits: $modes"
    else
      [ "$modes" = "755 750 777" ] || fail "special bits kept without the owner ($WHO $NO): $modes"
    fi
    RUN_AS=()
  done
done

# Owners are restored as root (and only then).
if [ "$(id -u)" -eq 0 ]; then
  setup owners
  printf 'dir . 0755 0 0\nfile f 0640 4242 4343 x\nlink l 0777 4242 4343 f\ndir d 0750 4242 4343\n' | snapshot --create
  ok restore "$T"
  [ "$(stat -c '%u:%g' "$T/f") $(stat -c '%u:%g' "$T/l") $(stat -c '%u:%g' "$T/d")" = "4242:4343 4242:4343 4242:4343" ] ||
    fail "owners not restored"
  ok restore --no-owner "$R/t2"
  [ "$(stat -c %u "$R/t2/f")" = 0 ] || fail "--no-owner restored the owner"
fi
done_ok
