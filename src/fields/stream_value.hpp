// Which map values are stream refs. A value that is a well-formed stream ref (as returned
// by StreamWriter::finish) is stored with the leaf's stream flag whatever call put it there,
// so the chunks it names are reached by every walk (verify, stats, prune) and are never
// reclaimed while the value exists. Deciding once, when the value is written, is what lets
// the walks read the flag instead of guessing by decoding every value.
#pragma once

#include <string_view>

namespace infinitree::detail {

bool is_stream_ref_value(std::string_view value);

}  // namespace infinitree::detail
