#include "protocol/query_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/timestamp.h"
#include "protocol/validation.h"
#include "protocol/xml_writer.h"

namespace gee::protocol {
namespace {

using Json = nlohmann::json;
using ::testing::HasSubstr;

const ServiceModel& Model(std::string_view service) {
  auto model = ServiceModel::Get(service);
  EXPECT_TRUE(model.ok());
  return **model;
}

Result<QueryRequest> Decode(std::string_view service, std::string_view body) {
  auto params = FormParams::Parse(body);
  EXPECT_TRUE(params.ok()) << body;
  return DecodeQueryRequest(Model(service), *params);
}

QueryRequest MustDecode(std::string_view service, std::string_view body) {
  auto request = Decode(service, body);
  EXPECT_TRUE(request.ok()) << (request.ok() ? "" : request.error().code + ": " + request.error().message);
  return request.ok() ? *request : QueryRequest{};
}

// ---- decoding ----

TEST(QueryCodecTest, DecodeCreateRoleBuildsTagsFromMemberLists) {
  QueryRequest r = MustDecode(
      "iam",
      "Action=CreateRole&Version=2010-05-08&RoleName=glue-role&AssumeRolePolicyDocument=%7B%7D"
      "&Tags.member.1.Key=team&Tags.member.1.Value=data&Tags.member.2.Key=env&Tags.member.2.Value=dev"
      "&MaxSessionDuration=7200");
  ASSERT_NE(r.operation, nullptr);
  EXPECT_EQ(r.operation->name, "CreateRole");
  EXPECT_EQ(r.input, Json::parse(R"({
      "RoleName": "glue-role", "AssumeRolePolicyDocument": "{}", "MaxSessionDuration": 7200,
      "Tags": [{"Key": "team", "Value": "data"}, {"Key": "env", "Value": "dev"}]})"));
}

TEST(QueryCodecTest, DecodeOrdersListElementsByIndex) {
  QueryRequest r = MustDecode("iam",
                              "Action=CreateRole&Version=2010-05-08&RoleName=r&AssumeRolePolicyDocument=x"
                              "&Tags.member.10.Key=ten&Tags.member.10.Value=10"
                              "&Tags.member.2.Key=two&Tags.member.2.Value=2");
  ASSERT_EQ(r.input["Tags"].size(), 2u);
  EXPECT_EQ(r.input["Tags"][0]["Key"], "two");
  EXPECT_EQ(r.input["Tags"][1]["Key"], "ten");
}

TEST(QueryCodecTest, DecodeAssumeRoleReadsPolicyArnsAndDuration) {
  QueryRequest r = MustDecode(
      "sts",
      "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo"
      "&RoleSessionName=s1&DurationSeconds=%2B900"
      "&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess");
  EXPECT_EQ(r.input, Json::parse(R"({
      "RoleArn": "arn:aws:iam::123456789012:role/demo", "RoleSessionName": "s1",
      "DurationSeconds": 900,
      "PolicyArns": [{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]})"));
}

TEST(QueryCodecTest, DecodeAcceptsLeadingZerosInIntegers) {
  QueryRequest r = MustDecode("sts", "Action=AssumeRole&Version=2011-06-15&DurationSeconds=0900");
  EXPECT_EQ(r.input["DurationSeconds"], 900);
}

TEST(QueryCodecTest, DecodeUsesTheFirstOfRepeatedParameters) {
  QueryRequest r = MustDecode("sts",
                              "Action=AssumeRole&Action=GetCallerIdentity&Version=2011-06-15&Version=x"
                              "&RoleSessionName=first&RoleSessionName=second");
  EXPECT_EQ(r.operation->name, "AssumeRole");
  EXPECT_EQ(r.input["RoleSessionName"], "first");
}

TEST(QueryCodecTest, DecodeIgnoresUnknownParameters) {
  QueryRequest r = MustDecode("sts", "Action=GetCallerIdentity&Version=2011-06-15&Unknown=value&A.b.c=1");
  EXPECT_EQ(r.operation->name, "GetCallerIdentity");
  EXPECT_EQ(r.input, Json::object());
}

TEST(QueryCodecTest, DecodeReadsAnEmptyValueAsAnEmptyList) {
  QueryRequest r = MustDecode("sts", "Action=AssumeRole&Version=2011-06-15&PolicyArns=");
  EXPECT_EQ(r.input["PolicyArns"], Json::array());
}

TEST(QueryCodecTest, DecodeConvertsBooleansAndTimestampsByShape) {
  // IAM UpdateAccountPasswordPolicy has booleans; GetCredentialReport-like
  // timestamps do not occur in IAM/STS inputs, so check the scalar parser on
  // a synthetic model.
  QueryRequest r = MustDecode("iam",
                              "Action=UpdateAccountPasswordPolicy&Version=2010-05-08"
                              "&RequireSymbols=true&AllowUsersToChangePassword=FALSE&MinimumPasswordLength=12");
  EXPECT_EQ(r.input["RequireSymbols"], true);
  EXPECT_EQ(r.input["AllowUsersToChangePassword"], false);
  EXPECT_EQ(r.input["MinimumPasswordLength"], 12);

  auto model = ServiceModel::Parse("test", R"({"metadata":{"apiVersion":"1"},"operations":{},"shapes":{
      "In":{"type":"structure","members":{"When":{"shape":"T"},"M":{"shape":"Map"}}},
      "T":{"type":"timestamp"},
      "Map":{"type":"map","key":{"shape":"S"},"value":{"shape":"S"}},
      "S":{"type":"string"}}})");
  ASSERT_TRUE(model.ok());
  auto params = FormParams::Parse("When=2024-01-01T00%3A00%3A00Z&M.entry.1.key=k&M.entry.1.value=v");
  ASSERT_TRUE(params.ok());
  auto input = DecodeQueryInput(*(*model)->FindShape("In"), *params);
  ASSERT_TRUE(input.ok());
  EXPECT_EQ((*input)["When"], 1704067200.0);
  EXPECT_EQ((*input)["M"], Json::parse(R"({"k":"v"})"));
}

TEST(QueryCodecTest, DecodeFailsWithMalformedInputForBadIntegers) {
  struct Case {
    const char* value;
    const char* message;
  };
  for (const Case& c : {Case{"", "missing value for decimal type"}, Case{"abc", ""}, Case{"900.0", ""},
                        Case{"2147483648", ""}, Case{"-2147483649", ""}, Case{"+", ""}}) {
    auto r = Decode("sts", std::string("Action=AssumeRole&Version=2011-06-15&DurationSeconds=") + c.value);
    ASSERT_FALSE(r.ok()) << c.value;
    EXPECT_EQ(r.error().code, "MalformedInput") << c.value;
    EXPECT_EQ(r.error().message, c.message) << c.value;
    EXPECT_EQ(r.error().http_status, 400);
  }
}

TEST(QueryCodecTest, DecodeAcceptsTheInt32Extremes) {
  EXPECT_EQ(MustDecode("sts", "Action=AssumeRole&Version=2011-06-15&DurationSeconds=-2147483648")
                .input["DurationSeconds"],
            -2147483648LL);
  EXPECT_EQ(MustDecode("sts", "Action=AssumeRole&Version=2011-06-15&DurationSeconds=2147483647")
                .input["DurationSeconds"],
            2147483647);
}

TEST(QueryCodecTest, DecodeFailsWithInvalidActionForAnUnknownOperation) {
  auto r = Decode("sts", "Action=NoSuchAction&Version=2011-06-15");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InvalidAction");
  EXPECT_EQ(r.error().http_status, 400);
  EXPECT_EQ(r.error().message, "Could not find operation NoSuchAction for version 2011-06-15");
}

TEST(QueryCodecTest, DecodeFailsWithInvalidActionForAWrongOrMissingVersion) {
  auto missing = Decode("iam", "Action=ListRoles");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "Could not find operation ListRoles for version NO_VERSION_SPECIFIED");
  auto wrong = Decode("iam", "Action=ListRoles&Version=2011-06-15");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message, "Could not find operation ListRoles for version 2011-06-15");
  auto empty = Decode("sts", "Action=GetCallerIdentity&Version=");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "Could not find operation GetCallerIdentity for version ");
  auto empty_action = Decode("sts", "Action=&Version=2011-06-15");
  ASSERT_FALSE(empty_action.ok());
  EXPECT_EQ(empty_action.error().message, "Could not find operation  for version 2011-06-15");
}

