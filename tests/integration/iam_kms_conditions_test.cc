// IAM principals (users and role sessions from the IAM store) using KMS the
// way S3, Glue and CloudWatch Logs will call it in-process: kms:ViaService,
// kms:CallerAccount, kms:EncryptionContext:*, aws:SourceArn,
// aws:PrincipalArn, decided by the real KMS operations through the shared
// Authorizer (S3/Glue/Logs are not on main yet, so their calls are made
// here with the contexts they will use: ViaService / AsServicePrincipal).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/credentials.h"
#include "core/environment.h"
#include "core/request_context.h"
#include "services/kms/kms_client.h"
#include "services/sts/sts_client.h"
#include "tests/integration/iam_fixture.h"

namespace gee::testing {
namespace {

using ::testing::HasSubstr;

class IamKmsConditionsTest : public IamTest {
 protected:
  // A key with `policy` (or the default policy), created by the root.
  std::string CreateKey(const std::string& policy = "") {
    nlohmann::json input = nlohmann::json::object();
    if (!policy.empty()) input["Policy"] = policy;
    auto r = Root().Json("kms", "CreateKey", input);
    EXPECT_THAT(r, IsOk());
    return r.ok() ? r->json["KeyMetadata"]["Arn"].get<std::string>() : "";
  }
  // The request context of `user`'s access key, as the gateway builds it.
  RequestContext UserContext(const std::string& user) {
    harness::Credentials key = AccessKeyFor(user);
    auto record = emulator().env().credentials().Lookup(key.access_key_id);
    EXPECT_TRUE(record.ok() && record->has_value());
    RequestContext ctx = emulator().env().NewContext((*record)->principal, "us-east-1");
    ctx.service = "s3";
    return ctx;
  }
  Status Encrypt(RequestContext ctx, const std::string& key_arn,
                 const kms::EncryptionContextMap& context = {}) {
    auto r = kms::KmsClient(emulator().env()).Encrypt(ctx, key_arn, "data", context);
    if (!r.ok()) return r.error();
    return OkStatus();
  }
  static std::string KeyPolicy(const std::string& extra_statement) {
    return R"({"Version":"2012-10-17","Statement":[{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"kms:*","Resource":"*"},)" +
           extra_statement + "]}";
  }
};

TEST_F(IamKmsConditionsTest, AViaServiceConditionAllowsOnlyCallsMadeThroughTheService) {
  const std::string key = CreateKey();
  CreateUser("alice");
  PutUserPolicy("alice", "via-s3",
                Policy("Allow", Action("kms:Encrypt"), Resource(key),
                       R"("Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}})"));
  RequestContext direct = UserContext("alice");
  EXPECT_THAT(Encrypt(direct, key),
              HasAwsErrorMessage("AccessDeniedException",
                                 "User: arn:aws:iam::000000000000:user/alice is not authorized to "
                                 "perform: kms:Encrypt on resource: " + key +
                                     " because no identity-based policy allows the kms:Encrypt action"));
  EXPECT_THAT(Encrypt(ViaService(direct, "s3.us-east-1.amazonaws.com", "s3.amazonaws.com"), key), IsOk());
  EXPECT_THAT(Encrypt(ViaService(direct, "glue.us-east-1.amazonaws.com", "glue.amazonaws.com"), key),
              HasAwsError("AccessDeniedException"));
}

TEST_F(IamKmsConditionsTest, AManagedKeyStylePolicyAllowsAnyAccountPrincipalOnlyViaTheService) {
  const std::string key = CreateKey(KeyPolicy(
      R"({"Sid":"ViaGlue","Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Encrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"glue.us-east-1.amazonaws.com","kms:CallerAccount":"000000000000"}}})"));
  CreateUser("alice");  // no IAM policies at all
  RequestContext direct = UserContext("alice");
  EXPECT_THAT(Encrypt(direct, key), HasAwsError("AccessDeniedException"));
  EXPECT_THAT(Encrypt(ViaService(direct, "glue.us-east-1.amazonaws.com", "glue.amazonaws.com"), key),
              IsOk());
}

TEST_F(IamKmsConditionsTest, AnEncryptionContextConditionMustMatchTheRequest) {
  const std::string key = CreateKey();
  CreateUser("alice");
  PutUserPolicy("alice", "ctx",
                Policy("Allow", Action("kms:Encrypt"), Resource(key),
                       R"("Condition":{"StringEquals":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::bucket/key"}})"));
  RequestContext ctx = ViaService(UserContext("alice"), "s3.us-east-1.amazonaws.com", "s3.amazonaws.com");
  EXPECT_THAT(Encrypt(ctx, key, {{"aws:s3:arn", "arn:aws:s3:::bucket/key"}}), IsOk());
  EXPECT_THAT(Encrypt(ctx, key, {{"aws:s3:arn", "arn:aws:s3:::bucket/other"}}),
              HasAwsError("AccessDeniedException"));
  EXPECT_THAT(Encrypt(ctx, key), HasAwsError("AccessDeniedException"));
}

