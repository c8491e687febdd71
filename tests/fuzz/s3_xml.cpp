// S3 response bodies as the backend parses them (src/backend/s3_xml, expat): ListObjectsV2
// pages and error documents. Input: the first byte picks the document kind, the rest is
// the body.
#include "backend/s3_xml.hpp"
#include "fuzz_common.hpp"

using namespace infinitree;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view body = fuzz::as_text(data + 1, size - 1);
  fuzz::expect_only_errors([&] {
    if (data[0] % 2 == 0) {
      s3::ListPage page = s3::parse_list_page(body, 1000);
      fuzz::require(page.keys.size() <= 1000, "a list page with more keys than allowed");
      for (const auto& k : page.keys) fuzz::require(k.size() <= body.size(), "a key longer than the body");
    } else {
      s3::ErrorBody e = s3::parse_error_body(body);  // never throws
      fuzz::require(e.code.size() <= body.size() && e.message.size() <= body.size(),
                    "an error field longer than the body");
    }
  });
  return 0;
}
