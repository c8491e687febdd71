# `cmake --install` puts the shared libraries (libinfinitree: the C ABI; libinfinitree++: the
# C++ API), the public headers, pkg-config files and a CMake package config in the prefix, as
# users of SQLite or libgit2 expect. find_package(infinitree) gives infinitree::infinitree
# (C) and infinitree::cxx (C++).
#
# The component "c" is the C library alone: libinfinitree.so, infinitree.h and infinitree.pc,
# what the Go binding builds against (`cmake --install build --component c --prefix P`, as
# bindings/go/test.sh does); it needs only the `libinfinitree` target built.
include(CMakePackageConfigHelpers)

install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/include/infinitree.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT c)
install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/include/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp")

if(TARGET infinitree)
  install(TARGETS infinitree EXPORT infinitreeTargets
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT c
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(TARGETS infinitree_cxx EXPORT infinitreeTargets
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT infinitreeTargets NAMESPACE infinitree::
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/infinitree)
  configure_package_config_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/infinitreeConfig.cmake.in
    ${CMAKE_CURRENT_BINARY_DIR}/infinitreeConfig.cmake
    INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/infinitree)
  write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/infinitreeConfigVersion.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/infinitreeConfig.cmake
                ${CMAKE_CURRENT_BINARY_DIR}/infinitreeConfigVersion.cmake
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/infinitree)
  # The .pc file finds the prefix relative to itself (lib/pkgconfig or lib/<multiarch>/pkgconfig).
  file(RELATIVE_PATH INFINITREE_PC_PREFIX_REL "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
  configure_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/infinitree.pc.in
                 ${CMAKE_CURRENT_BINARY_DIR}/infinitree.pc @ONLY)
  configure_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/infinitree++.pc.in
                 ${CMAKE_CURRENT_BINARY_DIR}/infinitree++.pc @ONLY)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/infinitree.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT c)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/infinitree++.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
if(TARGET infinitree_cli)
  install(TARGETS infinitree_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
