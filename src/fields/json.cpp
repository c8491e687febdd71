// JSON documents as tuple spaces (see infinitree/json.hpp). nlohmann-json does the parsing
// (SAX, so nothing is held in memory) and the escaping of every scalar and member name;
// this file only walks paths.
#include "infinitree/json.hpp"

#include <nlohmann/json.hpp>

#include "infinitree/key_codec.hpp"
#include "infinitree/tuple_space.hpp"

namespace infinitree {

namespace {

using json = nlohmann::json;

// Empty containers have no scalar below them, so they are stored as a marker value: a
// bytes component, which no JSON scalar encodes to.
std::string marker(bool array) {
  std::string v;
  keys::append_bytes(v, array ? "[]" : "{}");
  return v;
}

[[noreturn]] void not_a_document(const std::string& why) {
  throw Error(Errc::invalid_argument, "not a JSON document: " + why);
}

class Importer final : public nlohmann::json_sax<json> {
 public:
  Importer(Map& map, std::string prefix) : map_(map), path_(std::move(prefix)) {}
  uint64_t written() const { return written_; }

  bool null() override { return scalar([](std::string& v) { keys::append_null(v); }); }
  bool boolean(bool b) override { return scalar([&](std::string& v) { keys::append_bool(v, b); }); }
  bool number_integer(number_integer_t i) override {
    return scalar([&](std::string& v) { keys::append_int(v, i); });
  }
  bool number_unsigned(number_unsigned_t u) override {
    return scalar([&](std::string& v) { keys::append_uint(v, u); });
  }
  bool number_float(number_float_t d, const string_t&) override {
    return scalar([&](std::string& v) { keys::append_double(v, d); });
  }
  bool string(string_t& s) override { return scalar([&](std::string& v) { keys::append_string(v, s); }); }
  bool binary(binary_t&) override { not_a_document("binary values have no JSON text form"); }
  bool start_object(std::size_t) override { return open(false); }
  bool start_array(std::size_t) override { return open(true); }
  bool key(string_t& name) override {
    member_ = name;
    return true;
  }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception& e) override {
    throw Error(Errc::invalid_argument, "JSON parse error at byte " + std::to_string(pos) + ": " + e.what());
  }

 private:
  struct Frame {
    bool array;
    size_t base;  // path length where the children's components start
    uint64_t children = 0;
  };
  // Appends the component that leads from the current container to the next value.
  void enter() {
    if (frames_.empty()) return;  // the root value
    Frame& f = frames_.back();
    if (f.array) keys::append_uint(path_, f.children);
    else keys::append_string(path_, member_);
    ++f.children;
  }
  void leave() {
    if (!frames_.empty()) path_.resize(frames_.back().base);
  }
  template <typename Encode>
  bool scalar(Encode&& encode) {
    enter();
    std::string v;
    encode(v);
    map_.put(path_, v);
    ++written_;
    leave();
    return true;
  }
  bool open(bool array) {
    enter();
    frames_.push_back({array, path_.size()});
    return true;
  }
  bool close() {
    Frame f = frames_.back();
    if (f.children == 0) {
      map_.put(path_, marker(f.array));
      ++written_;
    }
    frames_.pop_back();
    leave();
    return true;
  }

  Map& map_;
  std::string path_;
  std::vector<Frame> frames_;
  std::string member_;
  uint64_t written_ = 0;
};

// Counts what goes through to the stream.
struct Writer {
  std::ostream& out;
  uint64_t bytes = 0;
  void put(std::string_view s) {
    out.write(s.data(), static_cast<std::streamsize>(s.size()));
    bytes += s.size();
  }
};

std::string dump(const json& j) {
  try {
    return j.dump();
  } catch (const json::exception& e) {
    not_a_document(e.what());  // a string that is not UTF-8
  }
}

json scalar_of(std::string_view encoded) {
  keys::Decoded d = keys::decode(encoded);
  if (d.parts.size() != 1 || d.descending[0]) not_a_document("a value is not one scalar");
  const auto& p = d.parts[0];
  switch (d.tags[0]) {
    case keys::kNull: return nullptr;
    case keys::kFalse:
    case keys::kTrue: return std::get<bool>(p);
    case keys::kNegInt: return std::get<int64_t>(p);
    case keys::kNonNegInt:
      if (std::holds_alternative<uint64_t>(p)) return std::get<uint64_t>(p);
      return std::get<int64_t>(p);
    case keys::kDouble: return std::get<double>(p);
    case keys::kString: return std::get<std::string>(p);
    default: not_a_document("a value of a type JSON does not have");
  }
}

class Exporter {
 public:
  explicit Exporter(std::ostream& out) : w_{out} {}

