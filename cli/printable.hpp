// Text that came from a tree (keys, file names, commit messages, tag and branch names,
// symlink targets) escaped before it reaches a terminal: a snapshot or a commit message
// must not be able to move the cursor, retitle the window or hide a line. Every command
// that prints stored text goes through this one function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace infinitree::cli {

// Valid UTF-8 passes through, except what a terminal or a reader would act on:
// C0 controls (newline and ESC included), DEL and bytes that are not valid UTF-8 become
// \xNN; C1 controls (U+0080-U+009F) and bidirectional overrides (U+202A-U+202E,
// U+2066-U+2069) become \uNNNN; a backslash becomes \\ so the escaping is unambiguous.
std::string printable(std::string_view text);

// The length of the valid UTF-8 sequence at s[i] (0 if there is none: overlong forms,
// surrogates and values above U+10FFFF are invalid), and its code point in `cp`.
size_t utf8_sequence(std::string_view s, size_t i, uint32_t& cp);
// C1 controls and bidirectional overrides: code points that change how text around them shows.
bool hidden_code_point(uint32_t cp);

}  // namespace infinitree::cli