TEST(QueryCodecTest, DecodeTreatsAMissingActionAsARedirect) {
  auto r = Decode("sts", "Version=2011-06-15");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "MissingAction");
  EXPECT_EQ(r.error().http_status, 302);
  WireReply reply = RenderQueryError(Model("sts"), r.error(), "rid");
  EXPECT_EQ(reply.status, 302);
  EXPECT_EQ(reply.Header("Location"), "https://aws.amazon.com/iam");
  EXPECT_EQ(reply.body, "");
}

TEST(QueryCodecTest, DecodedInputFeedsTheValidator) {
  QueryRequest r = MustDecode("sts", "Action=AssumeRole&Version=2011-06-15&RoleSessionName=bad%2Fname");
  Status s = ValidateInput(Model("sts"), *r.operation, r.input);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "ValidationError");
  EXPECT_EQ(s.error().message,
            "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: "
            "Member must not be null; Value 'bad/name' at 'roleSessionName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
}

// ---- encoding ----

TEST(QueryCodecTest, EncodeGetCallerIdentityMatchesTheDocumentedResponse) {
  const ServiceModel& sts = Model("sts");
  const Operation& op = *sts.FindOperation("GetCallerIdentity");
  Json output = {{"UserId", "AKIAI44QH8DHBEXAMPLE"},
                 {"Account", "123456789012"},
                 {"Arn", "arn:aws:iam::123456789012:user/Alice"}};
  EXPECT_EQ(EncodeQueryResponse(sts, op, output, "01234567-89ab-cdef-0123-456789abcdef"),
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
            "  <GetCallerIdentityResult>\n"
            "    <Arn>arn:aws:iam::123456789012:user/Alice</Arn>\n"
            "    <UserId>AKIAI44QH8DHBEXAMPLE</UserId>\n"
            "    <Account>123456789012</Account>\n"
            "  </GetCallerIdentityResult>\n"
            "  <ResponseMetadata>\n"
            "    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>\n"
            "  </ResponseMetadata>\n"
            "</GetCallerIdentityResponse>\n");
}

