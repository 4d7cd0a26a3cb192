// The filter-pattern subset FilterLogEvents evaluates.
#include "services/logs/filter_pattern.h"

#include <gtest/gtest.h>

#include "tests/testing/matchers.h"

namespace gee::logs {
namespace {

using testing::HasAwsError;
using testing::IsOk;

bool Match(std::string_view pattern, std::string_view message) {
  auto parsed = FilterPattern::Parse(pattern);
  EXPECT_THAT(parsed, IsOk()) << pattern;
  return parsed.ok() && parsed->Matches(message);
}

TEST(LogsFilterPatternTest, EmptyPatternMatchesEverything) {
  EXPECT_TRUE(Match("", "anything"));
  EXPECT_TRUE(Match("   ", "anything"));
  EXPECT_TRUE(FilterPattern::Parse("")->MatchesEverything());
}

TEST(LogsFilterPatternTest, SingleTermMatchesCaseSensitiveSubstring) {
  EXPECT_TRUE(Match("ERROR", "[ERROR] disk full"));
  EXPECT_FALSE(Match("ERROR", "[error] disk full"));
  EXPECT_FALSE(Match("ERROR", "all good"));
}

TEST(LogsFilterPatternTest, SeveralTermsMustAllOccur) {
  EXPECT_TRUE(Match("ERROR disk", "ERROR: disk full"));
  EXPECT_FALSE(Match("ERROR disk", "ERROR: memory full"));
}

TEST(LogsFilterPatternTest, QuotedPhraseMatchesExactly) {
  EXPECT_TRUE(Match("\"Internal Server Error\"", "500 Internal Server Error here"));
  EXPECT_FALSE(Match("\"Internal Server Error\"", "Internal Error Server"));
}

TEST(LogsFilterPatternTest, QuotedPhraseUnescapesQuotesAndBackslashes) {
  EXPECT_TRUE(Match(R"("say \"hi\" \\ bye")", R"(they say "hi" \ bye)"));
}

TEST(LogsFilterPatternTest, QuestionMarkTermsMatchAnyOfThem) {
  EXPECT_TRUE(Match("?ERROR ?WARN", "WARN low disk"));
  EXPECT_TRUE(Match("?ERROR ?WARN", "ERROR no disk"));
  EXPECT_FALSE(Match("?ERROR ?WARN", "INFO fine"));
}

TEST(LogsFilterPatternTest, MinusTermsExclude) {
  EXPECT_TRUE(Match("ERROR -Exiting", "ERROR retrying"));
  EXPECT_FALSE(Match("ERROR -Exiting", "ERROR Exiting now"));
  EXPECT_TRUE(Match("-DEBUG", "INFO ok"));
  EXPECT_FALSE(Match("-DEBUG", "DEBUG noise"));
}

TEST(LogsFilterPatternTest, TermsWithInnerDashesAreLiteral) {
  EXPECT_TRUE(Match("user-id", "got user-id=7"));
  EXPECT_FALSE(Match("user-id", "got user id"));
}

TEST(LogsFilterPatternTest, JsonSpaceDelimitedAndRegexPatternsAreRefused) {
  EXPECT_THAT(FilterPattern::Parse("{ $.level = \"ERROR\" }"),
              HasAwsError("InvalidParameterException"));
  EXPECT_THAT(FilterPattern::Parse("[ip, user, ...]"), HasAwsError("InvalidParameterException"));
  EXPECT_THAT(FilterPattern::Parse("%ERR.*%"), HasAwsError("InvalidParameterException"));
}

TEST(LogsFilterPatternTest, MalformedPatternsAreRefused) {
  EXPECT_THAT(FilterPattern::Parse("\"unterminated"), HasAwsError("InvalidParameterException"));
  EXPECT_THAT(FilterPattern::Parse("? ERROR"), HasAwsError("InvalidParameterException"));
  EXPECT_THAT(FilterPattern::Parse("ERROR -"), HasAwsError("InvalidParameterException"));
  EXPECT_THAT(FilterPattern::Parse("\"a\"b"), HasAwsError("InvalidParameterException"));
}

}  // namespace
}  // namespace gee::logs
