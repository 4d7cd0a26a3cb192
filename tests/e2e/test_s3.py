"""S3 through boto3 (path-style, plus one virtual-host test) and the AWS CLI:
buckets, objects, listings, multipart uploads, copies, default encryption,
bucket policies and SSE-S3. SSE-KMS is in test_s3_kms.py."""
import base64
import hashlib
import json
import os
import socket
import unittest

import boto3
import botocore.config
import botocore.exceptions
from botocore import UNSIGNED
from boto3.s3.transfer import TransferConfig

import gee_e2e

MIB = 1024 * 1024


def pattern(n, seed=0):
    """Deterministic, incompressible-looking bytes."""
    out = bytearray()
    block = hashlib.sha256(str(seed).encode()).digest()
    while len(out) < n:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:n])


class S3Case(gee_e2e.GeeTestCase):
    def setUp(self):
        self.s3 = self.client("s3")

    def bucket(self, name):
        self.s3.create_bucket(Bucket=name)
        return name

    def put_policy(self, bucket, statements):
        self.s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(
            {"Version": "2012-10-17", "Statement": statements}))


class S3BucketTest(S3Case):
    def test_boto3_create_list_head_and_delete_bucket(self):
        self.bucket("e2e-bucket-life")
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertIn("e2e-bucket-life", names)
        head = self.s3.head_bucket(Bucket="e2e-bucket-life")
        self.assertEqual(head["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"], "us-east-1")
        self.assertIsNone(self.s3.get_bucket_location(Bucket="e2e-bucket-life")["LocationConstraint"])
        self.s3.delete_bucket(Bucket="e2e-bucket-life")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.head_bucket(Bucket="e2e-bucket-life")
        self.assertEqual(cm.exception.response["Error"]["Code"], "404")

    def test_boto3_bucket_outside_us_east_1_needs_its_location_constraint(self):
        eu = self.client("s3", region="eu-west-1")
        self.assertAwsError("IllegalLocationConstraintException", eu.create_bucket,
                            Bucket="e2e-eu-bucket")
        eu.create_bucket(Bucket="e2e-eu-bucket",
                         CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        self.assertEqual(eu.get_bucket_location(Bucket="e2e-eu-bucket")["LocationConstraint"],
                         "eu-west-1")
        self.assertAwsError("BucketAlreadyOwnedByYou", eu.create_bucket, Bucket="e2e-eu-bucket",
                            CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})

    def test_boto3_us_east_1_constraint_is_invalid(self):
        self.assertAwsError("InvalidLocationConstraint", self.s3.create_bucket,
                            Bucket="e2e-east-constraint",
                            CreateBucketConfiguration={"LocationConstraint": "us-east-1"})

    def test_boto3_invalid_bucket_name_fails(self):
        self.assertAwsError("InvalidBucketName", self.s3.create_bucket, Bucket="Not_Valid")

    def test_boto3_deleting_a_non_empty_bucket_fails_with_bucket_not_empty(self):
        self.bucket("e2e-nonempty")
        self.s3.put_object(Bucket="e2e-nonempty", Key="k", Body=b"x")
        self.assertAwsError("BucketNotEmpty", self.s3.delete_bucket, Bucket="e2e-nonempty")

    def test_cli_make_list_and_remove_bucket(self):
        self.aws("s3", "mb", "s3://e2e-cli-bucket")
        _, out, _ = self.aws("s3", "ls")
        self.assertIn("e2e-cli-bucket", out)
        self.aws("s3", "rb", "s3://e2e-cli-bucket")
        _, out, _ = self.aws("s3", "ls")
        self.assertNotIn("e2e-cli-bucket", out)