TEST(QueryCodecTest, EncodeAssumeRoleMatchesTheRecordedLayout) {
  const ServiceModel& sts = Model("sts");
  const Operation& op = *sts.FindOperation("AssumeRole");
  Json output = {{"Credentials",
                  {{"AccessKeyId", "ASIAIOSFODNN7EXAMPLE"},
                   {"SecretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"},
                   {"SessionToken", "FwoGZXIvYXdzEXAMPLE"},
                   {"Expiration", 1573306481}}},
                 {"AssumedRoleUser",
                  {{"AssumedRoleId", "AROA123EXAMPLE123:TestAR"},
                   {"Arn", "arn:aws:sts::123456789012:assumed-role/demo/TestAR"}}},
                 {"PackedPolicySize", 6}};
  EXPECT_EQ(EncodeQueryResponse(sts, op, output, "c6104cbe-af31-11e0-8154-cbc7ccf896c7"),
            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
            "  <AssumeRoleResult>\n"
            "    <AssumedRoleUser>\n"
            "      <AssumedRoleId>AROA123EXAMPLE123:TestAR</AssumedRoleId>\n"
            "      <Arn>arn:aws:sts::123456789012:assumed-role/demo/TestAR</Arn>\n"
            "    </AssumedRoleUser>\n"
            "    <Credentials>\n"
            "      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>\n"
            "      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>\n"
            "      <SessionToken>FwoGZXIvYXdzEXAMPLE</SessionToken>\n"
            "      <Expiration>2019-11-09T13:34:41Z</Expiration>\n"
            "    </Credentials>\n"
            "    <PackedPolicySize>6</PackedPolicySize>\n"
            "  </AssumeRoleResult>\n"
            "  <ResponseMetadata>\n"
            "    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n"
            "  </ResponseMetadata>\n"
            "</AssumeRoleResponse>\n");
}

