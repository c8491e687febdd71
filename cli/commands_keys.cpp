// key list | add | remove: the tree's key slots (docs/keys.md, docs/security.md "Key slots").
#include <ctime>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "exit_codes.hpp"
#include "json_out.hpp"
#include "key_command.hpp"
#include "password.hpp"
#include "printable.hpp"

namespace infinitree::cli {

namespace {

constexpr const char* kSynopsis =
    "key list | key add [--label L] [--new-key-file F | --new-key-command C | --new-user U] | "
    "key remove ID";

const char* kind_name(KeySlotKind k) { return k == KeySlotKind::raw_key ? "raw-key" : "password"; }

std::string utc_time(int64_t ms) {
  if (ms == 0) return "-";
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int key_list(Session& s, const ParsedArgs& args) {
  auto tree = s.open(true);
  if (json_wanted(args)) {
    // [{id, kind, created, created_ms, label, current}], oldest first (docs/cli.md).
    Json list = Json::array();
    for (const auto& slot : key_slots(*tree)) {
      Json j{{"id", slot.id}, {"kind", kind_name(slot.kind)},
             {"created", slot.created_ms ? Json(iso_time(slot.created_ms)) : Json(nullptr)},
             {"created_ms", slot.created_ms}};
      set_text(j, "label", slot.label);
      j["current"] = slot.current;
      list.push_back(std::move(j));
    }
    print_json(list);
    return kOk;
  }
  for (const auto& slot : key_slots(*tree))
    std::cout << (slot.current ? "* " : "  ") << slot.id << "  " << kind_name(slot.kind) << "  "
              << utc_time(slot.created_ms) << "  " << printable(slot.label) << "\n";
  return kOk;
}

int key_add(Session& s, const ParsedArgs& args) {
  std::string new_user = args.get_or("new-user", s.user());
  KdfParams kdf = args.has("new-kdf") ? parse_kdf(*args.get("new-kdf")) : s.kdf();
  std::optional<Credential> credential = new_key_credential(args, new_user, kdf);
  if (credential && (args.has("new-user") || args.has("new-password-file")))
    throw UsageError("--new-user and --new-password-file are for a password slot, not with --new-key-file/-command");
  auto tree = s.open(false);
  if (!credential) {
    PasswordSource src;
    src.file = args.get("new-password-file");
    src.env_var = "INFINITREE_NEW_PASSWORD";
    src.file_env_var = "INFINITREE_NEW_PASSWORD_FILE";
    src.prompt = "Password for the new slot (user " + new_user + "): ";
    src.confirm = true;
    src.allow_empty = args.has("allow-empty-password");
    credential = Credential::password(new_user, read_password(src), kdf);
    if (args.has("new-kdf")) warn_if_weak_kdf(kdf);
  }
  std::string id = add_key_slot(*tree, *credential, args.get_or("label", ""));
  if (json_wanted(args)) {
    print_json(Json{{"id", id}, {"kind", kind_name(credential->kind())}});
    return kOk;
  }
  std::cout << id << "\n";
  if (chatty(args)) std::cerr << "key slot " << id << " added (" << kind_name(credential->kind()) << ")\n";
  return kOk;
}

int key_remove(Session& s, const ParsedArgs& args) {
  auto tree = s.open(false);
  remove_key_slot(*tree, args.positional[1]);
  if (json_wanted(args)) print_json(Json{{"removed", args.positional[1]}});
  if (chatty(args) && !json_wanted(args))
    std::cerr << "key slot " << printable(args.positional[1])
              << " removed: its credential no longer opens this store, but copies of the store "
                 "taken before still open with it (docs/security.md)\n";
  return kOk;
}

int cmd_key(Session& s, const ParsedArgs& args) {
  expect_positionals(args, 1, 2, kSynopsis);
  const std::string& action = args.positional[0];
  if (action == "list") {
    expect_positionals(args, 1, 1, "key list");
    return key_list(s, args);
  }
  if (action == "add") {
    expect_positionals(args, 1, 1, "key add [--label L] [--new-key-file F | --new-key-command C | --new-user U]");
    return key_add(s, args);
  }
  if (action == "remove") {
    expect_positionals(args, 2, 2, "key remove ID");
    return key_remove(s, args);
  }
  throw UsageError("unknown key action '" + action + "' (list, add or remove)");
}

}  // namespace

void add_key_commands(std::vector<Command>& out) {
  out.push_back({"key", kSynopsis,
                 "list, add or remove the credentials (key slots) that open the tree",
                 {{"label", true, 0, "add: a label for the new slot (at most 64 bytes)"},
                  {"new-key-file", true, 0, "add: a raw-key slot for the key in this file (64 hex digits)"},
                  {"new-key-command", true, 0, "add: a slot for the key or password this command prints"},
                  {"new-user", true, 0, "add: a password slot for this user (default: --user)"},
                  {"new-password-file", true, 0, "add: read the new slot's password from this file"},
                  {"new-kdf", true, 0, "add: KDF costs of the new password slot"}},
                 cmd_key});
}

}  // namespace infinitree::cli