TEST_F(IamKmsConditionsTest, TheLogsServicePrincipalIsLimitedBySourceArnAndContext) {
  const std::string group = "arn:aws:logs:us-east-1:000000000000:log-group:/aws-glue/jobs/output";
  const std::string key = CreateKey(KeyPolicy(
      R"({"Sid":"Logs","Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},"Action":["kms:Encrypt*","kms:GenerateDataKey*"],"Resource":"*","Condition":{"ArnLike":{"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:us-east-1:000000000000:log-group:/aws-glue/*","aws:SourceArn":"arn:aws:logs:us-east-1:000000000000:log-group:/aws-glue/*"}}})"));
  RequestContext caller = emulator().env().NewContext(RootPrincipal("000000000000"), "us-east-1");
  caller.service = "logs";
  RequestContext logs = AsServicePrincipal(caller, "logs.us-east-1.amazonaws.com", group, "000000000000");
  EXPECT_THAT(Encrypt(logs, key, {{"aws:logs:arn", group}}), IsOk());
  const std::string other = "arn:aws:logs:us-east-1:000000000000:log-group:/other";
  RequestContext wrong_source = AsServicePrincipal(caller, "logs.us-east-1.amazonaws.com", other, "000000000000");
  EXPECT_THAT(Encrypt(wrong_source, key, {{"aws:logs:arn", group}}), HasAwsError("AccessDeniedException"));
  EXPECT_THAT(Encrypt(logs, key, {{"aws:logs:arn", other}}), HasAwsError("AccessDeniedException"));
  RequestContext other_region = AsServicePrincipal(caller, "logs.eu-west-1.amazonaws.com", group, "000000000000");
  EXPECT_THAT(Encrypt(other_region, key, {{"aws:logs:arn", group}}), HasAwsError("AccessDeniedException"));
}

TEST_F(IamKmsConditionsTest, APrincipalArnConditionInAKeyPolicyMatchesTheRoleOfASession) {
  CreateRole("GlueJobRole", Trust(R"({"Service":"glue.amazonaws.com"})"));
  CreateRole("OtherRole", Trust(R"({"Service":"glue.amazonaws.com"})"));
  const std::string key = CreateKey(KeyPolicy(
      R"({"Sid":"JobRole","Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Encrypt","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":")" +
      RoleArnOf("GlueJobRole") + R"("}}})"));
  Environment& env = emulator().env();
  RequestContext caller = env.NewContext(RootPrincipal("000000000000"), "us-east-1");
  sts::ServiceAssumeRole assume;
  assume.service_principal = "glue.amazonaws.com";
  assume.session_name = "GlueJobRunnerSession";
  assume.role = "GlueJobRole";
  auto job = sts::AssumeRoleAsService(env, caller, assume);
  ASSERT_THAT(job, IsOk());
  assume.role = "OtherRole";
  auto other = sts::AssumeRoleAsService(env, caller, assume);
  ASSERT_THAT(other, IsOk());
  RequestContext job_ctx = env.NewContext(*job, "us-east-1");
  job_ctx.service = "glue";
  RequestContext other_ctx = env.NewContext(*other, "us-east-1");
  other_ctx.service = "glue";
  EXPECT_THAT(Encrypt(job_ctx, key), IsOk());
  EXPECT_THAT(Encrypt(other_ctx, key),
              HasAwsErrorMessage("AccessDeniedException",
                                 "User: arn:aws:sts::000000000000:assumed-role/OtherRole/"
                                 "GlueJobRunnerSession is not authorized to perform: kms:Encrypt "
                                 "on resource: " + key +
                                     " because no identity-based policy allows the kms:Encrypt action"));
}

TEST_F(IamKmsConditionsTest, AnExplicitDenyInTheIdentityPolicyBeatsTheKeyPolicy) {
  CreateUser("alice");
  const std::string key = CreateKey(KeyPolicy(
      R"({"Sid":"Alice","Effect":"Allow","Principal":{"AWS":")" + UserArnOf("alice") +
      R"("},"Action":"kms:*","Resource":"*"})"));
  RequestContext ctx = UserContext("alice");
  EXPECT_THAT(Encrypt(ctx, key), IsOk());
  PutUserPolicy("alice", "no-kms", Deny("kms:*"));
  EXPECT_THAT(Encrypt(ctx, key),
              HasAwsErrorMessage("AccessDeniedException",
                                 "User: arn:aws:iam::000000000000:user/alice is not authorized to "
                                 "perform: kms:Encrypt on resource: " + key +
                                     " with an explicit deny in an identity-based policy"));
}

TEST_F(IamKmsConditionsTest, ABoundaryLimitsAKeyPolicyGrantToTheRole) {
  std::string boundary = CreatePolicy("boundary", Allow("s3:*"));
  MustSucceed(Iam("CreateRole", {{"RoleName", "r"},
                                 {"AssumeRolePolicyDocument", Trust(R"({"Service":"glue.amazonaws.com"})")},
                                 {"PermissionsBoundary", boundary}}));
  const std::string key = CreateKey(KeyPolicy(
      R"({"Sid":"Role","Effect":"Allow","Principal":{"AWS":")" + RoleArnOf("r") +
      R"("},"Action":"kms:Encrypt","Resource":"*"})"));
  Environment& env = emulator().env();
  RequestContext caller = env.NewContext(RootPrincipal("000000000000"), "us-east-1");
  sts::ServiceAssumeRole assume;
  assume.service_principal = "glue.amazonaws.com";
  assume.session_name = "s1";
  assume.role = "r";
  auto session = sts::AssumeRoleAsService(env, caller, assume);
  ASSERT_THAT(session, IsOk());
  RequestContext ctx = env.NewContext(*session, "us-east-1");
  ctx.service = "glue";
  // The key policy names the role (not the session): a boundary that does
  // not allow kms:Encrypt still limits it (spec §3.2).
  EXPECT_THAT(Encrypt(ctx, key), HasAwsError("AccessDeniedException"));
  MustSucceed(Iam("DeleteRolePermissionsBoundary", {{"RoleName", "r"}}));
  EXPECT_THAT(Encrypt(ctx, key), IsOk());
}

}  // namespace
}  // namespace gee::testing
