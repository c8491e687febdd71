#!/bin/sh
# Fails if libinfinitree.so exports any dynamic symbol that is not it_* (C++ symbols of
# the core or of libstdc++ must never leak into the ABI), or exports no it_* at all.
set -eu
lib="$1"
syms=$(nm -D --defined-only "$lib" | awk 'NF >= 3 { print $3 }')
total=$(printf '%s\n' "$syms" | grep -c . || true)
bad=$(printf '%s\n' "$syms" | grep -v '^it_' | grep . || true)
if [ "$total" -eq 0 ]; then
  echo "no exported symbols found in $lib"
  exit 1
fi
if [ -n "$bad" ]; then
  echo "symbols exported by $lib that do not start with it_:"
  printf '%s\n' "$bad"
  exit 1
fi
echo "$total exported symbols, all it_*"
