#!/usr/bin/env bash
# Store throughput: `infinitree store` of a generated ~1 GiB mixed folder into a local
# folder, against `restic backup` of the same folder into a local restic repository,
# in the same run, on every core. Then a second run of each after changing 1 MiB in the
# middle of one big file (incremental). Prints MiB/s and the ratio.
#
#   bench/store_bench.sh [--size-mib N] [--keep]
#
# Environment: INFINITREE_BUILD_DIR (default build/, a Release build; the tool is built
# if missing), BENCH_DIR (default $TMPDIR/infinitree-bench: the data is generated once and
# reused). Both tools read the folder from the page cache (it is read once before timing);
# both use their default key derivation costs; restic compresses with its default (auto),
# infinitree with lz4 unless BENCH_COMPRESSION=zstd (or none).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${INFINITREE_BUILD_DIR:-$ROOT/build}
SIZE_MIB=1024
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mib) SIZE_MIB=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: $0 [--size-mib N] [--keep]" >&2; exit 1 ;;
  esac
done
command -v restic >/dev/null || { echo "restic is not installed (apt-get install restic)" >&2; exit 1; }
IT="$BUILD/infinitree"
if [ ! -x "$IT" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD" --target infinitree_cli
fi

BENCH=${BENCH_DIR:-${TMPDIR:-/tmp}/infinitree-bench}
DATA="$BENCH/data-$SIZE_MIB"
mkdir -p "$BENCH"

# The folder: ~35% random (a few big files and many small ones), ~30% text-like
# (compressible), ~10% zeros and empty-ish, ~25% duplicates of other files.
if [ ! -f "$DATA/.complete" ]; then
  echo "generating $SIZE_MIB MiB of mixed data in $DATA ..."
  rm -rf "$DATA"
  python3 - "$DATA" "$SIZE_MIB" <<'PY'
import os, random, shutil, sys
root, total_mib = sys.argv[1], int(sys.argv[2])
MiB = 1 << 20
r = random.Random(42)
os.makedirs(root)
def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
budget = {"random_big": 0.25, "random_small": 0.10, "text": 0.30, "zeros": 0.10, "dups": 0.25}
# Random: big files of 32 MiB and small files of 4..128 KiB in nested folders.
n_big = max(1, int(total_mib * budget["random_big"] / 32))
for i in range(n_big):
    write(f"{root}/media/video-{i:03}.bin", r.randbytes(32 * MiB))
left = int(total_mib * budget["random_small"] * MiB)
i = 0
while left > 0:
    n = min(left, r.randint(4, 128) * 1024)
    write(f"{root}/small/d{i % 37:02}/blob-{i:05}.dat", r.randbytes(n))
    left -= n; i += 1
# Text-like: log lines from a vocabulary, files of 1..16 MiB.
words = ["".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(2, 10))) for _ in range(5000)]
left = int(total_mib * budget["text"] * MiB)
i = 0
while left > 0:
    size = min(left, r.randint(1, 16) * MiB)
    lines, got, n = [], 0, 0
    while got < size:
        line = f"{n:08} {r.randint(0, 99999):05} " + " ".join(r.choices(words, k=10)) + "\n"
        lines.append(line); got += len(line); n += 1
    write(f"{root}/logs/app-{i:03}.log", "".join(lines).encode()[:size])
    left -= size; i += 1
# Zeros (a disk image with nothing in it).
write(f"{root}/images/blank.img", bytes(int(total_mib * budget["zeros"] * MiB)))
# Duplicates: copies of random and text files elsewhere in the tree.
left = int(total_mib * budget["dups"] * MiB)
candidates = []
for d, _, files in os.walk(root):
    for f in files:
        if not f.endswith(".img"):
            candidates.append(os.path.join(d, f))
candidates.sort()
r.shuffle(candidates)
i = 0
for src in candidates:
    if left <= 0:
        break
    n = os.path.getsize(src)
    dst = f"{root}/backup-copy/{i:04}-{os.path.basename(src)}"
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copyfile(src, dst)
    left -= n; i += 1
PY
  touch "$DATA/.complete"
fi
BYTES=$(du -sb --apparent-size "$DATA" | cut -f1)
FILES=$(find "$DATA" -type f | wc -l)
echo "data: $DATA, $FILES files, $((BYTES / 1048576)) MiB"
cat $(find "$DATA" -type f) > /dev/null   # into the page cache, for both tools alike

WORK=$(mktemp -d "$BENCH/run.XXXXXX")
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
mibs() { python3 -c "print(f'{$1 / 1048576 / ($3 - $2):.1f}')"; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }

export INFINITREE_STORE="$WORK/infinitree" INFINITREE_USER=bench INFINITREE_PASSWORD=bench-password
export RESTIC_PASSWORD=bench-password RESTIC_REPOSITORY="$WORK/restic"
"$IT" -q --compression "${BENCH_COMPRESSION:-lz4}" init
restic init -q >/dev/null

echo "== first store: infinitree"
t0=$(now); "$IT" -q store "$DATA" >/dev/null; t1=$(now)
echo "== first store: restic backup"
t2=$(now); restic backup -q "$DATA" >/dev/null; t3=$(now)

# Incremental: 1 MiB changed in the middle of one big file.
big=$(ls "$DATA"/media/*.bin | head -1)
cp "$big" "$WORK/original.bin"
python3 - "$big" <<'PY'
import os, sys
with open(sys.argv[1], "r+b") as f:
    f.seek(os.path.getsize(sys.argv[1]) // 2)
    f.write(os.urandom(1 << 20))
PY
echo "== second store (1 MiB changed): infinitree"
t4=$(now); "$IT" -q store "$DATA" >/dev/null; t5=$(now)
echo "== second store (1 MiB changed): restic backup"
t6=$(now); restic backup -q "$DATA" >/dev/null; t7=$(now)
cp "$WORK/original.bin" "$big"; touch -r "$WORK/original.bin" "$big" 2>/dev/null || true

IT_MB=$(mibs "$BYTES" "$t0" "$t1"); RE_MB=$(mibs "$BYTES" "$t2" "$t3")
IT_SIZE=$(du -sb "$WORK/infinitree" | cut -f1); RE_SIZE=$(du -sb "$WORK/restic" | cut -f1)
echo
echo "results ($(nproc) cores, infinitree compression ${BENCH_COMPRESSION:-lz4}, $FILES files, $((BYTES / 1048576)) MiB, $(restic version | cut -d' ' -f1-2)):"
printf '  %-34s %8s s  %8s MiB/s\n' "infinitree store" "$(secs "$t0" "$t1")" "$IT_MB"
printf '  %-34s %8s s  %8s MiB/s\n' "restic backup" "$(secs "$t2" "$t3")" "$RE_MB"
printf '  %-34s %8s x\n' "ratio (infinitree / restic)" "$(python3 -c "print(f'{$IT_MB / $RE_MB:.2f}')")"
printf '  %-34s %8s s\n' "infinitree store, 1 MiB changed" "$(secs "$t4" "$t5")"
printf '  %-34s %8s s\n' "restic backup, 1 MiB changed" "$(secs "$t6" "$t7")"
printf '  %-34s %8s MiB (restic: %s MiB)\n' "store size after both runs" "$((IT_SIZE / 1048576))" "$((RE_SIZE / 1048576))"
