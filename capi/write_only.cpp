// Write-only trees (include/infinitree/write_only.hpp): the keys, a writer's session, and the
// reader's side (the inbox listing, opening a session read-only, copying its fields). The
// session's stream writers are made in capi/stream.cpp (it_stream_writer_new_from_session).
#include <cstdlib>

#include "capi_internal.hpp"

using namespace capi;

struct it_write_sessions {
  std::vector<infinitree::WriteOnlySessionEntry> entries;
};

namespace {

const infinitree::OpenOptions& options_of(const it_options* o) {
  static const infinitree::OpenOptions defaults{};
  return o ? o->options : defaults;
}

infinitree::WriteOnlySession& session_of(const it_write_session* s) {
  need(s, "session");
  check_open(*s->state);
  return *s->session;
}

}  // namespace

extern "C" {

int it_write_only_keys_new(it_buf* read_key, it_buf* write_key) {
  return guard([&]() -> int {
    need(read_key, "read_key");
    need(write_key, "write_key");
    auto keys = infinitree::make_write_only_keys();
    // Both buffers or neither (rule 2: outputs untouched on failure).
    it_buf r{}, w{};
    to_buf(&r, keys.read_key);
    try {
      to_buf(&w, keys.write_key);
    } catch (...) {
      it_buf_free(&r);
      throw;
    }
    *read_key = r;
    *write_key = w;
    return IT_OK;
  });
}

int it_write_only_keys_get_write_key(const char* read_key, it_buf* out) {
  return guard([&]() -> int {
    auto k = name(read_key, "read_key");
    need(out, "out");
    to_buf(out, infinitree::write_key_of(k));
    return IT_OK;
  });
}

int it_write_session_open(const it_backend* backend, const char* write_key,
                          const it_options* options, it_write_session** out) {
  return guard([&]() -> int {
    need(backend, "backend");
    auto k = name(write_key, "write_key");
    need(out, "out");
    auto session = infinitree::WriteOnlySession::open(backend->backend, k, options_of(options));
    *out = new it_write_session{std::make_shared<TreeState>(), std::move(session)};
    return IT_OK;
  });
}

int it_write_session_get_index(const it_write_session* session, uint64_t* out) {
  return guard([&]() -> int {
    auto& s = session_of(session);
    need(out, "out");
    *out = s.index();
    return IT_OK;
  });
}

int it_write_session_put(it_write_session* session, const char* map, const void* key,
                         size_t key_len, const void* value, size_t value_len) {
  return guard([&]() -> int {
    auto& s = session_of(session);
    auto m = name(map, "map");
    s.put(m, bytes(key, key_len, "key"), bytes(value, value_len, "value"));
    return IT_OK;
  });
}

int it_write_session_set(it_write_session* session, const char* field, const void* value,
                         size_t value_len) {
  return guard([&]() -> int {
    auto& s = session_of(session);
    auto f = name(field, "field");
    s.set(f, bytes(value, value_len, "value"));
    return IT_OK;
  });
}

int it_write_session_commit(it_write_session* session, const char* message, it_commit** out) {
  return guard([&]() -> int {
    auto& s = session_of(session);
    auto m = name(message, "message");
    auto info = s.commit(m);
    if (out) *out = info ? new it_commit{std::move(*info)} : nullptr;
    return IT_OK;
  });
}

int it_write_session_close(it_write_session* session) {
  return guard([&]() -> int {
    need(session, "session");
    // Mark first, so the session's stream writers answer IT_ECLOSED; then the C++ close
    // discards what was not committed and drops the session key.
    session->state->closed.store(true, std::memory_order_release);
    session->session->close();
    return IT_OK;
  });
}

void it_write_session_free(it_write_session* session) {
  if (!session) return;
  it_write_session_close(session);
  delete session;
}

int it_write_sessions_new(const it_backend* backend, const char* read_key,
                          it_write_sessions** out) {
  return guard([&]() -> int {
    need(backend, "backend");
    auto k = name(read_key, "read_key");
    need(out, "out");
    auto list = std::make_unique<it_write_sessions>();
    list->entries = infinitree::write_only_sessions(backend->backend, k);
    *out = list.release();
    return IT_OK;
  });
}

int it_write_sessions_count(const it_write_sessions* sessions, uint64_t* out) {
  return guard([&]() -> int {
    need(sessions, "sessions");
    need(out, "out");
    *out = sessions->entries.size();
    return IT_OK;
  });
}

int it_write_sessions_get(const it_write_sessions* sessions, uint64_t position, uint64_t* index,
                          it_status* status) {
  return guard([&]() -> int {
    need(sessions, "sessions");
    need(index, "index");
    need(status, "status");
    if (position >= sessions->entries.size())
      throw Error(Errc::not_found, "inbox entry position " + std::to_string(position) +
                                       " out of range (" +
                                       std::to_string(sessions->entries.size()) + " entries)");
    const auto& e = sessions->entries[position];
    *index = e.index;
    *status = static_cast<it_status>(-static_cast<int>(e.status));  // Errc negated (capi/errors.cpp)
    return IT_OK;
  });
}

void it_write_sessions_free(it_write_sessions* sessions) { delete sessions; }

int it_tree_open_write_session(const it_backend* backend, const char* read_key, uint64_t index,
                               const it_options* options, it_tree** out) {
  return guard([&]() -> int {
    need(backend, "backend");
    auto k = name(read_key, "read_key");
    need(out, "out");
    auto state = std::make_shared<TreeState>();
    state->tree = std::shared_ptr<infinitree::Tree>(
        infinitree::open_write_only_session(backend->backend, k, index, options_of(options)));
    *out = new it_tree{std::move(state)};
    return IT_OK;
  });
}

int it_tree_copy_fields(it_tree* tree, const it_view* from) {
  return guard([&]() -> int {
    need(tree, "tree");
    check_open(*tree->state);
    need(from, "from");
    check_open(*from->state);
    infinitree::copy_fields(*from->view, *tree->state->tree);
    return IT_OK;
  });
}

}  // extern "C"