class S3ObjectTest(S3Case):
    def test_boto3_put_get_head_with_metadata_and_sse_s3(self):
        self.bucket("e2e-objects")
        put = self.s3.put_object(Bucket="e2e-objects", Key="dir/a.txt", Body=b"hello\n",
                                 ContentType="text/plain", Metadata={"owner": "alice"})
        self.assertEqual(put["ETag"], '"b1946ac92492d2347c6235b4d2611184"')
        self.assertEqual(put["ServerSideEncryption"], "AES256")
        got = self.s3.get_object(Bucket="e2e-objects", Key="dir/a.txt")
        self.assertEqual(got["Body"].read(), b"hello\n")
        self.assertEqual(got["ContentType"], "text/plain")
        self.assertEqual(got["Metadata"], {"owner": "alice"})
        self.assertEqual(got["ServerSideEncryption"], "AES256")
        head = self.s3.head_object(Bucket="e2e-objects", Key="dir/a.txt")
        self.assertEqual(head["ContentLength"], 6)
        self.assertNotIn("BucketKeyEnabled", head)

    def test_boto3_missing_key_fails_with_no_such_key(self):
        self.bucket("e2e-missing")
        self.assertAwsError("NoSuchKey", self.s3.get_object, Bucket="e2e-missing", Key="nope")
        self.assertAwsError("NoSuchBucket", self.s3.get_object, Bucket="e2e-no-bucket", Key="k")

    def test_boto3_range_get_and_invalid_range(self):
        self.bucket("e2e-range")
        body = pattern(100000)
        self.s3.put_object(Bucket="e2e-range", Key="k", Body=body)
        got = self.s3.get_object(Bucket="e2e-range", Key="k", Range="bytes=1000-1999")
        self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 206)
        self.assertEqual(got["ContentRange"], "bytes 1000-1999/100000")
        self.assertEqual(got["Body"].read(), body[1000:2000])
        self.assertAwsError("InvalidRange", self.s3.get_object, Bucket="e2e-range", Key="k",
                            Range="bytes=200000-")

    def test_boto3_wrong_content_md5_fails_with_bad_digest(self):
        self.bucket("e2e-md5")
        wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()
        self.assertAwsError("BadDigest", self.s3.put_object, Bucket="e2e-md5", Key="k",
                            Body=b"body", ContentMD5=wrong)
        self.assertAwsError("NoSuchKey", self.s3.get_object, Bucket="e2e-md5", Key="k")

    def test_boto3_checksum_algorithm_is_verified_and_returned(self):
        self.bucket("e2e-checksum")
        put = self.s3.put_object(Bucket="e2e-checksum", Key="k", Body=b"123456789",
                                 ChecksumAlgorithm="CRC32")
        self.assertEqual(put["ChecksumCRC32"], "y/Q5Jg==")
        head = self.s3.head_object(Bucket="e2e-checksum", Key="k", ChecksumMode="ENABLED")
        self.assertEqual(head["ChecksumCRC32"], "y/Q5Jg==")

    def test_boto3_delete_object_and_delete_objects(self):
        self.bucket("e2e-delete")
        for key in ("a", "b", "c"):
            self.s3.put_object(Bucket="e2e-delete", Key=key, Body=key.encode())
        self.s3.delete_object(Bucket="e2e-delete", Key="a")
        out = self.s3.delete_objects(Bucket="e2e-delete",
                                     Delete={"Objects": [{"Key": "b"}, {"Key": "zz"}]})
        self.assertEqual(sorted(d["Key"] for d in out["Deleted"]), ["b", "zz"])
        keys = [o["Key"] for o in self.s3.list_objects_v2(Bucket="e2e-delete").get("Contents", [])]
        self.assertEqual(keys, ["c"])

    def test_boto3_copy_object_keeps_or_replaces_metadata(self):
        self.bucket("e2e-copy-src")
        self.bucket("e2e-copy-dst")
        self.s3.put_object(Bucket="e2e-copy-src", Key="from", Body=b"copy me",
                           Metadata={"color": "blue"})
        out = self.s3.copy_object(Bucket="e2e-copy-dst", Key="to",
                                  CopySource={"Bucket": "e2e-copy-src", "Key": "from"})
        self.assertEqual(out["CopyObjectResult"]["ETag"], '"%s"' % hashlib.md5(b"copy me").hexdigest())
        got = self.s3.get_object(Bucket="e2e-copy-dst", Key="to")
        self.assertEqual(got["Body"].read(), b"copy me")
        self.assertEqual(got["Metadata"], {"color": "blue"})
        self.s3.copy_object(Bucket="e2e-copy-dst", Key="to2", MetadataDirective="REPLACE",
                            Metadata={"color": "red"},
                            CopySource={"Bucket": "e2e-copy-src", "Key": "from"})
        self.assertEqual(self.s3.head_object(Bucket="e2e-copy-dst", Key="to2")["Metadata"],
                         {"color": "red"})
        self.assertAwsError("InvalidRequest", self.s3.copy_object, Bucket="e2e-copy-src",
                            Key="from", CopySource={"Bucket": "e2e-copy-src", "Key": "from"})

    def test_boto3_list_objects_v2_paginates_with_prefix_and_delimiter(self):
        self.bucket("e2e-list")
        keys = ["a/1", "a/2", "a/b/3", "c", "d/4", "space key", "plus+key"]
        for key in keys:
            self.s3.put_object(Bucket="e2e-list", Key=key, Body=b"x")
        pages = self.s3.get_paginator("list_objects_v2").paginate(
            Bucket="e2e-list", Delimiter="/", PaginationConfig={"PageSize": 2})
        seen_keys, seen_prefixes = [], []
        for page in pages:
            seen_keys += [o["Key"] for o in page.get("Contents", [])]
            seen_prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
        self.assertEqual(sorted(seen_keys), sorted(["c", "space key", "plus+key"]))
        self.assertEqual(seen_prefixes, ["a/", "d/"])
        nested = self.s3.list_objects_v2(Bucket="e2e-list", Prefix="a/", Delimiter="/")
        self.assertEqual([o["Key"] for o in nested["Contents"]], ["a/1", "a/2"])
        self.assertEqual(nested["CommonPrefixes"], [{"Prefix": "a/b/"}])
        after = self.s3.list_objects_v2(Bucket="e2e-list", StartAfter="d/4")
        self.assertEqual([o["Key"] for o in after["Contents"]], ["plus+key", "space key"])
        all_keys = [o["Key"] for p in self.s3.get_paginator("list_objects_v2").paginate(
            Bucket="e2e-list", PaginationConfig={"PageSize": 3}) for o in p.get("Contents", [])]
        self.assertEqual(all_keys, sorted(keys))

    def test_boto3_list_objects_v1_pages_with_markers(self):
        self.bucket("e2e-list-v1")
        for key in ["k1", "k2", "k3"]:
            self.s3.put_object(Bucket="e2e-list-v1", Key=key, Body=b"x")
        keys = [o["Key"] for p in self.s3.get_paginator("list_objects").paginate(
            Bucket="e2e-list-v1", PaginationConfig={"PageSize": 1}) for o in p.get("Contents", [])]
        self.assertEqual(keys, ["k1", "k2", "k3"])

    def test_boto3_transfer_round_trips_a_multipart_file(self):
        self.bucket("e2e-transfer")
        path = os.path.join(self.server.tmp, "upload.bin")
        body = pattern(12 * MIB + 123)
        with open(path, "wb") as f:
            f.write(body)
        config = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB)
        self.s3.upload_file(path, "e2e-transfer", "big.bin", Config=config)
        head = self.s3.head_object(Bucket="e2e-transfer", Key="big.bin")
        self.assertTrue(head["ETag"].endswith('-3"'), head["ETag"])
        back = os.path.join(self.server.tmp, "download.bin")
        self.s3.download_file("e2e-transfer", "big.bin", back, Config=config)
        with open(back, "rb") as f:
            self.assertEqual(f.read(), body)

    def test_cli_cp_of_a_large_file_uses_multipart_and_round_trips(self):
        self.bucket("e2e-cli-cp")
        path = os.path.join(self.server.tmp, "cli.bin")
        body = pattern(20 * MIB + 7, seed=2)
        with open(path, "wb") as f:
            f.write(body)
        self.aws("s3", "cp", path, "s3://e2e-cli-cp/cli.bin", "--only-show-errors")
        head = self.aws_json("s3api", "head-object", "--bucket", "e2e-cli-cp", "--key", "cli.bin")
        self.assertTrue(head["ETag"].endswith('-3"'), head["ETag"])
        self.assertEqual(head["ServerSideEncryption"], "AES256")
        back = os.path.join(self.server.tmp, "cli-back.bin")
        self.aws("s3", "cp", "s3://e2e-cli-cp/cli.bin", back, "--only-show-errors")
        with open(back, "rb") as f:
            self.assertEqual(f.read(), body)
        _, out, _ = self.aws("s3", "ls", "s3://e2e-cli-cp/")
        self.assertIn("cli.bin", out)


