#!/usr/bin/env bash
# The README's first command: installs what is missing, builds in Release, and shows the
# `infinitree` command-line tool on a sample folder: store it, change one file, store
# again, look at the dedup ratio, the log and the diff, then restore and compare.
#
#   scripts/demo.sh              # everything (deps, build, demo)
#   KEEP=1 scripts/demo.sh       # keep the temporary folder to look around
#
# The demo uses cheap KDF costs (INFINITREE_KDF=fast) so it runs in seconds: real stores
# keep the default Argon2id costs. Nothing here needs a terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${INFINITREE_BUILD_DIR:-$ROOT/build}

heading() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$'; printf ' %q' "$@"; printf '\n'; "$@"; }

heading "Installing missing packages"
scripts/install-deps.sh

heading "Configuring and building (Release) in $BUILD"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
# Only the tool is needed here; scripts/test.sh builds and runs everything else.
cmake --build "$BUILD" --target infinitree_cli
IT="$BUILD/infinitree"

DEMO=$(mktemp -d "${TMPDIR:-/tmp}/infinitree-demo.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$DEMO"' EXIT
export INFINITREE_STORE="$DEMO/store"
export INFINITREE_USER=demo
export INFINITREE_PASSWORD=demo-password   # scripts use the variable or a file; a terminal gets a prompt
export INFINITREE_KDF=fast
it() { printf '$ infinitree'; printf ' %q' "$@"; printf '\n'; "$IT" "$@"; }

heading "A sample folder"
SRC="$DEMO/photos-and-notes"
mkdir -p "$SRC/notes" "$SRC/raw" "$SRC/empty"
head -c $((6 * 1024 * 1024)) /dev/urandom > "$SRC/raw/picture-1.raw"
head -c $((2 * 1024 * 1024)) /dev/urandom > "$SRC/raw/picture-2.raw"
for i in $(seq 1 60000); do echo "day $i: the basil looks healthy, soil moisture $((i % 47))%"; done > "$SRC/notes/garden-log.txt"
echo "remember to water the tomatoes" > "$SRC/notes/todo.txt"
cp "$SRC/raw/picture-2.raw" "$SRC/raw/picture-2-copy.raw"   # a duplicate: stored once
ln -s notes/todo.txt "$SRC/todo-link"
chmod 0600 "$SRC/notes/todo.txt"
run ls -lR "$SRC"
run du -sh "$SRC"

heading "Create a store and snapshot the folder"
it init
it store "$SRC" -m "first snapshot"
FIRST=$("$IT" log --oneline -n 1 | cut -d' ' -f1)

heading "Change 20 bytes in the middle of a 6 MiB file, and add a note"
printf 'EDITED-IN-THE-MIDDLE' | dd of="$SRC/raw/picture-1.raw" bs=1 seek=$((3 * 1024 * 1024)) conv=notrunc status=none
echo "the tomatoes were watered" >> "$SRC/notes/todo.txt"
it store "$SRC" -m "second snapshot"
SECOND=$("$IT" log --oneline -n 1 | cut -d' ' -f1)

heading "Statistics: the second snapshot stored only the changed chunks"
it stats
echo "(the store holds only 4 MiB objects of random-looking bytes:)"
find "$INFINITREE_STORE" -type f -regextype posix-extended -regex '.*/[0-9a-f]{64}' | head -3 | xargs ls -l

heading "History"
it log

heading "What changed between the two snapshots"
it diff "$FIRST" "$SECOND"

heading "Keys and values too"
it put greeting "hello from infinitree" -m "a key"
it get greeting; echo
it ls -l

heading "Verify every chunk of every commit"
it verify

heading "Restore the latest snapshot and compare with the folder"
it restore "$DEMO/restored"
run diff -r --no-dereference "$SRC" "$DEMO/restored" && echo "identical: contents, symlinks (modes and mtimes restored too)"

heading "Restore the first snapshot: the file as it was"
it restore --at "$FIRST" "$DEMO/restored-first"
if cmp -s "$DEMO/restored-first/raw/picture-1.raw" "$SRC/raw/picture-1.raw"; then
  echo "unexpected: the old version equals the new one"; exit 1
fi
echo "picture-1.raw of the first snapshot differs from today's, as it should"

heading "Wrong password: a clear error and exit code 3"
set +e
INFINITREE_PASSWORD=not-the-password "$IT" ls
echo "exit code: $?"
set -e

heading "Done"
echo "Try: $IT --help    (docs/cli.md has the details)"
[ "${KEEP:-0}" = 1 ] && echo "kept: $DEMO (INFINITREE_STORE=$INFINITREE_STORE)"
exit 0
