// The examples of docs/data-model.md in C++, built as example_data_model and run by ctest:
// a tuple space with a descending time component, a subspace cursor and a subspace delete.
#include <chrono>
#include <cstdio>
#include <tuple>

#include "infinitree/key_codec.hpp"
#include "infinitree/tree.hpp"
#include "infinitree/tuple_space.hpp"

using namespace infinitree;
using namespace std::chrono;

int main() {
  OpenOptions options;
  options.kdf = KdfParams::insecure_fast();
  auto tree = Tree::create(make_memory_backend(), "doc", "pw", options);
  Map events = tree->map("events");

  // ("user", desc(time), seq): each user's events, newest first.
  sys_time<seconds> t0{seconds(1714521600)};  // 2024-05-01T00:00:00Z
  for (int i = 0; i < 5; ++i)
    for (const char* user : {"ann", "bob"})
      events.put(keys::encode(std::tuple{std::string(user), keys::desc(t0 + hours(i)), i}), "login");

  Cursor c = subspace_cursor(events, keys::encode(std::string("bob")));
  keys::Decoded newest = keys::decode(c.key());
  if (std::get<int64_t>(newest.parts[1]) != duration_cast<microseconds>((t0 + hours(4)).time_since_epoch()).count() ||
      !newest.descending[1]) {
    std::fprintf(stderr, "the newest event is not first\n");
    return 1;
  }
  tree->commit("events");

  std::string ann = keys::encode(std::string("ann"));
  if (count_subspace(events, ann) != 5 || erase_subspace(events, ann) != 5 ||
      count_subspace(events, ann) != 0 || events.size() != 5) {
    std::fprintf(stderr, "subspace delete went wrong\n");
    return 1;
  }
  std::printf("data model example: ok\n");
  return 0;
}
