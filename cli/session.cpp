#include "session.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "config_file.hpp"
#include "key_command.hpp"
#include "password.hpp"

namespace infinitree::cli {

namespace {

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::move(fallback);
}

std::string login_name() {
  if (const char* u = std::getenv("USER"); u && *u) return u;
  if (struct passwd* pw = ::getpwuid(::geteuid())) return pw->pw_name;
  return "infinitree";
}

bool is_s3(const std::string& store) { return store.rfind("s3://", 0) == 0; }


}  // namespace

const std::vector<OptionSpec>& global_options() {
  static const std::vector<OptionSpec> specs = {
      {"config", true, 0, "read defaults from this file (or INFINITREE_CONFIG; default ~/.config/infinitree/config)"},
      {"store", true, 's', "PATH or s3://bucket/prefix (or INFINITREE_STORE)"},
      {"user", true, 'u', "user name (or INFINITREE_USER; default: the login name)"},
      {"password-file", true, 0, "read the password from this file (or INFINITREE_PASSWORD_FILE)"},
      {"key-file", true, 0, "open with the raw key in this file, 64 hex digits (or INFINITREE_KEY_FILE)"},
      {"key-command", true, 0, "run this command for the key or password (or INFINITREE_KEY_COMMAND)"},
      {"kdf", true, 0, "fast | default | m=KiB,t=N,p=N (or INFINITREE_KDF; must match init)"},
      {"kdf-memory", true, 0, "Argon2id memory in KiB (overrides --kdf)"},
      {"kdf-iterations", true, 0, "Argon2id passes (overrides --kdf)"},
      {"kdf-parallelism", true, 0, "Argon2id lanes (overrides --kdf)"},
      {"endpoint", true, 0, "S3 endpoint URL (or INFINITREE_S3_ENDPOINT)"},
      {"region", true, 0, "S3 region (or AWS_REGION; default us-east-1)"},
      {"path-style", false, 0, "S3 path-style addressing"},
      {"cache", true, 0, "local cache folder in front of S3"},
      {"cache-size", true, 0, "cache budget, e.g. 2GiB (default 1GiB)"},
      {"compression", true, 0, "lz4 (default, fastest) | zstd (smaller) | none; kept by the tree until a later command sets another"},
      {"allow-empty-password", false, 0, "accept an empty password (refused otherwise)"},
      {"quiet", false, 'q', "no progress bars or summaries"},
      {"json", false, 0, "print the result as one JSON document (or INFINITREE_JSON=1; docs/cli.md)"},
      {"help", false, 'h', "show help"},
      {"version", false, 'V', "print the version and the library's soname"},
  };
  return specs;
}

void warn_if_weak_kdf(const KdfParams& kdf) {
  const KdfParams fast = KdfParams::insecure_fast();
  if (kdf.memory_kib != fast.memory_kib || kdf.iterations != fast.iterations || kdf.parallelism != fast.parallelism)
    return;
  // Scripts and tests use it on purpose; a person at a terminal is told what it means.
  if (::isatty(STDERR_FILENO))
    std::cerr << "warning: --kdf fast derives keys with trivial costs: a stolen store's password is "
                 "brute-forced in no time. For tests and demos only.\n";
}

KdfParams parse_kdf(const std::string& text) {
  if (text == "fast") return KdfParams::insecure_fast();
  if (text == "default" || text.empty()) return KdfParams{};
  KdfParams k;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    std::string part = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    auto eq = part.find('=');
    if (eq == std::string::npos) throw UsageError("bad KDF setting '" + text + "' (fast, default or m=KiB,t=N,p=N)");
    std::string key = part.substr(0, eq), value = part.substr(eq + 1);
    uint64_t v = parse_uint(value, "kdf");
    if (v == 0 || v > 0xffffffffu) throw UsageError("KDF cost out of range in '" + text + "'");
    if (key == "m") k.memory_kib = static_cast<uint32_t>(v);
    else if (key == "t") k.iterations = static_cast<uint32_t>(v);
    else if (key == "p") k.parallelism = static_cast<uint32_t>(v);
    else throw UsageError("unknown KDF setting '" + key + "' (m, t or p)");
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return k;
}

