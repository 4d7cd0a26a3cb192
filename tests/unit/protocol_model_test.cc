#include "protocol/model.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "protocol/pattern.h"

namespace gee::protocol {
namespace {

const ServiceModel& Model(std::string_view service) {
  auto model = ServiceModel::Get(service);
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().message);
  return **model;
}

TEST(ServiceModelTest, GetLoadsEveryEmbeddedModelWithItsMetadata) {
  struct Expect {
    const char* service;
    const char* api_version;
    const char* protocol;
  };
  for (const Expect& e : {Expect{"kms", "2014-11-01", "json"}, Expect{"glue", "2017-03-31", "json"},
                          Expect{"iam", "2010-05-08", "query"}, Expect{"sts", "2011-06-15", "query"},
                          Expect{"s3", "2006-03-01", "rest-xml"}, Expect{"logs", "2014-03-28", "json"}}) {
    const ServiceModel& model = Model(e.service);
    EXPECT_EQ(model.api_version(), e.api_version) << e.service;
    EXPECT_EQ(model.protocol(), e.protocol) << e.service;
    EXPECT_FALSE(model.operations().empty()) << e.service;
  }
  EXPECT_EQ(Model("kms").target_prefix(), "TrentService");
  EXPECT_EQ(Model("logs").target_prefix(), "Logs_20140328");
  EXPECT_EQ(Model("iam").xml_namespace(), "https://iam.amazonaws.com/doc/2010-05-08/");
}

TEST(ServiceModelTest, GetFailsForAnUnknownService) {
  auto model = ServiceModel::Get("ec2");
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.error().code, "InternalFailure");
  EXPECT_EQ(model.error().http_status, 500);
}

TEST(ServiceModelTest, GetReturnsOneInstanceAcrossThreads) {
  std::vector<const ServiceModel*> seen(8, nullptr);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&seen, i] {
      auto model = ServiceModel::Get("glue");
      if (model.ok()) seen[i] = *model;
    });
  }
  for (auto& t : threads) t.join();
  for (const ServiceModel* m : seen) {
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m, seen[0]);
  }
}

TEST(ServiceModelTest, FindOperationResolvesInputShapeAndConstraints) {
  const ServiceModel& kms = Model("kms");
  const Operation* encrypt = kms.FindOperation("Encrypt");
  ASSERT_NE(encrypt, nullptr);
  EXPECT_EQ(encrypt->http_method, "POST");
  ASSERT_NE(encrypt->input.shape, nullptr);
  const Shape& input = *encrypt->input.shape;
  EXPECT_EQ(input.type, ShapeType::kStructure);
  EXPECT_TRUE(input.IsRequired("KeyId"));
  EXPECT_TRUE(input.IsRequired("Plaintext"));
  EXPECT_FALSE(input.IsRequired("EncryptionContext"));
  const MemberRef* plaintext = input.FindMember("Plaintext");
  ASSERT_NE(plaintext, nullptr);
  EXPECT_EQ(plaintext->shape->type, ShapeType::kBlob);
  EXPECT_TRUE(plaintext->shape->sensitive);
  EXPECT_EQ(plaintext->shape->max_text, "4096");
  EXPECT_EQ(input.members.front().name, "KeyId");  // model order is kept
  EXPECT_EQ(kms.FindOperation("NoSuchOperation"), nullptr);
}

TEST(ServiceModelTest, FindOperationKeepsEnumsListsAndMaps) {
  const ServiceModel& kms = Model("kms");
  const Shape* key_spec = kms.FindShape("KeySpec");
  ASSERT_NE(key_spec, nullptr);
  EXPECT_FALSE(key_spec->enum_values.empty());
  EXPECT_EQ(key_spec->enum_values.front(), "RSA_2048");
  const Shape* context = kms.FindShape("EncryptionContextType");
  ASSERT_NE(context, nullptr);
  EXPECT_EQ(context->type, ShapeType::kMap);
  EXPECT_EQ(context->value.shape->type, ShapeType::kString);
  const Shape* tags = kms.FindShape("TagList");
  ASSERT_NE(tags, nullptr);
  EXPECT_EQ(tags->type, ShapeType::kList);
  EXPECT_EQ(tags->member.shape->name, "Tag");
}

TEST(ServiceModelTest, FindErrorShapeUsesTheQueryErrorCode) {
  const ServiceModel& iam = Model("iam");
  const Shape* no_such_entity = iam.FindErrorShape("NoSuchEntity");
  ASSERT_NE(no_such_entity, nullptr);
  EXPECT_EQ(no_such_entity->name, "NoSuchEntityException");
  EXPECT_EQ(no_such_entity->error_http_status, 404);
  EXPECT_TRUE(no_such_entity->error_sender_fault);
  const Operation* assume = Model("sts").FindOperation("AssumeRole");
  ASSERT_NE(assume, nullptr);
  EXPECT_EQ(assume->output.result_wrapper, "AssumeRoleResult");
}

