// KMS authorization over real HTTP: key policies (default, custom, lockout,
// validation), AccessDenied sentences, grants, aliases, AWS managed keys and
// in-process calls through KmsClient with kms:ViaService.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/environment.h"
#include "services/kms/kms_client.h"
#include "tests/testing/kms_fixture.h"

namespace gee {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::HasAwsError;
using testing::HasAwsErrorMessage;
using testing::IsOk;
using Json = nlohmann::json;

class KmsAccessTest : public testing::KmsTest {
 protected:
  // The sentence of an implicit KMS denial (spec §3.5).
  static std::string Denied(const std::string& who, const std::string& action,
                            const std::string& resource, const std::string& type) {
    return "User: " + who + " is not authorized to perform: " + action + " on resource: " +
           resource + " because no " + type + " policy allows the " + action + " action";
  }
};

// ---- key policies ----

TEST_F(KmsAccessTest, GetKeyPolicyReturnsTheDefaultPolicyPrettyPrintedAsAws) {
  const std::string arn = CreateKey();
  auto r = Kms("GetKeyPolicy", {{"KeyId", arn}, {"PolicyName", "default"}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->json["PolicyName"], "default");
  EXPECT_EQ(r->json["Policy"],
            "{\n"
            "  \"Version\" : \"2012-10-17\",\n"
            "  \"Id\" : \"key-default-1\",\n"
            "  \"Statement\" : [ {\n"
            "    \"Sid\" : \"Enable IAM User Permissions\",\n"
            "    \"Effect\" : \"Allow\",\n"
            "    \"Principal\" : {\n"
            "      \"AWS\" : \"arn:aws:iam::000000000000:root\"\n"
            "    },\n"
            "    \"Action\" : \"kms:*\",\n"
            "    \"Resource\" : \"*\"\n"
            "  } ]\n"
            "}");
}

TEST_F(KmsAccessTest, ListKeyPoliciesListsOnlyDefault) {
  const std::string arn = CreateKey();
  auto r = Kms("ListKeyPolicies", {{"KeyId", arn}});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->json["PolicyNames"], Json::array({"default"}));
}

TEST_F(KmsAccessTest, GetKeyPolicyFailsForAPolicyNameOtherThanDefault) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("GetKeyPolicy", {{"KeyId", arn}, {"PolicyName", "other"}}), HasAwsError("NotFoundException"));
}

TEST_F(KmsAccessTest, PutKeyPolicyStoresThePolicyAsSent) {
  const std::string arn = CreateKey();
  const std::string policy = PolicyFor(RootArn(), "kms:*");
  ASSERT_THAT(Kms("PutKeyPolicy", {{"KeyId", arn}, {"PolicyName", "default"}, {"Policy", policy}}), IsOk());
  EXPECT_EQ(Kms("GetKeyPolicy", {{"KeyId", arn}})->json["Policy"], policy);
}

TEST_F(KmsAccessTest, PutKeyPolicyFailsTheLockoutSafetyCheckUnlessBypassed) {
  const std::string arn = CreateKey();
  AddUser("alice");  // a key policy may name only principals that exist
  const std::string policy = PolicyFor(UserArn("alice"), "kms:*");
  EXPECT_THAT(Kms("PutKeyPolicy", {{"KeyId", arn}, {"Policy", policy}}),
              HasAwsErrorMessage("MalformedPolicyDocumentException",
                                 "The new key policy will not allow you to update the key policy in "
                                 "the future."));
  EXPECT_THAT(Kms("PutKeyPolicy", {{"KeyId", arn}, {"Policy", policy},
                                   {"BypassPolicyLockoutSafetyCheck", true}}),
              IsOk());
}

TEST_F(KmsAccessTest, CreateKeyFailsTheLockoutSafetyCheckForAPolicyWithoutTheCaller) {
  EXPECT_THAT(Kms("CreateKey", {{"Policy", PolicyFor(UserArn("alice"), "kms:*")}}),
              HasAwsError("MalformedPolicyDocumentException"));
}

TEST_F(KmsAccessTest, PutKeyPolicyFailsForMalformedAndOversizedPolicies) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("PutKeyPolicy", {{"KeyId", arn}, {"Policy", "{not json"}}),
              HasAwsError("MalformedPolicyDocumentException"));
  Json no_principal = {{"Version", "2012-10-17"},
                       {"Statement", {{{"Effect", "Allow"}, {"Action", "kms:*"}, {"Resource", "*"}}}}};
  EXPECT_THAT(Kms("PutKeyPolicy", {{"KeyId", arn}, {"Policy", no_principal.dump()}}),
              HasAwsError("MalformedPolicyDocumentException"));
  Json big = Json::parse(PolicyFor(RootArn(), "kms:*"));
  big["Statement"][0]["Sid"] = std::string(33000, 'a');
  EXPECT_THAT(Kms("PutKeyPolicy", {{"KeyId", arn}, {"Policy", big.dump()}}),
              HasAwsError("LimitExceededException"));
}

