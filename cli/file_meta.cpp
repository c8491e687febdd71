#include "infinitree/bounded_unpack.hpp"
#include "file_meta.hpp"

#include <msgpack.hpp>

#include "infinitree/error.hpp"

namespace infinitree::cli {

namespace {
struct Wire {
  int v = 1;
  uint8_t type = 0;
  uint32_t mode = 0;
  int64_t mtime = 0;
  uint64_t size = 0;
  uint32_t uid = 0, gid = 0;
  std::string target;
  std::string ref;
  MSGPACK_DEFINE_MAP(v, type, mode, mtime, size, uid, gid, target, ref)
};
}  // namespace

std::string encode_file_meta(const FileMeta& m) {
  Wire w{1, m.type, m.mode, m.mtime_ns, m.size, m.uid, m.gid, m.target, m.ref};
  msgpack::sbuffer buf;
  msgpack::pack(buf, w);
  return std::string(buf.data(), buf.size());
}

FileMeta decode_file_meta(std::string_view value, std::string_view path) {
  Wire w;
  try {
    // Bounded: snapshot entries come from the store (msgpack's defaults let a few bytes ask
    // for gigabytes).
    auto oh = infinitree::bounded_unpack_all(value.data(), value.size(), {.max_depth = 4});
    oh.get().convert(w);
  } catch (const std::exception& e) {
    throw Error(Errc::corrupt, "the snapshot entry of '" + std::string(path) +
                                   "' is not file metadata (" + e.what() + ")");
  }
  if (w.type < FileMeta::kFile || w.type > FileMeta::kSymlink)
    throw Error(Errc::corrupt, "the snapshot entry of '" + std::string(path) + "' has an unknown type");
  FileMeta m;
  m.type = w.type;
  m.mode = w.mode & 07777;
  m.mtime_ns = w.mtime;
  m.size = w.size;
  m.uid = w.uid;
  m.gid = w.gid;
  m.target = std::move(w.target);
  m.ref = std::move(w.ref);
  return m;
}

void check_snapshot_path(std::string_view path) {
  if (path == ".") return;
  auto bad = [&] { throw Error(Errc::corrupt, "unsafe path in snapshot: '" + std::string(path) + "'"); };
  if (path.empty() || path.front() == '/' || path.find('\0') != std::string_view::npos) bad();
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    std::string_view part = path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    if (part.empty() || part == "." || part == "..") bad();
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
}

}  // namespace infinitree::cli
