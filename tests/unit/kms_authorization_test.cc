// Which action and resource each KMS operation asks the authorizer about,
// observed in-process (no HTTP) through the decisions the Environment
// records, and how grants and their constraints feed those decisions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/environment.h"
#include "services/service.h"
#include "tests/testing/in_process_kms.h"
#include "tests/testing/matchers.h"

namespace gee {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::HasAwsError;
using testing::IsOk;
using Json = nlohmann::json;

class KmsAuthorizationTest : public testing::InProcessKmsTest {};

TEST_F(KmsAuthorizationTest, KeyOperationsAskForTheirActionOnTheKeyArn) {
  const std::string arn = CreateKey();
  const std::vector<std::pair<std::string, Json>> cases = {
      {"DescribeKey", {{"KeyId", arn}}},
      {"Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}},
      {"GenerateDataKey", {{"KeyId", arn}, {"NumberOfBytes", 16}}},
      {"GetKeyPolicy", {{"KeyId", arn}}},
      {"ListGrants", {{"KeyId", arn}}},
      {"UpdateKeyDescription", {{"KeyId", arn}, {"Description", "d"}}},
      {"DisableKey", {{"KeyId", arn}}},
      {"EnableKey", {{"KeyId", arn}}},
  };
  for (const auto& [operation, input] : cases) {
    ASSERT_THAT(Call(operation, input), IsOk()) << operation;
    ASSERT_EQ(decisions_.size(), 1u) << operation;
    EXPECT_THAT(decisions_[0], StartsWith("allow kms:" + operation + " on " + arn)) << operation;
  }
}

TEST_F(KmsAuthorizationTest, AccountOperationsAskForTheirActionOnStar) {
  for (const auto& [operation, input] : std::vector<std::pair<std::string, Json>>{
           {"ListKeys", Json::object()}, {"ListAliases", Json::object()},
           {"GenerateRandom", {{"NumberOfBytes", 4}}}, {"CreateKey", Json::object()},
           {"ListRetirableGrants", {{"RetiringPrincipal", "arn:aws:iam::000000000000:user/x"}}}}) {
    ASSERT_THAT(Call(operation, input), IsOk()) << operation;
    ASSERT_EQ(decisions_.size(), 1u) << operation;
    EXPECT_THAT(decisions_[0], StartsWith("allow kms:" + operation + " on *")) << operation;
  }
}

TEST_F(KmsAuthorizationTest, DecryptAsksAboutTheKeyTheCiphertextNames) {
  const std::string arn = CreateKey();
  auto encrypted = Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}});
  ASSERT_THAT(encrypted, IsOk());
  ASSERT_THAT(Call("Decrypt", {{"CiphertextBlob", (*encrypted)["CiphertextBlob"]}}), IsOk());
  EXPECT_THAT(decisions_, ElementsAre(StartsWith("allow kms:Decrypt on " + arn)));
}

TEST_F(KmsAuthorizationTest, ReEncryptAsksReEncryptFromOnTheSourceAndReEncryptToOnTheDestination) {
  const std::string source = CreateKey();
  const std::string destination = CreateKey();
  auto encrypted = Call("Encrypt", {{"KeyId", source}, {"Plaintext", B64("x")}});
  ASSERT_THAT(Call("ReEncrypt", {{"CiphertextBlob", (*encrypted)["CiphertextBlob"]},
                                 {"DestinationKeyId", destination}}),
              IsOk());
  EXPECT_THAT(decisions_, ElementsAre(StartsWith("allow kms:ReEncryptFrom on " + source),
                                      StartsWith("allow kms:ReEncryptTo on " + destination)));
}

TEST_F(KmsAuthorizationTest, AliasOperationsAskAboutTheAliasArnAndEachKey) {
  const std::string first = CreateKey();
  const std::string second = CreateKey();
  const std::string alias_arn = "arn:aws:kms:us-east-1:000000000000:alias/a";
  ASSERT_THAT(Call("CreateAlias", {{"AliasName", "alias/a"}, {"TargetKeyId", first}}), IsOk());
  EXPECT_THAT(decisions_, ElementsAre(StartsWith("allow kms:CreateAlias on " + alias_arn),
                                      StartsWith("allow kms:CreateAlias on " + first)));
  ASSERT_THAT(Call("UpdateAlias", {{"AliasName", "alias/a"}, {"TargetKeyId", second}}), IsOk());
  EXPECT_THAT(decisions_, ElementsAre(StartsWith("allow kms:UpdateAlias on " + alias_arn),
                                      StartsWith("allow kms:UpdateAlias on " + first),
                                      StartsWith("allow kms:UpdateAlias on " + second)));
  ASSERT_THAT(Call("DeleteAlias", {{"AliasName", "alias/a"}}), IsOk());
  EXPECT_THAT(decisions_, ElementsAre(StartsWith("allow kms:DeleteAlias on " + alias_arn),
                                      StartsWith("allow kms:DeleteAlias on " + second)));
}

