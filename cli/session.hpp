// The global options and what they open: the store (local folder, S3, S3 behind a local
// cache), the credentials (user, password, KDF costs), and the tree. Every subcommand gets
// a Session and asks it for a tree, read-only when it only reads (no writer lock then).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "args.hpp"
#include "config_file.hpp"
#include "infinitree/tree.hpp"

namespace infinitree::cli {

// Options every subcommand accepts (listed by --help).
const std::vector<OptionSpec>& global_options();

class Session {
 public:
  explicit Session(const ParsedArgs& args);

  bool quiet() const { return quiet_; }
  const std::string& store() const { return store_; }
  const std::string& user() const { return user_; }
  const KdfParams& kdf() const { return kdf_; }

  // The backend named by --store (created once).
  std::shared_ptr<Backend> backend();
  // Creates a tree (init). Asks for the password twice on a terminal.
  std::unique_ptr<Tree> create();
  // Opens the tree; read-only trees take no writer lock.
  std::unique_ptr<Tree> open(bool read_only);
  // The password, asked once per process.
  std::string password(bool confirm = false);
  // --password-file, for passwd's source of the *old* password.
  std::optional<std::string> password_file() const { return password_file_; }

  // "Cannot open" errors get a hint on what to check.
  static std::string credentials_hint();

  // The options a tree opens with (--kdf, --compression); for trees opened otherwise than
  // by open() (write-only sessions).
  OpenOptions options(bool read_only) const;
  // not_found for a local --store that is not a folder (before anything is created there).
  void require_local_store_exists() const;

 private:
  // A global option's value: the command line, else `env_var` (if any), else the config file.
  std::optional<std::string> setting(const std::string& name, const char* env_var) const;
  // After wrong credentials: the name of a --kdf preset ("default", "fast") other than the
  // costs given with which the same user and password open the store, if any.
  std::optional<std::string> kdf_preset_that_opens(const std::shared_ptr<Backend>& b, const std::string& pw) const;

  const ParsedArgs& args_;
  ConfigFile config_;
  std::string store_;
  std::string user_;
  KdfParams kdf_;
  std::optional<CompressionMethod> compression_;  // unset: lz4 at init, else the tree's
  bool quiet_ = false;
  std::optional<std::string> password_file_;
  std::optional<std::string> password_;
  std::shared_ptr<Backend> backend_;
};

// "fast", "default", or "m=KiB,t=N,p=N" (any subset). Throws UsageError.
KdfParams parse_kdf(const std::string& text);

// "m=KiB,t=N,p=N", as --kdf takes it.
std::string kdf_text(const KdfParams& kdf);

// Prints a warning on stderr when it is a terminal and `kdf` is the `fast` setting.
void warn_if_weak_kdf(const KdfParams& kdf);

}  // namespace infinitree::cli