TEST(QueryCodecTest, EncodeListsMembersAndBooleansAndEmptyLists) {
  const ServiceModel& iam = Model("iam");
  const Operation& op = *iam.FindOperation("ListRoles");
  Json output = {{"Roles",
                  {{{"Path", "/"},
                    {"RoleName", "r"},
                    {"RoleId", "AROAEXAMPLE"},
                    {"Arn", "arn:aws:iam::123456789012:role/r"},
                    {"CreateDate", 1704067200.5},
                    {"AssumeRolePolicyDocument", "%7B%7D"},
                    {"Tags", Json::array()}}}},
                 {"IsTruncated", false}};
  const std::string xml = EncodeQueryResponse(iam, op, output, "rid");
  EXPECT_THAT(xml, HasSubstr("<ListRolesResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n"
                             "  <ListRolesResult>\n    <Roles>\n      <member>\n"
                             "        <Path>/</Path>\n"));
  EXPECT_THAT(xml, HasSubstr("<CreateDate>2024-01-01T00:00:00.500Z</CreateDate>"));
  EXPECT_THAT(xml, HasSubstr("<Tags/>"));
  EXPECT_THAT(xml, HasSubstr("<IsTruncated>false</IsTruncated>"));
}

TEST(QueryCodecTest, EncodeVoidOperationHasNoResultElement) {
  const ServiceModel& iam = Model("iam");
  EXPECT_EQ(EncodeQueryResponse(iam, *iam.FindOperation("DeleteRole"), Json::object(), "rid"),
            "<DeleteRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n"
            "  <ResponseMetadata>\n"
            "    <RequestId>rid</RequestId>\n"
            "  </ResponseMetadata>\n"
            "</DeleteRoleResponse>\n");
}

TEST(QueryCodecTest, EncodeEscapesTextAndDropsUnknownAndNullMembers) {
  const ServiceModel& sts = Model("sts");
  Json output = {{"Arn", "a<b&c>\"d\""}, {"UserId", nullptr}, {"Bogus", "x"}};
  const std::string xml = EncodeQueryResponse(sts, *sts.FindOperation("GetCallerIdentity"), output, "r");
  EXPECT_THAT(xml, HasSubstr("<Arn>a&lt;b&amp;c&gt;\"d\"</Arn>"));
  EXPECT_THAT(xml, ::testing::Not(HasSubstr("UserId")));
  EXPECT_THAT(xml, ::testing::Not(HasSubstr("Bogus")));
}

TEST(QueryCodecTest, EncodeReplacesCharactersXmlCannotCarry) {
  const ServiceModel& sts = Model("sts");
  Json output = {{"Arn", std::string("a\x01" "b\xff\tc\xc3\xa9")}};
  const std::string xml = EncodeQueryResponse(sts, *sts.FindOperation("GetCallerIdentity"), output, "r");
  EXPECT_THAT(xml, HasSubstr("<Arn>a\xef\xbf\xbd" "b\xef\xbf\xbd\tc\xc3\xa9</Arn>"));
}

// The stream writer and the tree writer print the same document the same way.
TEST(XmlStreamWriterTest, MatchesWriteXmlForTheSameDocument) {
  for (bool indent : {true, false}) {
    const XmlWriteOptions options{indent, /*declaration=*/!indent};
    pugi::xml_document doc;
    pugi::xml_node root = doc.append_child("Root");
    root.append_attribute("xmlns").set_value("https://x/<\"&>");
    root.append_child("Empty");
    pugi::xml_node nested = root.append_child("Nested");
    nested.append_child("Text").append_child(pugi::node_pcdata).set_value("a<b>&\"c\"");
    nested.append_child("Blank").append_child(pugi::node_pcdata).set_value("");
    nested.append_child("Deeper").append_child("Leaf").append_child(pugi::node_pcdata).set_value("x");

    XmlStreamWriter w(options);
    w.Open("Root");
    w.Attribute("xmlns", "https://x/<\"&>");
    w.Open("Empty");
    w.Close("Empty");
    w.Open("Nested");
    w.Element("Text", "a<b>&\"c\"");
    w.Element("Blank", "");
    w.Open("Deeper");
    w.Element("Leaf", "x");
    w.Close("Deeper");
    w.Close("Nested");
    w.Close("Root");
    EXPECT_EQ(std::move(w).Take(), WriteXml(doc, options)) << "indent " << indent;
  }
}