std::optional<std::string> Session::setting(const std::string& name, const char* env_var) const {
  if (auto v = args_.get(name)) return v;
  if (env_var)
    if (const char* e = std::getenv(env_var); e && *e) return std::string(e);
  return config_.get(name);
}

Session::Session(const ParsedArgs& args) : args_(args), config_(load_config(args.get("config"))) {
  store_ = setting("store", "INFINITREE_STORE").value_or("");
  user_ = setting("user", "INFINITREE_USER").value_or(login_name());
  kdf_ = parse_kdf(setting("kdf", "INFINITREE_KDF").value_or("default"));
  // A single cost overrides the --kdf preset; one from the config file only when the preset
  // came from the file too (a --kdf or INFINITREE_KDF replaces the file's whole setting).
  const bool kdf_from_file = !args.has("kdf") && !std::getenv("INFINITREE_KDF");
  auto cost = [&](const char* name, uint32_t& field) {
    std::optional<std::string> v = args.get(name);
    if (!v && kdf_from_file) v = config_.get(name);
    if (v) {
      uint64_t n = parse_uint(*v, name);
      if (n == 0 || n > 0xffffffffu) throw UsageError(std::string("--") + name + " out of range");
      field = static_cast<uint32_t>(n);
    }
  };
  cost("kdf-memory", kdf_.memory_kib);
  cost("kdf-iterations", kdf_.iterations);
  cost("kdf-parallelism", kdf_.parallelism);
  quiet_ = args.has("quiet");
  // Chosen at init and kept in the tree's sealed root; a later command given --compression
  // (or INFINITREE_COMPRESSION) switches the chunks it writes from then on.
  const std::string comp = setting("compression", "INFINITREE_COMPRESSION").value_or("");
  if (comp == "lz4") compression_ = CompressionMethod::lz4;
  else if (comp == "zstd") compression_ = CompressionMethod::zstd;
  else if (comp == "none") compression_ = CompressionMethod::none;
  else if (!comp.empty()) throw UsageError("--compression is lz4, zstd or none, not '" + comp + "'");
  if (!store_.empty() && !is_s3(store_) &&
      (args.has("endpoint") || args.has("cache") || args.has("cache-size") || args.has("path-style") ||
       args.has("region")))
    throw UsageError("--endpoint, --region, --path-style and --cache apply to s3:// stores only");
  // INFINITREE_PASSWORD_FILE and INFINITREE_PASSWORD are read by read_password (password.cpp)
  // and win over a password-file from the config file.
  password_file_ = args.get("password-file");
  if (!password_file_ && !std::getenv("INFINITREE_PASSWORD_FILE") && !std::getenv("INFINITREE_PASSWORD"))
    password_file_ = config_.get("password-file");
}

std::shared_ptr<Backend> Session::backend() {
  if (backend_) return backend_;
  if (store_.empty()) throw UsageError("no store: pass --store PATH|s3://bucket/prefix or set INFINITREE_STORE");
  if (is_s3(store_)) {
    S3Options base;
    base.endpoint = setting("endpoint", "INFINITREE_S3_ENDPOINT").value_or(env_or("AWS_ENDPOINT_URL", ""));
    base.region = setting("region", "AWS_REGION").value_or(env_or("AWS_DEFAULT_REGION", "us-east-1"));
    if (args_.has("path-style") || config_.flag("path-style")) base.addressing = S3Options::Addressing::path_style;
    backend_ = make_s3_backend(s3_options_from_url(store_, base));
    if (auto cache = setting("cache", nullptr)) {
      uint64_t budget = parse_size(setting("cache-size", nullptr).value_or("1GiB"));
      backend_ = make_cache_backend(backend_, *cache, budget);
    }
  } else {
    backend_ = make_directory_backend(store_);
  }
  return backend_;
}

