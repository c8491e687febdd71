# export / import: a map field as a JSON document, round trips, --at, the whole version,
# and clear errors (exit codes of docs/cli.md) for bad input.
source "$(dirname "$0")/lib.sh" "$@"

canon() { python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True, separators=(",", ":"), ensure_ascii=False))'; }

cat >"$WORK/doc.json" <<'JSON'
{"name": "fern \u00e9\u6f22\ud83c\udf3f", "tags": ["green", "shade", ""],
 "deep": {"a": {"b": {"c": [[], {}, [1, [2, [3]]]]}}},
 "edges": [-9223372036854775808, 9223372036854775807, 18446744073709551615, -0.5, 1e308, 5e-324],
 "esc": "quote \" backslash \\ nul \u0000 tab \t", "flags": [true, false, null]}
JSON
ok init
ok import plants -m "first doc" <"$WORK/doc.json"
[ "$(grep -c '^[0-9a-f]\{32\}$' "$OUT")" -eq 1 ] || fail "import did not print the commit id"
FIRST=$(cat "$OUT")
ok export plants
cp "$OUT" "$WORK/out1.json"
# Same document (parsed), and canonical: object members sorted, compact.
[ "$(canon <"$WORK/out1.json")" = "$(canon <"$WORK/doc.json")" ] || fail "export differs from the imported document"
# A round trip through another field gives the same bytes.
ok import copy <"$WORK/out1.json"
ok export copy
cmp -s "$OUT" "$WORK/out1.json" || fail "export -> import -> export is not byte-identical"
# A large array streams through both ways.
python3 -c 'import json; print(json.dumps([{"i": i, "s": "x" * (i % 50)} for i in range(20000)]))' >"$WORK/big.json"
ok import big <"$WORK/big.json"
ok export big
[ "$(canon <"$OUT")" = "$(canon <"$WORK/big.json")" ] || fail "large array round trip"
# Import replaces; --at reads an older version.
echo '{"replaced": true}' >"$WORK/small.json"
ok import plants <"$WORK/small.json"
ok export plants
[ "$(cat "$OUT")" = '{"replaced":true}' ] || fail "import did not replace the document"
ok export --at "$FIRST" plants
cmp -s "$OUT" "$WORK/out1.json" || fail "export --at the first commit"
# The whole version: one member per map field, by name.
ok export
python3 - "$OUT" "$WORK/doc.json" <<'PY' || fail "export of the whole version"
import json, sys
whole = json.load(open(sys.argv[1]))
assert sorted(whole) == ["big", "copy", "plants"], sorted(whole)
assert whole["copy"] == json.load(open(sys.argv[2]))
assert whole["plants"] == {"replaced": True}
PY
# Bad JSON: exit 1, a clear message, and nothing committed.
printf '{"a": [1, 2' >"$WORK/bad.json"
code 1 import plants <"$WORK/bad.json"
grep -q "not a JSON document" "$ERR" || fail "no clear message for bad JSON"
code 1 import plants </dev/null
ok export plants
[ "$(cat "$OUT")" = '{"replaced":true}' ] || fail "a failed import changed the field"
# Missing and non-document fields, bad usage.
code 2 export nothere
code 2 export --at "$FIRST" big
ok put color red
code 1 export kv
grep -q "does not hold a JSON document" "$ERR" || fail "no clear message for a non-document field"
code 1 export
code 1 import
code 1 export a b
done_ok
