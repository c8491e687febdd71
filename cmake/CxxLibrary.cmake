# libinfinitree++.so: the public C++ API (include/infinitree/*.hpp) for users of the
# installed library. It is linked from the same core objects as libinfinitree.so, which
# keeps exporting only the C ABI; this one exports only the declarations marked
# INFINITREE_EXPORT (cmake/cxx_exports.map). Why two libraries and not a C++ layer over the
# C ABI: docs/architecture.md, "Two libraries".
#
# Its soname changes when the C++ ABI breaks (a public class or option struct changes
# layout, a virtual function is added), independently of the C soname.
set(INFINITREE_CXX_SOVERSION 0)

add_library(infinitree_cxx SHARED ${INFINITREE_CORE_OBJECTS})  # every layer (src/CMakeLists.txt)
add_library(infinitree::cxx ALIAS infinitree_cxx)
target_include_directories(infinitree_cxx INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(infinitree_cxx INTERFACE cxx_std_20)
target_link_libraries(infinitree_cxx PRIVATE infinitree_deps)
set_target_properties(infinitree_cxx PROPERTIES
  OUTPUT_NAME infinitree++
  EXPORT_NAME cxx
  VERSION ${PROJECT_VERSION}
  SOVERSION ${INFINITREE_CXX_SOVERSION}
  LINK_FLAGS "-Wl,--exclude-libs,ALL -Wl,--no-undefined -Wl,--version-script=${PROJECT_SOURCE_DIR}/cmake/cxx_exports.map"
  LINK_DEPENDS ${PROJECT_SOURCE_DIR}/cmake/cxx_exports.map)
