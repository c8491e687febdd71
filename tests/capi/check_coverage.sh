#!/bin/sh
# Fails if a function declared with IT_API in the header is never called by the C suites.
set -eu
header="$1"
dir="$2"
missing=0
count=0
for fn in $(grep -v "^#" "$header" | grep -o "IT_API[^(]*(" | sed 's/($//; s/.*[ *]\(it_[a-z0-9_]*\)$/\1/'); do
  count=$((count + 1))
  if ! grep -q "\\b$fn(" "$dir"/test_*.c; then
    echo "not called by any test: $fn"
    missing=$((missing + 1))
  fi
done
echo "$count functions in the header, $missing not called by a test"
[ "$missing" -eq 0 ]