class S3MultipartTest(S3Case):
    def test_boto3_multipart_api_round_trip(self):
        self.bucket("e2e-mpu")
        upload = self.s3.create_multipart_upload(Bucket="e2e-mpu", Key="obj")["UploadId"]
        listed = self.s3.list_multipart_uploads(Bucket="e2e-mpu")["Uploads"]
        self.assertEqual([u["UploadId"] for u in listed], [upload])
        part1, part2 = pattern(5 * MIB, 1), pattern(100, 2)
        e1 = self.s3.upload_part(Bucket="e2e-mpu", Key="obj", UploadId=upload, PartNumber=1,
                                 Body=part1)["ETag"]
        e2 = self.s3.upload_part(Bucket="e2e-mpu", Key="obj", UploadId=upload, PartNumber=2,
                                 Body=part2)["ETag"]
        parts = self.s3.list_parts(Bucket="e2e-mpu", Key="obj", UploadId=upload)["Parts"]
        self.assertEqual([(p["PartNumber"], p["Size"]) for p in parts], [(1, 5 * MIB), (2, 100)])
        done = self.s3.complete_multipart_upload(
            Bucket="e2e-mpu", Key="obj", UploadId=upload,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
        expected = hashlib.md5(hashlib.md5(part1).digest() + hashlib.md5(part2).digest()).hexdigest()
        self.assertEqual(done["ETag"], '"%s-2"' % expected)
        self.assertEqual(self.s3.get_object(Bucket="e2e-mpu", Key="obj")["Body"].read(), part1 + part2)

    def test_boto3_small_non_last_part_fails_with_entity_too_small(self):
        self.bucket("e2e-mpu-small")
        upload = self.s3.create_multipart_upload(Bucket="e2e-mpu-small", Key="obj")["UploadId"]
        e1 = self.s3.upload_part(Bucket="e2e-mpu-small", Key="obj", UploadId=upload, PartNumber=1,
                                 Body=b"tiny")["ETag"]
        e2 = self.s3.upload_part(Bucket="e2e-mpu-small", Key="obj", UploadId=upload, PartNumber=2,
                                 Body=b"tail")["ETag"]
        parts = {"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]}
        self.assertAwsError("EntityTooSmall", self.s3.complete_multipart_upload,
                            Bucket="e2e-mpu-small", Key="obj", UploadId=upload, MultipartUpload=parts)
        bad = {"Parts": [{"PartNumber": 2, "ETag": e2}, {"PartNumber": 1, "ETag": e1}]}
        self.assertAwsError("InvalidPartOrder", self.s3.complete_multipart_upload,
                            Bucket="e2e-mpu-small", Key="obj", UploadId=upload, MultipartUpload=bad)
        wrong = {"Parts": [{"PartNumber": 1, "ETag": '"0123456789abcdef0123456789abcdef"'}]}
        self.assertAwsError("InvalidPart", self.s3.complete_multipart_upload,
                            Bucket="e2e-mpu-small", Key="obj", UploadId=upload, MultipartUpload=wrong)
        self.s3.abort_multipart_upload(Bucket="e2e-mpu-small", Key="obj", UploadId=upload)
        self.assertAwsError("NoSuchUpload", self.s3.list_parts, Bucket="e2e-mpu-small", Key="obj",
                            UploadId=upload)

    def test_boto3_upload_part_copy(self):
        self.bucket("e2e-mpu-copy")
        source = pattern(6 * MIB, 3)
        self.s3.put_object(Bucket="e2e-mpu-copy", Key="src", Body=source)
        upload = self.s3.create_multipart_upload(Bucket="e2e-mpu-copy", Key="dst")["UploadId"]
        e1 = self.s3.upload_part_copy(Bucket="e2e-mpu-copy", Key="dst", UploadId=upload,
                                      PartNumber=1, CopySource={"Bucket": "e2e-mpu-copy", "Key": "src"},
                                      CopySourceRange="bytes=0-5242879")["CopyPartResult"]["ETag"]
        e2 = self.s3.upload_part(Bucket="e2e-mpu-copy", Key="dst", UploadId=upload, PartNumber=2,
                                 Body=b"end")["ETag"]
        self.s3.complete_multipart_upload(
            Bucket="e2e-mpu-copy", Key="dst", UploadId=upload,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
        got = self.s3.get_object(Bucket="e2e-mpu-copy", Key="dst")["Body"].read()
        self.assertEqual(got, source[:5 * MIB] + b"end")


class S3DefaultEncryptionTest(S3Case):
    def test_boto3_bucket_encryption_defaults_put_get_delete(self):
        self.bucket("e2e-enc")
        rules = self.s3.get_bucket_encryption(Bucket="e2e-enc")["ServerSideEncryptionConfiguration"]["Rules"]
        self.assertEqual(rules, [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
                                  "BucketKeyEnabled": False}])
        self.s3.put_bucket_encryption(Bucket="e2e-enc", ServerSideEncryptionConfiguration={"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                   "KMSMasterKeyID": "1234abcd-12ab-34cd-56ef-1234567890ab"},
            "BucketKeyEnabled": True}]})
        rule = self.s3.get_bucket_encryption(Bucket="e2e-enc")["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"],
                         "1234abcd-12ab-34cd-56ef-1234567890ab")
        self.assertTrue(rule["BucketKeyEnabled"])
        self.s3.delete_bucket_encryption(Bucket="e2e-enc")
        self.s3.delete_bucket_encryption(Bucket="e2e-enc")
        rule = self.s3.get_bucket_encryption(Bucket="e2e-enc")["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"], {"SSEAlgorithm": "AES256"})

    def test_boto3_kms_master_key_with_aes256_fails_with_invalid_argument(self):
        self.bucket("e2e-enc-bad")
        err = self.assertAwsError(
            "InvalidArgument", self.s3.put_bucket_encryption, Bucket="e2e-enc-bad",
            ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {
                "SSEAlgorithm": "AES256", "KMSMasterKeyID": "k"}}]})
        self.assertEqual(err["Message"], "a KMSMasterKeyID is not applicable if the default sse "
                                         "algorithm is not aws:kms or aws:kms:dsse")
        self.assertAwsError("MalformedXML", self.s3.put_bucket_encryption, Bucket="e2e-enc-bad",
                            ServerSideEncryptionConfiguration={"Rules": []})
        self.assertAwsError("NoSuchBucket", self.s3.get_bucket_encryption, Bucket="e2e-enc-none")

    def test_boto3_sse_header_with_kms_key_but_aes256_fails(self):
        self.bucket("e2e-enc-hdr")
        err = self.assertAwsError("InvalidArgument", self.s3.put_object, Bucket="e2e-enc-hdr",
                                  Key="k", Body=b"x", ServerSideEncryption="AES256",
                                  SSEKMSKeyId="some-key")
        self.assertEqual(err["Message"], "Server Side Encryption with AWS KMS managed key requires "
                                         "HTTP header x-amz-server-side-encryption : aws:kms")


