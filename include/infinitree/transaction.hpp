// Transactions between commits: a group of writes to any number of map fields of a tree's
// working state, applied all together or not at all, with optimistic concurrency control.
//
// Isolation (docs/data-model.md, "Transactions"): serializable. Reads go to the working
// state as it is when they run (plus the transaction's own writes), and every key and range
// read is recorded with what it returned. apply() locks every field the transaction read
// or wrote (in name order) and the tree's commit lock (shared), checks that each recorded
// read would return the same now, and only then writes. So an applied transaction is
// equivalent to running all its reads and writes at the instant of apply, and the applied
// transactions are equivalent to running them one after the other in the order of the
// sequence numbers apply() returns. Reads are not a snapshot: a transaction may see the
// effects of another transaction applied meanwhile, but then its validation fails.
// Validation is by value: a key changed and changed back is not a conflict.
//
// A Transaction is used by one thread at a time; any number of transactions (and plain field
// operations, and commits) may run on one tree from different threads.
#pragma once

#include "infinitree/export.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "infinitree/tree.hpp"

namespace infinitree {

class INFINITREE_EXPORT Transaction {
 public:
  explicit Transaction(Tree& tree) : tree_(&tree) {}

  // The value as this transaction sees it (its own writes first). Recorded for validation
  // unless the transaction wrote the key before.
  std::optional<std::string> get(std::string_view field, std::string_view key);
  // Entries with from <= key < to (an empty `to`: no upper bound) in order, merged with the
  // transaction's writes, until fn returns false. The part of the range actually read (up
  // to the key where fn stopped) is recorded for validation, so an insert into it by
  // anyone else is a conflict (no phantoms).
  void scan(std::string_view field, std::string_view from, std::string_view to,
            const std::function<bool(std::string_view key, std::string_view value)>& fn);

  // Buffered until apply(). Keys and values are checked now (too_large).
  void put(std::string_view field, std::string_view key, std::string_view value);
  void erase(std::string_view field, std::string_view key);

  // Validates and applies. Throws Error(conflict) if a recorded read would now return
  // something else: nothing was written, the transaction is rolled back and can be run
  // again. Returns the transaction's place in the order of applied transactions (process
  // wide, increasing). The transaction is empty afterwards, ready for reuse.
  uint64_t apply();
  // Forgets this transaction's reads and writes; nothing else is touched.
  void rollback();
  bool empty() const { return fields_.empty(); }

 private:
  struct RangeRead {
    std::string from;
    std::optional<std::string> last;  // the last key read (inclusive); nullopt: up to `to`
    std::string to;                   // exclusive; empty: unbounded
    std::vector<std::pair<std::string, std::string>> seen;
  };
  struct FieldTx {
    std::shared_ptr<detail::Field> field;
    std::map<std::string, std::optional<std::string>, std::less<>> writes;  // nullopt: erase
    std::map<std::string, std::optional<std::string>, std::less<>> reads;
    std::vector<RangeRead> ranges;
  };
  FieldTx& field(std::string_view name);

  Tree* tree_;
  std::map<std::string, FieldTx, std::less<>> fields_;
};

}  // namespace infinitree
