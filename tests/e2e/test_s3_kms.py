"""S3 with SSE-KMS through boto3 and the AWS CLI: customer keys and the
aws/s3 managed key, key policies that allow or deny the caller, disabled
keys on PUT and GET, bucket default encryption with bucket keys, a
deny-unencrypted bucket policy, and multipart SSE-KMS uploads with
`aws s3 cp` (larger than the CLI's 8 MiB multipart threshold)."""
import hashlib
import json
import os
import unittest

import gee_e2e

MIB = 1024 * 1024
ROOT_ARN = "arn:aws:iam::%s:root" % gee_e2e.ACCOUNT


def pattern(n, seed=0):
    out = bytearray()
    block = hashlib.sha256(str(seed).encode()).digest()
    while len(out) < n:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:n])


def key_policy(usage_actions, condition=None):
    """The root may administer the key and do `usage_actions` (nothing else)."""
    use = {"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": ROOT_ARN},
           "Action": usage_actions, "Resource": "*"}
    if condition:
        use["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": ROOT_ARN},
         "Action": ["kms:Describe*", "kms:Put*", "kms:Get*", "kms:Enable*", "kms:Disable*",
                    "kms:Schedule*", "kms:Cancel*", "kms:List*"], "Resource": "*"},
        use]})


class S3KmsCase(gee_e2e.GeeTestCase):
    def setUp(self):
        self.s3 = self.client("s3")
        self.kms = self.client("kms")

    def bucket(self, name):
        self.s3.create_bucket(Bucket=name)
        return name

    def key(self, policy=None):
        kwargs = {"Description": "e2e s3 key"}
        if policy:
            kwargs.update(Policy=policy, BypassPolicyLockoutSafetyCheck=True)
        return self.kms.create_key(**kwargs)["KeyMetadata"]

    def write_file(self, name, data):
        path = os.path.join(self.server.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path


class S3SseKmsTest(S3KmsCase):
    def test_boto3_put_get_with_customer_key_returns_the_key_arn(self):
        self.bucket("kms-e2e-put")
        key = self.key()
        put = self.s3.put_object(Bucket="kms-e2e-put", Key="k", Body=b"secret",
                                 ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"])
        self.assertEqual(put["ServerSideEncryption"], "aws:kms")
        self.assertEqual(put["SSEKMSKeyId"], key["Arn"])
        self.assertNotIn("BucketKeyEnabled", put)
        got = self.s3.get_object(Bucket="kms-e2e-put", Key="k")
        self.assertEqual(got["Body"].read(), b"secret")
        self.assertEqual(got["SSEKMSKeyId"], key["Arn"])

    def test_boto3_aws_kms_without_key_uses_aws_s3(self):
        self.bucket("kms-e2e-managed")
        put = self.s3.put_object(Bucket="kms-e2e-managed", Key="k", Body=b"x",
                                 ServerSideEncryption="aws:kms")
        managed = self.kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
        self.assertEqual(put["SSEKMSKeyId"], managed["Arn"])
        self.assertEqual(managed["KeyManager"], "AWS")
        self.assertEqual(self.s3.get_object(Bucket="kms-e2e-managed", Key="k")["Body"].read(), b"x")

    def test_boto3_key_policy_without_generate_data_key_denies_the_put(self):
        self.bucket("kms-e2e-deny-put")
        key = self.key(key_policy(["kms:Decrypt"]))
        err = self.assertAwsError("AccessDenied", self.s3.put_object, Bucket="kms-e2e-deny-put",
                                  Key="k", Body=b"x", ServerSideEncryption="aws:kms",
                                  SSEKMSKeyId=key["Arn"])
        self.assertEqual(err["Message"],
                         "User: %s is not authorized to perform: kms:GenerateDataKey on resource: %s "
                         "because no resource-based policy allows the kms:GenerateDataKey action"
                         % (ROOT_ARN, key["Arn"]))

    def test_boto3_key_policy_without_decrypt_denies_the_get(self):
        self.bucket("kms-e2e-deny-get")
        key = self.key(key_policy(["kms:GenerateDataKey"]))
        self.s3.put_object(Bucket="kms-e2e-deny-get", Key="k", Body=b"x",
                           ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"])
        err = self.assertAwsError("AccessDenied", self.s3.get_object, Bucket="kms-e2e-deny-get",
                                  Key="k")
        self.assertIn("kms:Decrypt on resource: %s" % key["Arn"], err["Message"])
        head = self.s3.head_object(Bucket="kms-e2e-deny-get", Key="k")
        self.assertEqual(head["SSEKMSKeyId"], key["Arn"])

    def test_boto3_key_usable_only_via_s3(self):
        self.bucket("kms-e2e-via")
        key = self.key(key_policy(["kms:GenerateDataKey", "kms:Decrypt"],
                                  {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}))
        self.s3.put_object(Bucket="kms-e2e-via", Key="k", Body=b"via s3",
                           ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"])
        self.assertEqual(self.s3.get_object(Bucket="kms-e2e-via", Key="k")["Body"].read(), b"via s3")
        self.assertAwsError("AccessDeniedException", self.kms.generate_data_key,
                            KeyId=key["KeyId"], NumberOfBytes=32)

    def test_boto3_disabled_key_fails_put_and_get(self):
        self.bucket("kms-e2e-disabled")
        key = self.key()
        self.s3.put_object(Bucket="kms-e2e-disabled", Key="before", Body=b"x",
                           ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"])
        self.kms.disable_key(KeyId=key["KeyId"])
        err = self.assertAwsError("KMS.DisabledException", self.s3.put_object,
                                  Bucket="kms-e2e-disabled", Key="after", Body=b"x",
                                  ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"])
        self.assertEqual(err["Message"], "%s is disabled." % key["Arn"])
        err = self.assertAwsError("KMS.DisabledException", self.s3.get_object,
                                  Bucket="kms-e2e-disabled", Key="before")
        self.assertEqual(err["Message"], "%s is disabled." % key["Arn"])
        self.kms.enable_key(KeyId=key["KeyId"])
        self.assertEqual(self.s3.get_object(Bucket="kms-e2e-disabled", Key="before")["Body"].read(),
                         b"x")

    def test_boto3_unknown_key_fails_with_kms_not_found(self):
        self.bucket("kms-e2e-unknown")
        err = self.assertAwsError("KMS.NotFoundException", self.s3.put_object,
                                  Bucket="kms-e2e-unknown", Key="k", Body=b"x",
                                  ServerSideEncryption="aws:kms", SSEKMSKeyId="fake-key-id")
        self.assertEqual(err["Message"], "Invalid keyId 'fake-key-id'")

    def test_boto3_bucket_default_kms_with_bucket_key(self):
        self.bucket("kms-e2e-default")
        key = self.key()
        self.s3.put_bucket_encryption(Bucket="kms-e2e-default", ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                              "KMSMasterKeyID": key["KeyId"]},
                       "BucketKeyEnabled": True}]})
        put = self.s3.put_object(Bucket="kms-e2e-default", Key="k", Body=b"default")
        self.assertEqual(put["ServerSideEncryption"], "aws:kms")
        self.assertEqual(put["SSEKMSKeyId"], key["Arn"])
        self.assertTrue(put["BucketKeyEnabled"])
        head = self.s3.head_object(Bucket="kms-e2e-default", Key="k")
        self.assertTrue(head["BucketKeyEnabled"])
        rule = self.s3.get_bucket_encryption(Bucket="kms-e2e-default")[
            "ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"], key["KeyId"])

    def test_boto3_deny_unencrypted_policy_admits_kms_uploads(self):
        self.bucket("kms-e2e-policy")
        self.s3.put_bucket_policy(Bucket="kms-e2e-policy", Policy=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                "Resource": "arn:aws:s3:::kms-e2e-policy/*",
                "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}}]}))
        self.assertAwsError("AccessDenied", self.s3.put_object, Bucket="kms-e2e-policy", Key="k",
                            Body=b"x")
        put = self.s3.put_object(Bucket="kms-e2e-policy", Key="k", Body=b"x",
                                 ServerSideEncryption="aws:kms")
        self.assertEqual(put["ServerSideEncryption"], "aws:kms")

    def test_boto3_copy_object_reencrypts_with_the_destination_key(self):
        self.bucket("kms-e2e-copy")
        key = self.key()
        self.s3.put_object(Bucket="kms-e2e-copy", Key="plain", Body=b"copy")
        out = self.s3.copy_object(Bucket="kms-e2e-copy", Key="kms", ServerSideEncryption="aws:kms",
                                  SSEKMSKeyId=key["KeyId"],
                                  CopySource={"Bucket": "kms-e2e-copy", "Key": "plain"})
        self.assertEqual(out["SSEKMSKeyId"], key["Arn"])
        self.assertEqual(self.s3.get_object(Bucket="kms-e2e-copy", Key="kms")["Body"].read(), b"copy")


class S3SseKmsCliTest(S3KmsCase):
    def test_cli_multipart_cp_with_sse_kms_round_trips(self):
        self.bucket("kms-e2e-cli")
        key = self.key()
        body = pattern(20 * MIB + 11)
        path = self.write_file("kms-big.bin", body)
        self.aws("s3", "cp", path, "s3://kms-e2e-cli/big.bin", "--sse", "aws:kms",
                 "--sse-kms-key-id", key["KeyId"], "--only-show-errors")
        head = self.aws_json("s3api", "head-object", "--bucket", "kms-e2e-cli", "--key", "big.bin")
        self.assertEqual(head["ServerSideEncryption"], "aws:kms")
        self.assertEqual(head["SSEKMSKeyId"], key["Arn"])
        self.assertTrue(head["ETag"].endswith('-3"'), head["ETag"])
        back = os.path.join(self.server.tmp, "kms-back.bin")
        self.aws("s3", "cp", "s3://kms-e2e-cli/big.bin", back, "--only-show-errors")
        with open(back, "rb") as f:
            self.assertEqual(f.read(), body)

    def test_cli_multipart_cp_needs_kms_decrypt(self):
        self.bucket("kms-e2e-cli-deny")
        key = self.key(key_policy(["kms:GenerateDataKey"]))
        path = self.write_file("kms-deny.bin", pattern(10 * MIB, 5))
        code, _, err = self.aws("s3", "cp", path, "s3://kms-e2e-cli-deny/big.bin", "--sse",
                                "aws:kms", "--sse-kms-key-id", key["KeyId"], check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("AccessDenied", err)
        self.assertIn("UploadPart", err)
        # A small file (single PUT) needs only kms:GenerateDataKey.
        small = self.write_file("kms-small.txt", b"small")
        self.aws("s3", "cp", small, "s3://kms-e2e-cli-deny/small.txt", "--sse", "aws:kms",
                 "--sse-kms-key-id", key["KeyId"], "--only-show-errors")

    def test_cli_cp_into_bucket_with_default_kms_encryption(self):
        self.bucket("kms-e2e-cli-default")
        key = self.key()
        self.aws("s3api", "put-bucket-encryption", "--bucket", "kms-e2e-cli-default",
                 "--server-side-encryption-configuration", json.dumps({"Rules": [{
                     "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                            "KMSMasterKeyID": key["Arn"]}}]}))
        path = self.write_file("default.txt", b"encrypted by default")
        self.aws("s3", "cp", path, "s3://kms-e2e-cli-default/default.txt", "--only-show-errors")
        head = self.aws_json("s3api", "head-object", "--bucket", "kms-e2e-cli-default",
                             "--key", "default.txt")
        self.assertEqual(head["ServerSideEncryption"], "aws:kms")
        self.assertEqual(head["SSEKMSKeyId"], key["Arn"])

    def test_cli_disabled_key_fails_get(self):
        self.bucket("kms-e2e-cli-disabled")
        key = self.key()
        path = self.write_file("d.txt", b"d")
        self.aws("s3", "cp", path, "s3://kms-e2e-cli-disabled/d.txt", "--sse", "aws:kms",
                 "--sse-kms-key-id", key["KeyId"], "--only-show-errors")
        self.aws("kms", "disable-key", "--key-id", key["KeyId"])
        code, _, err = self.aws("s3api", "get-object", "--bucket", "kms-e2e-cli-disabled",
                                "--key", "d.txt", os.path.join(self.server.tmp, "d.out"),
                                check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("KMS.DisabledException", err)


if __name__ == "__main__":
    unittest.main()
