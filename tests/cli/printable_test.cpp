// Unit tests of printable.hpp: stored text cannot reach the terminal as control sequences.
#include <gtest/gtest.h>

#include <string>

#include "printable.hpp"

using infinitree::cli::printable;

TEST(CliPrintable, PlainTextAndUtf8PassThrough) {
  EXPECT_EQ(printable("notes/a file.txt"), "notes/a file.txt");
  EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(printable(""), "");
}

TEST(CliPrintable, ControlsAreEscaped) {
  EXPECT_EQ(printable("a\x1b[2Jb"), "a\\x1b[2Jb");
  EXPECT_EQ(printable("line1\nline2\r\t"), "line1\\x0aline2\\x0d\\x09");
  EXPECT_EQ(printable(std::string("nul\0x", 5)), "nul\\x00x");
  EXPECT_EQ(printable("del\x7f"), "del\\x7f");
  EXPECT_EQ(printable("back\\slash"), "back\\\\slash");  // so an escape cannot be forged
  // C1 controls (a UTF-8 CSI) and bidirectional overrides.
  EXPECT_EQ(printable("\xc2\x9b" "31m"), "\\u009b31m");
  EXPECT_EQ(printable("txt.\xe2\x80\xae" "exe"), "txt.\\u202eexe");
}

TEST(CliPrintable, InvalidUtf8IsEscapedBytewise) {
  EXPECT_EQ(printable("\x9b"), "\\x9b");                // a raw 8-bit CSI
  EXPECT_EQ(printable("\xc3"), "\\xc3");                // truncated sequence
  EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf");       // overlong '/'
  EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
  EXPECT_EQ(printable("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
}
