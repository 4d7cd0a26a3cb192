#include "services/glue/partition_expression.h"

#include <gtest/gtest.h>

#include "tests/testing/matchers.h"

namespace gee::glue {
namespace {

using ::gee::testing::HasAwsError;
using ::gee::testing::IsOk;

const std::vector<PartitionKey> kKeys = {{"year", "int"}, {"month", "string"}};

bool Eval(const std::string& text, std::vector<std::string> values) {
  auto e = PartitionExpression::Parse(text, kKeys);
  EXPECT_THAT(e, IsOk()) << text;
  return e.ok() && (*e)->Matches(values);
}

TEST(PartitionExpressionTest, ComparesNumericKeysAsNumbers) {
  EXPECT_TRUE(Eval("year > 999", {"2024", "01"}));
  EXPECT_FALSE(Eval("year < 999", {"2024", "01"}));
  EXPECT_TRUE(Eval("year = 2024", {"2024", "01"}));
}

TEST(PartitionExpressionTest, ComparesStringKeysAsStrings) {
  EXPECT_TRUE(Eval("month = '01'", {"2024", "01"}));
  EXPECT_FALSE(Eval("month > '1'", {"2024", "01"}));
}

TEST(PartitionExpressionTest, SupportsBooleanOperatorsAndParentheses) {
  EXPECT_TRUE(Eval("year = 2024 AND (month = '02' OR month = '01')", {"2024", "01"}));
  EXPECT_FALSE(Eval("NOT (year = 2024)", {"2024", "01"}));
  EXPECT_TRUE(Eval("year <> 2023 and month != '02'", {"2024", "01"}));
}

TEST(PartitionExpressionTest, SupportsInBetweenAndLike) {
  EXPECT_TRUE(Eval("month IN ('01', '02')", {"2024", "01"}));
  EXPECT_FALSE(Eval("month NOT IN ('01', '02')", {"2024", "01"}));
  EXPECT_TRUE(Eval("year BETWEEN 2020 AND 2025", {"2024", "01"}));
  EXPECT_TRUE(Eval("month LIKE '0%'", {"2024", "01"}));
  EXPECT_TRUE(Eval("month LIKE '_1'", {"2024", "01"}));
  EXPECT_FALSE(Eval("month LIKE '1%'", {"2024", "01"}));
}

TEST(PartitionExpressionTest, KeyNamesAreCaseInsensitiveAndMayBeQuoted) {
  EXPECT_TRUE(Eval("YEAR = 2024 and `Month` = '01'", {"2024", "01"}));
}

TEST(PartitionExpressionTest, LikeWithManyWildcardsStaysFast) {
  std::string pattern(200, '%');
  pattern += "b";
  EXPECT_FALSE(Eval("month LIKE '" + pattern + "'", {"2024", std::string(1000, 'a')}));
}

TEST(PartitionExpressionTest, RejectsUnknownKeysAndMalformedText) {
  EXPECT_THAT(PartitionExpression::Parse("day = 1", kKeys), HasAwsError("InvalidInputException"));
  EXPECT_THAT(PartitionExpression::Parse("year = ", kKeys), HasAwsError("InvalidInputException"));
  EXPECT_THAT(PartitionExpression::Parse("year = 'x", kKeys), HasAwsError("InvalidInputException"));
  EXPECT_THAT(PartitionExpression::Parse("(year = 1", kKeys), HasAwsError("InvalidInputException"));
  EXPECT_THAT(PartitionExpression::Parse("year = 1 ; drop", kKeys),
              HasAwsError("InvalidInputException"));
}

}  // namespace
}  // namespace gee::glue
