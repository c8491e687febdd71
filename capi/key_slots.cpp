// Key slots and raw keys: open and create with a raw key, add / list / delete slots.
#include "capi_internal.hpp"
#include "infinitree/keys.hpp"

using namespace capi;

static_assert(IT_RAW_KEY_SIZE == infinitree::kRawKeySize, "IT_RAW_KEY_SIZE");
static_assert(IT_MAX_KEY_SLOTS == infinitree::kMaxKeySlots, "IT_MAX_KEY_SLOTS");
static_assert(IT_MAX_KEY_SLOT_LABEL_SIZE == infinitree::kMaxKeySlotLabelSize,
              "IT_MAX_KEY_SLOT_LABEL_SIZE");
static_assert(IT_KEY_SLOT_PASSWORD == static_cast<int>(infinitree::KeySlotKind::password) &&
                  IT_KEY_SLOT_RAW_KEY == static_cast<int>(infinitree::KeySlotKind::raw_key),
              "it_key_slot_kind equals KeySlotKind");

struct it_key_slots {
  std::vector<infinitree::KeySlotInfo> slots;
};

namespace {

const infinitree::OpenOptions& options_of(const it_options* o) {
  static const infinitree::OpenOptions defaults{};
  return o ? o->options : defaults;
}

infinitree::Tree& tree_of(const it_tree* t) {
  need(t, "tree");
  check_open(*t->state);
  return *t->state->tree;
}

infinitree::Credential raw_key(const void* key, size_t key_len) {
  return infinitree::Credential::raw_key(bytes(key, key_len, "key"));
}

template <typename Open>
int open_with_key(const it_backend* backend, const void* key, size_t key_len, it_tree** out,
                  Open&& open) {
  return guard([&]() -> int {
    need(backend, "backend");
    auto credential = raw_key(key, key_len);
    need(out, "out");
    auto state = std::make_shared<TreeState>();
    state->tree = std::shared_ptr<infinitree::Tree>(open(backend->backend, credential));
    *out = new it_tree{std::move(state)};
    return IT_OK;
  });
}

const infinitree::KeySlotInfo& slot_at(const it_key_slots* slots, uint64_t index) {
  need(slots, "slots");
  if (index >= slots->slots.size())
    throw Error(Errc::not_found, "key slot index " + std::to_string(index) + " out of range (" +
                                     std::to_string(slots->slots.size()) + " slots)");
  return slots->slots[index];
}

}  // namespace

extern "C" {

int it_tree_create_with_key(const it_backend* backend, const void* key, size_t key_len,
                            const it_options* options, it_tree** out) {
  return open_with_key(backend, key, key_len, out, [&](auto b, const auto& c) {
    return infinitree::create_tree(std::move(b), c, options_of(options));
  });
}

int it_tree_open_with_key(const it_backend* backend, const void* key, size_t key_len,
                          const it_options* options, it_tree** out) {
  return open_with_key(backend, key, key_len, out, [&](auto b, const auto& c) {
    return infinitree::open_tree(std::move(b), c, options_of(options));
  });
}

int it_tree_add_password_slot(it_tree* tree, const char* label, const char* user_name,
                              const void* password, size_t password_len, uint32_t kdf_memory_kib,
                              uint32_t kdf_iterations, uint32_t kdf_parallelism, it_buf* out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    auto l = name(label, "label");
    auto credential = infinitree::Credential::password(
        username(user_name, "username"), bytes(password, password_len, "password"),
        kdf_params(kdf_memory_kib, kdf_iterations, kdf_parallelism));
    std::string id = infinitree::add_key_slot(t, credential, l);
    if (out) to_buf(out, id);
    return IT_OK;
  });
}

int it_tree_add_key_slot(it_tree* tree, const char* label, const void* key, size_t key_len,
                         it_buf* out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    auto l = name(label, "label");
    std::string id = infinitree::add_key_slot(t, raw_key(key, key_len), l);
    if (out) to_buf(out, id);
    return IT_OK;
  });
}

int it_tree_delete_key_slot(it_tree* tree, const char* id) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    infinitree::remove_key_slot(t, name(id, "id"));
    return IT_OK;
  });
}

int it_tree_key_slots(const it_tree* tree, it_key_slots** out) {
  return guard([&]() -> int {
    auto& t = tree_of(tree);
    need(out, "out");
    auto list = std::make_unique<it_key_slots>();
    list->slots = infinitree::key_slots(t);
    *out = list.release();
    return IT_OK;
  });
}

int it_key_slots_count(const it_key_slots* slots, uint64_t* out) {
  return guard([&]() -> int {
    need(slots, "slots");
    need(out, "out");
    *out = slots->slots.size();
    return IT_OK;
  });
}

int it_key_slots_id(const it_key_slots* slots, uint64_t index, it_buf* out) {
  return guard([&]() -> int {
    const auto& s = slot_at(slots, index);
    to_buf(need(out, "out"), s.id);
    return IT_OK;
  });
}

int it_key_slots_name(const it_key_slots* slots, uint64_t index, it_buf* out) {
  return guard([&]() -> int {
    const auto& s = slot_at(slots, index);
    to_buf(need(out, "out"), s.label);
    return IT_OK;
  });
}

int it_key_slots_time(const it_key_slots* slots, uint64_t index, int64_t* out) {
  return guard([&]() -> int {
    const auto& s = slot_at(slots, index);
    *need(out, "out") = s.created_ms;
    return IT_OK;
  });
}

int it_key_slots_type(const it_key_slots* slots, uint64_t index, it_key_slot_kind* out) {
  return guard([&]() -> int {
    const auto& s = slot_at(slots, index);
    *need(out, "out") = static_cast<it_key_slot_kind>(s.kind);
    return IT_OK;
  });
}

int it_key_slots_is_current(const it_key_slots* slots, uint64_t index, int* out) {
  return guard([&]() -> int {
    const auto& s = slot_at(slots, index);
    return answer(out, s.current);
  });
}

void it_key_slots_free(it_key_slots* slots) { delete slots; }

}  // extern "C"
