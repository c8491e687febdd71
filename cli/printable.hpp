// Text that came from a tree (keys, file names, commit messages, tag and branch names,
// symlink targets) escaped before it reaches a terminal: a snapshot or a commit message
// must not be able to move the cursor, retitle the window or hide a line. Every command
// that prints stored text goes through this one function.
#pragma once

#include <string>
#include <string_view>

namespace infinitree::cli {

// Valid UTF-8 passes through, except what a terminal or a reader would act on:
// C0 controls (newline and ESC included), DEL and bytes that are not valid UTF-8 become
// \xNN; C1 controls (U+0080-U+009F) and bidirectional overrides (U+202A-U+202E,
// U+2066-U+2069) become \uNNNN; a backslash becomes \\ so the escaping is unambiguous.
std::string printable(std::string_view text);

}  // namespace infinitree::cli
