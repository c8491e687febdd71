#!/usr/bin/env bash
# Space benchmarks (issue 10), run by hand (not part of the tests):
#
#  (a) 100 single-put CLI commands (`infinitree put kN vN`, each its own process) into a
#      fresh local store, with the CLI from before the handover of open objects (OLD_BIN)
#      and the current one (NEW_BIN): object files left, store size (du), and bytes written,
#      measured as the wchar (bytes passed to write(2)/pwrite(2)) and write_bytes (bytes sent
#      to the block layer) of /proc/self/io of the Python driver after reaping each child (the
#      kernel adds a reaped child's I/O counters to its parent's), minus the driver's own.
#  (b) prune of a store where about half the data is garbage: a folder stored 3 times (half
#      of its files rewritten with new random bytes before the 2nd and 3rd store) plus a map
#      of 1 M keys with 100-byte random values, every other key overwritten; then
#      `forget --keep-last 1 --prune --grace 0`, timed by /usr/bin/time -v (wall, user+sys CPU,
#      peak RSS). restic does the same folder work (`init`, `backup` x3 with the same changes,
#      `forget --keep-last 1 --prune`), timed the same way, in interleaved rounds.
#
#   bench/space_bench.sh [--folder-mib N] [--keys N] [--rounds R] [--puts N] [--skip-a] [--skip-b]
#
# Defaults: --folder-mib 384 (so 768 MiB of folder data are stored, 384 MiB of it garbage
# after the forget), --keys 1000000, --rounds 2, --puts 100. Environment: OLD_BIN (the CLI built
# from commit ab26396, the parent of the handover commit ae5799b; default /work/wt-old/bin/infinitree), NEW_BIN and SPACE_MAP_LOAD (default build/infinitree and
# build/bench/space_map_load), BENCH_DIR (default $TMPDIR/infinitree-space-bench). All data
# is generated from fixed seeds. Both tools read the folder from the page cache. restic uses
# its defaults (compression auto); infinitree lz4 and --kdf fast (the KDF runs once per
# command for both and is not what is measured).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
FOLDER_MIB=384
KEYS=1000000
ROUNDS=2
PUTS=100
RUN_A=1
RUN_B=1
while [ $# -gt 0 ]; do
  case "$1" in
    --folder-mib) FOLDER_MIB=$2; shift 2 ;;
    --keys) KEYS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --puts) PUTS=$2; shift 2 ;;
    --skip-a) RUN_A=0; shift ;;
    --skip-b) RUN_B=0; shift ;;
    *) echo "usage: $0 [--folder-mib N] [--keys N] [--rounds R] [--puts N] [--skip-a] [--skip-b]" >&2; exit 1 ;;
  esac
done
OLD_BIN=${OLD_BIN:-/work/wt-old/bin/infinitree}
NEW_BIN=${NEW_BIN:-$ROOT/build/infinitree}
MAP_LOAD=${SPACE_MAP_LOAD:-$ROOT/build/bench/space_map_load}
BENCH=${BENCH_DIR:-${TMPDIR:-/tmp}/infinitree-space-bench}
for b in "$NEW_BIN" "$MAP_LOAD"; do [ -x "$b" ] || { echo "missing $b (cmake --build build --target infinitree_cli space_map_load)" >&2; exit 1; }; done
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
mkdir -p "$BENCH"

export INFINITREE_KDF=fast INFINITREE_USER=bench INFINITREE_PASSWORD=bench-password
export RESTIC_PASSWORD=bench-password
echo "space_bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load:$(uptime | sed 's/.*load average://')"

