// LocatedJson: JSON with comments and the line of every element.
#include "harness/scenario/located_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gee::scenario {
namespace {

using ::testing::HasSubstr;

constexpr char kText[] = R"({
  // a comment line
  "name": "x",   /* a block
                    comment */
  "steps": [
    {"name": "first"},
    {
      "name": "second",
      "input": {"a/b": 1, "n": 12}
    }
  ]
}
)";

TEST(LocatedJsonTest, ParseRecordsTheLineOfEveryElement) {
  auto parsed = LocatedJson::Parse(kText, "t.jsonc", nullptr);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->LineOf(""), 1);
  EXPECT_EQ(parsed->LineOf("/name"), 3);
  EXPECT_EQ(parsed->LineOf("/steps"), 5);
  EXPECT_EQ(parsed->LineOf("/steps/0"), 6);
  EXPECT_EQ(parsed->LineOf("/steps/0/name"), 6);
  EXPECT_EQ(parsed->LineOf("/steps/1"), 7);
  EXPECT_EQ(parsed->LineOf("/steps/1/name"), 8);
  EXPECT_EQ(parsed->LineOf("/steps/1/input/a~1b"), 9);
  EXPECT_EQ(parsed->LineOf("/steps/1/input/n"), 9);
}

TEST(LocatedJsonTest, ParseIgnoresLineAndBlockComments) {
  auto parsed = LocatedJson::Parse(kText, "t.jsonc", nullptr);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->root()["name"], "x");
  EXPECT_EQ(parsed->root()["steps"][1]["input"]["n"], 12);
}

TEST(LocatedJsonTest, MemberIsLocatedAtItsKeyWhenTheValueIsOnAnotherLine) {
  auto parsed = LocatedJson::Parse("{\n  \"a\":\n\n    [1,\n     2]\n}", "t", nullptr);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->LineOf("/a"), 2);
  EXPECT_EQ(parsed->LineOf("/a/1"), 5);
}

TEST(LocatedJsonTest, NumberFollowedByANewlineKeepsItsOwnLine) {
  auto parsed = LocatedJson::Parse("[\n1\n,\n2\n]", "t", nullptr);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->LineOf("/0"), 2);
  EXPECT_EQ(parsed->LineOf("/1"), 4);
}

TEST(LocatedJsonTest, LineOfAnUnknownPointerFallsBackToItsNearestAncestor) {
  auto parsed = LocatedJson::Parse(kText, "t.jsonc", nullptr);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->LineOf("/steps/1/input/missing/deeper"), 9);
  EXPECT_EQ(parsed->LineOf("/nothing"), 1);
}

TEST(LocatedJsonTest, ParseFailsWithTheLineOfASyntaxError) {
  Diagnostic d;
  auto parsed = LocatedJson::Parse("{\n  \"a\": 1,\n  \"b\": [1, 2,]\n}\n", "bad.jsonc", &d);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(d.file, "bad.jsonc");
  EXPECT_EQ(d.line, 3);
  EXPECT_THAT(d.message, HasSubstr("syntax error"));
  EXPECT_THAT(parsed.error().message, HasSubstr("bad.jsonc:3: "));
}

TEST(LocatedJsonTest, ParseFailsOnADuplicateMemberWithItsLine) {
  Diagnostic d;
  auto parsed = LocatedJson::Parse("{\n \"a\": {\"x\": 1},\n \"a\": 2\n}", "dup.jsonc", &d);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.message, "duplicate member \"a\"");
}

TEST(LocatedJsonTest, SameNameInDifferentObjectsIsNotADuplicate) {
  auto parsed = LocatedJson::Parse(R"({"a": {"x": 1}, "b": {"x": 2}})", "t", nullptr);
  EXPECT_TRUE(parsed.ok());
}

TEST(LocatedJsonTest, ParseFailsOnAnUnterminatedComment) {
  Diagnostic d;
  auto parsed = LocatedJson::Parse("{\n\"a\": 1 /* never closed\n}", "c.jsonc", &d);
  ASSERT_FALSE(parsed.ok());
  EXPECT_GE(d.line, 2);
}

TEST(LocatedJsonTest, DiagnosticWithoutALineNamesOnlyTheFile) {
  EXPECT_EQ((Diagnostic{"f.jsonc", 0, "cannot read"}).ToString(), "f.jsonc: cannot read");
  EXPECT_EQ((Diagnostic{"f.jsonc", 7, "bad"}).ToString(), "f.jsonc:7: bad");
}

TEST(LocatedJsonTest, EscapePointerTokenFollowsRfc6901) {
  EXPECT_EQ(EscapePointerToken("a/b~c"), "a~1b~0c");
}

}  // namespace
}  // namespace gee::scenario
