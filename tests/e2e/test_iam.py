"""IAM through boto3 and the AWS CLI: entities, errors, and enforcement of
identity policies on IAM (Query) and KMS (JSON) requests."""
import json
import unittest

import gee_e2e

ACCOUNT = gee_e2e.ACCOUNT


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*", **extra):
    return dict({"Effect": "Allow", "Action": action, "Resource": resource}, **extra)


def deny(action, resource="*", **extra):
    return dict({"Effect": "Deny", "Action": action, "Resource": resource}, **extra)


class IamEntitiesTest(gee_e2e.GeeTestCase):
    def test_boto3_create_and_get_role_round_trips_the_trust_policy(self):
        iam = self.client("iam")
        trust = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"},
             "Action": "sts:AssumeRole"}]}
        name = self.unique("role")
        created = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust),
                                  Path="/service/", MaxSessionDuration=7200)["Role"]
        self.assertTrue(created["RoleId"].startswith("AROA"))
        self.assertEqual(created["Arn"], f"arn:aws:iam::{ACCOUNT}:role/service/{name}")
        role = iam.get_role(RoleName=name)["Role"]
        self.assertEqual(role["AssumeRolePolicyDocument"], trust)  # botocore decodes it
        self.assertEqual(role["MaxSessionDuration"], 7200)

    def test_boto3_get_missing_user_is_no_such_entity(self):
        error = self.assertAwsError("NoSuchEntity", self.client("iam").get_user, UserName="ghost")
        self.assertEqual(error["Message"], "The user with name ghost cannot be found.")

    def test_boto3_duplicate_user_is_entity_already_exists(self):
        iam = self.client("iam")
        name = self.unique("dup")
        iam.create_user(UserName=name)
        self.assertAwsError("EntityAlreadyExists", iam.create_user, UserName=name)

    def test_boto3_trust_policy_with_resource_is_malformed(self):
        doc = policy({"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole",
                      "Resource": "*"})
        error = self.assertAwsError("MalformedPolicyDocument", self.client("iam").create_role,
                                    RoleName=self.unique("bad"), AssumeRolePolicyDocument=doc)
        self.assertEqual(error["Message"], "Has prohibited field Resource")

    def test_cli_policy_versions_are_limited_to_five(self):
        name = self.unique("versioned")
        arn = self.aws_json("iam", "create-policy", "--policy-name", name, "--policy-document",
                            policy(allow("s3:GetObject")))["Policy"]["Arn"]
        for _ in range(4):
            self.aws_json("iam", "create-policy-version", "--policy-arn", arn,
                          "--policy-document", policy(allow("s3:PutObject")))
        code, _, err = self.aws("iam", "create-policy-version", "--policy-arn", arn,
                                "--policy-document", policy(allow("s3:PutObject")), check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("LimitExceeded", err)
        versions = self.aws_json("iam", "list-policy-versions", "--policy-arn", arn)["Versions"]
        self.assertEqual(len(versions), 5)
        got = self.aws_json("iam", "get-policy-version", "--policy-arn", arn, "--version-id", "v1")
        self.assertEqual(got["PolicyVersion"]["Document"]["Statement"][0]["Action"], "s3:GetObject")

    def test_cli_delete_role_with_inline_policy_is_a_delete_conflict(self):
        name = self.unique("role")
        self.aws_json("iam", "create-role", "--role-name", name, "--assume-role-policy-document",
                      policy({"Effect": "Allow", "Principal": {"AWS": ACCOUNT},
                              "Action": "sts:AssumeRole"}))
        self.aws("iam", "put-role-policy", "--role-name", name, "--policy-name", "p",
                 "--policy-document", policy(allow("s3:*")))
        code, _, err = self.aws("iam", "delete-role", "--role-name", name, check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("DeleteConflict", err)
        self.assertIn("Cannot delete entity, must delete policies first.", err)

    def test_boto3_access_keys_list_without_secrets_and_inactive_keys_stop_working(self):
        name, creds = self.iam_user(policy(allow("iam:GetUser")))
        iam = self.client("iam")
        listed = iam.list_access_keys(UserName=name)["AccessKeyMetadata"]
        self.assertEqual([k["AccessKeyId"] for k in listed], [creds[0]])
        self.assertNotIn("SecretAccessKey", listed[0])
        me = self.client("iam", credentials=creds)
        self.assertEqual(me.get_user()["User"]["UserName"], name)
        iam.update_access_key(UserName=name, AccessKeyId=creds[0], Status="Inactive")
        self.assertAwsError("InvalidClientTokenId", me.get_user)

    def test_boto3_simulate_custom_policy(self):
        result = self.client("iam").simulate_custom_policy(
            PolicyInputList=[policy(allow("s3:*"), deny("s3:DeleteObject"))],
            ActionNames=["s3:GetObject", "s3:DeleteObject", "kms:Decrypt"])
        decisions = [r["EvalDecision"] for r in result["EvaluationResults"]]
        self.assertEqual(decisions, ["allowed", "explicitDeny", "implicitDeny"])
        self.assertEqual(result["EvaluationResults"][1]["MatchedStatements"][0]["SourcePolicyId"],
                         "PolicyInputList.1")

    def test_boto3_simulate_principal_policy_uses_the_users_policies(self):
        name, _ = self.iam_user(policy(allow("s3:GetObject")))
        result = self.client("iam").simulate_principal_policy(
            PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:user/{name}",
            ActionNames=["s3:GetObject", "s3:PutObject"])
        self.assertEqual([r["EvalDecision"] for r in result["EvaluationResults"]],
                         ["allowed", "implicitDeny"])


class IamEnforcementTest(gee_e2e.GeeTestCase):
    def test_boto3_least_privilege_user_is_denied_with_aws_sentence(self):
        name, creds = self.iam_user(policy(allow("iam:GetUser")))
        iam = self.client("iam", credentials=creds)
        iam.get_user(UserName=name)
        error = self.assertAwsError("AccessDenied", iam.list_roles)
        self.assertEqual(
            error["Message"],
            f"User: arn:aws:iam::{ACCOUNT}:user/{name} is not authorized to perform: "
            f"iam:ListRoles on resource: arn:aws:iam::{ACCOUNT}:role/ because no "
            f"identity-based policy allows the iam:ListRoles action")

    def test_cli_explicit_deny_beats_allow(self):
        name, creds = self.iam_user(policy(allow("iam:*"), deny("iam:ListUsers")))
        self.aws_json("iam", "list-roles", credentials=creds)
        code, _, err = self.aws("iam", "list-users", credentials=creds, check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("with an explicit deny in an identity-based policy", err)

    def test_boto3_not_action_and_not_resource(self):
        _, creds = self.iam_user(policy(
            {"Effect": "Allow", "NotAction": "iam:Delete*", "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:GetRole",
             "NotResource": f"arn:aws:iam::{ACCOUNT}:role/open-*"}))
        root = self.client("iam")
        trust = policy({"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"})
        open_role, closed_role = self.unique("open-"), self.unique("closed-")
        root.create_role(RoleName=open_role, AssumeRolePolicyDocument=trust)
        root.create_role(RoleName=closed_role, AssumeRolePolicyDocument=trust)
        iam = self.client("iam", credentials=creds)
        iam.get_role(RoleName=open_role)
        self.assertAwsError("AccessDenied", iam.get_role, RoleName=closed_role)
        self.assertAwsError("AccessDenied", iam.delete_role, RoleName=open_role)

    def test_boto3_permissions_boundary_caps_an_administrator(self):
        name, creds = self.iam_user(policy(allow("*")))
        root = self.client("iam")
        boundary = root.create_policy(PolicyName=self.unique("boundary"),
                                      PolicyDocument=policy(allow("iam:Get*")))["Policy"]["Arn"]
        root.put_user_permissions_boundary(UserName=name, PermissionsBoundary=boundary)
        iam = self.client("iam", credentials=creds)
        iam.get_user(UserName=name)
        error = self.assertAwsError("AccessDenied", iam.list_users)
        self.assertIn("because no permissions boundary allows the iam:ListUsers action",
                      error["Message"])

    def test_boto3_group_membership_grants_the_groups_policies(self):
        name, creds = self.iam_user()
        root = self.client("iam")
        group = self.unique("group")
        root.create_group(GroupName=group)
        root.attach_group_policy(GroupName=group,
                                 PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        iam = self.client("iam", credentials=creds)
        self.assertAwsError("AccessDenied", iam.list_groups)
        root.add_user_to_group(GroupName=group, UserName=name)
        self.assertIn(group, [g["GroupName"] for g in iam.list_groups()["Groups"]])

    def test_boto3_kms_denies_a_user_without_permissions_with_access_denied_exception(self):
        key_arn = self.client("kms").create_key()["KeyMetadata"]["Arn"]
        name, creds = self.iam_user(policy(allow("iam:GetUser")))
        kms = self.client("kms", credentials=creds)
        error = self.assertAwsError("AccessDeniedException", kms.encrypt, KeyId=key_arn,
                                    Plaintext=b"secret")
        self.assertEqual(
            error["Message"],
            f"User: arn:aws:iam::{ACCOUNT}:user/{name} is not authorized to perform: "
            f"kms:Encrypt on resource: {key_arn} because no identity-based policy allows the "
            f"kms:Encrypt action")

    def test_boto3_kms_identity_policy_works_through_the_default_key_policy(self):
        key_arn = self.client("kms").create_key()["KeyMetadata"]["Arn"]
        _, creds = self.iam_user(policy(allow(["kms:Encrypt", "kms:Decrypt"], key_arn)))
        kms = self.client("kms", credentials=creds)
        blob = kms.encrypt(KeyId=key_arn, Plaintext=b"secret")["CiphertextBlob"]
        self.assertEqual(kms.decrypt(CiphertextBlob=blob)["Plaintext"], b"secret")
        self.assertAwsError("AccessDeniedException", kms.describe_key, KeyId=key_arn)

    def test_boto3_kms_encryption_context_condition(self):
        key_arn = self.client("kms").create_key()["KeyMetadata"]["Arn"]
        _, creds = self.iam_user(policy(allow(
            "kms:Encrypt", key_arn,
            Condition={"StringEquals": {"kms:EncryptionContext:purpose": "backup"}})))
        kms = self.client("kms", credentials=creds)
        kms.encrypt(KeyId=key_arn, Plaintext=b"x", EncryptionContext={"purpose": "backup"})
        self.assertAwsError("AccessDeniedException", kms.encrypt, KeyId=key_arn, Plaintext=b"x",
                            EncryptionContext={"purpose": "other"})
        self.assertAwsError("AccessDeniedException", kms.encrypt, KeyId=key_arn, Plaintext=b"x")

    def test_boto3_kms_key_policy_with_principal_arn_condition(self):
        name, creds = self.iam_user()
        other, other_creds = self.iam_user()
        user_arn = f"arn:aws:iam::{ACCOUNT}:user/{name}"
        key_policy = policy(
            {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Encrypt",
             "Resource": "*", "Condition": {"ArnEquals": {"aws:PrincipalArn": user_arn}}})
        key_arn = self.client("kms").create_key(Policy=key_policy)["KeyMetadata"]["Arn"]
        self.client("kms", credentials=creds).encrypt(KeyId=key_arn, Plaintext=b"x")
        self.assertAwsError("AccessDeniedException",
                            self.client("kms", credentials=other_creds).encrypt,
                            KeyId=key_arn, Plaintext=b"x")


class SoftAuthTest(gee_e2e.GeeTestCase):
    server_args = ("--auth", "soft")

    def test_boto3_soft_mode_allows_and_logs_the_would_be_denial(self):
        name, creds = self.iam_user()
        self.client("iam", credentials=creds).list_roles()
        log = self.server.output()
        self.assertIn("soft-deny", log)
        self.assertIn(f"arn:aws:iam::{ACCOUNT}:user/{name}", log)
        self.assertIn("implicit-deny iam:ListRoles", log)


if __name__ == "__main__":
    unittest.main()
