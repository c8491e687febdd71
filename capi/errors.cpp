// Version, status codes, the thread-local last error and buffers.
#include <cstdlib>
#include <cstring>

#include "capi_internal.hpp"

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

const char* it_strerror(int code) {
  if (code > 0 || code < IT_ENOSPC) return "unknown";
  return infinitree::errc_name(static_cast<infinitree::Errc>(-code));
}

const char* it_last_error(void) { return t_last.message.c_str(); }
int it_last_error_code(void) { return t_last.code; }
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