TEST_F(KmsAccessTest, PutKeyPolicyFailsForAMalformedPrincipal) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("PutKeyPolicy", {{"KeyId", arn}, {"Policy", PolicyFor("arn:aws:iam::000000000000:nonsense", "kms:*")},
                                   {"BypassPolicyLockoutSafetyCheck", true}}),
              HasAwsErrorMessage("MalformedPolicyDocumentException",
                                 "Policy contains a statement with one or more invalid principals."));
}

TEST_F(KmsAccessTest, KeyPolicyWithoutTheAccountRootDeniesTheRootUser) {
  auto alice = AddUser("alice");
  const std::string arn = CreateKey({{"Policy", PolicyFor(UserArn("alice"), "kms:*")},
                                     {"BypassPolicyLockoutSafetyCheck", true}});
  ASSERT_FALSE(arn.empty());
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}),
              HasAwsErrorMessage("AccessDeniedException",
                                 Denied(RootArn(), "kms:Encrypt", arn, "resource-based")));
  EXPECT_THAT(Kms("DescribeKey", {{"KeyId", arn}}), HasAwsError("AccessDeniedException"));
  // The user the policy names may use it, with no IAM policy at all.
  EXPECT_THAT(alice->Json("kms", "Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}), IsOk());
}

TEST_F(KmsAccessTest, DefaultPolicyDelegatesToIamSoAUserWithoutIamPolicyIsDenied) {
  const std::string arn = CreateKey();
  auto bob = AddUser("bob");
  EXPECT_THAT(bob->Json("kms", "Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}),
              HasAwsErrorMessage("AccessDeniedException",
                                 Denied(UserArn("bob"), "kms:Encrypt", arn, "identity-based")));
}

TEST_F(KmsAccessTest, DisabledKeyAnswersAccessDeniedToAnUnauthorizedCaller) {
  const std::string arn = CreateKey();
  ASSERT_THAT(Kms("DisableKey", {{"KeyId", arn}}), IsOk());
  auto bob = AddUser("bob");
  EXPECT_THAT(bob->Json("kms", "Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}),
              HasAwsError("AccessDeniedException"));
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}), HasAwsError("DisabledException"));
}

TEST_F(KmsAccessTest, KeyPolicyExplicitDenyOnEncryptionContextWins) {
  Json policy = Json::parse(PolicyFor(RootArn(), "kms:*"));
  policy["Statement"].push_back({{"Sid", "NoSecret"},
                                 {"Effect", "Deny"},
                                 {"Principal", {{"AWS", "*"}}},
                                 {"Action", "kms:Decrypt"},
                                 {"Resource", "*"},
                                 {"Condition", {{"StringEquals", {{"kms:EncryptionContext:class", "secret"}}}}}});
  const std::string arn = CreateKey({{"Policy", policy.dump()}});
  const std::string open = Encrypt(arn, "x", {{"class", "public"}});
  const std::string closed = Encrypt(arn, "x", {{"class", "secret"}});
  EXPECT_THAT(Decrypt(open, {{"class", "public"}}), IsOk());
  auto denied = Decrypt(closed, {{"class", "secret"}});
  EXPECT_THAT(denied, HasAwsError("AccessDeniedException"));
  EXPECT_THAT(denied->error_message, HasSubstr("with an explicit deny in a resource-based policy"));
}

TEST_F(KmsAccessTest, KeyPolicyConditionOnEncryptionContextKeysAllowsOnlyMatchingRequests) {
  Json policy = Json::parse(PolicyFor(RootArn(), Json::array({"kms:PutKeyPolicy", "kms:DescribeKey"})));
  policy["Statement"].push_back({{"Sid", "OnlyTenant"},
                                 {"Effect", "Allow"},
                                 {"Principal", {{"AWS", RootArn()}}},
                                 {"Action", "kms:Encrypt"},
                                 {"Resource", "*"},
                                 {"Condition", {{"ForAnyValue:StringEquals", {{"kms:EncryptionContextKeys", "tenant"}}}}}});
  const std::string arn = CreateKey({{"Policy", policy.dump()}});
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}, {"EncryptionContext", {{"tenant", "a"}}}}), IsOk());
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}), HasAwsError("AccessDeniedException"));
}

TEST_F(KmsAccessTest, KeyPolicyConditionOnRequestAliasAllowsUseOnlyThroughTheAlias) {
  Json policy = Json::parse(PolicyFor(RootArn(), Json::array({"kms:PutKeyPolicy", "kms:CreateAlias"})));
  policy["Statement"].push_back({{"Sid", "ByAlias"},
                                 {"Effect", "Allow"},
                                 {"Principal", {{"AWS", RootArn()}}},
                                 {"Action", "kms:Encrypt"},
                                 {"Resource", "*"},
                                 {"Condition", {{"StringEquals", {{"kms:RequestAlias", "alias/front"}}}}}});
  const std::string arn = CreateKey({{"Policy", policy.dump()}});
  ASSERT_THAT(Kms("CreateAlias", {{"AliasName", "alias/front"}, {"TargetKeyId", arn}}), IsOk());
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", "alias/front"}, {"Plaintext", B64("x")}}), IsOk());
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}), HasAwsError("AccessDeniedException"));
}