DENY_UNENCRYPTED_NULL = {
    "Sid": "DenyUnencryptedObjectUploads", "Effect": "Deny", "Principal": "*",
    "Action": "s3:PutObject", "Resource": "arn:aws:s3:::%s/*",
    "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}},
}


class S3PolicyTest(S3Case):
    def test_boto3_policy_put_get_delete_and_errors(self):
        self.bucket("e2e-policy")
        self.assertAwsError("NoSuchBucketPolicy", self.s3.get_bucket_policy, Bucket="e2e-policy")
        stmt = dict(DENY_UNENCRYPTED_NULL, Resource="arn:aws:s3:::e2e-policy/*")
        self.put_policy("e2e-policy", [stmt])
        policy = json.loads(self.s3.get_bucket_policy(Bucket="e2e-policy")["Policy"])
        self.assertEqual(policy["Statement"][0]["Sid"], "DenyUnencryptedObjectUploads")
        self.s3.delete_bucket_policy(Bucket="e2e-policy")
        self.assertAwsError("NoSuchBucketPolicy", self.s3.get_bucket_policy, Bucket="e2e-policy")
        self.assertAwsError("MalformedPolicy", self.s3.put_bucket_policy, Bucket="e2e-policy",
                            Policy="not json")

    def test_boto3_deny_unencrypted_null_form(self):
        self.bucket("e2e-deny-null")
        self.put_policy("e2e-deny-null", [dict(DENY_UNENCRYPTED_NULL,
                                               Resource="arn:aws:s3:::e2e-deny-null/*")])
        err = self.assertAwsError("AccessDenied", self.s3.put_object, Bucket="e2e-deny-null",
                                  Key="k", Body=b"x")
        self.assertEqual(err["Message"],
                         'User: arn:aws:iam::000000000000:root is not authorized to perform: '
                         's3:PutObject on resource: "arn:aws:s3:::e2e-deny-null/k" with an '
                         'explicit deny in a resource-based policy')
        out = self.s3.put_object(Bucket="e2e-deny-null", Key="k", Body=b"x",
                                 ServerSideEncryption="AES256")
        self.assertEqual(out["ServerSideEncryption"], "AES256")

    def test_boto3_deny_unless_aws_kms_string_not_equals_form(self):
        self.bucket("e2e-deny-kms")
        self.put_policy("e2e-deny-kms", [{
            "Sid": "DenyIncorrectEncryptionHeader", "Effect": "Deny", "Principal": "*",
            "Action": "s3:PutObject", "Resource": "arn:aws:s3:::e2e-deny-kms/*",
            "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}}])
        self.assertAwsError("AccessDenied", self.s3.put_object, Bucket="e2e-deny-kms", Key="k",
                            Body=b"x")
        self.assertAwsError("AccessDenied", self.s3.put_object, Bucket="e2e-deny-kms", Key="k",
                            Body=b"x", ServerSideEncryption="AES256")

    def test_cli_cp_into_a_deny_unencrypted_bucket(self):
        self.bucket("e2e-deny-cli")
        self.put_policy("e2e-deny-cli", [dict(DENY_UNENCRYPTED_NULL,
                                              Resource="arn:aws:s3:::e2e-deny-cli/*")])
        path = os.path.join(self.server.tmp, "small.txt")
        with open(path, "wb") as f:
            f.write(b"data")
        code, _, err = self.aws("s3", "cp", path, "s3://e2e-deny-cli/small.txt", check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("AccessDenied", err)
        self.aws("s3", "cp", path, "s3://e2e-deny-cli/small.txt", "--sse", "AES256",
                 "--only-show-errors")

    def test_boto3_anonymous_access_needs_a_public_policy(self):
        self.bucket("e2e-public")
        self.s3.put_object(Bucket="e2e-public", Key="k", Body=b"public")
        anonymous = boto3.client(
            "s3", endpoint_url=self.server.endpoint, region_name="us-east-1",
            config=botocore.config.Config(signature_version=UNSIGNED, retries={"max_attempts": 1},
                                          s3={"addressing_style": "path"}))
        err = self.assertAwsError("AccessDenied", anonymous.get_object, Bucket="e2e-public", Key="k")
        self.assertEqual(err["Message"], "Access Denied")
        self.put_policy("e2e-public", [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                        "Resource": "arn:aws:s3:::e2e-public/*"}])
        self.assertEqual(anonymous.get_object(Bucket="e2e-public", Key="k")["Body"].read(), b"public")
        self.assertAwsError("AccessDenied", anonymous.put_object, Bucket="e2e-public", Key="k2",
                            Body=b"x")


class S3VirtualHostTest(S3Case):
    """boto3 with virtual-host addressing against http://localhost:PORT: the
    bucket travels in the Host header (BUCKET.localhost)."""

    def setUp(self):
        super().setUp()
        real = socket.getaddrinfo

        def resolve(host, *args, **kwargs):
            if isinstance(host, str) and host.endswith(".localhost"):
                host = "127.0.0.1"
            return real(host, *args, **kwargs)

        socket.getaddrinfo = resolve
        self.addCleanup(setattr, socket, "getaddrinfo", real)

    def test_boto3_virtual_host_addressing(self):
        vhost = boto3.client(
            "s3", endpoint_url="http://localhost:%d" % self.server.port, region_name="us-east-1",
            aws_access_key_id="test", aws_secret_access_key="test",
            config=botocore.config.Config(retries={"max_attempts": 1},
                                          s3={"addressing_style": "virtual"}))
        vhost.create_bucket(Bucket="e2e-vhost")
        vhost.put_object(Bucket="e2e-vhost", Key="dir/k.txt", Body=b"virtual")
        self.assertEqual(vhost.get_object(Bucket="e2e-vhost", Key="dir/k.txt")["Body"].read(),
                         b"virtual")
        keys = [o["Key"] for o in vhost.list_objects_v2(Bucket="e2e-vhost")["Contents"]]
        self.assertEqual(keys, ["dir/k.txt"])
        # The same object through path-style addressing.
        self.assertEqual(self.s3.get_object(Bucket="e2e-vhost", Key="dir/k.txt")["Body"].read(),
                         b"virtual")


if __name__ == "__main__":
    unittest.main()
