// ${...} substitution in scenario values and fixtures.
#include "harness/scenario/template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace gee::scenario {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// Resolves keys, users, roles and a few variables like the runner does.
class FakeResolver final : public Resolver {
 public:
  Result<json> Resolve(const Reference& ref) const override {
    if (ref.prefix == "key" && ref.name == "catalog") {
      if (ref.member == "id") return json("1234abcd-0000-4000-8000-000000000001");
      return json("arn:aws:kms:us-east-1:000000000000:key/1234abcd-0000-4000-8000-000000000001");
    }
    if (ref.prefix == "user") return json("arn:aws:iam::000000000000:user/" + ref.name);
    if (ref.prefix.empty()) {
      auto it = vars.find(ref.name);
      if (it == vars.end()) return AwsError("Missing", "${" + ref.text + "} is not set", 0);
      const json* member = MemberAt(it->second, ref.member);
      if (member == nullptr) return AwsError("Missing", "no member " + ref.member, 0);
      return *member;
    }
    return AwsError("Missing", "unknown " + ref.text, 0);
  }
  std::map<std::string, json> vars = {
      {"account", "000000000000"},
      {"region", "us-east-1"},
      {"count", 3},
      {"conn", {{"Connection", {{"Name", "sales-db"}, {"Tags", {"a", "b"}}}}}},
  };
};

TEST(TemplateTest, SubstitutesReferencesInsideText) {
  FakeResolver r;
  auto out = Substitute(json("arn:aws:logs:${region}:${account}:log-group:x"), r);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "arn:aws:logs:us-east-1:000000000000:log-group:x");
}

TEST(TemplateTest, WholeStringReferenceKeepsTheJsonType) {
  FakeResolver r;
  EXPECT_EQ(*Substitute(json("${count}"), r), json(3));
  EXPECT_EQ(*Substitute(json("${conn}"), r), r.vars["conn"]);
  EXPECT_EQ(*Substitute(json("n=${count}"), r), json("n=3"));
}

TEST(TemplateTest, KeyReferencesResolveToTheArnOrTheId) {
  FakeResolver r;
  EXPECT_EQ(*Substitute(json("${key:catalog}"), r),
            "arn:aws:kms:us-east-1:000000000000:key/1234abcd-0000-4000-8000-000000000001");
  EXPECT_EQ(*Substitute(json("${key:catalog.id}"), r), "1234abcd-0000-4000-8000-000000000001");
}

TEST(TemplateTest, DottedReferencesReachIntoSavedValues) {
  FakeResolver r;
  EXPECT_EQ(*Substitute(json("${conn.Connection.Name}"), r), "sales-db");
  EXPECT_EQ(*Substitute(json("${conn.Connection.Tags.1}"), r), "b");
  EXPECT_FALSE(Substitute(json("${conn.Connection.Nope}"), r).ok());
}

TEST(TemplateTest, IamPolicyVariablesPassThroughUntouched) {
  FakeResolver r;
  json policy = {{"Resource", "arn:aws:s3:::bucket/${aws:username}/*"},
                 {"Condition", {{"StringLike", {{"s3:prefix", "home/${aws:userid}/${*}"}}}}}};
  auto out = Substitute(policy, r);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, policy);
}

TEST(TemplateTest, DoubleDollarEscapesAReference) {
  FakeResolver r;
  EXPECT_EQ(*Substitute(json("literal $${account} and ${account}"), r), "literal ${account} and 000000000000");
}

TEST(TemplateTest, Base64EncodesItsLiteralText) {
  FakeResolver r;
  EXPECT_EQ(*Substitute(json("${base64:hello}"), r), "aGVsbG8=");
}

TEST(TemplateTest, ObjectKeysAreSubstituted) {
  FakeResolver r;
  auto out = Substitute(json{{"ctx-${region}", "${account}"}}, r);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, (json{{"ctx-us-east-1", "000000000000"}}));
}

TEST(TemplateTest, AnObjectCannotBePartOfText) {
  FakeResolver r;
  auto out = Substitute(json("x ${conn}"), r);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.error().message, HasSubstr("cannot be part of the text"));
}

TEST(TemplateTest, UnterminatedReferenceFails) {
  FakeResolver r;
  auto out = Substitute(json("arn:${account"), r);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.error().message, HasSubstr("unterminated"));
}

TEST(TemplateTest, UnknownVariableFailsWithTheResolversMessage) {
  FakeResolver r;
  auto out = Substitute(json({{"a", {1, "${nope}"}}}), r);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.error().message, HasSubstr("${nope} is not set"));
}

TEST(TemplateTest, FindReferencesListsEveryReferenceWithItsParts) {
  // Object members are visited in key order ("${x.y}" sorts before "a").
  auto refs = FindReferences(json{{"a", "${key:s3.id} ${user:alice}"}, {"${x.y}", {"${aws:username}", "${base64:a.b}"}}});
  ASSERT_TRUE(refs.ok());
  ASSERT_EQ(refs->size(), 4u);
  EXPECT_EQ((*refs)[0].prefix, "");
  EXPECT_EQ((*refs)[0].name, "x");
  EXPECT_EQ((*refs)[0].member, "y");
  EXPECT_EQ((*refs)[1].prefix, "base64");
  EXPECT_EQ((*refs)[1].name, "a.b");
  EXPECT_EQ((*refs)[2].prefix, "key");
  EXPECT_EQ((*refs)[2].name, "s3");
  EXPECT_EQ((*refs)[2].member, "id");
  EXPECT_EQ((*refs)[3].prefix, "user");
  EXPECT_EQ((*refs)[3].name, "alice");
}

TEST(TemplateTest, SubstituteTextRendersNumbersAsText) {
  FakeResolver r;
  EXPECT_EQ(*SubstituteText("${count}", r), "3");
}

TEST(TemplateTest, MemberAtHandlesObjectsArraysAndMisses) {
  json v = {{"a", {{"b", {10, 20}}}}};
  EXPECT_EQ(*MemberAt(v, "a.b.1"), 20);
  EXPECT_EQ(MemberAt(v, "a.b.2"), nullptr);
  EXPECT_EQ(MemberAt(v, "a.c"), nullptr);
  EXPECT_EQ(MemberAt(v, "a.b.x"), nullptr);
  EXPECT_EQ(*MemberAt(v, ""), v);
}

}  // namespace
}  // namespace gee::scenario
