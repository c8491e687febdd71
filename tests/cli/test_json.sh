# --json: every command that reports something prints one JSON document on stdout that a
# JSON parser accepts (python3 -m json.tool), with the members docs/cli.md documents; put,
# del, commit and store report the new commit the same way (its id alone without --json).
source "$(dirname "$0")/lib.sh" "$@"

# json ARGS...: the command must succeed and print exactly one valid JSON document.
json() {
  ok "$@" --json
  python3 -m json.tool "$OUT" >/dev/null 2>"$WORK/.jerr" || { cat "$WORK/.jerr" >&2; fail "not JSON: infinitree $* --json"; }
  [ "$(wc -l < "$OUT")" -eq 1 ] || fail "infinitree $* --json printed more than one line"
}
# check 'PYTHON EXPRESSION over d': true for the last JSON output.
check() {
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($1) else 1)" "$OUT" ||
    fail "JSON check failed: $1"
}

json init
check 'd["user"] == "tester" and "store" in d'

# put, del and commit report the new commit the same way: its id on stdout, or {"commit"}.
ok put a 1
PUT_ID=$(cat "$OUT")
[ ${#PUT_ID} -eq 32 ] || fail "put printed '$PUT_ID', not a commit id"
"$BIN" log --json -n 1 > "$WORK/log1.json"
python3 -c "import json,sys; assert json.load(open(sys.argv[1]))[0]['id'] == sys.argv[2]" "$WORK/log1.json" "$PUT_ID" ||
  fail "put's id is not the head"
ok commit -m marker
[ "$(wc -c < "$OUT")" -eq 33 ] || fail "commit printed '$(cat "$OUT")', not one id line"
ok -q put quiet 1
[ "$(wc -c < "$OUT")" -eq 33 ] || fail "put -q did not print the id (its result)"

json put b 2 -m "put b"
check 'd["commit"]["message"] == "put b" and len(d["commit"]["id"]) == 32 and d["commit"]["stats"]["kind"] == "put"'
B_ID=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['commit']['id'])" "$OUT")
json commit -m "marker 2"
check 'd["commit"]["parents"] == ["'"$B_ID"'"] and d["commit"]["branch"] == "main"'
json del quiet
check 'd["commit"]["stats"]["kind"] == "del"'
rand_file "$WORK/blob" 300000 3
json put blob --file "$WORK/blob"
check 'd["commit"]["stats"]["logical"] == 300000'

# A key that is not UTF-8 keeps its exact bytes in key_hex.
ok put "$(printf 'bad\xff')" x
json ls
check '[e["key"] for e in d][:2] == ["a", "b"] and {"kind": "stream", "size": 300000, "key": "blob"} in d'
check 'any(e.get("key_hex") == "626164ff" for e in d)'
code 2 ls --field nothing-here-yet --json
json log
check 'len(d) == 8 and all(len(c["id"]) == 32 and c["short_id"] == c["id"][:12] for c in d)'
check 'd[0]["time"].endswith("Z") and isinstance(d[0]["time_ms"], int) and d[-1]["parents"] == []'
json log -n 2 --oneline
check 'len(d) == 2'
json log --key b
check 'len(d) == 1 and d[0]["value"] == "2" and d[0]["commit"]["message"] == "put b"'
json show
check 'd["commit"]["message"] == "put bad\ufffd" and d["commit"]["message_hex"].endswith("ff")'
check '{"name": "kv", "type": "map", "size": 4} in d["fields"] and d["changes"][0]["added"] == 1'
json show HEAD~1
check 'd["changes"][0]["entries"][0]["key"] == "blob" and d["changes"][0]["entries"][0]["new"] == {"kind": "stream"}'
json diff HEAD~3 HEAD
check 'd["fields"][0]["field"] == "kv" and d["fields"][0]["added"] == 2 and d["fields"][0]["removed"] == 1'
json diff HEAD~3..HEAD
check 'd["fields"][0]["added"] == 2'
json checkout HEAD~1
check 'd["commit"]["message"] == "put blob"'
json checkout HEAD~1 ls
check '"bad\ufffd" not in [e["key"] for e in d]'
json tag v1 HEAD~2
check 'd == {"name": "v1", "commit": d["commit"]} and len(d["commit"]) == 32'
json tag
check 'd[0]["name"] == "v1"'
json tag -d v1
check 'd["deleted"] is True'
json branch side HEAD~1
json branch
check '{b["name"]: b["current"] for b in d} == {"main": True, "side": False}'
json branch -s side
check 'd["current"] is True'
json branch -s main
json branch -d side
check 'd["deleted"] is True'

# Folder snapshots.
mkdir -p "$WORK/src/sub"
rand_file "$WORK/src/one" 100000 4
echo hi > "$WORK/src/sub/two"
json store "$WORK/src" -m snap
check 'd["files"] == 2 and d["dirs"] == 1 and d["bytes_total"] == 100003 and d["commit"]["message"] == "snap"'
json store "$WORK/src" --no-commit
check 'd["committed"] is False and d["commit"] is None and d["unchanged"] == 2'
json restore "$WORK/dest"
check 'd["files"] == 2 and d["bytes"] == 100003 and d["failed"] == 0'
json stats
check 'd["commits"] == 9 and d["snapshots"] == 1 and d["dedup_ratio"] > 0 and d["live_bytes"] > 0'
json verify
check 'd["problems"] == 0 and d["problem_list"] == [] and d["chunks"] > 0'
json forget HEAD~8 --dry-run
check 'd["dry_run"] is True and len(d["forgotten"]) == 1'
json forget --keep-last 3 --dry-run --prune
check 'len(d["kept"]) >= 3 and d["prune"]["dry_run"] is True'
json forget HEAD~8
check 'len(d["forgotten"]) == 1 and d["forgotten"][0]["message"] == "put a"'
json prune --dry-run --grace 0
check 'd["dry_run"] is True and "objects_to_delete" in d'
json prune --grace 0
check 'd["dry_run"] is False'
INFINITREE_NEW_PASSWORD=another json passwd
check 'd["changed"] is True'
export INFINITREE_PASSWORD=another
# key list | add | remove: the slots as an array, the added slot's id and kind, the removed id.
printf 'slot-pass' > "$WORK/slot.pw"
json key add --label "ci bot" --new-user bot --new-password-file "$WORK/slot.pw"
check 'len(d["id"]) > 0 and d["kind"] == "password"'
SLOT_ID=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['id'])" "$OUT")
json key list
check 'any(e["id"] == "'"$SLOT_ID"'" and e["label"] == "ci bot" and e["kind"] == "password" and e["current"] is False for e in d) and sum(e["current"] for e in d) == 1 and all(e["created"] is None or e["created"].endswith("Z") for e in d)'
json key remove "$SLOT_ID"
check 'd["removed"] == "'"$SLOT_ID"'"'
json key list
check 'all(e["id"] != "'"$SLOT_ID"'" for e in d)'
INFINITREE_JSON=1 ok log -n 1
python3 -m json.tool "$OUT" >/dev/null || fail "INFINITREE_JSON=1 did not give JSON"

# get prints data, not a report: --json is a usage error there.
code 1 get a --json
err_has "does not apply"

echo "test_json: $TESTS checks passed"
