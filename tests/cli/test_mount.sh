# mount: a stored folder reads back through FUSE exactly (content, modes, mtimes, symlinks,
# a file over 4 MiB read in order and at random offsets), map keys are files holding their
# values, writes fail with EROFS, new commits show up while mounted, damaged objects give
# EIO without killing the mount, and unmounting (fusermount3 -u, SIGINT, SIGTERM) ends the
# process cleanly. Skipped (77) where FUSE cannot mount: no /dev/fuse, no fusermount3, a
# build without FUSE, or a sandbox that refuses the mount.
source "$(dirname "$0")/lib.sh" "$@"

MNT="$WORK/mnt"
MPID=""

# Never leave a mount or a mount process behind, whatever happened.
stop_everything() {
  if [ -n "$MPID" ] && kill -0 "$MPID" 2>/dev/null; then
    fusermount3 -u "$MNT" 2>/dev/null || true
    kill -TERM "$MPID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$MPID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$MPID" 2>/dev/null || true
  fi
  if is_mounted; then fusermount3 -u -z "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null || true; fi
  cleanup
}
trap stop_everything EXIT

skip() { echo "skipped: $*"; exit 77; }

is_mounted() { awk -v m="$MNT" '$2 == m { found = 1 } END { exit !found }' /proc/mounts; }

# start_mount [OPTIONS...]: mounts in the background; fails the test unless mounted in 10 s.
start_mount() {
  "$BIN" mount "$MNT" "$@" >"$WORK/mount.out" 2>"$WORK/mount.err" &
  MPID=$!
  for _ in $(seq 100); do
    is_mounted && return 0
    kill -0 "$MPID" 2>/dev/null || break
    sleep 0.1
  done
  return 1
}

# wait_exit: the mount process must exit with 0 within 10 s and leave no mount.
wait_exit() {
  for _ in $(seq 100); do kill -0 "$MPID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$MPID" 2>/dev/null && fail "the mount process is still running"
  local rc=0
  wait "$MPID" || rc=$?
  MPID=""
  [ "$rc" -eq 0 ] || { cat "$WORK/mount.err" >&2; fail "the mount process exited $rc"; }
  ! is_mounted || fail "still mounted after the mount process exited"
  TESTS=$((TESTS + 1))
}

# --- can FUSE mount here? -------------------------------------------------------------------
[ -c /dev/fuse ] || skip "no /dev/fuse"
[ -r /dev/fuse ] && [ -w /dev/fuse ] || skip "/dev/fuse is not usable by $(id -un)"
command -v fusermount3 >/dev/null || skip "no fusermount3 (Debian package fuse3)"
mkdir -p "$MNT"
ok init
if ! start_mount; then
  if kill -0 "$MPID" 2>/dev/null; then
    kill -TERM "$MPID"; wait "$MPID" || true; MPID=""
    skip "FUSE did not mount within 10 s: $(tr '\n' ' ' < "$WORK/mount.err")"
  fi
  rc=0
  wait "$MPID" || rc=$?
  MPID=""
  [ "$rc" -ne 10 ] || skip "this infinitree was built without FUSE"
  [ "$rc" -lt 128 ] || fail "the mount process died of a signal: $(cat "$WORK/mount.err")"
  skip "FUSE does not mount here: $(tr '\n' ' ' < "$WORK/mount.err")"
fi
# An empty tree: the four folders, nothing in them.
[ "$(ls "$MNT" | tr '\n' ' ')" = "branches hosts ids snapshots tags " ] || fail "top folders: $(ls "$MNT")"
[ -z "$(ls -A "$MNT/ids")$(ls -A "$MNT/snapshots")" ] || fail "an empty tree shows commits"
fusermount3 -u "$MNT"
wait_exit

# --- a folder of every kind of entry --------------------------------------------------------
SRC="$WORK/src"
mkdir -p "$SRC/sub/deeper" "$SRC/private"
rand_file "$SRC/big.bin" $((5 * 1024 * 1024 + 12345)) 1   # over 4 MiB: several chunks
rand_file "$SRC/medium.bin" $((300 * 1024)) 2
printf 'x' > "$SRC/one"
: > "$SRC/empty"
echo "deep" > "$SRC/sub/deeper/file.txt"
printf 'name with spaces\n' > "$SRC/sub/a file"
ln -s one "$SRC/link"
ln -s sub/deeper "$SRC/dirlink"
chmod 600 "$SRC/one"
chmod 750 "$SRC/private"
chmod 755 "$SRC/medium.bin"
touch -h -d '2021-03-04 05:06:07.123456789' "$SRC/link"
touch -d '2020-01-02 03:04:05.5' "$SRC/big.bin" "$SRC/sub/deeper"
touch -d '2019-06-07 08:09:10' "$SRC/sub" "$SRC"
ok store "$SRC" --host box1
snap_id=$(head_id)
ok put plain "the value"
ok put 'a/slash%' 'slashed'
ok put $'bin\x01' $'\x02\x03'
ok put streamed --file "$SRC/big.bin"
ok tag v1
tag_id=$(head_id)

