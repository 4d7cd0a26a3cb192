#include "protocol/form.h"

#include <gtest/gtest.h>

namespace gee::protocol {
namespace {

FormParams MustParse(std::string_view text) {
  auto parsed = FormParams::Parse(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : FormParams();
}

TEST(FormTest, ParseDecodesPercentEscapesAndPlus) {
  FormParams p = MustParse("Action=CreateRole&RoleName=a%2Fb+c&Doc=%7B%22k%22%3A1%7d");
  EXPECT_EQ(p.First("Action"), "CreateRole");
  EXPECT_EQ(p.First("RoleName"), "a/b c");
  EXPECT_EQ(p.First("Doc"), "{\"k\":1}");
}

TEST(FormTest, ParseKeepsDuplicatesAndFirstWins) {
  FormParams p = MustParse("Action=GetCallerIdentity&Action=NoSuchAction");
  EXPECT_EQ(p.First("Action"), "GetCallerIdentity");
  ASSERT_EQ(p.All("Action").size(), 2u);
  EXPECT_EQ(p.All("Action")[1], "NoSuchAction");
}

TEST(FormTest, ParseSkipsEmptySegmentsAndAcceptsBareNames) {
  FormParams p = MustParse("&a=1&&b&c=&");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p.First("a"), "1");
  EXPECT_EQ(p.First("b"), "");
  EXPECT_EQ(p.First("c"), "");
  EXPECT_FALSE(p.Has("d"));
}

TEST(FormTest, ParseKeepsEqualsSignsInsideValues) {
  EXPECT_EQ(MustParse("k=a=b").First("k"), "a=b");
}

TEST(FormTest, ParseDecodesEncodedNames) {
  EXPECT_EQ(MustParse("Tags.member.1%2EKey=v").First("Tags.member.1.Key"), "v");
}

TEST(FormTest, ParseKeepsNonUtf8BytesVerbatim) {
  EXPECT_EQ(MustParse("k=%FF%00").First("k"), std::string("\xFF\0", 2));
}

TEST(FormTest, ParseFailsOnMalformedEscapes) {
  for (const char* bad : {"k=%", "k=%4", "k=%G1", "k=%%", "%zz=v", "k=a%2"}) {
    auto parsed = FormParams::Parse(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, "MalformedQueryString") << bad;
  }
}

TEST(FormTest, ParseOfEmptyTextIsEmpty) { EXPECT_EQ(MustParse("").size(), 0u); }

TEST(FormTest, FormEncodeRoundTripsThroughParse) {
  std::vector<FormParams::Pair> pairs = {{"Action", "AssumeRole"},
                                         {"Policy", "{\"Version\": \"2012-10-17\"} &=+%\xC3\xA9"},
                                         {"Empty", ""}};
  const std::string encoded = FormEncode(pairs);
  EXPECT_EQ(encoded.find(' '), std::string::npos);
  EXPECT_EQ(MustParse(encoded).pairs(), pairs);
}

}  // namespace
}  // namespace gee::protocol
