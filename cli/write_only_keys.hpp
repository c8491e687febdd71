// The key files of write-only trees (docs/security.md, "Write-only trees"): the read key
// (its holder reads everything the writers add) and the write key (given to untrusted
// backup agents). Both are one line of text, "infinitree-read-key-1:..." or
// "infinitree-write-key-1:..." (infinitree/write_only.hpp).
#pragma once

#include <optional>
#include <string>

#include "args.hpp"

namespace infinitree::cli {

// A key's text, wiped from memory when it goes.
class SecretText {
 public:
  explicit SecretText(std::string text) : text_(std::move(text)) {}
  ~SecretText();
  SecretText(const SecretText&) = delete;
  SecretText& operator=(const SecretText&) = delete;
  SecretText(SecretText&& other) noexcept : text_(std::move(other.text_)) {}
  const std::string& str() const { return text_; }
  std::string& str() { return text_; }

 private:
  std::string text_;
};

// Whether the text is a read key (by its prefix; the library checks the rest).
bool is_read_key(const std::string& text);

// The key --<role>-key-file or --<role>-key-command names (role "read" or "write"), with
// final whitespace removed; nullopt if neither option is given. Both at once is a
// UsageError; an unreadable file Error(io); a failing command Error(invalid_argument).
std::optional<SecretText> key_from_options(const ParsedArgs& args, const std::string& role);

// Writes a new key pair into two new files (mode 0600). Never replaces a file:
// Error(already_exists) if either exists, and then neither is written.
void write_key_files(const std::string& read_path, const std::string& write_path);

}  // namespace infinitree::cli
