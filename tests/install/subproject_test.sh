#!/usr/bin/env bash
# A CMake user who builds libinfinitree as part of their own project, the two usual ways:
#   add_subdirectory(path/to/libinfinitree)        (a vendored copy or a git submodule)
#   FetchContent_Declare(infinitree URL ...) + FetchContent_MakeAvailable(infinitree)
# Each consumer links infinitree::infinitree (the same name find_package gives, see
# install_test.sh), builds only its program and what it needs, and runs it. In a subproject
# the tests, benchmarks, CLI, examples and install rules are off by default: checked too.
# Prints "N passed, M failed".
#   subproject_test.sh BUILD_DIR [C_COMPILER] [CXX_COMPILER]
# Compile time is what this test costs, so:
# - the consumers build without optimisation or debug info (CMAKE_BUILD_TYPE empty, -O0):
#   the point is that the project builds and links as a subproject, not its speed;
# - both keep the library's sources at third_party/infinitree and its build at
#   b/third_party/infinitree below a fixed folder (BUILD_DIR/subproject-consumers), so with
#   ccache in the environment (CMAKE_CXX_COMPILER_LAUNCHER=ccache) the second consumer and
#   every rerun are cache hits (ccache is used when installed, see below). Without ccache
#   each consumer compiles the library once.
set -uo pipefail
build=$(cd "$1" && pwd); cc="${2:-cc}"; cxx="${3:-c++}"
# ccache when it is installed and the caller did not choose a launcher (its default cache
# folder outlives the test), so at least the second consumer is all hits.
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_C_COMPILER_LAUNCHER="${CMAKE_C_COMPILER_LAUNCHER:-ccache}"
  export CMAKE_CXX_COMPILER_LAUNCHER="${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}"
fi
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
work="$build/subproject-consumers"
rm -rf "$work" && mkdir -p "$work" || exit 1
passed=0; failed=0
check() { if "${@:2}" >"$work/log" 2>&1; then passed=$((passed+1)); echo "PASS $1"; else failed=$((failed+1)); echo "FAIL $1"; tail -40 "$work/log"; fi; }

cat > "$work/t.c" <<'C'
#include <infinitree.h>
#include <stdio.h>
#include <string.h>
/* Writes a key, commits, reads it back: the library works, not only links. */
#define TRY(call) do { if ((call) < 0) { fprintf(stderr, "%s: %s\n", #call, it_error_message()); return 1; } } while (0)
int main(void) {
  it_backend* b = NULL;
  it_options* o = NULL;
  it_tree* t = NULL;
  it_map* m = NULL;
  it_commit* c = NULL;
  it_buf v = {NULL, 0};
  TRY(it_backend_new_memory(&b));
  TRY(it_options_new(&o));
  TRY(it_options_set_insecure_fast_kdf(o));
  TRY(it_tree_create(b, "u", "p", 1, o, &t));
  TRY(it_tree_map(t, "m", &m));
  TRY(it_map_put(m, "k", 1, "v", 1));
  TRY(it_tree_commit(t, "c", NULL, 0, NULL, &c));
  TRY(it_map_get(m, "k", 1, &v));
  if (c == NULL || v.size != 1 || memcmp(v.data, "v", 1) != 0) return 2;
  it_buf_free(&v);
  it_commit_free(c);
  it_map_free(m);
  it_tree_free(t);
  it_options_free(o);
  it_backend_free(b);
  printf("%s\n", it_version());
  return 0;
}
C

configure() {  # configure DIR: the consumer's build (see the top for why -O0)
  cmake -S "$1" -B "$1/b" -G Ninja -DCMAKE_BUILD_TYPE= -DCMAKE_C_FLAGS=-O0 -DCMAKE_CXX_FLAGS=-O0 \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx"
}
# In a subproject only the libraries are targets: no test, CLI, benchmark or example.
only_libraries() {
  local targets
  targets=$(cmake --build "$1/b" --target help) || return 1
  echo "$targets" | grep -q '^infinitree: ' || { echo "no infinitree target"; return 1; }
  if echo "$targets" | grep -E '^(test_[a-z]+|infinitree_cli|example_[a-z_]+|[a-z_]*bench[a-z_]*): '; then
    echo "a subproject defines the targets above"; return 1
  fi
}
runs() { local out; out=$("$1") || return 1; [ "$out" = "$(sed -n 's/^project(infinitree VERSION \([0-9.]*\).*/\1/p' "$source_dir/CMakeLists.txt")" ]; }

# What a release tarball is: this checkout without build folders or git metadata.
check "archive the checkout" tar -C "$source_dir" --exclude='./build*' --exclude=./.git \
  --exclude='./bindings/python/*.egg-info' -czf "$work/infinitree.tar.gz" .

# --- add_subdirectory: the sources vendored into the consumer's tree ------------------------
mkdir -p "$work/as/third_party/infinitree"
cp "$work/t.c" "$work/as/t.c"
cat > "$work/as/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(consumer_add_subdirectory C)
add_subdirectory(third_party/infinitree)
add_executable(t t.c)
target_link_libraries(t PRIVATE infinitree::infinitree)
CM
check "add_subdirectory: vendor the sources" tar -C "$work/as/third_party/infinitree" -xzf "$work/infinitree.tar.gz"
check "add_subdirectory: configure" configure "$work/as"
check "add_subdirectory: only the libraries are targets" only_libraries "$work/as"
check "add_subdirectory: build the program (and the library it needs)" cmake --build "$work/as/b" --target t -j "$(nproc)"
check "add_subdirectory: run it" runs "$work/as/b/t"

# --- FetchContent: the archive downloaded and unpacked at configure time --------------------
mkdir -p "$work/fc"
cp "$work/t.c" "$work/fc/t.c"
cat > "$work/fc/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.20)
project(consumer_fetchcontent C)
include(FetchContent)
# SOURCE_DIR/BINARY_DIR only line the layout up with the add_subdirectory consumer (ccache).
FetchContent_Declare(infinitree URL "file://$work/infinitree.tar.gz"
  SOURCE_DIR \${CMAKE_CURRENT_SOURCE_DIR}/third_party/infinitree
  BINARY_DIR \${CMAKE_CURRENT_BINARY_DIR}/third_party/infinitree)
FetchContent_MakeAvailable(infinitree)
add_executable(t t.c)
target_link_libraries(t PRIVATE infinitree::infinitree)
CM
check "FetchContent: configure" configure "$work/fc"
check "FetchContent: the sources were fetched" test -f "$work/fc/third_party/infinitree/include/infinitree.h"
check "FetchContent: only the libraries are targets" only_libraries "$work/fc"
check "FetchContent: build the program (and the library it needs)" cmake --build "$work/fc/b" --target t -j "$(nproc)"
check "FetchContent: run it" runs "$work/fc/b/t"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