TEST_F(KmsAccessTest, DecryptIsAuthorizedAgainstTheKeyTheCiphertextNames) {
  Json policy = Json::parse(PolicyFor(RootArn(), Json::array({"kms:PutKeyPolicy", "kms:Encrypt"})));
  const std::string arn = CreateKey({{"Policy", policy.dump()}});
  const std::string blob = Encrypt(arn, "x");
  EXPECT_THAT(Decrypt(blob), HasAwsErrorMessage("AccessDeniedException",
                                                Denied(RootArn(), "kms:Decrypt", arn, "resource-based")));
}

// ---- the action and resource every key operation checks ----

TEST_F(KmsAccessTest, EveryKeyOperationIsDeniedNamingItsActionAndTheKeyArn) {
  // Everything is denied to everyone except PutKeyPolicy (so the test can
  // create the key); each operation's sentence names its own action.
  Json policy = {{"Version", "2012-10-17"},
                 {"Statement",
                  {{{"Sid", "Admin"}, {"Effect", "Allow"}, {"Principal", {{"AWS", RootArn()}}},
                    {"Action", "kms:PutKeyPolicy"}, {"Resource", "*"}}}}};
  const std::string arn = CreateKey({{"Policy", policy.dump()}});
  const std::string hmac = CreateKey({{"KeySpec", "HMAC_256"}, {"KeyUsage", "GENERATE_VERIFY_MAC"},
                                      {"Policy", policy.dump()}});
  const std::string blob = B64(std::string("\x01\x24", 2) + KeyIdOf(arn) + std::string(4 + 12 + 1 + 16, '\x01'));
  const std::string grant = std::string(64, 'a');
  const std::vector<std::tuple<std::string, Json, std::string, std::string>> cases = {
      {"DescribeKey", {{"KeyId", arn}}, "kms:DescribeKey", arn},
      {"EnableKey", {{"KeyId", arn}}, "kms:EnableKey", arn},
      {"DisableKey", {{"KeyId", arn}}, "kms:DisableKey", arn},
      {"ScheduleKeyDeletion", {{"KeyId", arn}}, "kms:ScheduleKeyDeletion", arn},
      {"CancelKeyDeletion", {{"KeyId", arn}}, "kms:CancelKeyDeletion", arn},
      {"UpdateKeyDescription", {{"KeyId", arn}, {"Description", "d"}}, "kms:UpdateKeyDescription", arn},
      {"TagResource", {{"KeyId", arn}, {"Tags", {{{"TagKey", "k"}, {"TagValue", "v"}}}}}, "kms:TagResource", arn},
      {"UntagResource", {{"KeyId", arn}, {"TagKeys", {"k"}}}, "kms:UntagResource", arn},
      {"ListResourceTags", {{"KeyId", arn}}, "kms:ListResourceTags", arn},
      {"EnableKeyRotation", {{"KeyId", arn}}, "kms:EnableKeyRotation", arn},
      {"DisableKeyRotation", {{"KeyId", arn}}, "kms:DisableKeyRotation", arn},
      {"GetKeyRotationStatus", {{"KeyId", arn}}, "kms:GetKeyRotationStatus", arn},
      {"RotateKeyOnDemand", {{"KeyId", arn}}, "kms:RotateKeyOnDemand", arn},
      {"ListKeyRotations", {{"KeyId", arn}}, "kms:ListKeyRotations", arn},
      {"GetKeyPolicy", {{"KeyId", arn}}, "kms:GetKeyPolicy", arn},
      {"ListKeyPolicies", {{"KeyId", arn}}, "kms:ListKeyPolicies", arn},
      {"Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}, "kms:Encrypt", arn},
      {"Decrypt", {{"CiphertextBlob", blob}}, "kms:Decrypt", arn},
      {"ReEncrypt", {{"CiphertextBlob", blob}, {"DestinationKeyId", arn}}, "kms:ReEncryptFrom", arn},
      {"GenerateDataKey", {{"KeyId", arn}, {"NumberOfBytes", 32}}, "kms:GenerateDataKey", arn},
      {"GenerateDataKeyWithoutPlaintext", {{"KeyId", arn}, {"NumberOfBytes", 32}},
       "kms:GenerateDataKeyWithoutPlaintext", arn},
      {"GenerateDataKeyPair", {{"KeyId", arn}, {"KeyPairSpec", "ECC_NIST_P256"}}, "kms:GenerateDataKeyPair", arn},
      {"GenerateDataKeyPairWithoutPlaintext", {{"KeyId", arn}, {"KeyPairSpec", "ECC_NIST_P256"}},
       "kms:GenerateDataKeyPairWithoutPlaintext", arn},
      {"Sign", {{"KeyId", arn}, {"Message", B64("m")}, {"SigningAlgorithm", "ECDSA_SHA_256"}}, "kms:Sign", arn},
      {"Verify", {{"KeyId", arn}, {"Message", B64("m")}, {"Signature", B64("s")},
                  {"SigningAlgorithm", "ECDSA_SHA_256"}}, "kms:Verify", arn},
      {"GetPublicKey", {{"KeyId", arn}}, "kms:GetPublicKey", arn},
      {"GenerateMac", {{"KeyId", hmac}, {"Message", B64("m")}, {"MacAlgorithm", "HMAC_SHA_256"}}, "kms:GenerateMac", hmac},
      {"VerifyMac", {{"KeyId", hmac}, {"Message", B64("m")}, {"Mac", B64("m")}, {"MacAlgorithm", "HMAC_SHA_256"}},
       "kms:VerifyMac", hmac},
      {"DeriveSharedSecret", {{"KeyId", arn}, {"KeyAgreementAlgorithm", "ECDH"}, {"PublicKey", B64("p")}},
       "kms:DeriveSharedSecret", arn},
      {"CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", UserArn("g")}, {"Operations", {"Encrypt"}}},
       "kms:CreateGrant", arn},
      {"ListGrants", {{"KeyId", arn}}, "kms:ListGrants", arn},
      {"RevokeGrant", {{"KeyId", arn}, {"GrantId", grant}}, "kms:RevokeGrant", arn},
      {"CreateAlias", {{"AliasName", "alias/denied"}, {"TargetKeyId", arn}}, "kms:CreateAlias", arn},
  };
  for (const auto& [operation, input, action, resource] : cases) {
    auto r = Kms(operation, input);
    EXPECT_THAT(r, HasAwsErrorMessage("AccessDeniedException",
                                      Denied(RootArn(), action, resource, "resource-based")))
        << operation;
  }
}

