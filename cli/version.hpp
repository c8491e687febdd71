// `infinitree --version`: the project's version and the soname of the C library it ships
// with (set by CMake from project(VERSION) and INFINITREE_SOVERSION, the same numbers the
// library's it_version() and its soname come from).
#pragma once

#include <string>

namespace infinitree::cli {

// "infinitree 0.1.0 (libinfinitree.so.0)"
std::string version_line();

}  // namespace infinitree::cli
