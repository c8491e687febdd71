// The expat-based readers of S3's XML: entities (named, decimal, hex, above 127), raw
// UTF-8, CDATA, malformed and hostile documents.
#include <gtest/gtest.h>

#include "backend/backend_test_util.hpp"
#include "backend/s3_xml.hpp"

namespace infinitree::s3 {
namespace {

using testing_backend::expect_error;

std::string page_with(const std::string& contents, const std::string& tail = "") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
         "<Name>b</Name>" + contents + tail + "</ListBucketResult>";
}

TEST(S3Xml, ListPageKeysTokenAndTruncation) {
  auto p = parse_list_page(
      page_with("<Contents><Key>a</Key><ETag>&quot;x&quot;</ETag></Contents>"
                "<Contents><Key>b/c</Key></Contents>",
                "<IsTruncated>true</IsTruncated><NextContinuationToken>t+/=</NextContinuationToken>"),
      1000);
  EXPECT_EQ(p.keys, (std::vector<std::string>{"a", "b/c"}));
  EXPECT_TRUE(p.truncated);
  EXPECT_EQ(p.next_token, "t+/=");
  auto q = parse_list_page(page_with("", "<IsTruncated>false</IsTruncated>"), 1000);
  EXPECT_TRUE(q.keys.empty());
  EXPECT_FALSE(q.truncated);
}

TEST(S3Xml, EntitiesAboveAsciiAndRawUtf8) {
  auto p = parse_list_page(
      page_with("<Contents><Key>a&amp;b&lt;&gt;&quot;&apos;</Key></Contents>"
                "<Contents><Key>&#233;&#xE9;&#x20AC;&#128512;</Key></Contents>"
                "<Contents><Key>\xC3\xA9\xE2\x82\xAC</Key></Contents>"
                "<Contents><Key><![CDATA[x&y<z>]]></Key></Contents>"
                "<Contents><Key>&#38;&#x26;</Key></Contents>"),
      1000);
  ASSERT_EQ(p.keys.size(), 5u);
  EXPECT_EQ(p.keys[0], "a&b<>\"'");
  EXPECT_EQ(p.keys[1], "\xC3\xA9\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  EXPECT_EQ(p.keys[2], "\xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(p.keys[3], "x&y<z>");
  EXPECT_EQ(p.keys[4], "&&");
}

TEST(S3Xml, OnlyKeysAtTheRightPlaceCount) {
  // A <Key> outside <Contents> (or deeper) is not a listed key.
  auto p = parse_list_page(page_with("<Key>no</Key><Contents><Owner><Key>no</Key></Owner>"
                                     "<Key>yes</Key></Contents>"),
                           1000);
  EXPECT_EQ(p.keys, std::vector<std::string>{"yes"});
}

TEST(S3Xml, MalformedAndHostileListPagesAreRemoteErrors) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "no element found"},
      {"<ListBucketResult><Contents><Key>a</Key></Contents>", "no element found"},
      {"<ListBucketResult><Key>&bogus;</Key></ListBucketResult>", "undefined entity"},
      {"<ListBucketResult>&#0;</ListBucketResult>", "reference to invalid character"},
      {"<Error><Code>NoSuchBucket</Code></Error>", "not a <ListBucketResult>"},
      {"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><ListBucketResult>&a;"
       "</ListBucketResult>",
       "DOCTYPE is not allowed"},
      {std::string(100, '<') , "not well-formed"},
      {page_with("<Contents><Key>1</Key></Contents><Contents><Key>2</Key></Contents>"
                 "<Contents><Key>3</Key></Contents>"),
       "more than 2 keys in one page"},
  };
  for (const auto& [xml, needle] : cases) {
    std::string msg = expect_error(Errc::remote, [&] { parse_list_page(xml, 2); });
    EXPECT_NE(msg.find(needle), std::string::npos) << xml << " -> " << msg;
  }
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<a>";
  std::string msg = expect_error(Errc::remote, [&] { parse_list_page(deep, 2); });
  EXPECT_NE(msg.find("nested too deeply"), std::string::npos) << msg;
}

TEST(S3Xml, ErrorBodies) {
  auto e = parse_error_body(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
      "<Message>The key &quot;a&amp;b&quot; does not exist &#8212; sorry</Message>"
      "<Key>a&amp;b</Key></Error>");
  EXPECT_EQ(e.code, "NoSuchKey");
  EXPECT_EQ(e.message, "The key \"a&b\" does not exist \xE2\x80\x94 sorry");
  // Not an S3 error document: empty, never an exception.
  for (const char* junk : {"", "<html><body>502 Bad Gateway</body></html>", "<Error><Code>x",
                           "\xFF\xFE garbage", "<Code>NoSuchBucket</Code>"}) {
    auto j = parse_error_body(junk);
    EXPECT_TRUE(j.code.empty()) << junk;
    EXPECT_TRUE(j.message.empty()) << junk;
  }
}

}  // namespace
}  // namespace infinitree::s3
