#include "version.hpp"

#ifndef INFINITREE_VERSION
#error "INFINITREE_VERSION must be set by cli/CMakeLists.txt"
#endif

namespace infinitree::cli {

std::string version_line() {
  return std::string("infinitree ") + INFINITREE_VERSION + " (libinfinitree.so." + INFINITREE_SOVERSION + ")";
}

}  // namespace infinitree::cli
