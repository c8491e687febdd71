// Shell completion scripts (bash, zsh, fish) and the man page, generated from the command
// table and the option specs that --help prints, so neither can drift from the CLI:
//   infinitree completion bash > /etc/bash_completion.d/infinitree
//   infinitree man > /usr/local/share/man/man1/infinitree.1
#pragma once

#include <string>

namespace infinitree::cli {

std::string bash_completion();
std::string zsh_completion();
std::string fish_completion();
std::string man_page();

}  // namespace infinitree::cli
