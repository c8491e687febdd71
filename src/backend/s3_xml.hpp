// The two XML documents S3 sends us, read with expat (a real XML parser): error bodies and
// ListObjectsV2 pages. Character and numeric entities are decoded to UTF-8 by expat, so
// keys with '&' or non-ASCII characters come out exactly as stored. A DOCTYPE (and so any
// entity declaration) is refused: S3 never sends one, and refusing it closes the door on
// entity expansion tricks.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace infinitree::s3 {

// <Error><Code>..</Code><Message>..</Message></Error>. Never throws: a body that is not
// such a document (HTML from a proxy, garbage, empty) gives empty fields.
struct ErrorBody {
  std::string code;
  std::string message;
};
ErrorBody parse_error_body(std::string_view xml);

// One page of <ListBucketResult>.
struct ListPage {
  std::vector<std::string> keys;  // Contents/Key, in document order
  bool truncated = false;         // IsTruncated is "true"
  std::string next_token;         // NextContinuationToken
};

// Throws Error(remote) naming what is wrong when the page is not well-formed XML, is not a
// ListBucketResult, nests deeper than any real page, or holds more than `max_keys` keys.
ListPage parse_list_page(std::string_view xml, size_t max_keys);

}  // namespace infinitree::s3
