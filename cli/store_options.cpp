#include "store_options.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <iostream>

#include "format.hpp"
#include "json_out.hpp"
#include "progress.hpp"

namespace infinitree::cli {

std::string snapshot_root(const std::string& arg) {
  std::string root = std::filesystem::absolute(arg).lexically_normal().string();
  if (root.size() > 1 && root.back() == '/') root.pop_back();
  return root;
}

StoreOptions store_options(Session& s, const ParsedArgs& args, const std::string& root) {
  StoreOptions o;
  o.threads = static_cast<unsigned>(parse_uint(args.get_or("threads", "0"), "threads"));
  o.reread = args.has("reread");
  o.progress_json = json_wanted(args);
  o.progress = o.progress_json ? !s.quiet() : Progress::wanted(s.quiet());
  // Never snapshot the store into itself.
  struct stat st;
  if (s.store().rfind("s3://", 0) != 0 && ::stat(s.store().c_str(), &st) == 0) {
    o.exclude_dev = st.st_dev;
    o.exclude_ino = st.st_ino;
    o.has_exclude = true;
  }
  for (const auto& pattern : args.all("exclude")) o.exclude.add_pattern(pattern);
  if (auto f = args.get("exclude-file")) o.exclude.add_file(*f);
  o.exclude.exclude_caches(args.has("exclude-caches"));
  if (args.has("one-file-system")) {
    struct stat root_st;
    if (::stat(root.c_str(), &root_st) == 0) o.exclude.one_file_system(root_st.st_dev);
  }
  return o;
}

std::vector<OptionSpec> store_option_specs() {
  return {{"exclude", true, 'e', "leave out what matches this glob (repeatable; docs/cli.md)", true},
          {"exclude-file", true, 0, "read --exclude patterns from this file, one per line"},
          {"exclude-caches", false, 0, "leave out folders holding a CACHEDIR.TAG"},
          {"one-file-system", false, 'x', "do not cross into other file systems (mount points)"},
          {"threads", true, 'j', "files processed at once (default: max(2, cores))"}};
}

void print_store_summary(std::ostream& out, const std::string& root, const StoreResult& r) {
  const double ratio = r.bytes_new ? double(r.bytes_total) / double(r.bytes_new) : 0;
  out << "snapshot of " << root << ": " << r.files << " files, " << r.dirs << " folders, "
            << r.symlinks << " symlinks, " << human_bytes(double(r.bytes_total)) << "\n"
            << "  read " << human_bytes(double(r.bytes_read)) << " (" << r.unchanged
            << " unchanged files not re-read); new after dedup " << human_bytes(double(r.bytes_new))
            << ", stored " << human_bytes(double(r.bytes_stored)) << "\n"
            << "  dedup ratio of this snapshot: "
            << (r.bytes_new ? fixed(ratio, 1) + "x" : std::string("all data already stored")) << "\n"
            << "  entries added " << r.added << ", changed " << r.changed << ", removed " << r.removed << "\n"
            << "  " << human_bytes(r.seconds > 0 ? double(r.bytes_read) / r.seconds : 0) << "/s over "
            << fixed(r.seconds, 1) << " s\n";
}

}  // namespace infinitree::cli
