#include "auth/policy/glob.h"

#include <gtest/gtest.h>

#include "auth/authz.h"
#include "auth/policy/policy_string.h"

namespace gee::policy {
namespace {

TEST(GlobTest, StarSpansColonsAndSlashes) {
  Glob g = Glob::FromPattern("arn:aws:s3:::*log*");
  EXPECT_TRUE(g.Matches("arn:aws:s3:::bucket-logs"));
  EXPECT_TRUE(g.Matches("arn:aws:s3:::b/catalog/x"));
  EXPECT_FALSE(g.Matches("arn:aws:s3:::bucket"));
}

TEST(GlobTest, QuestionMarkMatchesExactlyOneCharacter) {
  Glob g = Glob::FromPattern("kms:?ncrypt");
  EXPECT_TRUE(g.Matches("kms:encrypt"));
  EXPECT_FALSE(g.Matches("kms:ncrypt"));
  EXPECT_FALSE(g.Matches("kms:reencrypt"));
}

TEST(GlobTest, MatchingIsCaseSensitive) {
  EXPECT_FALSE(Glob::FromPattern("arn:aws:s3:::Bucket/*").Matches("arn:aws:s3:::bucket/k"));
}

TEST(GlobTest, PatternMustCoverTheWholeSubject) {
  Glob g = Glob::FromPattern("s3:Get");
  EXPECT_FALSE(g.Matches("s3:GetObject"));
  EXPECT_FALSE(g.Matches("xs3:Get"));
}

TEST(GlobTest, BacktracksOverSeveralStars) {
  Glob g = Glob::FromPattern("a*b*c");
  EXPECT_TRUE(g.Matches("aXbYbZc"));
  EXPECT_TRUE(g.Matches("abc"));
  EXPECT_FALSE(g.Matches("aXbYcZ"));
}

TEST(GlobTest, LoneStarMatchesEverythingIncludingEmpty) {
  Glob g = Glob::FromPattern("*");
  EXPECT_TRUE(g.MatchesEverything());
  EXPECT_TRUE(g.Matches(""));
  EXPECT_TRUE(g.Matches("arn:aws:kms:us-east-1:111122223333:key/k"));
}

TEST(GlobTest, LiteralStarIsNotAWildcard) {
  Glob g = Glob::Literal("a*b");
  EXPECT_TRUE(g.IsLiteral());
  EXPECT_TRUE(g.Matches("a*b"));
  EXPECT_FALSE(g.Matches("aXb"));
  EXPECT_EQ(g.ToString(), "a${*}b");
}

TEST(GlobTest, SplitArnPartsKeepsColonsOfTheResourcePart) {
  std::vector<Glob> parts =
      Glob::FromPattern("arn:aws:logs:*:111122223333:log-group:/aws-glue/*").SplitArnParts();
  ASSERT_EQ(parts.size(), 6u);
  EXPECT_EQ(parts[2].ToString(), "logs");
  EXPECT_TRUE(parts[3].MatchesEverything());
  EXPECT_EQ(parts[5].ToString(), "log-group:/aws-glue/*");
}

TEST(GlobTest, LiteralPrefixMustMatchAndTheRestStillBacktracks) {
  struct Case {
    const char* pattern;
    const char* subject;
    bool matches;
  };
  for (const Case& c : {Case{"glue:get*", "glue:get", true}, Case{"glue:get*", "glue:gettable", true},
                        Case{"glue:get*", "glue:ge", false}, Case{"glue:get*", "glue:puttable", false},
                        Case{"glue:get*", "s3:getobject", false},
                        Case{"s3:get*ver?ion", "s3:getobjectversion", true},
                        Case{"s3:get*ver?ion", "s3:getverxion", true},
                        Case{"s3:get*ver?ion", "s3:getobjectversions", false},
                        Case{"s3:get*ver?ion", "s3:putobjectversion", false}}) {
    EXPECT_EQ(Glob::FromPattern(c.pattern).Matches(c.subject), c.matches) << c.pattern << " ~ " << c.subject;
  }
}

TEST(GlobTest, AppendedPiecesKeepTheirWildcards) {
  Glob g = Glob::Literal("arn:aws:s3:::b/${*}");
  EXPECT_TRUE(g.IsLiteral());
  g.Append(Glob::FromPattern("x/*"));
  EXPECT_FALSE(g.IsLiteral());
  EXPECT_TRUE(g.Matches("arn:aws:s3:::b/${*}x/anything"));
  EXPECT_FALSE(g.Matches("arn:aws:s3:::b/Zx/anything"));
  Glob h = Glob::Literal("a*");
  h.AppendAnyChar();
  EXPECT_TRUE(h.Matches("a*b"));
  EXPECT_FALSE(h.Matches("ab"));
  EXPECT_FALSE(h.Matches("aXb"));
}

TEST(GlobTest, SplitArnPartsAreMatchedWithTheirOwnWildcards) {
  std::vector<Glob> parts = Glob::FromPattern("arn:aws:kms:us-*-1:111122223333:key/*").SplitArnParts();
  ASSERT_EQ(parts.size(), 6u);
  EXPECT_TRUE(parts[2].IsLiteral());
  EXPECT_TRUE(parts[3].Matches("us-east-1"));
  EXPECT_FALSE(parts[3].Matches("eu-west-1"));
  EXPECT_TRUE(parts[5].Matches("key/1234"));
  EXPECT_FALSE(parts[5].Matches("alias/x"));
}

TEST(GlobTest, SplitArnReturnsFewerPartsForNonArns) {
  EXPECT_EQ(SplitArn("not-an-arn").size(), 1u);
  EXPECT_EQ(SplitArn("arn:aws:s3:::b").size(), 6u);
  EXPECT_EQ(SplitArn("arn:aws:s3:::b:extra:colons")[5], "b:extra:colons");
}

class PolicyStringTest : public ::testing::Test {
 protected:
  ConditionKeys keys_;
};

TEST_F(PolicyStringTest, VariableResolvesFromRequestKey) {
  keys_.Set("aws:username", "alice");
  PolicyString ps = PolicyString::Compile("arn:aws:s3:::home/${aws:username}/*", true);
  ASSERT_TRUE(ps.has_variables());
  auto g = ps.ResolveGlob(keys_);
  ASSERT_TRUE(g);
  EXPECT_TRUE(g->Matches("arn:aws:s3:::home/alice/notes.txt"));
  EXPECT_FALSE(g->Matches("arn:aws:s3:::home/bob/notes.txt"));
}

TEST_F(PolicyStringTest, VariableKeyNameIsCaseInsensitive) {
  keys_.Set("aws:PrincipalTag/team", "blue");
  EXPECT_EQ(PolicyString::Compile("${AWS:principaltag/TEAM}", true).ResolveText(keys_), "blue");
}

TEST_F(PolicyStringTest, AbsentKeyIsUnresolvable) {
  PolicyString ps = PolicyString::Compile("home/${aws:username}", true);
  EXPECT_FALSE(ps.ResolveGlob(keys_));
  EXPECT_FALSE(ps.ResolveText(keys_));
}

TEST_F(PolicyStringTest, DefaultValueIsUsedWhenKeyIsAbsent) {
  PolicyString ps = PolicyString::Compile("home/${aws:username, 'nobody'}", true);
  EXPECT_EQ(ps.ResolveText(keys_), "home/nobody");
  keys_.Set("aws:username", "alice");
  EXPECT_EQ(ps.ResolveText(keys_), "home/alice");
}

TEST_F(PolicyStringTest, DoubledQuoteInDefaultIsOneQuote) {
  EXPECT_EQ(PolicyString::Compile("${aws:username, 'o''brien'}", true).ResolveText(keys_), "o'brien");
}

TEST_F(PolicyStringTest, MultiValuedKeyIsUnresolvable) {
  keys_.SetMulti("aws:CalledVia", {"glue.amazonaws.com"});
  EXPECT_FALSE(PolicyString::Compile("${aws:CalledVia}", true).ResolveText(keys_));
}

TEST_F(PolicyStringTest, EscapesProduceLiteralCharacters) {
  PolicyString ps = PolicyString::Compile("a${*}b${?}c${$}", true);
  EXPECT_EQ(ps.ResolveText(keys_), "a*b?c$");
  auto g = ps.ResolveGlob(keys_);
  ASSERT_TRUE(g);
  EXPECT_TRUE(g->Matches("a*b?c$"));
  EXPECT_FALSE(g->Matches("aXbYc$"));
}

TEST_F(PolicyStringTest, SubstitutedValueIsLiteralEvenWithWildcardCharacters) {
  keys_.Set("aws:username", "*");
  auto g = PolicyString::Compile("home/${aws:username}", true).ResolveGlob(keys_);
  ASSERT_TRUE(g);
  EXPECT_TRUE(g->Matches("home/*"));
  EXPECT_FALSE(g->Matches("home/bob"));
}

TEST_F(PolicyStringTest, VariablesAreLiteralWhenDisabled) {
  keys_.Set("aws:username", "alice");
  PolicyString ps = PolicyString::Compile("home/${aws:username}", false);
  EXPECT_FALSE(ps.has_variables());
  EXPECT_EQ(ps.ResolveText(keys_), "home/${aws:username}");
}

TEST_F(PolicyStringTest, UnterminatedVariableIsUnresolvable) {
  keys_.Set("aws:username", "alice");
  EXPECT_FALSE(PolicyString::Compile("home/${aws:username", true).ResolveText(keys_));
}

TEST_F(PolicyStringTest, EmptyValueIsUnresolvable) {
  keys_.Set("aws:username", "");
  EXPECT_FALSE(PolicyString::Compile("${aws:username}", true).ResolveText(keys_));
}

}  // namespace
}  // namespace gee::policy
