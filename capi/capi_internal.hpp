// Shared machinery of the C ABI: the handle structs, the exception firewall and the
// conversions between C arguments and C++ values. Every exported function is
//   int it_x(...) { return capi::guard([&] { ...; return IT_OK; }); }
// so no exception ever crosses the boundary and every failure leaves a thread-local message.
#pragma once

#include <atomic>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "infinitree.h"
#include "infinitree/backend.hpp"
#include "infinitree/error.hpp"
#include "infinitree/tree.hpp"
#include "infinitree/views.hpp"
#include "infinitree/write_only.hpp"

namespace capi {

using infinitree::Errc;
using infinitree::Error;

// What a tree handle and everything made from it (fields, cursors, checkouts) share. The
// handles hold it by shared_ptr, so freeing the tree handle first never leaves them dangling;
// `closed` makes them answer IT_ECLOSED afterwards (checkouts included, which the C++ layer
// would otherwise keep serving). A write-only session's state has no `tree` (the session
// keeps its tree to itself): only its stream writers share it, for `closed`.
struct TreeState {
  std::shared_ptr<infinitree::Tree> tree;
  std::atomic<bool> closed{false};
};

// Records the failure for it_error_message() and returns `code`.
int fail(int code, const char* message) noexcept;

template <typename F>
int guard(F&& body) noexcept {
  try {
    return body();
  } catch (const Error& e) {
    return fail(-static_cast<int>(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    return fail(IT_ENOMEM, "out of memory");
  } catch (const std::exception& e) {
    return fail(IT_EINTERNAL, e.what());
  } catch (...) {
    return fail(IT_EINTERNAL, "unknown exception");
  }
}

// Throws invalid_argument naming `what` if `p` is NULL.
template <typename T>
T* need(T* p, const char* what) {
  if (!p) throw Error(Errc::invalid_argument, std::string(what) + " is NULL");
  return p;
}

// Borrowed input bytes: (NULL, 0) is empty, (NULL, n > 0) is invalid. The empty result
// points at a static "" rather than NULL: C++ code below may memcpy from data() with a zero
// length, which is undefined for NULL (UBSan flags it in the B-tree's leaf_set_value).
inline std::string_view bytes(const void* p, size_t n, const char* what) {
  if (!p) {
    if (n) throw Error(Errc::invalid_argument, std::string(what) + " is NULL with a nonzero length");
    return std::string_view("", 0);
  }
  return {static_cast<const char*>(p), n};
}

// A required NUL-terminated name.
inline std::string_view name(const char* s, const char* what) {
  return need(s, what);
}

// The value a C caller passed as an enum parameter. C lets any int through an enum type, but
// C++ only defines loads of values within the enumerators' range, so an unknown value (which
// the caller must get IT_EINVAL for) is read from the object's bytes, not as the enum.
template <typename E>
int enum_value(const E& e) {
  static_assert(sizeof(E) == sizeof(int), "the C ABI's enums are int-sized");
  int v;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

// A ref argument: NULL means the head of the current branch, which the core spells "".
inline std::string_view ref(const char* s) { return s ? std::string_view(s) : std::string_view("", 0); }

// A user name as the header promises it: 1 to IT_MAX_NAME_SIZE bytes.
inline std::string_view username(const char* s, const char* what) {
  std::string_view u = name(s, what);
  if (u.empty() || u.size() > IT_MAX_NAME_SIZE)
    throw Error(Errc::invalid_argument,
                std::string(what) + " must be 1 to " + std::to_string(IT_MAX_NAME_SIZE) + " bytes");
  return u;
}

// An optional yes/no out-parameter (rule 3 and 4 of the header).
inline void put_flag(int* out, bool yes) {
  if (out) *out = yes ? 1 : 0;
}

// A required yes/no out-parameter of a predicate.
inline int answer(int* out, bool yes) {
  need(out, "out");
  *out = yes ? 1 : 0;
  return IT_OK;
}

// A versioned struct the library fills: its version must be one this library knows.
template <typename T>
void check_version(const T* out, uint32_t known, const char* what) {
  need(out, "out");
  if (out->version == 0 || out->version > known)
    throw Error(Errc::unsupported_version,
                std::string(what) + " version " + std::to_string(out->version) +
                    " is not known (set it to the header's *_VERSION)");
}

// Fills a caller-owned buffer (malloc'd, NUL-terminated). `out` was checked non-NULL.
void to_buf(it_buf* out, std::string_view s);

void check_open(const TreeState& s);

// Validated Argon2id costs (it_options_set_kdf, it_tree_change_password).
infinitree::KdfParams kdf_params(uint32_t memory_kib, uint32_t iterations, uint32_t parallelism);

}  // namespace capi
struct it_names;
namespace capi {
// The field list of a tree or checkout as a name list (it_names_type = IT_FIELD_*).
it_names* make_field_names(const std::vector<infinitree::FieldInfo>& fields);

}  // namespace capi

namespace capi {
// What an item view reads from: its trees (every call on the view or its cursors answers
// IT_ECLOSED once one of them is closed) and its checkouts (kept alive with the view).
struct ViewDeps {
  std::vector<std::shared_ptr<TreeState>> states;
  std::vector<std::shared_ptr<infinitree::TreeView>> views;
};
void check_open(const ViewDeps& d);
}  // namespace capi

// The handles. Defined at global scope because the header declares them there.
struct it_backend {
  std::shared_ptr<infinitree::Backend> backend;
};

struct it_s3_options {
  infinitree::S3Options options;
};

struct it_options {
  infinitree::OpenOptions options;
};

struct it_commit_options {
  infinitree::CommitOptions options;
};

struct it_tree {
  std::shared_ptr<capi::TreeState> state;
};

struct it_view {
  std::shared_ptr<capi::TreeState> state;
  std::shared_ptr<infinitree::TreeView> view;
};

// Field handles keep the view (checkout) they came from alive; for the working tree `view`
// is null and the TreeState keeps the Tree alive.
struct it_map {
  std::shared_ptr<capi::TreeState> state;
  std::shared_ptr<infinitree::TreeView> view;
  infinitree::Map map;
};
struct it_set {
  std::shared_ptr<capi::TreeState> state;
  std::shared_ptr<infinitree::TreeView> view;
  infinitree::Set set;
};
struct it_list {
  std::shared_ptr<capi::TreeState> state;
  std::shared_ptr<infinitree::TreeView> view;
  infinitree::List list;
};
struct it_value {
  std::shared_ptr<capi::TreeState> state;
  std::shared_ptr<infinitree::TreeView> view;
  infinitree::Value value;
};

struct it_cursor {
  std::shared_ptr<capi::TreeState> state;
  std::shared_ptr<infinitree::TreeView> view;
  infinitree::Cursor cursor;
  // A cursor of an item view (it_item_view_cursor) moves `items` instead of `cursor`, and
  // `deps` holds every tree and checkout the view reads.
  std::unique_ptr<infinitree::ItemCursor> items{};
  std::shared_ptr<const capi::ViewDeps> deps{};
};

struct it_commit {
  infinitree::CommitInfo info;
};

// A writer's session. `state` is shared with the session's stream writers (IT_ECLOSED after
// it_write_session_close); the session is used by one thread at a time (rule 11).
struct it_write_session {
  std::shared_ptr<capi::TreeState> state;
  std::unique_ptr<infinitree::WriteOnlySession> session;
};

struct it_log {
  std::vector<infinitree::CommitInfo> commits;
};

struct it_names {
  struct Entry {
    std::string name;
    std::optional<std::string> target;
    int type = 0;
  };
  std::vector<Entry> entries;
};

struct it_diff {
  std::vector<infinitree::DiffEntry> entries;
};