TEST_F(KmsAccessTest, AccountLevelOperationsNeedNoKeyPolicy) {
  auto bob = AddUser("bob");
  // Without IAM policies a user is denied on the identity side, naming "*".
  EXPECT_THAT(bob->Json("kms", "ListKeys", Json::object()),
              HasAwsErrorMessage("AccessDeniedException",
                                 Denied(UserArn("bob"), "kms:ListKeys", "*", "identity-based")));
  EXPECT_THAT(bob->Json("kms", "CreateKey", Json::object()), HasAwsError("AccessDeniedException"));
  EXPECT_THAT(bob->Json("kms", "GenerateRandom", {{"NumberOfBytes", 8}}), HasAwsError("AccessDeniedException"));
  EXPECT_THAT(Kms("ListKeys", Json::object()), IsOk());
}

TEST_F(KmsAccessTest, AliasOperationsCheckTheAliasArnOnTheIdentitySide) {
  auto carol = AddUser("carol");
  const std::string arn = CreateKey({{"Policy", PolicyFor(UserArn("carol"), "kms:*")},
                                     {"BypassPolicyLockoutSafetyCheck", true}});
  EXPECT_THAT(carol->Json("kms", "CreateAlias", {{"AliasName", "alias/c"}, {"TargetKeyId", arn}}),
              HasAwsErrorMessage("AccessDeniedException",
                                 Denied(UserArn("carol"), "kms:CreateAlias",
                                        "arn:aws:kms:us-east-1:000000000000:alias/c", "identity-based")));
}

// ---- aliases ----

TEST_F(KmsAccessTest, AliasesCanBeCreatedListedRepointedAndDeleted) {
  const std::string first = CreateKey();
  const std::string second = CreateKey();
  ASSERT_THAT(Kms("CreateAlias", {{"AliasName", "alias/app"}, {"TargetKeyId", KeyIdOf(first)}}), IsOk());
  auto listed = Kms("ListAliases", {{"KeyId", first}});
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->json["Aliases"].size(), 1u);
  EXPECT_EQ(listed->json["Aliases"][0]["AliasName"], "alias/app");
  EXPECT_EQ(listed->json["Aliases"][0]["AliasArn"], "arn:aws:kms:us-east-1:000000000000:alias/app");
  EXPECT_EQ(listed->json["Aliases"][0]["TargetKeyId"], KeyIdOf(first));
  ASSERT_THAT(Kms("UpdateAlias", {{"AliasName", "alias/app"}, {"TargetKeyId", second}}), IsOk());
  EXPECT_EQ(Kms("DescribeKey", {{"KeyId", "alias/app"}})->json["KeyMetadata"]["Arn"], second);
  ASSERT_THAT(Kms("DeleteAlias", {{"AliasName", "alias/app"}}), IsOk());
  EXPECT_THAT(Kms("DescribeKey", {{"KeyId", "alias/app"}}), HasAwsError("NotFoundException"));
}

TEST_F(KmsAccessTest, ListAliasesShowsThePredefinedAwsAliasesWithoutTargets) {
  auto r = Kms("ListAliases", Json::object());
  ASSERT_THAT(r, IsOk());
  std::vector<std::string> names;
  for (const Json& a : r->json["Aliases"]) {
    names.push_back(a["AliasName"]);
    EXPECT_FALSE(a.contains("TargetKeyId"));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"alias/aws/glue", "alias/aws/s3"}));
}