TEST_F(KmsAuthorizationTest, NotFoundIsAnsweredBeforeAnyAuthorization) {
  EXPECT_THAT(Call("Encrypt", {{"KeyId", "alias/none"}, {"Plaintext", B64("x")}}, User("nobody")),
              HasAwsError("NotFoundException"));
  EXPECT_TRUE(decisions_.empty());
}

TEST_F(KmsAuthorizationTest, KeyStateIsGatedAfterAuthorization) {
  const std::string arn = CreateKey();
  ASSERT_THAT(Call("DisableKey", {{"KeyId", arn}}), IsOk());
  EXPECT_THAT(Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}, User("nobody")),
              HasAwsError("AccessDeniedException"));
  EXPECT_THAT(decisions_, ElementsAre(StartsWith("implicit-deny kms:Encrypt on " + arn)));
}

TEST_F(KmsAuthorizationTest, AGrantIsTheDecidingStatementForItsGrantee) {
  const std::string arn = CreateKey();
  auto grant = Call("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", User("u").arn},
                                    {"Operations", {"Encrypt"}},
                                    {"Constraints", {{"EncryptionContextSubset", {{"app", "x"}}}}}});
  ASSERT_THAT(grant, IsOk());
  const std::string grant_id = (*grant)["GrantId"];
  ASSERT_THAT(Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}, {"EncryptionContext", {{"app", "x"}}}},
                   User("u")),
              IsOk());
  EXPECT_THAT(decisions_, ElementsAre(HasSubstr("by grant policy grant " + grant_id)));
  // The constraint does not admit another context, and the grant names no other op.
  EXPECT_THAT(Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}, {"EncryptionContext", {{"app", "y"}}}},
                   User("u")),
              HasAwsError("AccessDeniedException"));
  EXPECT_THAT(Call("GenerateDataKey", {{"KeyId", arn}, {"NumberOfBytes", 16}, {"EncryptionContext", {{"app", "x"}}}},
                   User("u")),
              HasAwsError("AccessDeniedException"));
  EXPECT_THAT(Call("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}, {"EncryptionContext", {{"app", "x"}}}},
                   User("other")),
              HasAwsError("AccessDeniedException"));
}

TEST_F(KmsAuthorizationTest, RetireGrantIsDecidedByTheGrantAloneNotTheKeyPolicy) {
  const std::string arn = CreateKey();
  auto grant = Call("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", User("u").arn},
                                    {"Operations", {"Encrypt"}}});
  ASSERT_THAT(grant, IsOk());
  // The grantee without RetireGrant in the grant may not retire it.
  EXPECT_THAT(Call("RetireGrant", {{"GrantToken", (*grant)["GrantToken"]}}, User("u")),
              HasAwsError("AccessDeniedException"));
  EXPECT_THAT(decisions_, ElementsAre(StartsWith("implicit-deny kms:RetireGrant on " + arn)));
}

TEST_F(KmsAuthorizationTest, KmsClientCallsTakeTheSameAuthorizationPath) {
  const std::string arn = CreateKey();
  Environment& env = emulator_->env();
  RequestContext caller = env.NewContext(User("u"), "us-east-1");
  std::vector<std::string> decisions;
  caller.decisions = &decisions;
  RequestContext via = ViaService(caller, "s3.us-east-1.amazonaws.com", "s3.amazonaws.com");
  Json in = {{"KeyId", arn}, {"NumberOfBytes", 32}};
  auto r = kms_->Invoke(via, "GenerateDataKey", in);
  EXPECT_THAT(r, HasAwsError("AccessDeniedException"));
  EXPECT_THAT(decisions, ElementsAre(StartsWith("implicit-deny kms:GenerateDataKey on " + arn)));
}

}  // namespace
}  // namespace gee
