// Creates a store in a local folder, writes a few entries and a file-sized stream,
// commits, reopens and reads everything back. `infinitree_demo DIR`.
#include <infinitree/tree.hpp>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  using namespace infinitree;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 1;
  }
  try {
    OpenOptions options;
    options.kdf = KdfParams::insecure_fast();
    {
      auto tree = Tree::create(make_directory_backend(argv[1]), "demo", "demo", options);
      auto m = tree->map("greetings");
      m.put("en", "hello");
      m.put("fr", "bonjour");
      auto w = tree->create_stream();
      std::string big(8 << 20, 'x');
      w->write(big);
      m.put("big", w->finish());
      auto c = tree->commit("demo commit");
      std::printf("committed %s\n", c->id.c_str());
    }
    auto tree = Tree::open(make_directory_backend(argv[1]), "demo", "demo", options);
    auto m = tree->map("greetings");
    std::printf("en=%s fr=%s big=%llu bytes\n", m.get("en")->c_str(), m.get("fr")->c_str(),
                static_cast<unsigned long long>(tree->open_stream(*m.get("big"))->size()));
    return 0;
  } catch (const Error& e) {
    std::fprintf(stderr, "error (%s): %s\n", errc_name(e.code()), e.what());
    return 2;
  }
}
