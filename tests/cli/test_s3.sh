# The CLI on S3 (and through a local cache): run by scripts/s3/run-s3-tests.sh, which starts
# moto and exports INFINITREE_S3_ENDPOINT; skipped (77) without a server.
source "$(dirname "$0")/lib.sh" "$@"
if [ -z "${INFINITREE_S3_ENDPOINT:-}" ]; then echo "skipped: no S3 server (INFINITREE_S3_ENDPOINT)"; exit 77; fi
BUCKET="cli-test-$$-$RANDOM"
# Signed: SeaweedFS (the second server of run-s3-tests.sh) refuses anonymous requests.
curl -sf --aws-sigv4 "aws:amz:${INFINITREE_S3_REGION:-us-east-1}:s3" \
  --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -X PUT "$INFINITREE_S3_ENDPOINT/$BUCKET" \
  >/dev/null || fail "cannot create bucket $BUCKET"
export INFINITREE_STORE="s3://$BUCKET/trees/one"

SRC="$WORK/src"
mkdir -p "$SRC/sub"
rand_file "$SRC/a.bin" $((3 * 1024 * 1024)) 5
echo hello > "$SRC/sub/b.txt"
ln -s sub/b.txt "$SRC/link"

ok --path-style init
ok --path-style store "$SRC"
ok --path-style put k v
ok --path-style get k
out_is v
ok --path-style restore "$WORK/out"
python3 "$(dirname "$0")/tree_compare.py" "$SRC" "$WORK/out" > "$OUT" || fail "S3 restore differs"
INFINITREE_PASSWORD=nope code 3 --path-style ls

# Through a cache folder: the same data, then served from the cache.
ok --path-style --cache "$WORK/cache" --cache-size 64MiB restore "$WORK/out2"
python3 "$(dirname "$0")/tree_compare.py" "$SRC" "$WORK/out2" > "$OUT" || fail "cached restore differs"
ok --path-style --cache "$WORK/cache" --cache-size 64MiB verify
out_has "no problems"
[ -n "$(find "$WORK/cache" -type f | head -1)" ] || fail "the cache folder stayed empty"
ok --path-style --cache "$WORK/cache" store "$SRC" -m again
ok --path-style log --oneline
code 1 --cache "$WORK/cache" --store "$WORK/local" ls   # --cache is for s3:// only
done_ok