TEST_F(KmsAccessTest, ListAliasesPagesWithMarkers) {
  const std::string arn = CreateKey();
  for (const char* name : {"alias/a", "alias/b", "alias/c"}) {
    ASSERT_THAT(Kms("CreateAlias", {{"AliasName", name}, {"TargetKeyId", arn}}), IsOk());
  }
  auto first = Kms("ListAliases", {{"Limit", 2}});
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->json["Aliases"].size(), 2u);
  EXPECT_EQ(first->json["Truncated"], true);
  auto rest = Kms("ListAliases", {{"Limit", 10}, {"Marker", first->json["NextMarker"]}});
  ASSERT_THAT(rest, IsOk());
  EXPECT_EQ(rest->json["Aliases"].size(), 3u);  // alias/aws/glue, alias/aws/s3, alias/c
  EXPECT_EQ(rest->json["Truncated"], false);
}

TEST_F(KmsAccessTest, CreateAliasFailsWithoutTheAliasPrefix) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("CreateAlias", {{"AliasName", "noprefix"}, {"TargetKeyId", arn}}),
              HasAwsErrorMessage("ValidationException",
                                 "Alias must start with the prefix \"alias/\". Please see "
                                 "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html"));
}

TEST_F(KmsAccessTest, CreateAliasFailsWhenTheNameExists) {
  const std::string arn = CreateKey();
  ASSERT_THAT(Kms("CreateAlias", {{"AliasName", "alias/twice"}, {"TargetKeyId", arn}}), IsOk());
  EXPECT_THAT(Kms("CreateAlias", {{"AliasName", "alias/twice"}, {"TargetKeyId", arn}}),
              HasAwsErrorMessage("AlreadyExistsException",
                                 "An alias with the name arn:aws:kms:us-east-1:000000000000:alias/twice "
                                 "already exists"));
}

TEST_F(KmsAccessTest, CreateAliasFailsForTheReservedAwsPrefix) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("CreateAlias", {{"AliasName", "alias/aws/mine"}, {"TargetKeyId", arn}}),
              HasAwsError("AccessDeniedException"));
  EXPECT_THAT(Kms("DeleteAlias", {{"AliasName", "alias/aws/s3"}}), HasAwsError("AccessDeniedException"));
}

TEST_F(KmsAccessTest, CreateAliasFailsForAKeyPendingDeletion) {
  const std::string arn = CreateKey();
  ASSERT_THAT(Kms("ScheduleKeyDeletion", {{"KeyId", arn}}), IsOk());
  EXPECT_THAT(Kms("CreateAlias", {{"AliasName", "alias/late"}, {"TargetKeyId", arn}}),
              HasAwsErrorMessage("KMSInvalidStateException", arn + " is pending deletion."));
}

TEST_F(KmsAccessTest, DeleteAliasFailsForAnUnknownAlias) {
  EXPECT_THAT(Kms("DeleteAlias", {{"AliasName", "alias/none"}}),
              HasAwsErrorMessage("NotFoundException",
                                 "Alias arn:aws:kms:us-east-1:000000000000:alias/none is not found."));
}

TEST_F(KmsAccessTest, UpdateAliasFailsForAKeyOfAnotherType) {
  const std::string symmetric = CreateKey();
  const std::string hmac = CreateKey({{"KeySpec", "HMAC_256"}, {"KeyUsage", "GENERATE_VERIFY_MAC"}});
  ASSERT_THAT(Kms("CreateAlias", {{"AliasName", "alias/typed"}, {"TargetKeyId", symmetric}}), IsOk());
  EXPECT_THAT(Kms("UpdateAlias", {{"AliasName", "alias/typed"}, {"TargetKeyId", hmac}}),
              HasAwsError("ValidationException"));
}

// ---- AWS managed keys ----

TEST_F(KmsAccessTest, DescribeKeyOfAwsGlueCreatesTheManagedKeyWithItsPolicy) {
  auto r = Kms("DescribeKey", {{"KeyId", "alias/aws/glue"}});
  ASSERT_THAT(r, IsOk());
  const Json& m = r->json["KeyMetadata"];
  EXPECT_EQ(m["KeyManager"], "AWS");
  EXPECT_EQ(m["Description"], "Default key that protects my Glue data when no other key is defined");
  auto again = Kms("DescribeKey", {{"KeyId", "alias/aws/glue"}});
  EXPECT_EQ(again->json["KeyMetadata"]["Arn"], m["Arn"]);
  auto policy = Kms("GetKeyPolicy", {{"KeyId", m["Arn"]}});
  ASSERT_THAT(policy, IsOk());
  const Json doc = Json::parse(policy->json["Policy"].get<std::string>());
  EXPECT_EQ(doc["Id"], "auto-glue-1");
  EXPECT_EQ(doc["Statement"][0]["Condition"]["StringEquals"]["kms:ViaService"], "glue.us-east-1.amazonaws.com");
  EXPECT_EQ(doc["Statement"][0]["Condition"]["StringEquals"]["kms:CallerAccount"], "000000000000");
  auto status = Kms("GetKeyRotationStatus", {{"KeyId", m["Arn"]}});
  EXPECT_EQ(status->json["KeyRotationEnabled"], true);
}

