// Writes a folder snapshot exactly as described, through the C++ API, so tests can build
// snapshots that `store` would never make (hostile ones: a symlink `a -> ../outside` plus
// an entry `a/victim`, setuid bits, foreign owners) and commit it:
//
//   snapshot_writer STORE [--create] [-m MESSAGE] < SPEC
//
// Credentials as the CLI reads them in tests: INFINITREE_USER, INFINITREE_PASSWORD, and the
// `fast` KDF costs. SPEC has one entry per line, fields separated by one space:
//   dir|file|link PATH MODE(octal) UID GID [DATA]
// DATA is a file's content or a link's target (the rest of the line). In PATH and DATA,
// \xNN stands for the byte NN, so names may hold newlines or escapes. The snapshot replaces
// the previous one in the `files` map (and its `files.streams` companion).
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "file_meta.hpp"
#include "infinitree/backend.hpp"
#include "infinitree/tree.hpp"
#include "snapshot.hpp"

using namespace infinitree;
using namespace infinitree::cli;

namespace {

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x') {
      out += static_cast<char>(std::stoi(s.substr(i + 2, 2), nullptr, 16));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> split(const std::string& line, size_t max_fields) {
  std::vector<std::string> f;
  size_t pos = 0;
  while (f.size() + 1 < max_fields) {
    size_t sp = line.find(' ', pos);
    if (sp == std::string::npos) break;
    f.push_back(line.substr(pos, sp - pos));
    pos = sp + 1;
  }
  f.push_back(line.substr(pos));
  return f;
}

int run(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: snapshot_writer STORE [--create] [-m MESSAGE] < SPEC\n";
    return 1;
  }
  bool create = false;
  std::string message = "hostile snapshot";
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--create") create = true;
    else if (a == "-m" && i + 1 < argc) message = argv[++i];
    else throw std::runtime_error("unknown argument " + a);
  }
  const char* user = std::getenv("INFINITREE_USER");
  const char* password = std::getenv("INFINITREE_PASSWORD");
  if (!user || !password) throw std::runtime_error("set INFINITREE_USER and INFINITREE_PASSWORD");
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  auto backend = make_directory_backend(argv[1]);
  auto tree = create ? Tree::create(backend, user, password, o) : Tree::open(backend, user, password, o);
  Map files = tree->map("files");
  Map streams = tree->map(streams_field("files"));
  files.clear();
  streams.clear();
  for (std::string line; std::getline(std::cin, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto f = split(line, 6);
    if (f.size() < 5) throw std::runtime_error("bad spec line: " + line);
    FileMeta m;
    if (f[0] == "dir") m.type = FileMeta::kDir;
    else if (f[0] == "file") m.type = FileMeta::kFile;
    else if (f[0] == "link") m.type = FileMeta::kSymlink;
    else throw std::runtime_error("bad type in: " + line);
    const std::string path = unescape(f[1]);
    m.mode = static_cast<uint32_t>(std::stoul(f[2], nullptr, 8));
    m.uid = static_cast<uint32_t>(std::stoul(f[3]));
    m.gid = static_cast<uint32_t>(std::stoul(f[4]));
    m.mtime_ns = 1000000000LL * 1700000000;
    const std::string data = f.size() > 5 ? unescape(f[5]) : std::string();
    if (m.type == FileMeta::kSymlink) {
      m.target = data;
      m.size = data.size();
    } else if (m.type == FileMeta::kFile) {
      auto w = tree->create_stream();
      w->write(data.data(), data.size());
      m.ref = w->finish();
      m.size = data.size();
      streams.put(path, m.ref);
    }
    files.put(path, encode_file_meta(m));
  }
  auto info = tree->commit(message);
  std::cout << (info ? info->id : std::string("unchanged")) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "snapshot_writer: " << e.what() << "\n";
    return 1;
  }
}
