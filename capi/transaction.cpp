// Transactions (infinitree/transaction.hpp). The handle keeps the tree state alive, and
// every call checks the tree is still open (IT_ECLOSED after it_tree_close).
#include "capi_internal.hpp"
#include "infinitree/transaction.hpp"

using namespace capi;

struct it_transaction {
  std::shared_ptr<TreeState> state;
  infinitree::Transaction tx;
};

namespace {

infinitree::Transaction& tx_of(it_transaction* t) {
  need(t, "transaction");
  check_open(*t->state);
  return t->tx;
}

}  // namespace

extern "C" {

int it_transaction_new(it_tree* tree, it_transaction** out) {
  return guard([&]() -> int {
    need(tree, "tree");
    check_open(*tree->state);
    need(out, "out");
    *out = new it_transaction{tree->state, infinitree::Transaction(*tree->state->tree)};
    return IT_OK;
  });
}

int it_transaction_read(it_transaction* transaction, const char* field, const void* key,
                        size_t key_len, it_buf* out) {
  return guard([&]() -> int {
    auto& tx = tx_of(transaction);
    auto f = name(field, "field");
    auto k = bytes(key, key_len, "key");
    need(out, "out");
    auto v = tx.get(f, k);
    if (!v) throw Error(Errc::not_found, "no such key in field '" + std::string(f) + "'");
    to_buf(out, *v);
    return IT_OK;
  });
}

int it_transaction_put(it_transaction* transaction, const char* field, const void* key,
                       size_t key_len, const void* value, size_t value_len) {
  return guard([&]() -> int {
    auto& tx = tx_of(transaction);
    tx.put(name(field, "field"), bytes(key, key_len, "key"), bytes(value, value_len, "value"));
    return IT_OK;
  });
}

int it_transaction_remove(it_transaction* transaction, const char* field, const void* key,
                          size_t key_len) {
  return guard([&]() -> int {
    auto& tx = tx_of(transaction);
    tx.erase(name(field, "field"), bytes(key, key_len, "key"));
    return IT_OK;
  });
}

int it_transaction_commit(it_transaction* transaction, uint64_t* sequence) {
  return guard([&]() -> int {
    uint64_t seq = tx_of(transaction).apply();
    if (sequence) *sequence = seq;
    return IT_OK;
  });
}

int it_transaction_rollback(it_transaction* transaction) {
  return guard([&]() -> int {
    tx_of(transaction).rollback();
    return IT_OK;
  });
}

void it_transaction_free(it_transaction* transaction) { delete transaction; }

}  // extern "C"