TEST_F(KmsAccessTest, ManagedKeyCannotBeUsedDirectlyOnlyThroughItsService) {
  auto described = Kms("DescribeKey", {{"KeyId", "alias/aws/s3"}});
  ASSERT_THAT(described, IsOk());
  const std::string arn = described->json["KeyMetadata"]["Arn"];
  EXPECT_EQ(described->json["KeyMetadata"]["Description"],
            "Default key that protects my S3 objects when no other key is defined");
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", "alias/aws/s3"}, {"Plaintext", B64("x")}}),
              HasAwsErrorMessage("AccessDeniedException",
                                 Denied(RootArn(), "kms:Encrypt", arn, "resource-based")));

  // S3 calling KMS with the caller's identity (kms:ViaService) is allowed.
  Environment& env = emulator().env();
  RequestContext caller = env.NewContext(RootPrincipal("000000000000"), "us-east-1");
  RequestContext via = ViaService(caller, "s3.us-east-1.amazonaws.com", "s3.amazonaws.com");
  kms::KmsClient client(env);
  auto data_key = client.GenerateDataKey(via, "alias/aws/s3", {{"aws:s3:arn", "arn:aws:s3:::b/k"}});
  ASSERT_THAT(data_key, IsOk());
  EXPECT_EQ(data_key->key_arn, arn);
  EXPECT_EQ(data_key->plaintext.size(), 32u);
  auto back = client.Decrypt(via, data_key->ciphertext_blob, {{"aws:s3:arn", "arn:aws:s3:::b/k"}});
  ASSERT_THAT(back, IsOk());
  EXPECT_TRUE(back->plaintext.Equals(data_key->plaintext));
  // Through Glue it is not the S3 key's service.
  RequestContext via_glue = ViaService(caller, "glue.us-east-1.amazonaws.com", "glue.amazonaws.com");
  EXPECT_THAT(client.GenerateDataKey(via_glue, "alias/aws/s3", {}), HasAwsError("AccessDeniedException"));
}

TEST_F(KmsAccessTest, ManagedKeyRefusesChangesByAnyCaller) {
  const std::string arn = Kms("DescribeKey", {{"KeyId", "alias/aws/s3"}})->json["KeyMetadata"]["Arn"];
  for (const auto& [operation, input] : std::vector<std::pair<std::string, Json>>{
           {"DisableKey", {{"KeyId", arn}}},
           {"ScheduleKeyDeletion", {{"KeyId", arn}}},
           {"PutKeyPolicy", {{"KeyId", arn}, {"Policy", PolicyFor(RootArn(), "kms:*")}}},
           {"EnableKeyRotation", {{"KeyId", arn}}},
           {"TagResource", {{"KeyId", arn}, {"Tags", {{{"TagKey", "k"}, {"TagValue", "v"}}}}}}}) {
    EXPECT_THAT(Kms(operation, input), HasAwsError("AccessDeniedException")) << operation;
  }
  EXPECT_EQ(Kms("DescribeKey", {{"KeyId", arn}})->json["KeyMetadata"]["KeyState"], "Enabled");
}

TEST_F(KmsAccessTest, ServicePrincipalNamedByTheKeyPolicyMayUseTheKeyInProcess) {
  Json policy = Json::parse(PolicyFor(RootArn(), "kms:*"));
  policy["Statement"].push_back({{"Sid", "Logs"},
                                 {"Effect", "Allow"},
                                 {"Principal", {{"Service", "logs.us-east-1.amazonaws.com"}}},
                                 {"Action", Json::array({"kms:GenerateDataKey*", "kms:Decrypt"})},
                                 {"Resource", "*"},
                                 {"Condition", {{"ArnLike", {{"kms:EncryptionContext:aws:logs:arn",
                                                              "arn:aws:logs:us-east-1:000000000000:log-group:*"}}}}}});
  const std::string arn = CreateKey({{"Policy", policy.dump()}});
  const std::string other = CreateKey();
  Environment& env = emulator().env();
  RequestContext caller = env.NewContext(RootPrincipal("000000000000"), "us-east-1");
  const std::string group = "arn:aws:logs:us-east-1:000000000000:log-group:app";
  RequestContext logs = AsServicePrincipal(caller, "logs.us-east-1.amazonaws.com", group, "000000000000");
  kms::KmsClient client(env);
  EXPECT_THAT(client.GenerateDataKey(logs, arn, {{"aws:logs:arn", group}}), IsOk());
  EXPECT_THAT(client.GenerateDataKey(logs, arn, {{"aws:logs:arn", "arn:aws:s3:::x"}}),
              HasAwsError("AccessDeniedException"));
  EXPECT_THAT(client.GenerateDataKey(logs, other, {{"aws:logs:arn", group}}),
              HasAwsError("AccessDeniedException"));
}

// ---- grants ----

