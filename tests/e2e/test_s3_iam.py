"""S3 and SSE-KMS decisions for IAM principals: an IAM user and an assumed-role
session, allowed or denied by their identity policies, by the key policy and
by the bucket policy, with AWS's AccessDenied sentences naming them."""
import json
import unittest
import urllib.request

import gee_e2e

ACCOUNT = gee_e2e.ACCOUNT
ROOT_ARN = "arn:aws:iam::%s:root" % ACCOUNT


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(actions, resources):
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


class S3IamCase(gee_e2e.GeeTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with urllib.request.urlopen(cls.server.endpoint + "/_gee/health") as r:
            services = json.load(r)["services"]
        if "iam" not in services:
            cls.tearDownClass()
            raise unittest.SkipTest("this build has no IAM service yet")

    def setUp(self):
        self.root_s3 = self.client("s3")
        self.iam = self.client("iam")
        self.kms = self.client("kms")

    def user(self, name, *statements):
        """Creates user `name` with an inline policy; returns an S3 client for it."""
        _, credentials = self.iam_user(*([policy(*statements)] if statements else []), name=name)
        return self.client("s3", credentials=credentials)

    def role_session(self, role, *statements):
        """Creates `role` (trusting the account) with an inline policy, assumes it
        as the root; returns (s3 client, session ARN)."""
        trust = policy({"Effect": "Allow", "Principal": {"AWS": ROOT_ARN},
                        "Action": "sts:AssumeRole"})
        arn = self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        self.iam.put_role_policy(RoleName=role, PolicyName="inline",
                                 PolicyDocument=policy(*statements))
        out = self.client("sts").assume_role(RoleArn=arn, RoleSessionName="s3-test")
        creds = out["Credentials"]
        client = self.client("s3", credentials=(creds["AccessKeyId"], creds["SecretAccessKey"]),
                             session_token=creds["SessionToken"])
        return client, out["AssumedRoleUser"]["Arn"]


class S3UserTest(S3IamCase):
    def test_user_without_s3_permission_gets_the_quoted_arn_sentence(self):
        self.root_s3.create_bucket(Bucket="iam-s3-none")
        alice = self.user("alice-none")
        err = self.assertAwsError("AccessDenied", alice.put_object, Bucket="iam-s3-none", Key="k",
                                  Body=b"x")
        self.assertEqual(err["Message"],
                         'User: arn:aws:iam::%s:user/alice-none is not authorized to perform: '
                         's3:PutObject on resource: "arn:aws:s3:::iam-s3-none/k" because no '
                         'identity-based policy allows the s3:PutObject action' % ACCOUNT)

    def test_user_needs_kms_permission_for_sse_kms_through_the_default_key_policy(self):
        self.root_s3.create_bucket(Bucket="iam-s3-kms")
        key = self.kms.create_key()["KeyMetadata"]  # default policy: delegates to the account
        bob = self.user("bob-kms", allow("s3:*", ["arn:aws:s3:::iam-s3-kms",
                                                    "arn:aws:s3:::iam-s3-kms/*"]))
        err = self.assertAwsError("AccessDenied", bob.put_object, Bucket="iam-s3-kms", Key="k",
                                  Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["Arn"])
        self.assertEqual(err["Message"],
                         "User: arn:aws:iam::%s:user/bob-kms is not authorized to perform: "
                         "kms:GenerateDataKey on resource: %s because no identity-based policy "
                         "allows the kms:GenerateDataKey action" % (ACCOUNT, key["Arn"]))
        # SSE-S3 needs no KMS permission at all.
        bob.put_object(Bucket="iam-s3-kms", Key="plain", Body=b"x")
        self.iam.put_user_policy(UserName="bob-kms", PolicyName="kms", PolicyDocument=policy(
            allow(["kms:GenerateDataKey", "kms:Decrypt"], key["Arn"])))
        bob.put_object(Bucket="iam-s3-kms", Key="k", Body=b"x", ServerSideEncryption="aws:kms",
                       SSEKMSKeyId=key["Arn"])
        self.assertEqual(bob.get_object(Bucket="iam-s3-kms", Key="k")["Body"].read(), b"x")

    def test_user_may_use_aws_s3_managed_key_through_s3_only(self):
        self.root_s3.create_bucket(Bucket="iam-s3-managed")
        carol = self.user("carol-managed", allow("s3:*", ["arn:aws:s3:::iam-s3-managed/*"]))
        carol.put_object(Bucket="iam-s3-managed", Key="k", Body=b"x", ServerSideEncryption="aws:kms")
        self.assertEqual(carol.get_object(Bucket="iam-s3-managed", Key="k")["Body"].read(), b"x")

    def test_key_policy_deny_for_the_user_wins(self):
        self.root_s3.create_bucket(Bucket="iam-s3-keydeny")
        user_arn = "arn:aws:iam::%s:user/dave-denied" % ACCOUNT
        dave = self.user("dave-denied", allow("s3:*", "*"), allow("kms:*", "*"))
        key = self.kms.create_key(Policy=policy(
            {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": ROOT_ARN}, "Action": "kms:*",
             "Resource": "*"},
            {"Sid": "NoDave", "Effect": "Deny", "Principal": {"AWS": user_arn},
             "Action": "kms:GenerateDataKey", "Resource": "*"}))["KeyMetadata"]
        err = self.assertAwsError("AccessDenied", dave.put_object, Bucket="iam-s3-keydeny", Key="k",
                                  Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"])
        self.assertIn("with an explicit deny in a resource-based policy", err["Message"])

    def test_bucket_policy_grants_a_user_without_identity_policy(self):
        self.root_s3.create_bucket(Bucket="iam-s3-grant")
        self.root_s3.put_object(Bucket="iam-s3-grant", Key="k", Body=b"shared")
        erin = self.user("erin-grant")
        self.root_s3.put_bucket_policy(Bucket="iam-s3-grant", Policy=policy(
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:user/erin-grant" % ACCOUNT},
             "Action": "s3:GetObject", "Resource": "arn:aws:s3:::iam-s3-grant/*"}))
        self.assertEqual(erin.get_object(Bucket="iam-s3-grant", Key="k")["Body"].read(), b"shared")
        self.assertAwsError("AccessDenied", erin.put_object, Bucket="iam-s3-grant", Key="k",
                            Body=b"x")


class S3RoleSessionTest(S3IamCase):
    def test_assumed_role_with_kms_permissions_round_trips_sse_kms(self):
        self.root_s3.create_bucket(Bucket="iam-role-ok")
        key = self.kms.create_key()["KeyMetadata"]
        s3, _ = self.role_session("writer-role",
                                  allow(["s3:PutObject", "s3:GetObject"], "arn:aws:s3:::iam-role-ok/*"),
                                  allow(["kms:GenerateDataKey", "kms:Decrypt"], key["Arn"]))
        s3.put_object(Bucket="iam-role-ok", Key="k", Body=b"from a role",
                      ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"])
        self.assertEqual(s3.get_object(Bucket="iam-role-ok", Key="k")["Body"].read(), b"from a role")

    def test_assumed_role_without_decrypt_is_named_in_the_denial(self):
        self.root_s3.create_bucket(Bucket="iam-role-nodecrypt")
        key = self.kms.create_key()["KeyMetadata"]
        s3, session_arn = self.role_session(
            "nodecrypt-role", allow(["s3:PutObject", "s3:GetObject"], "arn:aws:s3:::iam-role-nodecrypt/*"),
            allow(["kms:GenerateDataKey"], key["Arn"]))
        s3.put_object(Bucket="iam-role-nodecrypt", Key="k", Body=b"x",
                      ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"])
        err = self.assertAwsError("AccessDenied", s3.get_object, Bucket="iam-role-nodecrypt", Key="k")
        self.assertEqual(err["Message"],
                         "User: %s is not authorized to perform: kms:Decrypt on resource: %s "
                         "because no identity-based policy allows the kms:Decrypt action"
                         % (session_arn, key["Arn"]))
        self.assertTrue(session_arn.startswith("arn:aws:sts::%s:assumed-role/nodecrypt-role/" % ACCOUNT))

    def test_assumed_role_multipart_sse_kms_needs_decrypt(self):
        self.root_s3.create_bucket(Bucket="iam-role-mpu")
        key = self.kms.create_key()["KeyMetadata"]
        s3, _ = self.role_session("mpu-role", allow("s3:*", "arn:aws:s3:::iam-role-mpu/*"),
                                  allow(["kms:GenerateDataKey"], key["Arn"]))
        upload = s3.create_multipart_upload(Bucket="iam-role-mpu", Key="big",
                                            ServerSideEncryption="aws:kms",
                                            SSEKMSKeyId=key["KeyId"])["UploadId"]
        err = self.assertAwsError("AccessDenied", s3.upload_part, Bucket="iam-role-mpu", Key="big",
                                  UploadId=upload, PartNumber=1, Body=b"x")
        self.assertIn("kms:Decrypt", err["Message"])


if __name__ == "__main__":
    unittest.main()
