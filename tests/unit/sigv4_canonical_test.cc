// Units of SigV4 canonicalisation, key derivation and time formats.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/sigv4.h"

namespace gee::sigv4 {
namespace {

TEST(Sigv4CanonicalTest, UriEncodeKeepsUnreservedAndEncodesEverythingElseUpperCase) {
  EXPECT_EQ(UriEncode("AZaz09-_.~", false), "AZaz09-_.~");
  EXPECT_EQ(UriEncode("a b+c=d&e*f%", false), "a%20b%2Bc%3Dd%26e%2Af%25");
  EXPECT_EQ(UriEncode("\xe2\x82\xac", false), "%E2%82%AC");
}

TEST(Sigv4CanonicalTest, UriEncodeKeepsSlashOnlyWhenAsked) {
  EXPECT_EQ(UriEncode("a/b", true), "a/b");
  EXPECT_EQ(UriEncode("a/b", false), "a%2Fb");
}

TEST(Sigv4CanonicalTest, PercentDecodeKeepsPlusAndMalformedEscapes) {
  EXPECT_EQ(PercentDecode("a%20b+c"), "a b+c");
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(PercentDecode("%e2%82%AC"), "\xe2\x82\xac");
}

TEST(Sigv4CanonicalTest, CanonicalUriRemovesDotAndEmptySegmentsForNonS3) {
  CanonicalOptions o = CanonicalOptions::For(Dialect::kStandard);
  EXPECT_EQ(CanonicalUri("/a/./b/../c", o), "/a/c");
  EXPECT_EQ(CanonicalUri("//a//b//", o), "/a/b/");
  EXPECT_EQ(CanonicalUri("/a/..", o), "/");
  EXPECT_EQ(CanonicalUri("/../..", o), "/");
  EXPECT_EQ(CanonicalUri("", o), "/");
}

TEST(Sigv4CanonicalTest, CanonicalUriDoubleEncodesAnEncodedPathForNonS3) {
  CanonicalOptions o = CanonicalOptions::For(Dialect::kStandard);
  EXPECT_EQ(CanonicalUri("/my%20key", o), "/my%2520key");
  EXPECT_EQ(CanonicalUri("/my key", o), "/my%20key");
}

TEST(Sigv4CanonicalTest, CanonicalUriKeepsS3PathAsSent) {
  CanonicalOptions o = CanonicalOptions::For(Dialect::kS3);
  EXPECT_EQ(CanonicalUri("/bucket/a%20b/../c//d%2B", o), "/bucket/a%20b/../c//d%2B");
  EXPECT_EQ(CanonicalUri("", o), "/");
}

TEST(Sigv4CanonicalTest, CanonicalQuerySortsByEncodedNameThenValue) {
  EXPECT_EQ(CanonicalQueryString("b=2&a=z&a=y&B=1"), "B=1&a=y&a=z&b=2");
}

TEST(Sigv4CanonicalTest, CanonicalQueryReencodesAndRendersMissingValueAsEmpty) {
  EXPECT_EQ(CanonicalQueryString("encryption&prefix=a/b%2fc&x=%7e&&"),
            "encryption=&prefix=a%2Fb%2Fc&x=~");
}

TEST(Sigv4CanonicalTest, CanonicalQueryLeavesOutExcludedParameters) {
  static constexpr std::string_view kExcluded[] = {"X-Amz-Signature"};
  EXPECT_EQ(CanonicalQueryString("X-Amz-Signature=abc&X-Amz-Date=1", kExcluded), "X-Amz-Date=1");
}

TEST(Sigv4CanonicalTest, CanonicalHeaderValueTrimsAndCollapsesWhitespaceRuns) {
  EXPECT_EQ(CanonicalHeaderValue("  a   b\t\tc \r\n d  "), "a b c d");
  EXPECT_EQ(CanonicalHeaderValue("\"a   b\""), "\"a b\"");
}

TEST(Sigv4CanonicalTest, CanonicalHeadersJoinsRepeatedValuesInArrivalOrder) {
  std::vector<HeaderField> headers = {
      {"My-Header", " v2 "}, {"Host", "h"}, {"my-header", "v1"}};
  std::vector<std::string> names = {"host", "my-header"};
  EXPECT_EQ(CanonicalHeaders(headers, names), "host:h\nmy-header:v2,v1\n");
}

TEST(Sigv4CanonicalTest, SigningKeyMatchesTheKeyAwsDocumentsForItsExample) {
  // AWS's key-derivation example (secret wJalr..., 20120215, us-east-1, iam)
  // derives f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d;
  // the expected value is HMAC-SHA256(that key, "gee") computed independently.
  auto key = SigningKey::Derive("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215",
                                "us-east-1", "iam");
  ASSERT_TRUE(key.ok());
  auto mac = key->Sign("gee");
  ASSERT_TRUE(mac.ok());
  EXPECT_EQ(*mac, "23ad99e202de395886b27499c661a1c81934d8b9393c24809c378b5cd0a14c3b");
}

TEST(Sigv4CanonicalTest, StringToSignHashesTheCanonicalRequest) {
  auto sts = BuildStringToSign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", "");
  ASSERT_TRUE(sts.ok());
  EXPECT_EQ(*sts, "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sigv4TimeTest, AmzDateRoundTripsIncludingLeapDay) {
  auto t = ParseAmzDate("20240229T235959Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t, 1709251199);
  EXPECT_EQ(FormatAmzDate(*t), "20240229T235959Z");
  EXPECT_EQ(FormatAmzDate(0), "19700101T000000Z");
}

TEST(Sigv4TimeTest, ParseAmzDateRejectsMalformedOrImpossibleDates) {
  EXPECT_FALSE(ParseAmzDate("20230229T000000Z").has_value());
  EXPECT_FALSE(ParseAmzDate("2024-05-14T09:26:40Z").has_value());
  EXPECT_FALSE(ParseAmzDate("20240514T092640").has_value());
  EXPECT_FALSE(ParseAmzDate("20240514T246000Z").has_value());
}

TEST(Sigv4TimeTest, ParseHttpDateReadsRfc1123) {
  EXPECT_EQ(ParseHttpDate("Tue, 14 May 2024 09:26:40 GMT"), 1715678800);
  EXPECT_EQ(ParseHttpDate("Tue, 14 May 2024 09:26:40 -0000"), 1715678800);
  EXPECT_FALSE(ParseHttpDate("Tue, 14 Foo 2024 09:26:40 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("14 May 2024 09:26:40 GMT").has_value());
}

TEST(Sigv4TimeTest, FormatIso8601UsesExtendedFormat) {
  EXPECT_EQ(FormatIso8601(1715678800), "2024-05-14T09:26:40Z");
}

}  // namespace
}  // namespace gee::sigv4
