# Large round trips (hundreds of MiB), only with INFINITREE_SOAK=1 (ctest skips it else).
source "$(dirname "$0")/lib.sh" "$@"
if [ "${INFINITREE_SOAK:-0}" != 1 ]; then echo "skipped: set INFINITREE_SOAK=1"; exit 77; fi
SRC="$WORK/src"
mkdir -p "$SRC/sub"
rand_file "$SRC/random-300m.bin" $((300 * 1024 * 1024 + 17)) 11
dd if=/dev/zero of="$SRC/zeros-200m.bin" bs=1M count=200 status=none
truncate -s 1G "$SRC/sub/sparse-1g.img"
printf 'end' | dd of="$SRC/sub/sparse-1g.img" bs=1 seek=$((1024 * 1024 * 1024 - 3)) conv=notrunc status=none
ok init
# Peak memory of the whole store (1.5 GiB of files) stays bounded (docs/cli.md: 512 MiB).
python3 - "$BIN" "$SRC" > "$OUT" 2> "$ERR" <<'PY' || fail "store failed or used too much memory"
import resource, subprocess, sys
subprocess.run([sys.argv[1], "-q", "store", sys.argv[2]], check=True, stdout=subprocess.DEVNULL)
peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"peak RSS of store: {peak_mib:.0f} MiB")
sys.exit(0 if peak_mib < 512 else 1)
PY
cat "$OUT"
ok restore "$WORK/out"
python3 "$(dirname "$0")/tree_compare.py" "$SRC" "$WORK/out" > "$OUT" || fail "restored tree differs"
# The big file changed in the middle: little new data.
printf 'changed' | dd of="$SRC/random-300m.bin" bs=1 seek=$((150 * 1024 * 1024)) conv=notrunc status=none
ok store "$SRC"
ok restore "$WORK/out2"
python3 "$(dirname "$0")/tree_compare.py" "$SRC" "$WORK/out2" > "$OUT" || fail "second restore differs"
ok verify
done_ok