  void entry(std::string_view path, std::string_view value) {
    keys::Decoded d = keys::decode(path);
    for (size_t i = 0; i < d.parts.size(); ++i) {
      bool ok = !d.descending[i] && (d.tags[i] == keys::kString || d.tags[i] == keys::kNonNegInt);
      if (!ok) not_a_document("a key component is neither a member name nor an array position");
    }
    if (root_done_) not_a_document("entries after a top-level scalar");
    size_t n = d.parts.size();
    if (n == 0) {
      if (!stack_.empty()) not_a_document("a top-level scalar next to other entries");
      leaf(value);
      root_done_ = true;
      return;
    }
    // Keep the open containers this path shares; close the rest.
    size_t shared = 0;
    while (shared < stack_.size() && shared < n &&
           (shared == 0 || stack_[shared].via == component(d, shared - 1)))
      ++shared;
    while (stack_.size() > shared) close_one();
    // Open the containers down to the leaf's: container k is entered through part k-1.
    for (size_t k = stack_.size(); k < n; ++k) {
      if (k > 0) step(d, k - 1);
      bool array = d.tags[k] == keys::kNonNegInt;
      w_.put(array ? "[" : "{");
      stack_.push_back({array, k > 0 ? component(d, k - 1) : std::string(), 0, {}});
    }
    step(d, n - 1);
    leaf(value);
  }

  uint64_t finish() {
    while (!stack_.empty()) close_one();
    return w_.bytes;
  }

 private:
  struct Open {
    bool array;
    std::string via;   // the encoded component that leads to this container
    uint64_t count;    // children written
    std::string last;  // the last child's encoded component
  };
  static std::string component(const keys::Decoded& d, size_t i) {
    std::string c;
    if (d.tags[i] == keys::kString) keys::append_string(c, std::get<std::string>(d.parts[i]));
    else keys::append_uint(c, std::holds_alternative<uint64_t>(d.parts[i]) ? std::get<uint64_t>(d.parts[i])
                                                                           : static_cast<uint64_t>(std::get<int64_t>(d.parts[i])));
    return c;
  }
  // Writes what comes before the child reached through part i of the current container.
  void step(const keys::Decoded& d, size_t i) {
    Open& o = stack_.back();
    bool array = d.tags[i] == keys::kNonNegInt;
    if (array != o.array) not_a_document("a container holds both member names and positions");
    std::string c = component(d, i);
    if (o.count && c == o.last) not_a_document("a path is both a scalar and a container");
    if (array) {
      auto idx = std::holds_alternative<uint64_t>(d.parts[i]) ? std::get<uint64_t>(d.parts[i])
                                                               : static_cast<uint64_t>(std::get<int64_t>(d.parts[i]));
      if (idx != o.count) not_a_document("array positions with a gap");
    }
    if (o.count) w_.put(",");
    if (!array) {
      w_.put(dump(std::get<std::string>(d.parts[i])));
      w_.put(":");
    }
    ++o.count;
    o.last = std::move(c);
  }
  void leaf(std::string_view value) {
    if (value == marker(false)) w_.put("{}");
    else if (value == marker(true)) w_.put("[]");
    else w_.put(dump(scalar_of(value)));
  }
  void close_one() {
    w_.put(stack_.back().array ? "]" : "}");
    stack_.pop_back();
  }

  Writer w_;
  std::vector<Open> stack_;
  bool root_done_ = false;
};

}  // namespace

uint64_t export_json(const Map& map, std::string_view prefix, std::ostream& out) {
  Exporter e(out);
  bool any = false;
  map.scan(prefix, prefix_end(prefix), [&](std::string_view k, std::string_view v) {
    any = true;
    e.entry(k.substr(prefix.size()), v);
    return true;
  });
  if (!any) throw Error(Errc::not_found, "no JSON document is stored there");
  return e.finish();
}

uint64_t import_json(Map& map, std::string_view prefix, std::istream& in) {
  erase_subspace(map, prefix);
  Importer sax(map, std::string(prefix));
  json::sax_parse(in, &sax);
  return sax.written();
}

}  // namespace infinitree
