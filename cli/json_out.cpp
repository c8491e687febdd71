#include "json_out.hpp"

#include <cstdlib>
#include <ctime>
#include <iostream>

#include "common.hpp"
#include "short_id.hpp"

namespace infinitree::cli {

bool json_wanted(const ParsedArgs& args) {
  if (args.has("json")) return true;
  const char* env = std::getenv("INFINITREE_JSON");
  return env && std::string_view(env) == "1";
}

void print_json(const Json& doc) {
  // replace: a string that slipped through set_text unchecked still prints, never throws.
  std::cout << doc.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
}

namespace {
bool valid_utf8(std::string_view s) {
  bool ascii = true;
  for (unsigned char c : s) ascii &= c < 0x80;
  if (ascii) return true;
  // The library's own validation: a strict dump throws on invalid UTF-8.
  try {
    (void)Json(std::string(s)).dump();
    return true;
  } catch (const Json::type_error&) {
    return false;
  }
}

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}
}  // namespace

void set_text(Json& obj, const std::string& name, std::string_view bytes) {
  obj[name] = std::string(bytes);
  if (!valid_utf8(bytes)) obj[name + "_hex"] = hex(bytes);
}

std::string iso_time(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(((ms % 1000) + 1000) % 1000));
  return buf;
}

Json commit_json(const CommitInfo& c, const std::vector<std::string>& names) {
  Json j;
  j["id"] = c.id;
  j["short_id"] = short_id(c.id);
  j["parents"] = c.parents;
  j["forgotten_parents"] = c.forgotten_parents;
  j["time"] = iso_time(c.time_ms);
  j["time_ms"] = c.time_ms;
  set_text(j, "message", c.message);
  set_text(j, "branch", c.branch);
  j["sequence"] = c.sequence;
  Json jn = Json::array();
  for (const auto& n : names) jn.push_back(n);
  j["names"] = jn;
  if (auto st = decode_commit_stats(c.custom)) {
    j["stats"] = {{"kind", st->kind},   {"files", st->files}, {"logical", st->logical},
                  {"read", st->read},   {"new", st->fresh},   {"stored", st->stored}};
    if (st->kind == "store") {
      set_text(j["stats"], "path", st->path);
      set_text(j["stats"], "host", st->host);
      j["stats"]["tags"] = st->tags;
    }
  } else {
    j["stats"] = nullptr;
  }
  return j;
}

}  // namespace infinitree::cli