TEST_F(KmsAccessTest, GrantLetsItsGranteeUseTheKeyUntilRetired) {
  const std::string arn = CreateKey();
  auto dave = AddUser("dave");
  EXPECT_THAT(dave->Json("kms", "Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}),
              HasAwsError("AccessDeniedException"));
  auto grant = Kms("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", UserArn("dave")},
                                   {"RetiringPrincipal", UserArn("dave")},
                                   {"Operations", {"Encrypt", "Decrypt"}}});
  ASSERT_THAT(grant, IsOk());
  EXPECT_EQ(grant->json["GrantId"].get<std::string>().size(), 64u);
  const std::string blob = Encrypt(arn, "x", Json(), dave.get());
  ASSERT_FALSE(blob.empty());
  EXPECT_THAT(Decrypt(blob, Json(), dave.get()), IsOk());
  EXPECT_THAT(dave->Json("kms", "GenerateDataKey", {{"KeyId", arn}, {"NumberOfBytes", 32}}),
              HasAwsError("AccessDeniedException"));
  ASSERT_THAT(dave->Json("kms", "RetireGrant", {{"GrantToken", grant->json["GrantToken"]}}), IsOk());
  EXPECT_THAT(dave->Json("kms", "Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}}),
              HasAwsError("AccessDeniedException"));
}

TEST_F(KmsAccessTest, GrantToARoleAppliesToItsSessions) {
  const std::string arn = CreateKey();
  auto session = AddSession("worker", "job-1");
  ASSERT_THAT(Kms("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", RoleArn("worker")},
                                  {"Operations", {"GenerateDataKey"}}}),
              IsOk());
  EXPECT_THAT(session->Json("kms", "GenerateDataKey", {{"KeyId", arn}, {"NumberOfBytes", 16}}), IsOk());
}

TEST_F(KmsAccessTest, GrantWithEncryptionContextSubsetAllowsOnlyRequestsContainingIt) {
  const std::string arn = CreateKey();
  auto erin = AddUser("erin");
  ASSERT_THAT(Kms("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", UserArn("erin")},
                                  {"Operations", {"Encrypt"}},
                                  {"Constraints", {{"EncryptionContextSubset", {{"dept", "it"}}}}}}),
              IsOk());
  EXPECT_FALSE(Encrypt(arn, "x", {{"dept", "it"}, {"extra", "1"}}, erin.get()).empty());
  EXPECT_TRUE(Encrypt(arn, "x", {{"dept", "hr"}}, erin.get()).empty());
  EXPECT_TRUE(Encrypt(arn, "x", Json(), erin.get()).empty());
}

TEST_F(KmsAccessTest, GrantWithEncryptionContextEqualsAllowsOnlyTheExactContext) {
  const std::string arn = CreateKey();
  auto erin = AddUser("erin");
  ASSERT_THAT(Kms("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", UserArn("erin")},
                                  {"Operations", {"Encrypt"}},
                                  {"Constraints", {{"EncryptionContextEquals", {{"dept", "it"}}}}}}),
              IsOk());
  EXPECT_FALSE(Encrypt(arn, "x", {{"dept", "it"}}, erin.get()).empty());
  EXPECT_TRUE(Encrypt(arn, "x", {{"dept", "it"}, {"extra", "1"}}, erin.get()).empty());
}

TEST_F(KmsAccessTest, CreateGrantWithTheSameNameReturnsTheSameGrantAndANewToken) {
  const std::string arn = CreateKey();
  const Json input = {{"KeyId", arn}, {"GranteePrincipal", UserArn("f")}, {"Operations", {"Decrypt"}},
                      {"Name", "once"}};
  auto first = Kms("CreateGrant", input);
  auto second = Kms("CreateGrant", input);
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(first->json["GrantId"], second->json["GrantId"]);
  EXPECT_NE(first->json["GrantToken"], second->json["GrantToken"]);
  EXPECT_EQ(Kms("ListGrants", {{"KeyId", arn}})->json["Grants"].size(), 1u);
}

TEST_F(KmsAccessTest, ListGrantsAndListRetirableGrantsShowTheGrant) {
  const std::string arn = CreateKey();
  auto created = Kms("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", UserArn("g")},
                                     {"RetiringPrincipal", UserArn("r")}, {"Operations", {"Encrypt"}},
                                     {"Constraints", {{"EncryptionContextEquals", {{"a", "b"}}}}},
                                     {"Name", "listed"}});
  ASSERT_THAT(created, IsOk());
  auto listed = Kms("ListGrants", {{"KeyId", arn}});
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->json["Grants"].size(), 1u);
  const Json& g = listed->json["Grants"][0];
  EXPECT_EQ(g["KeyId"], arn);
  EXPECT_EQ(g["GrantId"], created->json["GrantId"]);
  EXPECT_EQ(g["Name"], "listed");
  EXPECT_EQ(g["GranteePrincipal"], UserArn("g"));
  EXPECT_EQ(g["RetiringPrincipal"], UserArn("r"));
  EXPECT_EQ(g["IssuingAccount"], RootArn());
  EXPECT_EQ(g["Operations"], Json::array({"Encrypt"}));
  EXPECT_EQ(g["Constraints"], Json::parse(R"({"EncryptionContextEquals":{"a":"b"}})"));
  auto retirable = Kms("ListRetirableGrants", {{"RetiringPrincipal", UserArn("r")}});
  ASSERT_THAT(retirable, IsOk());
  EXPECT_EQ(retirable->json["Grants"].size(), 1u);
}

