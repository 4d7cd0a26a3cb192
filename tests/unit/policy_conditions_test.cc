#include "auth/policy/conditions.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace gee::policy {
namespace {

// One condition-operator case: the policy side (operator, key, values) and
// the request side (absent, one value, or a multi-valued set).
struct ConditionCase {
  const char* name;
  const char* op;
  const char* key;
  std::vector<std::string> policy_values;
  enum class Request { kAbsent, kSingle, kMulti } request;
  std::vector<std::string> request_values;
  bool expected;
};

using R = ConditionCase::Request;

const ConditionCase kCases[] = {
    // String
    {"StringEqualsMatchesExactValue", "StringEquals", "aws:username", {"alice"}, R::kSingle, {"alice"}, true},
    {"StringEqualsIsCaseSensitive", "StringEquals", "aws:username", {"Alice"}, R::kSingle, {"alice"}, false},
    {"StringEqualsListIsOr", "StringEquals", "aws:username", {"bob", "alice"}, R::kSingle, {"alice"}, true},
    {"StringEqualsTreatsStarLiterally", "StringEquals", "aws:username", {"a*"}, R::kSingle, {"alice"}, false},
    {"StringEqualsAbsentKeyIsFalse", "StringEquals", "aws:username", {"alice"}, R::kAbsent, {}, false},
    {"StringNotEqualsDifferentValueIsTrue", "StringNotEquals", "aws:username", {"bob"}, R::kSingle, {"alice"}, true},
    {"StringNotEqualsListMeansMatchesNone", "StringNotEquals", "aws:username", {"bob", "alice"}, R::kSingle, {"alice"}, false},
    {"StringNotEqualsAbsentKeyIsTrue", "StringNotEquals", "aws:username", {"bob"}, R::kAbsent, {}, true},
    {"StringEqualsIgnoreCaseIgnoresCase", "StringEqualsIgnoreCase", "aws:username", {"ALICE"}, R::kSingle, {"alice"}, true},
    {"StringNotEqualsIgnoreCaseSameLettersIsFalse", "StringNotEqualsIgnoreCase", "aws:username", {"ALICE"}, R::kSingle, {"alice"}, false},
    {"StringLikeStarWildcard", "StringLike", "s3:prefix", {"home/*"}, R::kSingle, {"home/alice/x"}, true},
    {"StringLikeQuestionWildcard", "StringLike", "s3:prefix", {"v?"}, R::kSingle, {"v1"}, true},
    {"StringLikeNoMatch", "StringLike", "s3:prefix", {"home/*"}, R::kSingle, {"tmp/x"}, false},
    {"StringNotLikeMatchIsFalse", "StringNotLike", "s3:prefix", {"home/*"}, R::kSingle, {"home/a"}, false},
    {"StringNotLikeListMeansMatchesNone", "StringNotLike", "s3:prefix", {"a*", "b*"}, R::kSingle, {"c1"}, true},
    {"StringKeyNameIsCaseInsensitive", "StringEquals", "AWS:UserName", {"alice"}, R::kSingle, {"alice"}, true},
    // Numeric
    {"NumericEqualsIntegers", "NumericEquals", "s3:max-keys", {"10"}, R::kSingle, {"10"}, true},
    {"NumericEqualsDecimalForm", "NumericEquals", "s3:max-keys", {"10.0"}, R::kSingle, {"10"}, true},
    {"NumericNotEqualsDifferent", "NumericNotEquals", "s3:max-keys", {"10"}, R::kSingle, {"11"}, true},
    {"NumericLessThanTrue", "NumericLessThan", "s3:max-keys", {"10"}, R::kSingle, {"9"}, true},
    {"NumericLessThanEqualBoundaryIsFalse", "NumericLessThan", "s3:max-keys", {"10"}, R::kSingle, {"10"}, false},
    {"NumericLessThanEqualsBoundary", "NumericLessThanEquals", "s3:max-keys", {"10"}, R::kSingle, {"10"}, true},
    {"NumericGreaterThan", "NumericGreaterThan", "s3:max-keys", {"10"}, R::kSingle, {"11"}, true},
    {"NumericGreaterThanEqualsBoundary", "NumericGreaterThanEquals", "s3:max-keys", {"10"}, R::kSingle, {"10"}, true},
    {"NumericNonNumberRequestIsFalse", "NumericEquals", "s3:max-keys", {"10"}, R::kSingle, {"ten"}, false},
    {"NumericNonNumberPolicyValueIsFalse", "NumericNotEquals", "s3:max-keys", {"ten"}, R::kSingle, {"10"}, false},
    {"NumericLessThanEqualsWithinRange", "NumericLessThanEquals", "kms:ScheduleKeyDeletionPendingWindowInDays", {"30"}, R::kSingle, {"7"}, true},
    // Date
    {"DateLessThanIso", "DateLessThan", "aws:CurrentTime", {"2025-01-01T00:00:00Z"}, R::kSingle, {"2024-06-01T12:00:00Z"}, true},
    {"DateGreaterThanIso", "DateGreaterThan", "aws:CurrentTime", {"2025-01-01T00:00:00Z"}, R::kSingle, {"2024-06-01T12:00:00Z"}, false},
    {"DateEqualsEpochAgainstIso", "DateEquals", "aws:CurrentTime", {"1717243200"}, R::kSingle, {"2024-06-01T12:00:00Z"}, true},
    {"DateEqualsOffsetNormalised", "DateEquals", "aws:CurrentTime", {"2024-06-01T14:00:00+02:00"}, R::kSingle, {"2024-06-01T12:00:00Z"}, true},
    {"DateNotEqualsDifferent", "DateNotEquals", "aws:CurrentTime", {"2024-06-01"}, R::kSingle, {"2024-06-01T12:00:00Z"}, true},
    {"DateLessThanEqualsBoundary", "DateLessThanEquals", "aws:CurrentTime", {"2024-06-01T12:00:00Z"}, R::kSingle, {"2024-06-01T12:00:00Z"}, true},
    {"DateGreaterThanEqualsDateOnly", "DateGreaterThanEquals", "aws:CurrentTime", {"2024-06-01"}, R::kSingle, {"2024-06-01T12:00:00Z"}, true},
    {"DateMalformedRequestIsFalse", "DateLessThan", "aws:CurrentTime", {"2025-01-01"}, R::kSingle, {"yesterday"}, false},
    // Bool
    {"BoolTrueMatches", "Bool", "aws:SecureTransport", {"true"}, R::kSingle, {"true"}, true},
    {"BoolFalseDoesNotMatchTrue", "Bool", "aws:SecureTransport", {"false"}, R::kSingle, {"true"}, false},
    {"BoolIsCaseInsensitive", "Bool", "aws:SecureTransport", {"TRUE"}, R::kSingle, {"true"}, true},
    {"BoolAbsentKeyIsFalse", "Bool", "aws:MultiFactorAuthPresent", {"false"}, R::kAbsent, {}, false},
    {"BoolIfExistsAbsentKeyIsTrue", "BoolIfExists", "aws:MultiFactorAuthPresent", {"false"}, R::kAbsent, {}, true},
    {"BoolNonBooleanPolicyValueIsFalse", "Bool", "aws:SecureTransport", {"yes"}, R::kSingle, {"yes"}, false},
    // Binary
    {"BinaryEqualsSameBytes", "BinaryEquals", "svc:blob", {"QmluYXJ5VmFsdWU="}, R::kSingle, {"QmluYXJ5VmFsdWU="}, true},
    {"BinaryEqualsIgnoresPadding", "BinaryEquals", "svc:blob", {"QmluYXJ5VmFsdWU"}, R::kSingle, {"QmluYXJ5VmFsdWU="}, true},
    {"BinaryEqualsDifferentBytes", "BinaryEquals", "svc:blob", {"QmluYXJ5VmFsdWU="}, R::kSingle, {"T3RoZXI="}, false},
    // IP
    {"IpAddressInsideCidr", "IpAddress", "aws:SourceIp", {"203.0.113.0/24"}, R::kSingle, {"203.0.113.7"}, true},
    {"IpAddressOutsideCidr", "IpAddress", "aws:SourceIp", {"203.0.113.0/24"}, R::kSingle, {"198.51.100.7"}, false},
    {"IpAddressBareAddressIsSlash32", "IpAddress", "aws:SourceIp", {"203.0.113.7"}, R::kSingle, {"203.0.113.7"}, true},
    {"IpAddressIpv6Cidr", "IpAddress", "aws:SourceIp", {"2001:db8::/32"}, R::kSingle, {"2001:db8:1::5"}, true},
    {"IpAddressFamilyMismatchIsFalse", "IpAddress", "aws:SourceIp", {"0.0.0.0/0"}, R::kSingle, {"2001:db8::1"}, false},
    {"NotIpAddressOutsideIsTrue", "NotIpAddress", "aws:SourceIp", {"10.0.0.0/8"}, R::kSingle, {"192.0.2.1"}, true},
    {"NotIpAddressListMeansInsideNone", "NotIpAddress", "aws:SourceIp", {"10.0.0.0/8", "192.0.2.0/24"}, R::kSingle, {"192.0.2.1"}, false},
    {"NotIpAddressAbsentKeyIsTrue", "NotIpAddress", "aws:SourceIp", {"10.0.0.0/8"}, R::kAbsent, {}, true},
    {"IpAddressMalformedCidrIsFalse", "IpAddress", "aws:SourceIp", {"10.0.0.0/33"}, R::kSingle, {"10.0.0.1"}, false},
    // ARN
    {"ArnLikeRegionWildcard", "ArnLike", "aws:SourceArn", {"arn:aws:logs:*:111122223333:log-group:*"}, R::kSingle, {"arn:aws:logs:us-east-1:111122223333:log-group:/aws-glue/jobs"}, true},
    {"ArnLikeAccountMismatch", "ArnLike", "aws:SourceArn", {"arn:aws:logs:*:111122223333:*"}, R::kSingle, {"arn:aws:logs:us-east-1:444455556666:log-group:x"}, false},
    {"ArnEqualsAlsoTakesWildcards", "ArnEquals", "aws:SourceArn", {"arn:aws:s3:::bucket/*"}, R::kSingle, {"arn:aws:s3:::bucket/key"}, true},
    {"ArnLikeStarDoesNotSpanParts", "ArnLike", "aws:SourceArn", {"arn:aws:*:111122223333:x"}, R::kSingle, {"arn:aws:s3:us-east-1:111122223333:x"}, false},
    {"ArnLikeNonArnRequestIsFalse", "ArnLike", "aws:SourceArn", {"arn:aws:s3:::*"}, R::kSingle, {"bucket"}, false},
    {"ArnLikePolicyValueWithoutSixPartsIsFalse", "ArnNotLike", "aws:SourceArn", {"*"}, R::kSingle, {"arn:aws:s3:::b"}, false},
    {"ArnNotEqualsDifferentIsTrue", "ArnNotEquals", "aws:PrincipalArn", {"arn:aws:iam::111122223333:role/admin"}, R::kSingle, {"arn:aws:iam::111122223333:role/dev"}, true},
    {"ArnNotLikeAbsentKeyIsTrue", "ArnNotLike", "aws:SourceArn", {"arn:aws:s3:::*"}, R::kAbsent, {}, true},
    // Null
    {"NullTrueWhenKeyAbsent", "Null", "s3:x-amz-server-side-encryption", {"true"}, R::kAbsent, {}, true},
    {"NullTrueWhenKeyPresentIsFalse", "Null", "s3:x-amz-server-side-encryption", {"true"}, R::kSingle, {"AES256"}, false},
    {"NullFalseWhenKeyPresent", "Null", "s3:x-amz-server-side-encryption", {"false"}, R::kSingle, {"AES256"}, true},
    {"NullFalseWhenKeyAbsentIsFalse", "Null", "aws:TokenIssueTime", {"false"}, R::kAbsent, {}, false},
    {"NullTreatsEmptySetAsAbsent", "Null", "aws:TagKeys", {"true"}, R::kMulti, {}, true},
    // IfExists
    {"StringEqualsIfExistsAbsentIsTrue", "StringEqualsIfExists", "kms:ViaService", {"glue.us-east-1.amazonaws.com"}, R::kAbsent, {}, true},
    {"StringEqualsIfExistsPresentMismatchIsFalse", "StringEqualsIfExists", "kms:ViaService", {"glue.us-east-1.amazonaws.com"}, R::kSingle, {"s3.us-east-1.amazonaws.com"}, false},
    {"StringNotEqualsIfExistsPresentEqualIsFalse", "StringNotEqualsIfExists", "kms:ViaService", {"glue.us-east-1.amazonaws.com"}, R::kSingle, {"glue.us-east-1.amazonaws.com"}, false},
    {"NumericLessThanIfExistsAbsentIsTrue", "NumericLessThanIfExists", "s3:max-keys", {"10"}, R::kAbsent, {}, true},
    {"DateGreaterThanIfExistsPresentEvaluates", "DateGreaterThanIfExists", "aws:TokenIssueTime", {"2024-01-01T00:00:00Z"}, R::kSingle, {"2023-01-01T00:00:00Z"}, false},
    {"IpAddressIfExistsAbsentIsTrue", "IpAddressIfExists", "aws:SourceIp", {"10.0.0.0/8"}, R::kAbsent, {}, true},
    {"ArnLikeIfExistsAbsentIsTrue", "ArnLikeIfExists", "aws:SourceArn", {"arn:aws:s3:::*"}, R::kAbsent, {}, true},
    // Set qualifiers
    {"ForAnyValueOneMatchIsTrue", "ForAnyValue:StringEquals", "aws:TagKeys", {"env"}, R::kMulti, {"team", "env"}, true},
    {"ForAnyValueNoMatchIsFalse", "ForAnyValue:StringEquals", "aws:TagKeys", {"env"}, R::kMulti, {"team"}, false},
    {"ForAnyValueEmptySetIsFalse", "ForAnyValue:StringEquals", "aws:TagKeys", {"env"}, R::kMulti, {}, false},
    {"ForAnyValueAbsentKeyIsFalse", "ForAnyValue:StringEquals", "aws:TagKeys", {"env"}, R::kAbsent, {}, false},
    {"ForAllValuesSubsetIsTrue", "ForAllValues:StringEquals", "aws:TagKeys", {"env", "team"}, R::kMulti, {"team"}, true},
    {"ForAllValuesExtraValueIsFalse", "ForAllValues:StringEquals", "aws:TagKeys", {"env"}, R::kMulti, {"env", "owner"}, false},
    {"ForAllValuesEmptySetIsTrue", "ForAllValues:StringEquals", "aws:TagKeys", {"env"}, R::kMulti, {}, true},
    {"ForAllValuesAbsentKeyIsTrue", "ForAllValues:StringEquals", "aws:TagKeys", {"env"}, R::kAbsent, {}, true},
    {"ForAllValuesStringNotLikeAllOutside", "ForAllValues:StringNotLike", "aws:TagKeys", {"key1*"}, R::kMulti, {"key2:audit"}, true},
    {"ForAllValuesStringNotLikeOneInsideIsFalse", "ForAllValues:StringNotLike", "aws:TagKeys", {"key1*"}, R::kMulti, {"key1:legal"}, false},
    {"ForAnyValueStringNotEqualsOneOutside", "ForAnyValue:StringNotEquals", "aws:TagKeys", {"env"}, R::kMulti, {"env", "x"}, true},
    {"ForAnyValueStringLike", "ForAnyValue:StringLike", "kms:EncryptionContextKeys", {"aws:*"}, R::kMulti, {"aws:logs:arn"}, true},
    {"ForAllValuesSingleValuedKeyAbsentIsTrue", "ForAllValues:StringEquals", "kms:EncryptionContext:aws:logs:arn", {"arn:aws:logs:us-east-1:111122223333:log-group:g"}, R::kAbsent, {}, true},
    {"UnqualifiedPositiveOnMultiValuedIsAnyValue", "StringEquals", "aws:CalledVia", {"glue.amazonaws.com"}, R::kMulti, {"athena.amazonaws.com", "glue.amazonaws.com"}, true},
    {"UnqualifiedNegatedOnMultiValuedIsNoneMatch", "StringNotEquals", "aws:CalledVia", {"glue.amazonaws.com"}, R::kMulti, {"athena.amazonaws.com", "glue.amazonaws.com"}, false},
};

class ConditionOperatorTest : public ::testing::TestWithParam<ConditionCase> {};

TEST_P(ConditionOperatorTest, EvaluatesAsAwsDoes) {
  const ConditionCase& c = GetParam();
  std::optional<ConditionOperator> op = ParseConditionOperator(c.op);
  ASSERT_TRUE(op) << c.op;
  Condition cond = Condition::Compile(*op, c.op, c.key, c.policy_values, true);
  ConditionKeys keys;
  if (c.request == R::kSingle) keys.Set(c.key, c.request_values.at(0));
  if (c.request == R::kMulti) keys.SetMulti(c.key, c.request_values);
  EXPECT_EQ(EvaluateCondition(cond, keys), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Operators, ConditionOperatorTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<ConditionCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(ConditionOperatorParseTest, ParsesQualifierAndIfExists) {
  auto op = ParseConditionOperator("ForAllValues:StringLikeIfExists");
  ASSERT_TRUE(op);
  EXPECT_EQ(op->kind, OperatorKind::kStringLike);
  EXPECT_EQ(op->qualifier, SetQualifier::kForAllValues);
  EXPECT_TRUE(op->if_exists);
}

TEST(ConditionOperatorParseTest, RejectsNullIfExistsAndQualifiedNull) {
  EXPECT_FALSE(ParseConditionOperator("NullIfExists"));
  EXPECT_FALSE(ParseConditionOperator("ForAnyValue:Null"));
}

TEST(ConditionOperatorParseTest, RejectsUnknownAndWronglyCasedNames) {
  EXPECT_FALSE(ParseConditionOperator("StringEqualz"));
  EXPECT_FALSE(ParseConditionOperator("stringequals"));
  EXPECT_FALSE(ParseConditionOperator("IfExists"));
}

TEST(ConditionOperatorParseTest, NegatedOperatorsAreFlagged) {
  for (const char* name : {"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike",
                           "NumericNotEquals", "DateNotEquals", "NotIpAddress", "ArnNotEquals",
                           "ArnNotLike"}) {
    EXPECT_TRUE(ParseConditionOperator(name)->negated()) << name;
  }
  for (const char* name : {"StringEquals", "Bool", "Null", "ArnLike", "IpAddress"}) {
    EXPECT_FALSE(ParseConditionOperator(name)->negated()) << name;
  }
}

TEST(ConditionVariableTest, VariableInValueResolvesFromRequest) {
  Condition cond = Condition::Compile(*ParseConditionOperator("StringLike"), "StringLike",
                                      "s3:prefix", {"home/${aws:username}/*"}, true);
  ConditionKeys keys;
  keys.Set("aws:username", "alice");
  keys.Set("s3:prefix", "home/alice/a.txt");
  EXPECT_TRUE(EvaluateCondition(cond, keys));
  keys.Set("s3:prefix", "home/bob/a.txt");
  EXPECT_FALSE(EvaluateCondition(cond, keys));
}

TEST(ConditionVariableTest, UnresolvableVariableMakesEvenNegatedConditionFalse) {
  Condition cond = Condition::Compile(*ParseConditionOperator("StringNotEquals"), "StringNotEquals",
                                      "s3:prefix", {"${aws:username}"}, true);
  ConditionKeys keys;
  keys.Set("s3:prefix", "anything");
  EXPECT_FALSE(EvaluateCondition(cond, keys));
}

TEST(ConditionVariableTest, VariableIsLiteralWhenDisabled) {
  Condition cond = Condition::Compile(*ParseConditionOperator("StringEquals"), "StringEquals",
                                      "s3:prefix", {"${aws:username}"}, false);
  ConditionKeys keys;
  keys.Set("aws:username", "alice");
  keys.Set("s3:prefix", "${aws:username}");
  EXPECT_TRUE(EvaluateCondition(cond, keys));
}

TEST(ConditionVariableTest, DateVariableComparesAgainstRequestTime) {
  Condition cond = Condition::Compile(*ParseConditionOperator("DateGreaterThan"), "DateGreaterThan",
                                      "aws:CurrentTime", {"${aws:TokenIssueTime}"}, true);
  ConditionKeys keys;
  keys.Set("aws:TokenIssueTime", "2024-06-01T00:00:00Z");
  keys.Set("aws:CurrentTime", "2024-06-01T01:00:00Z");
  EXPECT_TRUE(EvaluateCondition(cond, keys));
}

TEST(ConditionValueParserTest, ParsesDateForms) {
  EXPECT_EQ(ParseDateMicros("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseDateMicros("1970-01-02"), int64_t{86400} * 1000000);
  EXPECT_EQ(ParseDateMicros("1970-01-01T00:00:01.5Z"), 1500000);
  EXPECT_EQ(ParseDateMicros("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(ParseDateMicros("1970-01-01T00:01Z"), 60 * 1000000);
  EXPECT_EQ(ParseDateMicros("86400"), int64_t{86400} * 1000000);
  EXPECT_FALSE(ParseDateMicros("2024-13-01"));
  EXPECT_FALSE(ParseDateMicros("2024-01-01X"));
}

TEST(ConditionValueParserTest, FormatsIso8601RoundTrip) {
  int64_t t = *ParseDateMicros("2024-02-29T23:59:58Z");
  EXPECT_EQ(FormatIso8601(t), "2024-02-29T23:59:58Z");
}

TEST(ConditionValueParserTest, ParsesNumbersStrictly) {
  EXPECT_EQ(ParseNumber("-3.5"), -3.5L);
  EXPECT_EQ(ParseNumber("+7"), 7.0L);
  EXPECT_FALSE(ParseNumber("1e3"));
  EXPECT_FALSE(ParseNumber("nan"));
  EXPECT_FALSE(ParseNumber(""));
}

}  // namespace
}  // namespace gee::policy
