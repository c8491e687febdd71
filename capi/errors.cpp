// Version, status codes, the thread-local last error and buffers.
#include <cstdlib>
#include <cstring>

#include "capi_internal.hpp"

// The header's constants are copies of the core's (a C header cannot include C++): these
// checks tie each copy to its one definition, so they cannot drift apart.
namespace {
constexpr bool code_is(int c_code, infinitree::Errc e) { return c_code == -static_cast<int>(e); }
using E = infinitree::Errc;
static_assert(code_is(IT_OK, E::ok));
static_assert(code_is(IT_EINVAL, E::invalid_argument));
static_assert(code_is(IT_ENOTFOUND, E::not_found));
static_assert(code_is(IT_EMISSING, E::object_missing));
static_assert(code_is(IT_ETRUNCATED, E::object_truncated));
static_assert(code_is(IT_ECORRUPT, E::corrupt));
static_assert(code_is(IT_EIO, E::io));
static_assert(code_is(IT_EPERM, E::permission_denied));
static_assert(code_is(IT_ECREDENTIALS, E::wrong_credentials));
static_assert(code_is(IT_EEXISTS, E::already_exists));
static_assert(code_is(IT_ELOCKED, E::locked));
static_assert(code_is(IT_ETOOLARGE, E::too_large));
static_assert(code_is(IT_ECLOSED, E::closed));
static_assert(code_is(IT_EVERSION, E::unsupported_version));
static_assert(code_is(IT_ENOMEM, E::out_of_memory));
static_assert(code_is(IT_ENETWORK, E::network));
static_assert(code_is(IT_EREMOTEAUTH, E::remote_auth));
static_assert(code_is(IT_ECONFLICT, E::conflict));
static_assert(code_is(IT_EREADONLY, E::read_only));
static_assert(code_is(IT_EINTERNAL, E::internal));
static_assert(code_is(IT_EREMOTE, E::remote));
static_assert(code_is(IT_ENOSPC, E::no_space));
// The last code: it_error_string's range check and a new Errc must move together.
static_assert(IT_ENOSPC == -static_cast<int>(E::no_space) && static_cast<int>(E::no_space) == 21);
static_assert(IT_MAX_KEY_SIZE == infinitree::kMaxKeySize);
static_assert(IT_MAX_VALUE_SIZE == infinitree::kMaxValueSize);
static_assert(IT_KDF_DEFAULT_MEMORY_KIB == infinitree::KdfParams{}.memory_kib);
static_assert(IT_KDF_DEFAULT_ITERATIONS == infinitree::KdfParams{}.iterations);
static_assert(IT_KDF_DEFAULT_PARALLELISM == infinitree::KdfParams{}.parallelism);
static_assert(IT_FIELD_MAP == static_cast<int>(infinitree::FieldType::map));
static_assert(IT_FIELD_SET == static_cast<int>(infinitree::FieldType::set));
static_assert(IT_FIELD_LIST == static_cast<int>(infinitree::FieldType::list));
static_assert(IT_FIELD_VALUE == static_cast<int>(infinitree::FieldType::value));
}  // namespace

namespace {
// The last failure of this thread. The message lives in a std::string whose storage is
// reused between failures; a failure to store it (no memory) keeps the code only.
struct LastError {
  int code = 0;
  std::string message;
};
thread_local LastError t_last;
}  // namespace

namespace capi {

int fail(int code, const char* message) noexcept {
  t_last.code = code;
  try {
    t_last.message = message ? message : "";
  } catch (...) {
    t_last.message.clear();
  }
  return code;
}

void to_buf(it_buf* out, std::string_view s) {
  auto* p = static_cast<uint8_t*>(std::malloc(s.size() + 1));
  if (!p) throw std::bad_alloc();
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  p[s.size()] = 0;
  out->data = p;
  out->size = s.size();
}

void check_open(const TreeState& s) {
  if (s.closed.load(std::memory_order_acquire)) throw Error(Errc::closed, "the tree is closed");
}

}  // namespace capi

extern "C" {

const char* it_version(void) { return IT_VERSION_STRING; }

const char* it_error_string(int code) {
  if (code == IT_DONE) return "done";
  if (code > 0 || code < IT_ENOSPC) return "unknown";
  return infinitree::errc_name(static_cast<infinitree::Errc>(-code));
}

const char* it_error_message(void) { return t_last.message.c_str(); }
int it_error_code(void) { return t_last.code; }
void it_error_clear(void) {
  t_last.code = 0;
  t_last.message.clear();
}

void it_buf_free(it_buf* buf) {
  if (!buf) return;
  std::free(buf->data);
  buf->data = nullptr;
  buf->size = 0;
}

}  // extern "C"