start_mount || fail "cannot mount: $(cat "$WORK/mount.err")"
S="$MNT/snapshots/latest/files"
[ -L "$MNT/snapshots/latest" ] || fail "snapshots/latest is not a symlink"
[ "$(readlink "$MNT/snapshots/$(readlink "$MNT/snapshots/latest")")" = "../ids/$snap_id" ] ||
  fail "the snapshot's link does not lead to ids/$snap_id"
[ -d "$MNT/ids/$snap_id/files" ] || fail "no ids/$snap_id/files"
cmp -s "$SRC/big.bin" "$MNT/hosts/box1/latest/files/big.bin" || fail "hosts/box1/latest is not the snapshot"
[ "$(readlink "$MNT/ids/${snap_id:0:12}")" = "$snap_id" ] || fail "no short id link"
ls "$MNT/ids" | grep -qx "$snap_id" && ls "$MNT/ids" | grep -qx "$tag_id" || fail "ids/ lists $(ls "$MNT/ids")"
[ "$(readlink "$MNT/tags/v1")" = "../ids/$tag_id" ] || fail "tags/v1: $(readlink "$MNT/tags/v1")"
[ "$(readlink "$MNT/branches/main")" = "../ids/$tag_id" ] || fail "branches/main: $(readlink "$MNT/branches/main")"
ls "$MNT/snapshots" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' || fail "snapshot names: $(ls "$MNT/snapshots")"
# The companion map of refs is not shown.
[ "$(ls "$MNT/ids/$tag_id" | tr '\n' ' ')" = "files kv " ] || fail "fields of a commit: $(ls "$MNT/ids/$tag_id")"

# Content: the whole folder, through the newest snapshot and through the tag.
diff -r "$SRC" "$S" > "$OUT" 2>&1 || fail "diff -r of the mounted snapshot"
diff -r "$SRC" "$MNT/tags/v1/files" > "$OUT" 2>&1 || fail "diff -r through tags/v1"
TESTS=$((TESTS + 2))

# Metadata: type, mode, mtime (ns), size and symlink target of every entry, the root too.
python3 - "$SRC" "$S" > "$OUT" 2>&1 <<'PY' || fail "metadata differs"
import os, stat, sys
a, b = sys.argv[1], sys.argv[2]
def entries(root):
    out = {}
    for dirpath, dirs, files in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        out[rel] = os.lstat(dirpath)
        for n in dirs + files:
            p = os.path.join(dirpath, n)
            out[os.path.normpath(os.path.join(rel, n))] = os.lstat(p)
    return out
ea, eb = entries(a), entries(b)
assert sorted(ea) == sorted(eb), (sorted(ea), sorted(eb))
for rel in ea:
    sa, sb = ea[rel], eb[rel]
    assert sa.st_mode == sb.st_mode, (rel, oct(sa.st_mode), oct(sb.st_mode))
    assert sa.st_mtime_ns == sb.st_mtime_ns, (rel, sa.st_mtime_ns, sb.st_mtime_ns)
    if not stat.S_ISDIR(sa.st_mode):
        assert sa.st_size == sb.st_size, (rel, sa.st_size, sb.st_size)
    if stat.S_ISLNK(sa.st_mode):
        assert os.readlink(os.path.join(a, rel)) == os.readlink(os.path.join(b, rel)), rel
print(len(ea), "entries match")
PY
TESTS=$((TESTS + 1))

# Seeks: random reads of the big file, from one open file and from several at once.
python3 - "$SRC/big.bin" "$S/big.bin" > "$OUT" 2>&1 <<'PY' || fail "random reads differ"
import random, sys, threading
src, mnt = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()
r = random.Random(7)
with open(mnt, "rb") as f:
    for _ in range(200):
        off = r.randrange(0, len(data) + 10)
        n = r.choice([1, 100, 4096, 70000, 1 << 20])
        f.seek(off)
        assert f.read(n) == data[off:off + n], (off, n)
errors = []
def worker(seed):
    rr = random.Random(seed)
    try:
        with open(mnt, "rb") as f:
            for _ in range(50):
                off = rr.randrange(0, len(data))
                f.seek(off)
                if f.read(65536) != data[off:off + 65536]:
                    errors.append((seed, off))
    except Exception as e:
        errors.append(e)
ts = [threading.Thread(target=worker, args=(s,)) for s in range(4)]
[t.start() for t in ts]
[t.join() for t in ts]
assert not errors, errors
PY
TESTS=$((TESTS + 1))

# Map keys are files holding their values; other keys are escaped (docs/cli.md).
K="$MNT/tags/v1/kv"
[ "$(cat "$K/plain")" = "the value" ] || fail "kv/plain holds '$(cat "$K/plain")'"
[ "$(cat "$K/a%2Fslash%25")" = "slashed" ] || fail "the escaped key a/slash%"
[ "$(od -An -tx1 "$K/bin%01" | tr -d ' \n')" = "0203" ] || fail "the binary key's value"
cmp -s "$SRC/big.bin" "$K/streamed" || fail "a stream value reads back as the stream"
[ "$(stat -c %s "$K/streamed")" = "$(stat -c %s "$SRC/big.bin")" ] || fail "a stream value's size"
[ ! -e "$K/a/slash%" ] && [ ! -e "$K/%70lain" ] || fail "a non-canonical name names a key"
[ "$(ls "$K" | LC_ALL=C sort | tr '\n' ' ')" = "a%2Fslash%25 bin%01 plain streamed " ] || fail "kv lists $(ls "$K")"
TESTS=$((TESTS + 7))

