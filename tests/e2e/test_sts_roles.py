"""STS AssumeRole and GetSessionToken through boto3 and the AWS CLI, and the
permissions of the sessions they return (IAM Query and KMS JSON requests)."""
import json
import unittest

import gee_e2e

ACCOUNT = gee_e2e.ACCOUNT


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def trust(principal, **extra):
    return policy(dict({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"},
                       **extra))


class AssumeRoleTest(gee_e2e.GeeTestCase):

    def role(self, trust_doc, *policies, **kwargs):
        iam = self.client("iam")
        name = self.unique("role")
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust_doc,
                              **kwargs)["Role"]["Arn"]
        for i, doc in enumerate(policies):
            iam.put_role_policy(RoleName=name, PolicyName=f"p{i}", PolicyDocument=doc)
        return name, arn

    def test_boto3_assumed_role_session_has_the_roles_permissions(self):
        user, creds = self.iam_user()
        role, role_arn = self.role(trust({"AWS": f"arn:aws:iam::{ACCOUNT}:user/{user}"}),
                                   policy({"Effect": "Allow", "Action": "iam:ListRoles",
                                           "Resource": "*"}))
        out = self.client("sts", credentials=creds).assume_role(RoleArn=role_arn,
                                                                RoleSessionName="e2e")
        c = out["Credentials"]
        self.assertTrue(c["AccessKeyId"].startswith("ASIA"))
        self.assertEqual(out["AssumedRoleUser"]["Arn"],
                         f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/e2e")
        session = (c["AccessKeyId"], c["SecretAccessKey"])
        sts = self.client("sts", credentials=session, session_token=c["SessionToken"])
        self.assertEqual(sts.get_caller_identity()["Arn"], out["AssumedRoleUser"]["Arn"])
        iam = self.client("iam", credentials=session, session_token=c["SessionToken"])
        iam.list_roles()
        error = self.assertAwsError("AccessDenied", iam.list_users)
        self.assertEqual(
            error["Message"],
            f"User: arn:aws:sts::{ACCOUNT}:assumed-role/{role}/e2e is not authorized to perform: "
            f"iam:ListUsers on resource: arn:aws:iam::{ACCOUNT}:user/ because no identity-based "
            f"policy allows the iam:ListUsers action")

    def test_boto3_role_that_does_not_trust_the_caller_cannot_be_assumed(self):
        user, creds = self.iam_user(policy({"Effect": "Allow", "Action": "sts:AssumeRole",
                                        "Resource": "*"}))
        _, role_arn = self.role(trust({"Service": "glue.amazonaws.com"}))
        error = self.assertAwsError("AccessDenied",
                                    self.client("sts", credentials=creds).assume_role,
                                    RoleArn=role_arn, RoleSessionName="e2e")
        self.assertEqual(error["Message"],
                         f"User: arn:aws:iam::{ACCOUNT}:user/{user} is not authorized to perform: "
                         f"sts:AssumeRole on resource: {role_arn}")

    def test_cli_missing_role_gives_the_same_access_denied(self):
        user, creds = self.iam_user(policy({"Effect": "Allow", "Action": "sts:AssumeRole",
                                        "Resource": "*"}))
        arn = f"arn:aws:iam::{ACCOUNT}:role/no-such-role"
        code, _, err = self.aws("sts", "assume-role", "--role-arn", arn, "--role-session-name",
                                "e2e", credentials=creds, check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("AccessDenied", err)
        self.assertIn(f"User: arn:aws:iam::{ACCOUNT}:user/{user} is not authorized to perform: "
                      f"sts:AssumeRole on resource: {arn}", err)

    def test_cli_duration_above_role_maximum_is_a_validation_error(self):
        user, creds = self.iam_user()
        _, role_arn = self.role(trust({"AWS": f"arn:aws:iam::{ACCOUNT}:user/{user}"}))
        code, _, err = self.aws("sts", "assume-role", "--role-arn", role_arn,
                                "--role-session-name", "e2e", "--duration-seconds", "7200",
                                credentials=creds, check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("The requested DurationSeconds exceeds the MaxSessionDuration set for "
                      "this role.", err)

    def test_boto3_session_policy_narrows_the_session(self):
        user, creds = self.iam_user()
        _, role_arn = self.role(trust({"AWS": f"arn:aws:iam::{ACCOUNT}:user/{user}"}),
                                policy({"Effect": "Allow", "Action": "iam:List*",
                                        "Resource": "*"}))
        out = self.client("sts", credentials=creds).assume_role(
            RoleArn=role_arn, RoleSessionName="narrow",
            Policy=policy({"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"}))
        self.assertIn("PackedPolicySize", out)
        c = out["Credentials"]
        iam = self.client("iam", credentials=(c["AccessKeyId"], c["SecretAccessKey"]),
                          session_token=c["SessionToken"])
        iam.list_roles()
        error = self.assertAwsError("AccessDenied", iam.list_users)
        self.assertIn("because no session policy allows the iam:ListUsers action",
                      error["Message"])

    def test_boto3_role_session_uses_kms_through_the_key_policy(self):
        user, creds = self.iam_user()
        role, role_arn = self.role(trust({"AWS": f"arn:aws:iam::{ACCOUNT}:user/{user}"}))
        key_policy = policy(
            {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "Role", "Effect": "Allow", "Principal": {"AWS": role_arn},
             "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*"})
        key_arn = self.client("kms").create_key(Policy=key_policy)["KeyMetadata"]["Arn"]
        c = self.client("sts", credentials=creds).assume_role(
            RoleArn=role_arn, RoleSessionName="kms")["Credentials"]
        kms = self.client("kms", credentials=(c["AccessKeyId"], c["SecretAccessKey"]),
                          session_token=c["SessionToken"])
        blob = kms.encrypt(KeyId=key_arn, Plaintext=b"data")["CiphertextBlob"]
        self.assertEqual(kms.decrypt(CiphertextBlob=blob)["Plaintext"], b"data")
        error = self.assertAwsError("AccessDeniedException", kms.describe_key, KeyId=key_arn)
        self.assertIn(f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/kms", error["Message"])
        # The user itself has no IAM permission for the key.
        self.assertAwsError("AccessDeniedException",
                            self.client("kms", credentials=creds).encrypt,
                            KeyId=key_arn, Plaintext=b"data")

    def test_boto3_wrong_session_token_is_rejected(self):
        user, creds = self.iam_user()
        _, role_arn = self.role(trust({"AWS": f"arn:aws:iam::{ACCOUNT}:user/{user}"}))
        c = self.client("sts", credentials=creds).assume_role(
            RoleArn=role_arn, RoleSessionName="tok")["Credentials"]
        sts = self.client("sts", credentials=(c["AccessKeyId"], c["SecretAccessKey"]),
                          session_token="not-the-token")
        self.assertAwsError("InvalidClientTokenId", sts.get_caller_identity)

    def test_cli_get_session_token_acts_as_the_user(self):
        user, creds = self.iam_user(policy({"Effect": "Allow", "Action": "iam:ListRoles",
                                        "Resource": "*"}))
        c = self.aws_json("sts", "get-session-token", credentials=creds)["Credentials"]
        session = (c["AccessKeyId"], c["SecretAccessKey"])
        who = self.aws_json("sts", "get-caller-identity", credentials=session,
                            session_token=c["SessionToken"])
        self.assertEqual(who["Arn"], f"arn:aws:iam::{ACCOUNT}:user/{user}")
        self.aws_json("iam", "list-roles", credentials=session, session_token=c["SessionToken"])
        code, _, err = self.aws("sts", "get-session-token", credentials=session,
                                session_token=c["SessionToken"], check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("Cannot call GetSessionToken with session credentials", err)


if __name__ == "__main__":
    unittest.main()
