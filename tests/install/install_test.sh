#!/usr/bin/env bash
# `cmake --install` into a scratch prefix, then build programs against the installed prefix
# only (never the build or source tree): a C program and the README's first example (C++),
# each twice, through pkg-config (infinitree.pc, infinitree++.pc) and through
# find_package(infinitree) (infinitree::infinitree, infinitree::cxx). Also checks that every
# installed C++ header compiles on its own and that tree.hpp does not pull in msgpack.
# Prints "N passed, M failed".
#   install_test.sh BUILD_DIR [C_COMPILER] [SANITIZER_FLAGS] [CXX_COMPILER]
# SANITIZER_FLAGS are those the library was built with (ASan/TSan builds): a program that
# links a sanitized library must be compiled and linked with the same runtime.
set -uo pipefail
build="$1"; cc="${2:-cc}"; sanflags="${3:-}"; cxx="${4:-c++}"
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/infinitree-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0; failed=0
check() { if "${@:2}" >"$work/log" 2>&1; then passed=$((passed+1)); echo "PASS $1"; else failed=$((failed+1)); echo "FAIL $1"; cat "$work/log"; fi; }

cat > "$work/t.c" <<'C'
#include <infinitree.h>
#include <stdio.h>
#include <string.h>
int main(void) {
  it_backend* b = NULL;
  if (it_backend_new_memory(&b) != 0) return 1;
  it_backend_free(b);
  return strcmp(it_version(), "") == 0;
}
C
check "cmake --install" cmake --install "$build" --prefix "$work/prefix"
check "headers, library, pkg-config file and CMake package installed" \
  test -f "$work/prefix/include/infinitree.h" -a -e "$work/prefix/lib/libinfinitree.so.0"
check "C++ headers and libinfinitree++ installed" \
  test -f "$work/prefix/include/infinitree/tree.hpp" -a -e "$work/prefix/lib/libinfinitree++.so.0"
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/x86_64-linux-gnu/pkgconfig"
check "build with pkg-config" sh -c "$cc -std=c99 $sanflags '$work/t.c' \$(pkg-config --cflags --libs infinitree) -Wl,-rpath,$work/prefix/lib -o '$work/t1'"
check "run the pkg-config build" "$work/t1"
mkdir -p "$work/fp"
cat > "$work/fp/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.20)
project(fp C)
find_package(infinitree REQUIRED)
add_executable(t $work/t.c)
target_link_libraries(t PRIVATE infinitree::infinitree)
CM
check "configure with find_package(infinitree)" cmake -S "$work/fp" -B "$work/fp/b" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="$sanflags" -DCMAKE_EXE_LINKER_FLAGS="$sanflags"
check "build with find_package" cmake --build "$work/fp/b"
check "run the find_package build" "$work/fp/b/t"

# --- C++: the installed headers ------------------------------------------------------------
# Each compiles on its own with only the prefix on the include path: none includes a header
# of src/ or depends on being included after another.
each_header_compiles() {
  local h
  for h in "$work"/prefix/include/infinitree/*.hpp; do
    echo "#include <infinitree/$(basename "$h")>" | $cxx -std=c++20 -fsyntax-only -Wall -Wextra -Werror \
      -I"$work/prefix/include" -x c++ - || { echo "does not compile alone: $h"; return 1; }
  done
}
check "every installed C++ header compiles on its own" each_header_compiles
# msgpack-cxx is needed only by the typed layer (typed.hpp), not by every C++ user.
no_msgpack_in_tree_hpp() {
  local deps
  deps=$(echo '#include <infinitree/tree.hpp>' | $cxx -std=c++20 -M -I"$work/prefix/include" -x c++ -) || return 1
  if echo "$deps" | grep -q msgpack; then echo "tree.hpp includes msgpack:"; echo "$deps" | grep msgpack; return 1; fi
}
check "infinitree/tree.hpp does not include msgpack" no_msgpack_in_tree_hpp

# --- C++: the README's first example, exactly as the README shows it ---------------------
awk '/^```cpp$/ { inside = 1; next } inside && /^```$/ { exit } inside { print }' \
  "$source_dir/README.md" > "$work/readme.cpp"
check "README's first C++ example extracted" grep -q 'int main' "$work/readme.cpp"
# Run in a scratch folder: the example creates ./garden-store. A second run finds the tree
# there and must fail cleanly (already exists), with infinitree::Error caught across the library boundary.
run_readme_example() (
  exe="$1"
  rm -rf "$work/run" && mkdir -p "$work/run" && cd "$work/run" || exit 1
  out=$("$exe") || { echo "first run failed: $out"; exit 1; }
  [ "$out" = "fern was healthy, is thirsty" ] || { echo "unexpected output: $out"; exit 1; }
  if "$exe" 2>"$work/run/err"; then echo "second run did not fail"; exit 1; fi
  grep -q '^infinitree: already exists: ' "$work/run/err" || { echo "second run:"; cat "$work/run/err"; exit 1; }
)
check "build the README example with g++ and pkg-config (infinitree++)" sh -c \
  "$cxx -std=c++20 $sanflags '$work/readme.cpp' \$(pkg-config --cflags --libs infinitree++) -Wl,-rpath,$work/prefix/lib -o '$work/readme1'"
check "run the pkg-config build of the README example" run_readme_example "$work/readme1"
mkdir -p "$work/fpx"
cat > "$work/fpx/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.20)
project(fpx CXX)
find_package(infinitree REQUIRED)
add_executable(readme $work/readme.cpp)
target_link_libraries(readme PRIVATE infinitree::cxx)
CM
check "configure the README example with find_package(infinitree)" cmake -S "$work/fpx" -B "$work/fpx/b" \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="$sanflags" \
  -DCMAKE_EXE_LINKER_FLAGS="$sanflags"
check "build the README example with find_package (infinitree::cxx)" cmake --build "$work/fpx/b"
check "run the find_package build of the README example" run_readme_example "$work/fpx/b/readme"
# The C++ program needs libinfinitree++ only; the C library is for C and the bindings.
check "the README example links libinfinitree++, not libinfinitree" sh -c \
  "readelf -d '$work/fpx/b/readme' | grep -q 'libinfinitree++.so.0' && ! readelf -d '$work/fpx/b/readme' | grep -q 'libinfinitree.so.0'"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