TEST_F(KmsAccessTest, RevokeGrantRemovesTheGrantAndFailsForAnUnknownOne) {
  const std::string arn = CreateKey();
  auto created = Kms("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", UserArn("g")}, {"Operations", {"Encrypt"}}});
  ASSERT_THAT(created, IsOk());
  ASSERT_THAT(Kms("RevokeGrant", {{"KeyId", arn}, {"GrantId", created->json["GrantId"]}}), IsOk());
  EXPECT_TRUE(Kms("ListGrants", {{"KeyId", arn}})->json["Grants"].empty());
  EXPECT_THAT(Kms("RevokeGrant", {{"KeyId", arn}, {"GrantId", created->json["GrantId"]}}),
              HasAwsError("NotFoundException"));
  EXPECT_THAT(Kms("RevokeGrant", {{"KeyId", arn}, {"GrantId", "short"}}), HasAwsError("InvalidGrantIdException"));
}

TEST_F(KmsAccessTest, RetireGrantIsRefusedToACallerTheGrantDoesNotName) {
  const std::string arn = CreateKey();
  auto created = Kms("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", UserArn("g")}, {"Operations", {"Encrypt"}}});
  ASSERT_THAT(created, IsOk());
  auto mallory = AddUser("mallory");
  EXPECT_THAT(mallory->Json("kms", "RetireGrant", {{"KeyId", arn}, {"GrantId", created->json["GrantId"]}}),
              HasAwsError("AccessDeniedException"));
  // The key's account (root) may retire it.
  EXPECT_THAT(Kms("RetireGrant", {{"KeyId", arn}, {"GrantId", created->json["GrantId"]}}), IsOk());
}

TEST_F(KmsAccessTest, CreateGrantValidatesOperationsAndConstraints) {
  const std::string arn = CreateKey();
  const std::string signing = CreateKey({{"KeySpec", "ECC_NIST_P256"}, {"KeyUsage", "SIGN_VERIFY"}});
  EXPECT_THAT(Kms("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", UserArn("g")}, {"Operations", {"CreateGrant"}}}),
              HasAwsErrorMessage("ValidationException", "Grants must not contain only the CreateGrant operation."));
  EXPECT_THAT(Kms("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", UserArn("g")}, {"Operations", {"Sign"}}}),
              HasAwsError("ValidationException"));
  EXPECT_THAT(Kms("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", UserArn("g")}, {"Operations", {"Encrypt"}},
                                  {"Constraints", {{"EncryptionContextSubset", {{"a", "b"}}},
                                                   {"EncryptionContextEquals", {{"a", "b"}}}}}}),
              HasAwsErrorMessage("ValidationException", "More than one constraint supplied"));
  EXPECT_THAT(Kms("CreateGrant", {{"KeyId", signing}, {"GranteePrincipal", UserArn("g")}, {"Operations", {"Sign"}},
                                  {"Constraints", {{"EncryptionContextSubset", {{"a", "b"}}}}}}),
              HasAwsError("ValidationException"));
  EXPECT_THAT(Kms("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", "not a principal"}, {"Operations", {"Encrypt"}}}),
              HasAwsError("ValidationException"));
}

TEST_F(KmsAccessTest, GrantWithCreateGrantLetsTheGranteeCreateOnlyNarrowerGrants) {
  const std::string arn = CreateKey();
  auto gina = AddUser("gina");
  ASSERT_THAT(Kms("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", UserArn("gina")},
                                  {"Operations", {"Encrypt", "Decrypt", "CreateGrant"}},
                                  {"Constraints", {{"EncryptionContextSubset", {{"t", "1"}}}}}}),
              IsOk());
  EXPECT_THAT(gina->Json("kms", "CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", UserArn("h")},
                                                {"Operations", {"Decrypt"}},
                                                {"Constraints", {{"EncryptionContextEquals", {{"t", "1"}}}}}}),
              IsOk());
  EXPECT_THAT(gina->Json("kms", "CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", UserArn("h")},
                                                {"Operations", {"Decrypt"}}}),
              HasAwsError("AccessDeniedException"));
  EXPECT_THAT(gina->Json("kms", "CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", UserArn("h")},
                                                {"Operations", {"GenerateDataKey"}},
                                                {"Constraints", {{"EncryptionContextSubset", {{"t", "1"}}}}}}),
              HasAwsError("AccessDeniedException"));
}

TEST_F(KmsAccessTest, OperationsRefuseAGrantTokenGeeDidNotIssue) {
  const std::string arn = CreateKey();
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}, {"GrantTokens", {"forged"}}}),
              HasAwsError("InvalidGrantTokenException"));
  auto grant = Kms("CreateGrant", {{"KeyId", arn}, {"GranteePrincipal", UserArn("g")}, {"Operations", {"Encrypt"}}});
  EXPECT_THAT(Kms("Encrypt", {{"KeyId", arn}, {"Plaintext", B64("x")}, {"GrantTokens", {grant->json["GrantToken"]}}}),
              IsOk());
}

}  // namespace
}  // namespace gee