TEST(QueryCodecTest, RenderQueryErrorMatchesTheRecordedStsDocument) {
  WireReply reply = RenderQueryError(Model("sts"),
                                     AwsError("ValidationError", "1 validation error detected: x", 400), "rid");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.Header("Content-Type"), "text/xml");
  EXPECT_EQ(reply.Header("x-amzn-RequestId"), "rid");
  EXPECT_EQ(reply.body,
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
            "  <Error>\n"
            "    <Type>Sender</Type>\n"
            "    <Code>ValidationError</Code>\n"
            "    <Message>1 validation error detected: x</Message>\n"
            "  </Error>\n"
            "  <RequestId>rid</RequestId>\n"
            "</ErrorResponse>\n");
}

TEST(QueryCodecTest, RenderQueryErrorUsesTheAwsFaultNamespaceForInvalidAction) {
  auto r = Decode("iam", "Action=Nope&Version=2010-05-08");
  ASSERT_FALSE(r.ok());
  WireReply reply = RenderQueryError(Model("iam"), r.error(), "rid");
  EXPECT_THAT(reply.body, HasSubstr("<ErrorResponse xmlns=\"http://webservices.amazon.com/AWSFault/2005-15-09\">"));
  EXPECT_THAT(reply.body, HasSubstr("<Code>InvalidAction</Code>"));
}

TEST(QueryCodecTest, RenderQueryErrorMarksServerFaultsAsReceiverAndOmitsEmptyMessages) {
  WireReply reply = RenderQueryError(Model("iam"), AwsError("ServiceFailure", "", 500), "rid");
  EXPECT_EQ(reply.status, 500);
  EXPECT_THAT(reply.body, HasSubstr("<Type>Receiver</Type>"));
  EXPECT_THAT(reply.body, ::testing::Not(HasSubstr("<Message>")));
}

TEST(TimestampTest, FormatAndParseIso8601RoundTrip) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(1704067200), "2024-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(1704067200.25), "2024-01-01T00:00:00.250Z");
  EXPECT_EQ(FormatIso8601(951782400), "2000-02-29T00:00:00Z");
  EXPECT_EQ(ParseIso8601("2024-01-01T00:00:00Z"), 1704067200.0);
  EXPECT_EQ(ParseIso8601("2024-01-01T01:00:00+01:00"), 1704067200.0);
  EXPECT_EQ(ParseIso8601("2024-01-01T00:00:00.5Z"), 1704067200.5);
  for (const char* bad : {"", "2024-01-01", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
                          "2024-01-01T00:00:00", "2024-01-01T00:00:00Zjunk", "2024-01-01T25:00:00Z"}) {
    EXPECT_FALSE(ParseIso8601(bad).has_value()) << bad;
  }
}

TEST(TimestampTest, FormatAndParseRfc822RoundTrip) {
  EXPECT_EQ(FormatRfc822(1704067200), "Mon, 01 Jan 2024 00:00:00 GMT");
  EXPECT_EQ(ParseRfc822("Mon, 01 Jan 2024 00:00:00 GMT"), 1704067200.0);
  EXPECT_EQ(ParseRfc822("1 Jan 2024 00:00:00 UTC"), 1704067200.0);
  EXPECT_FALSE(ParseRfc822("Mon, 01 Foo 2024 00:00:00 GMT").has_value());
}

}  // namespace
}  // namespace gee::protocol

namespace gee::protocol {
namespace {

TEST(TimestampTest, FormatClampsOutOfRangeValues) {
  EXPECT_EQ(FormatIso8601(1e300), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIso8601(-1e300), "0001-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc822(1e300), "Fri, 31 Dec 9999 23:59:59 GMT");
}

TEST(QueryCodecTest, EncodeWritesMapsAsEntries) {
  auto model = ServiceModel::Get("iam");
  ASSERT_TRUE(model.ok());
  const std::string xml = EncodeQueryResponse(**model, *(*model)->FindOperation("GetAccountSummary"),
                                              {{"SummaryMap", {{"Roles", 3}, {"Users", 1}}}}, "rid");
  EXPECT_THAT(xml, ::testing::HasSubstr("    <SummaryMap>\n      <entry>\n        <key>Roles</key>\n"
                                        "        <value>3</value>\n      </entry>\n"));
}

}  // namespace
}  // namespace gee::protocol
