// The data model's benchmark (issue 13), in one run on an in-memory store:
//  1. intersection of two N-key views with 1% overlap (leapfrogging cursors), the overlap
//     interleaved with the other keys and clustered apart from them, against a merge-join
//     of two full cursor walks;
//  2. deleting a subspace of N keys between two others: time, and the nodes the next commit
//     writes against the nodes of the whole map;
//  3. key history over C commits against two brute forces (a full scan of every commit's
//     map, and a lookup in every commit), with the chunks each reads from a fresh handle;
//  4. JSON import and export MB/s against SQLite's JSON functions on the same document
//     (json_tree flattened into a path-keyed table; json() re-serializing the stored text).
//
//   datamodel_bench [--keys N] [--commits C] [--history-keys K] [--json-mib M]
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "infinitree/history.hpp"
#include "infinitree/json.hpp"
#include "infinitree/tree.hpp"
#include "infinitree/tuple_space.hpp"
#include "infinitree/views.hpp"

using namespace infinitree;
using Clock = std::chrono::steady_clock;

namespace {

double sec_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "datamodel_bench: %s\n", what.c_str());
  std::exit(1);
}

// 8 bytes big-endian: bytewise order is numeric order.
std::string be(uint64_t v) {
  std::string k(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) k[static_cast<size_t>(i)] = static_cast<char>(v & 0xFF);
  return k;
}

OpenOptions options(bool read_only = false, size_t cache = 256u << 20) {
  OpenOptions o;
  o.kdf = KdfParams::insecure_fast();
  o.read_only = read_only;
  o.node_cache_bytes = cache;
  return o;
}

// ---- 1. intersection ---------------------------------------------------------------------

uint64_t walk(const ViewPtr& v) {
  uint64_t n = 0;
  for (auto c = v->cursor(); c->valid(); c->next()) ++n;
  return n;
}

// The baseline: step two map cursors side by side over both maps.
uint64_t merge_join(const Map& a, const Map& b) {
  auto ca = a.cursor(), cb = b.cursor();
  uint64_t n = 0;
  while (ca.valid() && cb.valid()) {
    std::string ka = ca.key(), kb = cb.key();
    if (ka == kb) ++n, ca.next(), cb.next();
    else if (ka < kb) ca.next();
    else cb.next();
  }
  return n;
}

void bench_intersection(uint64_t n) {
  auto tree = Tree::create(make_memory_backend(), "u", "p", options());
  Map a = tree->map("a"), inter = tree->map("interleaved"), clus = tree->map("clustered");
  auto t0 = Clock::now();
  for (uint64_t i = 0; i < n; ++i) {
    a.put(be(2 * i), be(i));
    // Every 100th key is shared; the others sit between a's keys, or all above them.
    inter.put(i % 100 == 0 ? be(2 * i) : be(2 * i + 1), be(i));
    clus.put(i % 100 == 0 ? be(2 * i) : be(2 * n + i), be(i));
  }
  tree->commit("fill");
  std::printf("intersection: 3 maps of %llu keys written and committed in %.1f s\n",
              static_cast<unsigned long long>(n), sec_since(t0));
  for (auto* b : {&inter, &clus}) {
    const char* layout = b == &inter ? "interleaved" : "clustered";
    auto view = intersection_view({map_view(a), map_view(*b)});
    walk(view);  // warm the node cache: both timings below read cached nodes
    t0 = Clock::now();
    uint64_t got = walk(view);
    double view_s = sec_since(t0);
    t0 = Clock::now();
    uint64_t want = merge_join(a, *b);
    double merge_s = sec_since(t0);
    if (got != want || got != (n + 99) / 100) die("intersection count is wrong");
    std::printf("  %-11s overlap %llu keys: intersection view %.3f s, merge-join of full walks %.3f s (%.1fx)\n",
                layout, static_cast<unsigned long long>(got), view_s, merge_s, merge_s / view_s);
  }
}

// ---- 2. subspace delete -------------------------------------------------------------------

