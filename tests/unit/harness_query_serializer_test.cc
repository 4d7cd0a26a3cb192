// The harness's Query serialisation: JSON input → form parameters, response
// XML → JSON, checked against botocore's layout and round-tripped through the
// emulator's own Query decoder.
#include "harness/client/query_serializer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/form.h"
#include "protocol/query_codec.h"

namespace gee::harness {
namespace {

using nlohmann::json;
using protocol::ServiceModel;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;

const protocol::Operation& Op(const std::string& service, const std::string& name) {
  auto model = ServiceModel::Get(service);
  EXPECT_TRUE(model.ok());
  const protocol::Operation* op = (*model)->FindOperation(name);
  EXPECT_NE(op, nullptr) << name;
  return *op;
}

// Encodes `input`, then decodes the form with the emulator's decoder.
json RoundTrip(const protocol::Shape& shape, const json& input) {
  auto pairs = EncodeQueryInput(&shape, input);
  EXPECT_TRUE(pairs.ok()) << pairs.error().message;
  if (!pairs.ok()) return nullptr;
  std::string form;
  for (const auto& [k, v] : *pairs) {
    if (!form.empty()) form += "&";
    form += protocol::FormEncode({{k, v}});
  }
  auto params = protocol::FormParams::Parse(form);
  EXPECT_TRUE(params.ok());
  auto decoded = protocol::DecodeQueryInput(shape, *params);
  EXPECT_TRUE(decoded.ok()) << decoded.error().message;
  return decoded.ok() ? *decoded : json(nullptr);
}

TEST(QuerySerializerTest, EncodesNestedListsOfStructuresAsMemberN) {
  const auto& op = Op("iam", "CreateRole");
  json input = {{"RoleName", "GlueJobRole"},
                {"AssumeRolePolicyDocument", "{\"Version\":\"2012-10-17\"}"},
                {"MaxSessionDuration", 7200},
                {"Tags", {{{"Key", "team"}, {"Value", "data"}}, {{"Key", "env"}, {"Value", "test"}}}}};
  auto pairs = EncodeQueryInput(op.input.shape, input);
  ASSERT_TRUE(pairs.ok()) << pairs.error().message;
  EXPECT_THAT(*pairs, Contains(Pair("RoleName", "GlueJobRole")));
  EXPECT_THAT(*pairs, Contains(Pair("MaxSessionDuration", "7200")));
  EXPECT_THAT(*pairs, Contains(Pair("Tags.member.1.Key", "team")));
  EXPECT_THAT(*pairs, Contains(Pair("Tags.member.2.Value", "test")));
  EXPECT_EQ(RoundTrip(*op.input.shape, input), input);
}

TEST(QuerySerializerTest, EncodesStsAssumeRoleWithPolicyArns) {
  const auto& op = Op("sts", "AssumeRole");
  json input = {{"RoleArn", "arn:aws:iam::000000000000:role/R"},
                {"RoleSessionName", "s"},
                {"DurationSeconds", 900},
                {"PolicyArns", {{{"arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}}}}};
  auto pairs = EncodeQueryInput(op.input.shape, input);
  ASSERT_TRUE(pairs.ok());
  EXPECT_THAT(*pairs, Contains(Pair("PolicyArns.member.1.arn", "arn:aws:iam::aws:policy/ReadOnlyAccess")));
  EXPECT_EQ(RoundTrip(*op.input.shape, input), input);
}

TEST(QuerySerializerTest, EncodesAnEmptyListAsAnEmptyValue) {
  const auto& op = Op("iam", "CreateRole");
  auto pairs = EncodeQueryInput(op.input.shape, {{"RoleName", "R"}, {"AssumeRolePolicyDocument", "{}"}, {"Tags", json::array()}});
  ASSERT_TRUE(pairs.ok());
  EXPECT_THAT(*pairs, Contains(Pair("Tags", "")));
}

TEST(QuerySerializerTest, EncodesMapsAsEntryKeyValueAndTimestampsAsIso8601) {
  auto model = ServiceModel::Parse("test", R"({"metadata":{"apiVersion":"1"},"operations":{},"shapes":{
      "In":{"type":"structure","members":{"When":{"shape":"T"},"M":{"shape":"Map"},"F":{"shape":"B"}}},
      "T":{"type":"timestamp"},
      "B":{"type":"boolean"},
      "Map":{"type":"map","key":{"shape":"S"},"value":{"shape":"S"}},
      "S":{"type":"string"}}})");
  ASSERT_TRUE(model.ok());
  const protocol::Shape& in = *(*model)->FindShape("In");
  json input = {{"When", 1704067200.0}, {"M", {{"a", "1"}, {"b", "2"}}}, {"F", true}};
  auto pairs = EncodeQueryInput(&in, input);
  ASSERT_TRUE(pairs.ok());
  EXPECT_THAT(*pairs, Contains(Pair("When", "2024-01-01T00:00:00Z")));
  EXPECT_THAT(*pairs, Contains(Pair("M.entry.1.key", "a")));
  EXPECT_THAT(*pairs, Contains(Pair("M.entry.2.value", "2")));
  EXPECT_THAT(*pairs, Contains(Pair("F", "true")));
  EXPECT_EQ(RoundTrip(in, input), input);
}

TEST(QuerySerializerTest, AcceptsScalarsGivenAsText) {
  const auto& op = Op("sts", "AssumeRole");
  auto pairs = EncodeQueryInput(op.input.shape, {{"RoleArn", "a"}, {"RoleSessionName", "s"}, {"DurationSeconds", "900"}});
  ASSERT_TRUE(pairs.ok());
  EXPECT_THAT(*pairs, Contains(Pair("DurationSeconds", "900")));
}

TEST(QuerySerializerTest, RejectsAMemberTheShapeDoesNotHave) {
  const auto& op = Op("iam", "CreateUser");
  auto pairs = EncodeQueryInput(op.input.shape, {{"UserName", "u"}, {"Tags", {{{"Key", "k"}, {"Valeu", "v"}}}}});
  ASSERT_FALSE(pairs.ok());
  EXPECT_EQ(pairs.error().code, "InvalidHarnessInput");
  EXPECT_THAT(pairs.error().message, HasSubstr("Tags[0].Valeu"));
}

TEST(QuerySerializerTest, RejectsAWronglyTypedValue) {
  const auto& op = Op("iam", "CreateRole");
  auto pairs = EncodeQueryInput(op.input.shape, {{"RoleName", "R"}, {"AssumeRolePolicyDocument", "{}"}, {"Tags", "x"}});
  ASSERT_FALSE(pairs.ok());
  EXPECT_THAT(pairs.error().message, HasSubstr("Tags must be an array"));
}

TEST(QuerySerializerTest, DecodesTheResultElementAgainstTheOutputShape) {
  const auto& op = Op("iam", "ListUsers");
  auto out = DecodeQueryOutput(op, R"(<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <ListUsersResult>
    <IsTruncated>false</IsTruncated>
    <Users>
      <member><Path>/</Path><UserName>alice</UserName><UserId>AIDAEXAMPLE</UserId>
        <Arn>arn:aws:iam::000000000000:user/alice</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></member>
      <member><Path>/</Path><UserName>bob</UserName><UserId>AIDAEXAMPLE2</UserId>
        <Arn>arn:aws:iam::000000000000:user/bob</Arn><CreateDate>2026-01-01T00:00:01Z</CreateDate></member>
    </Users>
  </ListUsersResult>
  <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>
</ListUsersResponse>)");
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ((*out)["IsTruncated"], false);
  ASSERT_EQ((*out)["Users"].size(), 2u);
  EXPECT_EQ((*out)["Users"][1]["UserName"], "bob");
  EXPECT_EQ((*out)["Users"][0]["CreateDate"], 1767225600.0);
}

TEST(QuerySerializerTest, DecodesWhatTheEmulatorEncodes) {
  auto model = ServiceModel::Get("sts");
  ASSERT_TRUE(model.ok());
  const auto& op = Op("sts", "AssumeRole");
  json output = {{"Credentials",
                  {{"AccessKeyId", "ASIAEXAMPLE"}, {"SecretAccessKey", "s"}, {"SessionToken", "t"}, {"Expiration", 1767229200.0}}},
                 {"AssumedRoleUser", {{"AssumedRoleId", "AROAEXAMPLE:s"}, {"Arn", "arn:aws:sts::000000000000:assumed-role/R/s"}}}};
  std::string xml = protocol::EncodeQueryResponse(**model, op, output, "req");
  auto out = DecodeQueryOutput(op, xml);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, output);
}

TEST(QuerySerializerTest, OperationWithoutOutputDecodesToAnEmptyObject) {
  auto out = DecodeQueryOutput(Op("iam", "PutUserPolicy"), "<PutUserPolicyResponse/>");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, json::object());
}

TEST(QuerySerializerTest, DecodeFailsOnABodyThatIsNotTheResult) {
  auto out = DecodeQueryOutput(Op("sts", "GetCallerIdentity"), "<html>nope</html>");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "InvalidHarnessResponse");
}

}  // namespace
}  // namespace gee::harness
