// S3 response bodies (ListObjectsV2 pages, error documents) as the backend parses them:
// the XML helpers behind list() and error reporting in src/backend/s3_client.
#include "backend/s3_client.hpp"
#include "fuzz_common.hpp"

using namespace infinitree;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body = fuzz::as_text(data, size);
  fuzz::expect_only_errors([&] {
    auto keys = s3::xml_all(body, "Key");
    for (const auto& k : keys) fuzz::require(k.size() <= size, "a key longer than the body");
    (void)s3::xml_first(body, "IsTruncated");
    (void)s3::xml_first(body, "NextContinuationToken");
    (void)s3::xml_first(body, "Code");
    (void)s3::xml_unescape(body);
  });
  return 0;
}