void Session::require_local_store_exists() const {
  if (store_.empty() || is_s3(store_)) return;
  std::error_code ec;
  if (!std::filesystem::is_directory(store_, ec))
    throw Error(Errc::not_found, "no store at " + store_ + " (create one with `infinitree init`)");
}

OpenOptions Session::options(bool read_only) const {
  OpenOptions o;
  o.kdf = kdf_;
  o.read_only = read_only;
  o.compression = compression_;
  return o;
}

std::string Session::password(bool confirm) {
  if (!password_) {
    PasswordSource src;
    src.file = password_file_;
    src.confirm = confirm;
    src.prompt = "Password for " + user_ + ": ";
    src.allow_empty = args_.has("allow-empty-password");
    password_ = read_password(src);
    warn_if_weak_kdf(kdf_);
  }
  return *password_;
}

std::unique_ptr<Tree> Session::create() {
  if (store_.empty()) throw UsageError("no store: pass --store PATH|s3://bucket/prefix or set INFINITREE_STORE");
  auto b = backend();
  if (auto key = key_credential(args_, user_, kdf_)) return create_tree(b, *key, options(false));
  std::string pw = password(true);
  return Tree::create(b, user_, pw, options(false));
}

std::unique_ptr<Tree> Session::open(bool read_only) {
  if (store_.empty()) throw UsageError("no store: pass --store PATH|s3://bucket/prefix or set INFINITREE_STORE");
  require_local_store_exists();
  auto b = backend();
  try {
    if (auto key = key_credential(args_, user_, kdf_)) return open_tree(b, *key, options(read_only));
    std::string pw = password(false);
    return Tree::open(b, user_, pw, options(read_only));
  } catch (const Error& e) {
    if (e.code() != Errc::wrong_credentials) throw;
    // Only for a typed or given password (password_ is set); a raw key has no KDF costs.
    if (auto preset = password_ ? kdf_preset_that_opens(b, *password_) : std::nullopt)
      throw Error(e.code(), "these credentials open the store with --kdf " + *preset +
                                ", not with the KDF costs given (" + kdf_text(kdf_) + "): pass --kdf " + *preset +
                                " (or INFINITREE_KDF, or `kdf = " + *preset + "` in the config file)");
    throw Error(e.code(), std::string(e.what()) + "\n" + credentials_hint());
  }
}

// A store keeps no readable record of its KDF costs (docs/security.md), so a wrong password
// and wrong costs look the same. What can be told apart without weakening anything: the
// same user and password with the two named presets. Reading the tree with them proves the
// caller already holds everything needed to open it, and costs one key derivation each.
std::optional<std::string> Session::kdf_preset_that_opens(const std::shared_ptr<Backend>& b, const std::string& pw) const {
  const std::pair<const char*, KdfParams> presets[] = {{"default", KdfParams{}}, {"fast", KdfParams::insecure_fast()}};
  for (const auto& [name, params] : presets) {
    if (params.memory_kib == kdf_.memory_kib && params.iterations == kdf_.iterations &&
        params.parallelism == kdf_.parallelism)
      continue;
    OpenOptions o = options(true);
    o.kdf = params;
    try {
      Tree::open(b, user_, pw, o);
      return std::string(name);
    } catch (const Error&) {
      // not these costs either (or another failure): the plain message stands
    }
  }
  return std::nullopt;
}

std::string kdf_text(const KdfParams& k) {
  return "m=" + std::to_string(k.memory_kib) + ",t=" + std::to_string(k.iterations) + ",p=" +
         std::to_string(k.parallelism);
}

std::string Session::credentials_hint() {
  return "hint: check the user (--user / INFINITREE_USER), the password, and that the KDF costs "
         "(--kdf / INFINITREE_KDF / the config file) are the ones the store was created with";
}

}  // namespace infinitree::cli