void bench_subspace_delete(uint64_t n) {
  auto tree = Tree::create(make_memory_backend(), "u", "p", options());
  Map m = tree->map("space");
  const uint64_t side = n / 10;
  for (uint64_t i = 0; i < side; ++i) m.put("a" + be(i), "v");
  for (uint64_t i = 0; i < n; ++i) m.put("b" + be(i), "value-" + std::to_string(i));
  for (uint64_t i = 0; i < side; ++i) m.put("c" + be(i), "v");
  uint64_t before = tree->stats().chunks_written;
  tree->commit("fill");
  uint64_t map_nodes = tree->stats().chunks_written - before;
  auto t0 = Clock::now();
  uint64_t removed = erase_subspace(m, "b");
  double erase_s = sec_since(t0);
  before = tree->stats().chunks_written;
  t0 = Clock::now();
  tree->commit("delete the b subspace");
  double commit_s = sec_since(t0);
  uint64_t written = tree->stats().chunks_written - before;
  if (removed != n || m.size() != 2 * side) die("subspace delete removed the wrong keys");
  std::printf("subspace delete: %llu of %llu keys in %.6f s (commit %.4f s); the commit wrote %llu nodes, "
              "the fill commit %llu\n",
              static_cast<unsigned long long>(removed), static_cast<unsigned long long>(n + 2 * side),
              erase_s, commit_s, static_cast<unsigned long long>(written),
              static_cast<unsigned long long>(map_nodes));
}

// ---- 3. key history -----------------------------------------------------------------------

void bench_key_history(int commits, uint64_t keys) {
  auto backend = make_memory_backend();
  const std::string watched = be(42);
  {
    auto tree = Tree::create(backend, "u", "p", options());
    Map m = tree->map("m");
    for (uint64_t i = 0; i < keys; ++i) m.put(be(i), "initial");
    tree->commit("fill");
    std::mt19937_64 rng(8);
    for (int c = 1; c < commits; ++c) {
      for (int j = 0; j < 5; ++j) m.put(be(rng() % keys), "c" + std::to_string(c));
      if (rng() % 10 == 0) m.put(watched, "at " + std::to_string(c));
      tree->commit("c" + std::to_string(c));
    }
  }
  // Fresh read-only handles with a 256 KiB node cache: the chunks each approach reads are
  // the ones it touches, not what happens to be cached.
  auto fresh = [&] { return Tree::open(backend, "u", "p", options(true, 256 * 1024)); };
  auto t0 = Clock::now();
  auto th = fresh();
  auto history = key_history(*th, "m", watched);
  double hist_s = sec_since(t0);
  uint64_t hist_reads = th->stats().node_cache_misses;

  // Brute force 1: the whole map of every commit, compared with its parent's value.
  t0 = Clock::now();
  auto ts = fresh();
  size_t scan_changes = 0;
  {
    std::optional<std::string> newer;
    bool first = true;
    for (auto& c : ts->log()) {  // newest first
      std::optional<std::string> v;
      ts->checkout(c.id)->map("m").scan({}, {}, [&](std::string_view k, std::string_view val) {
        if (k == watched) v = std::string(val);
        return true;
      });
      if (!first && v != newer) ++scan_changes;
      newer = v;
      first = false;
    }
    if (newer) ++scan_changes;  // the first commit set it
  }
  double scan_s = sec_since(t0);
  uint64_t scan_reads = ts->stats().node_cache_misses;

  // Brute force 2: a lookup of the key in every commit.
  t0 = Clock::now();
  auto tl = fresh();
  for (auto& c : tl->log()) (void)tl->checkout(c.id)->map("m").get(watched);
  double lookup_s = sec_since(t0);
  uint64_t lookup_reads = tl->stats().node_cache_misses;

  if (history.size() != scan_changes) die("key history disagrees with the full scan");
  std::printf("key history: %d commits, %llu keys, %zu changes of the key\n", commits,
              static_cast<unsigned long long>(keys), history.size());
  std::printf("  key_history        %8.3f s %8llu chunks read\n", hist_s, static_cast<unsigned long long>(hist_reads));
  std::printf("  scan every commit  %8.3f s %8llu chunks read (%.0fx the chunks)\n", scan_s,
              static_cast<unsigned long long>(scan_reads), double(scan_reads) / double(hist_reads));
  std::printf("  lookup per commit  %8.3f s %8llu chunks read (%.1fx the chunks)\n", lookup_s,
              static_cast<unsigned long long>(lookup_reads), double(lookup_reads) / double(hist_reads));
}

// ---- 4. JSON ------------------------------------------------------------------------------

std::string make_document(size_t bytes) {
  std::string doc = "[";
  for (uint64_t i = 0; doc.size() < bytes; ++i) {
    if (i) doc += ",";
    doc += "{\"id\":" + std::to_string(i) + ",\"name\":\"plant \\u00e9 " + std::to_string(i) +
           "\",\"height\":" + std::to_string(i * 0.25) + ",\"tags\":[\"green\",\"shade\"],\"ok\":" +
           (i % 2 ? "true" : "false") + ",\"pos\":{\"x\":" + std::to_string(i % 1000) +
           ",\"y\":-" + std::to_string(i % 777) + "}}";
  }
  return doc + "]";
}