# Read-only: every write fails with EROFS.
for attempt in "echo new > '$K/new'" "echo more >> '$K/plain'" "mkdir '$S/newdir'" "rm '$S/one'" \
               "touch '$S/one'" "mv '$S/one' '$S/two'" "chmod 777 '$S/one'" "ln -s x '$S/newlink'"; do
  if bash -c "$attempt" 2>"$ERR"; then fail "a write succeeded: $attempt"; fi
  grep -q "Read-only file system" "$ERR" || fail "not EROFS: $attempt: $(cat "$ERR")"
  TESTS=$((TESTS + 1))
done
cmp -s "$SRC/one" "$S/one" || fail "a refused write changed a file"

# A commit made while mounted shows up (the lists are read again at most every --refresh).
fusermount3 -u "$MNT"
wait_exit
start_mount --refresh 0 || fail "cannot mount again"
echo "later" > "$SRC/later.txt"
ok -q store "$SRC"
new_id=$(head_id)
[ -d "$MNT/ids/$new_id/files" ] || fail "the new commit is not in ids/"
[ "$(readlink "$MNT/branches/main")" = "../ids/$new_id" ] || fail "branches/main did not move"
[ "$(cat "$MNT/snapshots/latest/files/later.txt")" = "later" ] || fail "snapshots/latest is not the new one"
[ "$(ls "$MNT/snapshots" | wc -l)" -eq 3 ] || fail "snapshots: $(ls "$MNT/snapshots")"
TESTS=$((TESTS + 4))

# SIGINT and SIGTERM unmount cleanly.
kill -INT "$MPID"
wait_exit
start_mount || fail "cannot mount again"
kill -TERM "$MPID"
wait_exit

# --allow-other: other users get in, and the kernel enforces the stored modes and owners.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
  chmod o+x "$WORK"
  start_mount --allow-other || fail "cannot mount with --allow-other"
  AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  if "${AS_NOBODY[@]}" test -x "$MNT/snapshots/latest/files"; then
    "${AS_NOBODY[@]}" cat "$MNT/snapshots/latest/files/medium.bin" > "$WORK/nobody.out" ||
      fail "nobody cannot read a world-readable file"
    cmp -s "$SRC/medium.bin" "$WORK/nobody.out" || fail "nobody read other bytes"
    if "${AS_NOBODY[@]}" cat "$MNT/snapshots/latest/files/one" > /dev/null 2>"$ERR"; then
      fail "nobody read a file stored with mode 0600"
    fi
    grep -q "Permission denied" "$ERR" || fail "not EACCES: $(cat "$ERR")"
    TESTS=$((TESTS + 2))
  else
    echo "note: nobody cannot reach $MNT (a parent folder is closed): --allow-other not checked"
  fi
  fusermount3 -u "$MNT"
  wait_exit
  chmod o-x "$WORK"
fi

# Errors: no mount point; a mount point that is a file.
code 2 mount "$WORK/nowhere"
err_has "not a folder"
code 2 mount "$SRC/one"

# Damaged objects: reads fail with EIO and a message, and the mount stays up. Each object
# in turn; one that the open itself needs stops the mount before it starts (exit 4).
damage() {
  python3 - "$1" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
for i in range(0, len(data), 64):
    data[i] ^= 0x5a
open(sys.argv[1], "wb").write(bytes(data))
PY
}
eio=0
for obj in $(find "$INFINITREE_STORE" -type f -regextype posix-extended -regex '.*/[0-9a-f]{64}' | sort); do
  cp -p "$obj" "$WORK/backup"
  chmod u+w "$obj"
  damage "$obj"
  if start_mount; then
    set +e
    (cd "$MNT/ids/$snap_id/files" && cat big.bin medium.bin sub/deeper/file.txt > /dev/null) 2>"$WORK/read.err"
    rc=$?
    set -e
    if [ "$rc" -ne 0 ]; then
      grep -q "Input/output error" "$WORK/read.err" || fail "a damaged read failed without EIO: $(cat "$WORK/read.err")"
      grep -q "infinitree mount: " "$WORK/mount.err" || fail "no message from the mount on EIO"
      eio=$((eio + 1))
    fi
    kill -0 "$MPID" 2>/dev/null || fail "the mount process died on a damaged object"
    ls "$MNT" > /dev/null || fail "the mount stopped answering"
    fusermount3 -u "$MNT"
    wait_exit
  else
    wait "$MPID" && rc=0 || rc=$?
    MPID=""
    [ "$rc" -eq 3 ] || [ "$rc" -eq 4 ] || fail "mount with $(basename "$obj") damaged exited $rc: $(cat "$WORK/mount.err")"
  fi
  cp -p "$WORK/backup" "$obj"
done
[ "$eio" -ge 1 ] || fail "no damaged object made a read fail"

done_ok
