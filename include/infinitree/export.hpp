// INFINITREE_EXPORT marks the public C++ API (as LEVELDB_EXPORT does in LevelDB).
//
// The core is compiled with hidden visibility, so nothing is exported from a shared
// library by accident. The classes and functions declared in include/infinitree/*.hpp
// carry this mark, which gives them default visibility: libinfinitree++.so exports them
// (its version script, cmake/cxx_exports.map, keeps only infinitree:: names), while
// libinfinitree.so still exports only the C ABI (capi/exports.map). A class marks its
// vtable and typeinfo too, so a program can catch infinitree::Error and subclass
// infinitree::Backend across the library boundary.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define INFINITREE_EXPORT __attribute__((visibility("default")))
#else
#define INFINITREE_EXPORT
#endif
