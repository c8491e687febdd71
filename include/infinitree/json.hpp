// JSON in and out of maps used as tuple spaces (docs/data-model.md, "JSON"). A document is
// stored as one map entry per scalar and per empty container: the key is the path to it,
// each object member name a string component and each array position an integer
// component, after an optional tuple prefix (a subspace); the value is the scalar in the
// key encoding (null, bool, int64/uint64, float64, string) or a marker for an empty object
// or array. Export walks the map in key order and writes as it goes; import parses as it
// reads (SAX); neither holds the document in memory.
#pragma once

#include "infinitree/export.hpp"

#include <cstdint>
#include <istream>
#include <ostream>
#include <string_view>

#include "infinitree/tree.hpp"

namespace infinitree {

// Writes the document stored under `prefix` (empty: the whole map) as compact JSON, object
// members in bytewise order of their names. Throws not_found if nothing is stored there,
// invalid_argument if the entries are not a document (a key component that is neither a
// string nor an array position, a value that is not a scalar, array positions with gaps,
// a path used both as a scalar and a container). Returns the number of bytes written.
INFINITREE_EXPORT uint64_t export_json(const Map& map, std::string_view prefix, std::ostream& out);

// Replaces the document under `prefix` with the one read from `in` (the subspace is
// erased first). invalid_argument for text that is not JSON (nothing is written then
// beyond what was already imported: wrap it in a commit or a rollback). Returns the
// number of entries written.
INFINITREE_EXPORT uint64_t import_json(Map& map, std::string_view prefix, std::istream& in);

}  // namespace infinitree
