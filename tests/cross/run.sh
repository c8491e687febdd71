#!/usr/bin/env bash
# Cross-language test: one tree, three languages, both directions.
#   env INFINITREE_BUILD_DIR=<build dir with libinfinitree.so> tests/cross/run.sh
#
# (1) C (writer.c) writes the base tree; Python (extend.py) checks it and commits an
#     extension; Go (go/) checks everything.
# (2) Go writes the same base tree; Python checks and extends; C checks everything.
# Base tree: maps "plain" (raw byte keys, a binary key, an empty value) and "typed"
# (order-preserving tuple/int/uint keys), set "tags", list "events", value "config", two
# commits, tag v1, branch side, a 300 KB stream in map "files". Extension: changes to every
# field, a second stream, commit "extend", tag py.
#
# (3) Text keys meet: the CLI puts "fern"; Python finds it with m.get("fern") and writes
#     "moss"; C (text_keys.c) finds both by plain C strings and writes "lichen"; Go finds all
#     three with []byte("...") keys and writes "reed"; the CLI gets every one of them.
#
# (4) Typed schema: C++ (schema.cpp) writes through a schema; Python (schema_step.py) and Go
#     (go/schema.go) check and extend it through their declarations; C++ checks all.
#
# Every program prints PASS/FAIL lines; the last line is "N passed, M failed" and the exit
# status is non-zero on any failure (a program that fails to build or run counts as one).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${INFINITREE_BUILD_DIR:-$ROOT/build}
BUILD=$(cd "$BUILD" && pwd)
LIB="$BUILD/libinfinitree.so"
if [ ! -e "$LIB" ]; then
  echo "no $LIB (build the 'infinitree' target first)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

passed=0
failed=0
# step NAME CMD...: runs a program, shows its output, counts its PASS/FAIL lines; a non-zero
# exit without a FAIL line counts as one failure.
step() {
  local name=$1
  shift
  echo "== $name"
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  [ -n "$out" ] && printf '%s\n' "$out"
  local p f
  p=$(printf '%s\n' "$out" | grep -c '^PASS ' || true)
  f=$(printf '%s\n' "$out" | grep -c '^FAIL ' || true)
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL $name: exit status $rc"
    f=1
  elif [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
    p=1 # a writer step: it worked
  fi
  passed=$((passed + p))
  failed=$((failed + f))
}

export GOTOOLCHAIN=local GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=1
# Without HOME (some CI runners) go has no default build cache: keep one in the build dir.
case "$(go env GOCACHE 2>/dev/null)" in "" | off) export GOCACHE="$BUILD/go-cache" ;; esac
export CGO_CFLAGS="-I$ROOT/include -O2 -g"
export CGO_LDFLAGS="-L$BUILD -linfinitree -Wl,-rpath,$BUILD"
export PYTHONPATH="$ROOT/bindings/python${PYTHONPATH:+:$PYTHONPATH}"
export INFINITREE_LIBRARY="$LIB"

step "build the C program (C99)" \
  cc -std=c99 -Wall -Wextra -Werror -I"$ROOT/include" "$HERE/writer.c" -L"$BUILD" -linfinitree \
  -Wl,-rpath,"$BUILD" -o "$WORK/writer"
step "build the Go program" bash -c "cd '$HERE/go' && go build -o '$WORK/cross' ."

# (1) C -> Python -> Go
step "C writes" "$WORK/writer" write "$WORK/c-first"
step "Python checks and extends" python3 "$HERE/extend.py" "$WORK/c-first" c
step "Go checks" "$WORK/cross" check "$WORK/c-first"

# (2) Go -> Python -> C
step "Go writes" "$WORK/cross" write "$WORK/go-first"
step "Python checks and extends" python3 "$HERE/extend.py" "$WORK/go-first" go
step "C checks" "$WORK/writer" check "$WORK/go-first"

# (3) CLI -> Python -> C -> Go -> CLI, text keys in map "kv" (the CLI's default field)
CLI="$BUILD/infinitree"
step "build the C text-key program (C99)" \
  cc -std=c99 -Wall -Wextra -Werror -I"$ROOT/include" "$HERE/text_keys.c" -L"$BUILD" -linfinitree \
  -Wl,-rpath,"$BUILD" -o "$WORK/text_keys"
if [ -x "$CLI" ]; then
  cli() { INFINITREE_PASSWORD="pw-ü" "$CLI" --store "$WORK/text" --user cross --kdf fast -q "$@"; }
  step "CLI init" cli init
  step "CLI puts fern" cli put fern shade
  step "Python finds fern, writes moss" python3 "$HERE/text_keys.py" "$WORK/text"
  step "C finds fern and moss, writes lichen" "$WORK/text_keys" "$WORK/text"
  step "Go finds fern, moss and lichen, writes reed" "$WORK/cross" textkeys "$WORK/text"
  for kv in fern=shade moss=damp lichen=rock reed=water; do
    got=$(cli get "${kv%%=*}" 2>&1)
    if [ "$got" = "${kv#*=}" ]; then echo "PASS cli: get ${kv%%=*}"; passed=$((passed + 1))
    else echo "FAIL cli: get ${kv%%=*} gave '$got'"; failed=$((failed + 1)); fi
  done
else
  echo "FAIL no $CLI (build the 'infinitree_cli' target)"
  failed=$((failed + 1))
fi

# (4) Typed schema: C++ writes through a schema, Python and Go open it through their own
#     declarations of the same schema and extend it, C++ checks every addition.
SCHEMA="$BUILD/tests/cross_schema"
if [ -x "$SCHEMA" ]; then
  step "C++ writes through the schema" "$SCHEMA" write "$WORK/schema"
  step "Python checks and extends through its schema" python3 "$HERE/schema_step.py" "$WORK/schema"
  step "Go checks and extends through its schema" "$WORK/cross" schema "$WORK/schema"
  step "C++ checks" "$SCHEMA" check "$WORK/schema"
else
  echo "FAIL no $SCHEMA (build the 'cross_schema' target)"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