count_objects() { find "$1" -type f -regextype posix-extended -regex '.*/[0-9a-f]{64}' | wc -l; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# ---------------------------------------------------------------- (a) 100 single-put commands
if [ "$RUN_A" = 1 ]; then
  echo
  echo "(a) $PUTS single-put CLI commands into a fresh local store (init not counted)"
  printf '%-8s %8s %10s %14s %14s %12s\n' "CLI" "objects" "store MiB" "wchar MiB" "write_bytes MiB" "s/command"
  for which in before after; do
    bin=$NEW_BIN
    [ "$which" = before ] && bin=$OLD_BIN
    if [ ! -x "$bin" ]; then echo "$which: $bin missing, skipped"; continue; fi
    store="$BENCH/puts-$which"
    rm -rf "$store"
    "$bin" --store "$store" init >/dev/null 2>&1
    sync
    read -r wchar wbytes secs < <(python3 - "$bin" "$store" "$PUTS" <<'PY'
import subprocess, sys, time
bin, store, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def io():
    d = dict(l.split(": ") for l in open("/proc/self/io").read().split("\n") if l)
    return int(d["wchar"]), int(d["write_bytes"])
w0, b0 = io()
t0 = time.monotonic()
for i in range(n):
    subprocess.run([bin, "--store", store, "put", f"key{i}", f"value {i}"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
secs = time.monotonic() - t0
w1, b1 = io()
print(w1 - w0, b1 - b0, secs / n)
PY
)
    size=$(du -sb "$store" | cut -f1)
    printf '%-8s %8d %10s %14s %14s %12.3f\n' "$which" "$(count_objects "$store")" "$(mib "$size")" \
      "$(mib "$wchar")" "$(mib "$wbytes")" "$secs"
  done
  echo "(objects: files in the store, the root object included; wchar: bytes the $PUTS processes"
  echo " passed to write/pwrite; write_bytes: bytes they sent to the block device)"
fi

# ---------------------------------------------------------------- (b) prune vs restic
[ "$RUN_B" = 1 ] || exit 0
command -v restic >/dev/null || { echo "restic is not installed (apt-get install restic)" >&2; exit 1; }
DATA="$BENCH/folder"

# gen_folder VERSION: version 0 writes every file; version k>0 rewrites every other file
# (alternating halves) with new random bytes. Files: 4 MiB x 1/2 of the size, 256 KiB x the rest.
gen_folder() {
  python3 - "$DATA" "$FOLDER_MIB" "$1" <<'PY'
import os, random, sys
root, total_mib, version = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
MiB = 1 << 20
files = [(f"big/{i:04}.bin", 4 * MiB) for i in range(total_mib // 8)]
files += [(f"small/{i // 100:02}/{i:05}.bin", 256 * 1024) for i in range(total_mib * 2)]
for n, (name, size) in enumerate(files):
    if version and n % 2 != version % 2:
        continue
    path = os.path.join(root, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    r = random.Random(f"{name}:{version}")
    with open(path, "wb") as f:
        f.write(r.randbytes(size))
PY
}

# timed LABEL CMD...: runs CMD under /usr/bin/time -v; appends "label wall cpu rss" to $RESULTS.
timed() {
  local label=$1; shift
  /usr/bin/time -v -o "$BENCH/time.txt" "$@" >"$BENCH/cmd.out" 2>"$BENCH/cmd.err" ||
    { echo "$label failed:"; cat "$BENCH/cmd.out" "$BENCH/cmd.err"; exit 1; }
  python3 - "$label" "$BENCH/time.txt" >>"$RESULTS" <<'PY'
import re, sys
t = open(sys.argv[2]).read()
def num(key):
    return re.search(re.escape(key) + r": (.*)", t).group(1).strip()
wall = num("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
cpu = float(num("User time (seconds)")) + float(num("System time (seconds)"))
print(sys.argv[1], f"{secs:.2f}", f"{cpu:.2f}", int(num("Maximum resident set size (kbytes)")) // 1024)
PY
}

RESULTS="$BENCH/results.txt"
: >"$RESULTS"
echo
echo "(b) prune: folder of $FOLDER_MIB MiB stored 3 times (half its files new each time), map of $KEYS keys"
echo "    (100 B random values, every other key overwritten); forget all but the last commit, prune"
for round in $(seq 1 "$ROUNDS"); do
  # -- infinitree: build the store, then time forget+prune.
  store="$BENCH/it-store"
  rm -rf "$store" "$DATA"
  "$NEW_BIN" --store "$store" init >/dev/null 2>&1
  "$MAP_LOAD" --dir "$store" --user bench --password bench-password --keys "$KEYS" >/dev/null
  for v in 0 1 2; do
    gen_folder "$v"
    "$NEW_BIN" --store "$store" -q store -m "folder $v" "$DATA"
  done
  before=$(du -sb "$store" | cut -f1)
  objects_before=$(count_objects "$store")
  timed "infinitree" "$NEW_BIN" --store "$store" forget --keep-last 1 --prune --grace 0
  after=$(du -sb "$store" | cut -f1)
  echo "round $round infinitree: store $(mib "$before") MiB ($objects_before objects) -> $(mib "$after") MiB ($(count_objects "$store") objects); $(tail -1 "$RESULTS" | cut -d' ' -f2-4 | awk '{print "wall " $1 " s, CPU " $2 " s, peak RSS " $3 " MiB"}')"
  sed -n '/^objects deleted/,$p' "$BENCH/cmd.out" | sed 's/^/    /'
  # -- restic: the same folder versions.
  repo="$BENCH/restic-repo"
  rm -rf "$repo" "$DATA"
  restic -q -r "$repo" init >/dev/null
  for v in 0 1 2; do
    gen_folder "$v"
    restic -q -r "$repo" backup "$DATA" >/dev/null
  done
  before=$(du -sb "$repo" | cut -f1)
  timed "restic" restic -r "$repo" forget --keep-last 1 --prune
  after=$(du -sb "$repo" | cut -f1)
  echo "round $round restic:     repo $(mib "$before") MiB -> $(mib "$after") MiB; $(tail -1 "$RESULTS" | cut -d' ' -f2-4 | awk '{print "wall " $1 " s, CPU " $2 " s, peak RSS " $3 " MiB"}')"
done
echo
python3 - "$RESULTS" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
def med(tool, i):
    return statistics.median(float(r[i]) for r in rows if r[0] == tool)
print(f"{'median of rounds':18} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13}")
for tool in ("infinitree", "restic"):
    print(f"{tool:18} {med(tool, 1):8.2f} {med(tool, 2):8.2f} {med(tool, 3):13.0f}")
print(f"{'ratio (ours/restic)':18} {med('infinitree', 1) / med('restic', 1):8.2f} "
      f"{med('infinitree', 2) / med('restic', 2):8.2f} {med('infinitree', 3) / med('restic', 3):13.2f}")
PY
echo "note: infinitree's store also holds the $KEYS-key map, which restic's does not; load at the end:$(uptime | sed 's/.*load average://')"