TEST(ServiceModelTest, ParseRejectsAReferenceToAnUnknownShape) {
  auto model = ServiceModel::Parse("test", R"({"metadata":{},"operations":{},
      "shapes":{"A":{"type":"structure","members":{"B":{"shape":"Missing"}}}}})");
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.error().code, "InternalFailure");
  EXPECT_NE(model.error().message.find("Missing"), std::string::npos);
}

TEST(ServiceModelTest, ParseRejectsTextThatIsNotAModel) {
  for (const char* text : {"", "[]", "{", "{\"metadata\":1}", "null"}) {
    EXPECT_FALSE(ServiceModel::Parse("test", text).ok()) << text;
  }
}

TEST(ServiceModelTest, LowerFirstLowersOnlyTheFirstCharacter) {
  EXPECT_EQ(LowerFirst("KeyId"), "keyId");
  EXPECT_EQ(LowerFirst("KMSKeyArn"), "kMSKeyArn");
  EXPECT_EQ(LowerFirst("logGroupName"), "logGroupName");
  EXPECT_EQ(LowerFirst(""), "");
}

// Every pattern of the six models compiles, except those using Java's \p{..}
// Unicode classes, which pattern.h documents as not enforced.
TEST(JavaPatternTest, CompileAcceptsEveryModelPatternExceptUnicodeClasses) {
  int compiled = 0;
  for (const char* service : {"kms", "glue", "iam", "sts", "s3", "logs"}) {
    const ServiceModel& model = Model(service);
    // Walk every shape reachable from every operation.
    std::vector<const Shape*> stack;
    std::set<const Shape*> seen;
    for (const Operation* op : model.operations()) {
      if (op->input.shape) stack.push_back(op->input.shape);
      if (op->output.shape) stack.push_back(op->output.shape);
    }
    while (!stack.empty()) {
      const Shape* s = stack.back();
      stack.pop_back();
      if (!seen.insert(s).second) continue;
      for (const MemberRef& m : s->members) stack.push_back(m.shape);
      for (const MemberRef* r : {&s->member, &s->key, &s->value}) {
        if (r->shape) stack.push_back(r->shape);
      }
      if (s->pattern.empty()) continue;
      std::string why;
      auto pattern = JavaPattern::Compile(s->pattern, &why);
      if (pattern) {
        ++compiled;
      } else {
        EXPECT_NE(s->pattern.find("\\p{"), std::string::npos)
            << service << " " << s->name << " " << s->pattern << ": " << why;
      }
    }
  }
  EXPECT_GT(compiled, 100);
}

TEST(JavaPatternTest, MatchesRequiresTheWholeValue) {
  auto p = JavaPattern::Compile(R"([\.\-_/#A-Za-z0-9]+)");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->Matches("/aws/glue/jobs"));
  EXPECT_FALSE(p->Matches("testServiceName:latest-metrics"));
  EXPECT_FALSE(p->Matches(""));
}

TEST(JavaPatternTest, MatchesReadsUnicodeEscapesAsJavaDoes) {
  // Java reads \u10000 as U+1000 then '0', so U+1F600 is outside this class
  // (AWS STS rejects emoji role ARNs with this pattern).
  auto p = JavaPattern::Compile(
      R"([\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+)");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->Matches("arn:aws:iam::123456789012:role/r\xC3\xA9"));
  EXPECT_FALSE(p->Matches("\xF0\x9F\x98\x80"));
  // A surrogate-pair escape is one supplementary code point.
  auto glue = JavaPattern::Compile(R"([\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*)");
  ASSERT_NE(glue, nullptr);
  EXPECT_TRUE(glue->Matches("emoji \xF0\x9F\x98\x80 ok"));
  EXPECT_FALSE(glue->Matches("new\nline"));
}

TEST(JavaPatternTest, MatchesSupportsLookahead) {
  auto p = JavaPattern::Compile(R"(^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$)");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->Matches("my-bucket"));
  EXPECT_FALSE(p->Matches("my--bucket"));
}

TEST(JavaPatternTest, MatchesLongValuesWithoutExhaustingTheStack) {
  auto p = JavaPattern::Compile(R"(.*\S.*)");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->Matches(std::string(300000, 'a')));
  EXPECT_FALSE(p->Matches(std::string(300000, ' ')));
}

TEST(JavaPatternTest, CompileRefusesJavaOnlySyntax) {
  for (const char* java : {R"([\p{L}\p{N}]+)", R"(\Qa.b\E)", R"(a*+)", R"((?<=a)b)", R"([a-z&&[^x]])",
                           R"((?i)abc)", "[abc"}) {
    std::string why;
    EXPECT_EQ(JavaPattern::Compile(java, &why), nullptr) << java;
    EXPECT_FALSE(why.empty()) << java;
  }
}

}  // namespace
}  // namespace gee::protocol

namespace gee::protocol {
namespace {

TEST(JavaPatternTest, MatchesTreatsDashNextToAClassEscapeAsLiteral) {
  auto p = JavaPattern::Compile(R"([\w-_]*)");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->Matches("AWS-Glue_job"));
  EXPECT_FALSE(p->Matches("a.b"));
}

}  // namespace
}  // namespace gee::protocol
