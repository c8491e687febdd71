#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz, one per decoder of untrusted bytes) with
# Debian's clang in build-fuzz, then runs each for a bounded time on its checked-in corpus.
#
#   scripts/fuzz.sh                  # 5 s per harness (scripts/test.sh runs this)
#   scripts/fuzz.sh --long SECONDS   # SECONDS per harness; figures for docs/fuzzing.md
#   scripts/fuzz.sh --only NAME      # one harness (repeatable)
#   scripts/fuzz.sh --seeds          # regenerate tests/fuzz/corpus/*/seed-* and exit
#
# Needs clang and its libFuzzer runtime (Debian: clang libclang-rt-dev); installs them
# through scripts/install-deps.sh --fuzz when missing, and skips (exit 0, with the reason)
# when that is impossible. A crash, sanitizer report or leak fails the run; the input is
# kept in build-fuzz/artifacts/NAME/ (copy it to tests/fuzz/corpus/NAME/regress-WHAT).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${INFINITREE_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
SECONDS_EACH=5
SEEDS=0
ONLY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --long) SECONDS_EACH="${2:?--long needs a number of seconds}"; shift ;;
    --only) ONLY+=("${2:?--only needs a harness name}"); shift ;;
    --seeds) SEEDS=1 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

have_libfuzzer() {
  command -v clang++ >/dev/null 2>&1 || return 1
  local probe; probe=$(mktemp -d)
  printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' > "$probe/p.cpp"
  clang++ -fsanitize=fuzzer "$probe/p.cpp" -o "$probe/p" >/dev/null 2>&1
  local rc=$?
  rm -rf "$probe"
  return $rc
}

if ! have_libfuzzer; then
  echo "fuzz: clang with libFuzzer not found; installing (scripts/install-deps.sh --fuzz)"
  if ! scripts/install-deps.sh --fuzz || ! have_libfuzzer; then
    echo "fuzz: SKIPPED: clang and libFuzzer (Debian: clang libclang-rt-dev) could not be installed"
    exit 0
  fi
fi

echo "== fuzz: build ($BUILD)"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DINFINITREE_FUZZ=ON \
  -DINFINITREE_BUILD_TESTS=OFF -DINFINITREE_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target fuzz_all

CORPUS=$ROOT/tests/fuzz/corpus
if [ "$SEEDS" = 1 ]; then
  "$BUILD/tests/fuzz/fuzz_seed_generator" "$CORPUS"
  echo "fuzz: seeds written under $CORPUS"
  exit 0
fi

harnesses=("${ONLY[@]}")
if [ ${#harnesses[@]} -eq 0 ]; then
  for f in "$BUILD"/tests/fuzz/fuzz_*; do
    name=${f##*/fuzz_}
    [ "$name" = seed_generator ] || harnesses+=("$name")
  done
fi

passed=0; failed=0
for name in "${harnesses[@]}"; do
  bin="$BUILD/tests/fuzz/fuzz_$name"
  [ -x "$bin" ] || { echo "fuzz: no harness $name" >&2; exit 2; }
  work="$BUILD/corpus-work/$name"; artifacts="$BUILD/artifacts/$name"; log="$BUILD/logs/$name.log"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")" "$CORPUS/$name"
  # New inputs go to the scratch corpus (first directory); the checked-in one is read only.
  if "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "$CORPUS/$name" >"$log" 2>&1; then
    status=ok; passed=$((passed + 1))
  else
    status=FAILED; failed=$((failed + 1))
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  units=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  seeds=$(find "$CORPUS/$name" -type f | wc -l)
  printf 'fuzz %-18s %-6s %10s execs in %ss  cov %-5s ft %-6s corpus %s (seeds %s)\n' \
    "$name" "$status" "${execs:-?}" "$SECONDS_EACH" "${cov:-?}" "${ft:-?}" "${units:-?}" "$seeds"
  if [ "$status" = FAILED ]; then
    grep -E 'ERROR|SUMMARY|fuzz property|terminate|Test unit written' "$log" | head -8 | sed 's/^/    /'
    echo "    full log: $log"
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
