# Every dependency is a Debian package; a missing one stops configuration with the
# name of the package to install (scripts/install-deps.sh installs them all).
find_package(PkgConfig REQUIRED)

function(infinitree_require_pkg var module debian_pkg)
  pkg_check_modules(${var} IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "${module} not found: install the Debian package '${debian_pkg}' "
                        "(or run scripts/install-deps.sh)")
  endif()
endfunction()

find_package(OpenSSL 3.0)
if(NOT OpenSSL_FOUND)
  message(FATAL_ERROR "OpenSSL 3 not found: install the Debian package 'libssl-dev'")
endif()
find_package(Threads REQUIRED)

infinitree_require_pkg(ARGON2 libargon2 libargon2-dev)
infinitree_require_pkg(LZ4 liblz4 liblz4-dev)
infinitree_require_pkg(CURL libcurl libcurl4-openssl-dev)
infinitree_require_pkg(EXPAT expat libexpat1-dev)  # the S3 listing and error XML
if(INFINITREE_WITH_ZSTD)
  infinitree_require_pkg(ZSTD libzstd libzstd-dev)
endif()

# msgpack-cxx is header-only; its CMake config drags in Boost, which we do not use
# (MSGPACK_NO_BOOST), so we only locate the header.
find_path(MSGPACK_INCLUDE_DIR msgpack.hpp)
if(NOT MSGPACK_INCLUDE_DIR)
  message(FATAL_ERROR "msgpack.hpp not found: install the Debian package 'libmsgpack-cxx-dev'")
endif()

add_library(infinitree_deps INTERFACE)
target_include_directories(infinitree_deps SYSTEM INTERFACE ${MSGPACK_INCLUDE_DIR})
target_compile_definitions(infinitree_deps INTERFACE MSGPACK_NO_BOOST)
target_link_libraries(infinitree_deps INTERFACE
  OpenSSL::Crypto PkgConfig::ARGON2 PkgConfig::LZ4 PkgConfig::CURL PkgConfig::EXPAT
  Threads::Threads)
if(INFINITREE_WITH_ZSTD)
  target_link_libraries(infinitree_deps INTERFACE PkgConfig::ZSTD)
  target_compile_definitions(infinitree_deps INTERFACE INFINITREE_HAVE_ZSTD=1)
endif()

# nlohmann-json is header-only, for JSON import and export of maps (src/fields/json.cpp) and the
# CLI's --json output; only the header is located (it is on the default include path).
find_path(NLOHMANN_JSON_INCLUDE_DIR nlohmann/json.hpp)
if(NOT NLOHMANN_JSON_INCLUDE_DIR)
  message(FATAL_ERROR "nlohmann/json.hpp not found: install the Debian package 'nlohmann-json3-dev'")
endif()
