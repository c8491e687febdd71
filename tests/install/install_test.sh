#!/usr/bin/env bash
# `cmake --install` into a scratch prefix, then build a C program against it twice: through
# pkg-config (infinitree.pc) and through find_package(infinitree). Prints "N passed, M failed".
#   install_test.sh BUILD_DIR [C_COMPILER] [SANITIZER_FLAGS]
# SANITIZER_FLAGS are those the library was built with (ASan/TSan builds): a program that
# links a sanitized library must be compiled and linked with the same runtime.
set -uo pipefail
build="$1"; cc="${2:-cc}"; sanflags="${3:-}"
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
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