void sql(sqlite3* db, const char* text) {
  char* err = nullptr;
  if (sqlite3_exec(db, text, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string e = err ? err : "?";
    sqlite3_free(err);
    die(std::string("sqlite: ") + e);
  }
}

// Runs `query` with the document bound to ?1 and steps through every row; returns the rows.
uint64_t sql_with_doc(sqlite3* db, const char* query, const std::string& doc) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, query, -1, &st, nullptr) != SQLITE_OK) die(sqlite3_errmsg(db));
  sqlite3_bind_text(st, 1, doc.data(), static_cast<int>(doc.size()), SQLITE_STATIC);
  uint64_t rows = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) ++rows;
  if (rc != SQLITE_DONE) die(sqlite3_errmsg(db));
  sqlite3_finalize(st);
  return rows;
}

void bench_json(size_t mib) {
  auto tree = Tree::create(make_memory_backend(), "u", "p", options());
  // The canonical form of the generated text (members sorted, numbers as nlohmann-json
  // writes them), so the timed round trip can be checked byte for byte.
  std::string doc;
  {
    Map scratch = tree->map("scratch");
    std::istringstream raw(make_document(mib << 20));
    import_json(scratch, "", raw);
    std::ostringstream canon;
    export_json(scratch, "", canon);
    doc = canon.str();
    tree->drop_field("scratch");
  }
  const double mb = double(doc.size()) / 1e6;
  Map m = tree->map("doc");
  auto t0 = Clock::now();
  std::istringstream in(doc);
  uint64_t entries = import_json(m, "", in);
  double import_s = sec_since(t0);
  t0 = Clock::now();
  tree->commit("import");
  double commit_s = sec_since(t0);
  t0 = Clock::now();
  std::ostringstream out;
  uint64_t written = export_json(m, "", out);
  double export_s = sec_since(t0);
  if (out.str() != doc) die("export after import is not byte-identical");

  sqlite3* db = nullptr;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) die("sqlite3_open");
  sql(db, "CREATE TABLE flat(path TEXT PRIMARY KEY, value) WITHOUT ROWID; CREATE TABLE docs(d TEXT)");
  t0 = Clock::now();
  sql(db, "BEGIN");
  sql_with_doc(db, "INSERT INTO flat SELECT fullkey, atom FROM json_tree(?1) WHERE type NOT IN ('object', 'array')", doc);
  sql(db, "COMMIT");
  double sq_import_s = sec_since(t0);
  t0 = Clock::now();
  uint64_t tree_rows = sql_with_doc(db, "SELECT fullkey, atom FROM json_tree(?1)", doc);
  double sq_parse_s = sec_since(t0);
  sql_with_doc(db, "INSERT INTO docs VALUES (?1)", doc);
  t0 = Clock::now();
  sql(db, "SELECT length(json(d)) FROM docs");
  double sq_export_s = sec_since(t0);
  sqlite3_close(db);

  std::printf("JSON: a %.1f MB document, %llu entries (%llu json_tree rows); MB/s of document text\n", mb,
              static_cast<unsigned long long>(entries), static_cast<unsigned long long>(tree_rows));
  std::printf("  import   infinitree import_json %8.1f MB/s | sqlite json_tree into a path-keyed table %8.1f MB/s | ratio %.2f\n",
              mb / import_s, mb / sq_import_s, sq_import_s / import_s);
  std::printf("           (infinitree commit of the imported entries: %.2f s; sqlite json_tree scan alone %.1f MB/s)\n",
              commit_s, mb / sq_parse_s);
  std::printf("  export   infinitree export_json %8.1f MB/s | sqlite json() of the stored text        %8.1f MB/s | ratio %.2f\n",
              double(written) / 1e6 / export_s, mb / sq_export_s, sq_export_s / export_s);
}

uint64_t arg_u64(int argc, char** argv, const char* name, uint64_t fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return std::strtoull(argv[i + 1], nullptr, 10);
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; i += 2)
    if (std::strncmp(argv[i], "--", 2) != 0 || i + 1 >= argc) {
      std::fprintf(stderr, "usage: datamodel_bench [--keys N] [--commits C] [--history-keys K] [--json-mib M]\n");
      return 2;
    }
  const uint64_t keys = arg_u64(argc, argv, "--keys", 1000000);
  const int commits = static_cast<int>(arg_u64(argc, argv, "--commits", 1000));
  const uint64_t history_keys = arg_u64(argc, argv, "--history-keys", 10000);
  const size_t json_mib = arg_u64(argc, argv, "--json-mib", 16);
  try {
    bench_intersection(keys);
    bench_subspace_delete(keys);
    bench_key_history(commits, history_keys);
    bench_json(json_mib);
  } catch (const std::exception& e) {
    die(e.what());
  }
  return 0;
}
