# libFuzzer harnesses (tests/fuzz, docs/fuzzing.md): -DINFINITREE_FUZZ=ON with clang, in a
# build directory of its own (scripts/fuzz.sh uses build-fuzz). The whole library is
# compiled with coverage instrumentation and ASan+UBSan so the fuzzer sees into every
# decoder; only the harnesses link libFuzzer's main.
option(INFINITREE_FUZZ "Build the libFuzzer harnesses in tests/fuzz (clang only)" OFF)

if(INFINITREE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "INFINITREE_FUZZ needs clang (libFuzzer); configure with "
                        "-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang "
                        "(Debian packages: clang libclang-rt-dev)")
  endif()
  set(INFINITREE_FUZZ_FLAGS -fsanitize=fuzzer-no-link,address,undefined
      -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
  add_compile_options(${INFINITREE_FUZZ_FLAGS})
  add_link_options(-fsanitize=address,undefined)
endif()
