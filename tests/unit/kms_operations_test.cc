// The KMS authorization table (operations.h), the key-state gate, KeyId
// parsing (key_ref.h), grant rules (grants.h) and generated key policies
// (key_policies.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "core/random.h"
#include "protocol/model.h"
#include "services/kms/grants.h"
#include "services/kms/key_policies.h"
#include "services/kms/key_ref.h"
#include "services/kms/key_store.h"
#include "services/kms/kms_service.h"
#include "services/kms/operations.h"
#include "tests/testing/matchers.h"

namespace gee::kms {
namespace {

using ::testing::ElementsAre;
using testing::HasAwsError;
using testing::HasAwsErrorMessage;
using testing::IsOk;
using Json = nlohmann::json;

// ---- the authorization table ----

TEST(KmsOperationTableTest, EveryOperationOfTheServiceTableHasASpecWithItsAction) {
  for (const auto& entry : KmsService::Table()) {
    const OperationSpec* spec = FindOperationSpec(entry.name);
    ASSERT_NE(spec, nullptr) << entry.name;
    EXPECT_EQ(entry.action, spec->action) << entry.name;
    EXPECT_NE(entry.resource, nullptr) << entry.name;
  }
  EXPECT_EQ(KmsService::Table().size(), OperationSpecs().size());
}

TEST(KmsOperationTableTest, EveryTableOperationExistsInTheKmsModel) {
  auto model = protocol::ServiceModel::Get("kms");
  ASSERT_TRUE(model.ok());
  for (const OperationSpec& spec : OperationSpecs()) {
    EXPECT_NE((*model)->FindOperation(spec.name), nullptr) << spec.name;
  }
}

TEST(KmsOperationTableTest, ActionsAreTheOperationNameExceptReEncrypt) {
  for (const OperationSpec& spec : OperationSpecs()) {
    if (spec.name == "ReEncrypt") {
      EXPECT_EQ(spec.action, "kms:ReEncryptFrom");
    } else {
      EXPECT_EQ(spec.action, "kms:" + std::string(spec.name)) << spec.name;
    }
  }
}

TEST(KmsOperationTableTest, IamOnlyActionsHaveNoKeyResource) {
  std::set<std::string> account_level;
  for (const OperationSpec& spec : OperationSpecs()) {
    if (spec.resource == ResourceKind::kAll) account_level.insert(std::string(spec.name));
  }
  EXPECT_EQ(account_level, (std::set<std::string>{"CreateKey", "GenerateRandom", "ListAliases",
                                                  "ListKeys", "ListRetirableGrants"}));
  for (const char* alias_op : {"CreateAlias", "UpdateAlias", "DeleteAlias"}) {
    EXPECT_EQ(FindOperationSpec(alias_op)->resource, ResourceKind::kAlias) << alias_op;
  }
  EXPECT_EQ(FindOperationSpec("RetireGrant")->resource, ResourceKind::kGrant);
  EXPECT_EQ(FindOperationSpec("Decrypt")->resource, ResourceKind::kCiphertextKey);
  EXPECT_EQ(FindOperationSpec("ReEncrypt")->resource, ResourceKind::kCiphertextKey);
}

TEST(KmsOperationTableTest, OnlyCryptoOperationsAndDescribeKeyAcceptAliases) {
  std::set<std::string> with_alias;
  for (const OperationSpec& spec : OperationSpecs()) {
    if (spec.key_form == KeyIdForm::kKeyOrAlias) with_alias.insert(std::string(spec.name));
  }
  EXPECT_EQ(with_alias,
            (std::set<std::string>{"Decrypt", "DeriveSharedSecret", "DescribeKey", "Encrypt",
                                   "GenerateDataKey", "GenerateDataKeyPair",
                                   "GenerateDataKeyPairWithoutPlaintext",
                                   "GenerateDataKeyWithoutPlaintext", "GenerateMac", "GetPublicKey",
                                   "ReEncrypt", "Sign", "Verify", "VerifyMac"}));
}

TEST(KmsOperationTableTest, GrantOperationsAreGrantableOperationNames) {
  const auto& all = AllGrantOperations();
  for (const OperationSpec& spec : OperationSpecs()) {
    if (spec.grant_operation.empty()) continue;
    EXPECT_NE(std::find(all.begin(), all.end(), spec.grant_operation), all.end()) << spec.name;
  }
  EXPECT_EQ(FindOperationSpec("ReEncrypt")->grant_operation, "ReEncryptFrom");
  EXPECT_TRUE(FindOperationSpec("PutKeyPolicy")->grant_operation.empty());
  EXPECT_TRUE(FindOperationSpec("ScheduleKeyDeletion")->grant_operation.empty());
}

TEST(KmsOperationTableTest, StateRulesFollowTheKeyStateTable) {
  auto rule = [](const char* op) { return FindOperationSpec(op)->state; };
  for (const char* op : {"Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "CreateGrant", "Sign",
                         "Verify", "GenerateMac", "EnableKeyRotation", "DisableKeyRotation"}) {
    EXPECT_EQ(rule(op), StateRule::kUsable) << op;
  }
  for (const char* op : {"DescribeKey", "GetKeyPolicy", "PutKeyPolicy", "ListGrants", "ListKeyPolicies",
                         "ListResourceTags", "DeleteAlias", "RetireGrant", "RevokeGrant",
                         "GetKeyRotationStatus"}) {
    EXPECT_EQ(rule(op), StateRule::kAny) << op;
  }
  for (const char* op : {"EnableKey", "DisableKey", "TagResource", "UntagResource", "UpdateKeyDescription",
                         "CreateAlias", "ScheduleKeyDeletion"}) {
    EXPECT_EQ(rule(op), StateRule::kNotPendingDeletion) << op;
  }
  EXPECT_EQ(rule("CancelKeyDeletion"), StateRule::kPendingDeletion);
}

// ---- the key-state gate ----

KeyRecord KeyIn(KeyState state) {
  KeyRecord k;
  k.arn = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  k.state = state;
  return k;
}

TEST(KmsGateKeyStateTest, UsableRuleAnswersEachStateAsAws) {
  const std::string arn = KeyIn(KeyState::kEnabled).arn;
  EXPECT_THAT(GateKeyState(KeyIn(KeyState::kEnabled), StateRule::kUsable), IsOk());
  EXPECT_THAT(GateKeyState(KeyIn(KeyState::kDisabled), StateRule::kUsable),
              HasAwsErrorMessage("DisabledException", arn + " is disabled."));
  EXPECT_THAT(GateKeyState(KeyIn(KeyState::kPendingDeletion), StateRule::kUsable),
              HasAwsErrorMessage("KMSInvalidStateException", arn + " is pending deletion."));
  EXPECT_THAT(GateKeyState(KeyIn(KeyState::kPendingImport), StateRule::kUsable),
              HasAwsErrorMessage("KMSInvalidStateException", arn + " is pending import."));
  EXPECT_THAT(GateKeyState(KeyIn(KeyState::kUnavailable), StateRule::kUsable),
              HasAwsErrorMessage("KMSInvalidStateException", arn + " is unavailable."));
}

TEST(KmsGateKeyStateTest, NotPendingDeletionRuleAcceptsDisabledKeys) {
  EXPECT_THAT(GateKeyState(KeyIn(KeyState::kDisabled), StateRule::kNotPendingDeletion), IsOk());
  EXPECT_THAT(GateKeyState(KeyIn(KeyState::kPendingDeletion), StateRule::kNotPendingDeletion),
              HasAwsError("KMSInvalidStateException"));
}

TEST(KmsGateKeyStateTest, PendingDeletionRuleRefusesEveryOtherState) {
  const std::string arn = KeyIn(KeyState::kEnabled).arn;
  EXPECT_THAT(GateKeyState(KeyIn(KeyState::kPendingDeletion), StateRule::kPendingDeletion), IsOk());
  EXPECT_THAT(GateKeyState(KeyIn(KeyState::kEnabled), StateRule::kPendingDeletion),
              HasAwsErrorMessage("KMSInvalidStateException", arn + " is not pending deletion."));
}

TEST(KmsGateKeyStateTest, UsableOrDisabledRuleAcceptsDisabledButNotPendingDeletion) {
  EXPECT_THAT(GateKeyState(KeyIn(KeyState::kDisabled), StateRule::kUsableOrDisabled), IsOk());
  EXPECT_THAT(GateKeyState(KeyIn(KeyState::kPendingDeletion), StateRule::kUsableOrDisabled),
              HasAwsError("KMSInvalidStateException"));
}

// ---- KeyId parsing ----

constexpr char kId[] = "1234abcd-12ab-34cd-56ef-1234567890ab";

TEST(KmsKeyRefTest, ParsesEveryIdentifierForm) {
  auto id = ParseKeyRef(kId, "000000000000", "us-east-1", true);
  ASSERT_THAT(id, IsOk());
  EXPECT_EQ(id->kind, KeyRef::Kind::kKeyId);
  EXPECT_EQ(id->KeyArn(), std::string("arn:aws:kms:us-east-1:000000000000:key/") + kId);

  auto arn = ParseKeyRef(std::string("arn:aws:kms:us-east-1:111122223333:key/") + kId, "000000000000",
                         "us-east-1", false);
  ASSERT_THAT(arn, IsOk());
  EXPECT_EQ(arn->kind, KeyRef::Kind::kKeyArn);
  EXPECT_EQ(arn->account, "111122223333");

  auto alias = ParseKeyRef("alias/app", "000000000000", "us-east-1", true);
  ASSERT_THAT(alias, IsOk());
  EXPECT_EQ(alias->AliasArn(), "arn:aws:kms:us-east-1:000000000000:alias/app");

  auto alias_arn = ParseKeyRef("arn:aws:kms:us-east-1:000000000000:alias/x/y", "000000000000",
                               "us-east-1", true);
  ASSERT_THAT(alias_arn, IsOk());
  EXPECT_EQ(alias_arn->alias_name, "alias/x/y");

  EXPECT_THAT(ParseKeyRef("mrk-0123456789abcdef0123456789abcdef", "000000000000", "us-east-1", false),
              IsOk());
}

TEST(KmsKeyRefTest, MalformedIdentifiersAreInvalidKeyId) {
  EXPECT_THAT(ParseKeyRef("fake-key-id", "000000000000", "us-east-1", true),
              HasAwsErrorMessage("NotFoundException", "Invalid keyId 'fake-key-id'"));
  EXPECT_THAT(ParseKeyRef("134f2428cec14b25a1ae9048164dba47", "000000000000", "us-east-1", true),
              HasAwsError("NotFoundException"));
  EXPECT_THAT(ParseKeyRef("alias/app", "000000000000", "us-east-1", false),
              HasAwsErrorMessage("NotFoundException", "Invalid keyId 'alias/app'"));
  EXPECT_THAT(ParseKeyRef("arn:aws:s3:::bucket", "000000000000", "us-east-1", true),
              HasAwsError("NotFoundException"));
}

TEST(KmsKeyRefTest, AnArnOfAnotherRegionIsInvalidArn) {
  EXPECT_THAT(ParseKeyRef(std::string("arn:aws:kms:ap-southeast-1:000000000000:key/") + kId,
                          "000000000000", "us-east-1", true),
              HasAwsErrorMessage("NotFoundException", "Invalid arn ap-southeast-1"));
}

// ---- grants ----

Principal User(const std::string& name) {
  Principal p;
  p.type = PrincipalType::kUser;
  p.account = "000000000000";
  p.arn = "arn:aws:iam::000000000000:user/" + name;
  return p;
}

TEST(KmsGrantRulesTest, GranteeMatchesTheUserTheSessionOrItsRoleAndServices) {
  EXPECT_TRUE(GranteeMatches("arn:aws:iam::000000000000:user/a", User("a")));
  EXPECT_FALSE(GranteeMatches("arn:aws:iam::000000000000:user/a", User("b")));
  Principal session;
  session.type = PrincipalType::kAssumedRole;
  session.arn = "arn:aws:sts::000000000000:assumed-role/R/s";
  session.role_arn = "arn:aws:iam::000000000000:role/R";
  EXPECT_TRUE(GranteeMatches("arn:aws:iam::000000000000:role/R", session));
  EXPECT_TRUE(GranteeMatches("arn:aws:sts::000000000000:assumed-role/R/s", session));
  EXPECT_FALSE(GranteeMatches("arn:aws:iam::000000000000:role/Other", session));
  EXPECT_TRUE(GranteeMatches("Logs.us-east-1.amazonaws.com", ServicePrincipal("logs.us-east-1.amazonaws.com")));
  // A grant to the account names only its root user.
  EXPECT_FALSE(GranteeMatches("arn:aws:iam::000000000000:root", User("a")));
  EXPECT_TRUE(GranteeMatches("arn:aws:iam::000000000000:root", RootPrincipal("000000000000")));
}

TEST(KmsGrantRulesTest, SubsetConstraintNeedsEveryPairInTheRequest) {
  GrantConstraints c;
  c.subset = EncryptionContext{{"dept", "it"}};
  EXPECT_TRUE(ConstraintsAdmit(c, "Decrypt", {{"dept", "it"}, {"x", "y"}}));
  EXPECT_FALSE(ConstraintsAdmit(c, "Decrypt", {{"dept", "IT"}}));
  EXPECT_FALSE(ConstraintsAdmit(c, "Decrypt", {}));
}

TEST(KmsGrantRulesTest, EqualsConstraintNeedsTheWholeContext) {
  GrantConstraints c;
  c.equals = EncryptionContext{{"dept", "it"}};
  EXPECT_TRUE(ConstraintsAdmit(c, "GenerateDataKey", {{"dept", "it"}}));
  EXPECT_FALSE(ConstraintsAdmit(c, "GenerateDataKey", {{"dept", "it"}, {"x", "y"}}));
}

TEST(KmsGrantRulesTest, ConstraintsDoNotApplyToDescribeKeyAndRetireGrant) {
  GrantConstraints c;
  c.equals = EncryptionContext{{"dept", "it"}};
  EXPECT_TRUE(ConstraintsAdmit(c, "DescribeKey", {}));
  EXPECT_TRUE(ConstraintsAdmit(c, "RetireGrant", {}));
  EXPECT_FALSE(ConstraintsAdmit(c, "Sign", {}));
  EXPECT_TRUE(ConstraintsAdmit(GrantConstraints{}, "Sign", {}));
}

TEST(KmsGrantRulesTest, ChildGrantMustStayWithinItsParent) {
  GrantConstraints parent;
  parent.subset = EncryptionContext{{"t", "1"}};
  GrantConstraints stricter;
  stricter.equals = EncryptionContext{{"t", "1"}, {"u", "2"}};
  GrantConstraints weaker;
  weaker.subset = EncryptionContext{{"u", "2"}};
  const std::vector<std::string> ops = {"Encrypt", "Decrypt", "CreateGrant"};
  EXPECT_TRUE(ChildGrantWithinParent(ops, parent, {"Decrypt"}, stricter));
  EXPECT_FALSE(ChildGrantWithinParent(ops, parent, {"Decrypt"}, weaker));
  EXPECT_FALSE(ChildGrantWithinParent(ops, parent, {"Decrypt"}, GrantConstraints{}));
  EXPECT_FALSE(ChildGrantWithinParent(ops, parent, {"GenerateDataKey"}, stricter));
  EXPECT_TRUE(ChildGrantWithinParent(ops, GrantConstraints{}, {"Encrypt"}, GrantConstraints{}));
}

TEST(KmsGrantRulesTest, GrantOperationsDependOnTheKeyType) {
  auto symmetric = GrantOperationsFor(KeySpec::kSymmetricDefault, KeyUsage::kEncryptDecrypt);
  EXPECT_NE(std::find(symmetric.begin(), symmetric.end(), "GenerateDataKey"), symmetric.end());
  EXPECT_EQ(std::find(symmetric.begin(), symmetric.end(), "Sign"), symmetric.end());
  auto signing = GrantOperationsFor(KeySpec::kEccNistP256, KeyUsage::kSignVerify);
  EXPECT_NE(std::find(signing.begin(), signing.end(), "Sign"), signing.end());
  EXPECT_EQ(std::find(signing.begin(), signing.end(), "Encrypt"), signing.end());
  auto mac = GrantOperationsFor(KeySpec::kHmac256, KeyUsage::kGenerateVerifyMac);
  EXPECT_NE(std::find(mac.begin(), mac.end(), "VerifyMac"), mac.end());
}

TEST(KmsGrantRulesTest, GrantTokensAreUniqueAndNameTheirGrant) {
  DeterministicRandom random(7);
  const std::string id = NewGrantId(random);
  EXPECT_TRUE(IsGrantId(id));
  const std::string a = NewGrantToken(id, random);
  const std::string b = NewGrantToken(id, random);
  EXPECT_NE(a, b);
  auto parsed = ParseGrantToken(a);
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(*parsed, id);
  EXPECT_THAT(ParseGrantToken("forged"), HasAwsError("InvalidGrantTokenException"));
}

TEST(KmsGrantRulesTest, ConstraintsRoundTripThroughTheirStoredForm) {
  GrantConstraints c;
  c.subset = EncryptionContext{{"a", "1"}, {"b", "2"}};
  auto parsed = ParseConstraints(SerializeConstraints(c));
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(parsed->subset, c.subset);
  EXPECT_FALSE(parsed->equals.has_value());
}

// ---- generated policies ----

TEST(KmsKeyPoliciesTest, JacksonPrettyPrintsLikeAws) {
  nlohmann::ordered_json v = nlohmann::ordered_json::parse(
      R"({"a":"x","b":[1,"y"],"c":[{"d":{}}],"e":[],"f":{"g":"h/i"}})");
  EXPECT_EQ(JacksonPretty(v),
            "{\n"
            "  \"a\" : \"x\",\n"
            "  \"b\" : [ 1, \"y\" ],\n"
            "  \"c\" : [ {\n"
            "    \"d\" : { }\n"
            "  } ],\n"
            "  \"e\" : [ ],\n"
            "  \"f\" : {\n"
            "    \"g\" : \"h/i\"\n"
            "  }\n"
            "}");
}

TEST(KmsKeyPoliciesTest, ManagedS3PolicyIsThePublishedOne) {
  const ManagedKeyService* s3 = FindManagedKeyService("alias/aws/s3");
  ASSERT_NE(s3, nullptr);
  EXPECT_EQ(ManagedKeyPolicy(*s3, "123412341234", "us-east-1"),
            "{\n"
            "  \"Version\" : \"2012-10-17\",\n"
            "  \"Id\" : \"auto-s3-2\",\n"
            "  \"Statement\" : [ {\n"
            "    \"Sid\" : \"Allow access through S3 for all principals in the account that are authorized to use S3\",\n"
            "    \"Effect\" : \"Allow\",\n"
            "    \"Principal\" : {\n"
            "      \"AWS\" : \"*\"\n"
            "    },\n"
            "    \"Action\" : [ \"kms:Encrypt\", \"kms:Decrypt\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", \"kms:DescribeKey\" ],\n"
            "    \"Resource\" : \"*\",\n"
            "    \"Condition\" : {\n"
            "      \"StringEquals\" : {\n"
            "        \"kms:CallerAccount\" : \"123412341234\",\n"
            "        \"kms:ViaService\" : \"s3.us-east-1.amazonaws.com\"\n"
            "      }\n"
            "    }\n"
            "  }, {\n"
            "    \"Sid\" : \"Allow direct access to key metadata to the account\",\n"
            "    \"Effect\" : \"Allow\",\n"
            "    \"Principal\" : {\n"
            "      \"AWS\" : \"arn:aws:iam::123412341234:root\"\n"
            "    },\n"
            "    \"Action\" : [ \"kms:Describe*\", \"kms:Get*\", \"kms:List*\" ],\n"
            "    \"Resource\" : \"*\"\n"
            "  } ]\n"
            "}");
}

TEST(KmsKeyPoliciesTest, ManagedGluePolicyAllowsCreateGrantAndRevokeGrant) {
  const ManagedKeyService* glue = FindManagedKeyService("alias/aws/glue");
  ASSERT_NE(glue, nullptr);
  const Json policy = Json::parse(ManagedKeyPolicy(*glue, "000000000000", "eu-west-1"));
  EXPECT_EQ(policy["Id"], "auto-glue-1");
  EXPECT_EQ(policy["Statement"][0]["Action"],
            Json::parse(R"(["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:CreateGrant","kms:DescribeKey"])"));
  EXPECT_EQ(policy["Statement"][0]["Condition"]["StringEquals"]["kms:ViaService"], "glue.eu-west-1.amazonaws.com");
  EXPECT_EQ(policy["Statement"][1]["Action"],
            Json::parse(R"(["kms:Describe*","kms:Get*","kms:List*","kms:RevokeGrant"])"));
  EXPECT_EQ(FindManagedKeyService("alias/aws/logs"), nullptr);
}

}  // namespace
}  // namespace gee::kms
