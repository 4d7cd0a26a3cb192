"""KMS through the real clients: boto3 (Debian botocore 1.29) and the AWS CLI 2.9.

Operations newer than these clients (RotateKeyOnDemand, ListKeyRotations,
DryRun, DeriveSharedSecret) are covered by the integration tests instead.
"""
import base64
import json
import os
import tempfile
import unittest

import gee_e2e

ACCOUNT = gee_e2e.ACCOUNT
ROOT_ARN = f"arn:aws:iam::{ACCOUNT}:root"


class KmsRoundTripTest(gee_e2e.GeeTestCase):
    def setUp(self):
        self.kms = self.client("kms")

    def test_boto3_encrypt_decrypt_round_trips_with_encryption_context(self):
        key = self.kms.create_key(Description="e2e")["KeyMetadata"]
        self.assertEqual(key["KeyManager"], "CUSTOMER")
        self.assertEqual(key["KeySpec"], "SYMMETRIC_DEFAULT")
        out = self.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"attack at dawn",
                               EncryptionContext={"purpose": "e2e"})
        self.assertEqual(out["KeyId"], key["Arn"])
        back = self.kms.decrypt(CiphertextBlob=out["CiphertextBlob"],
                                EncryptionContext={"purpose": "e2e"})
        self.assertEqual(back["Plaintext"], b"attack at dawn")
        self.assertEqual(back["KeyId"], key["Arn"])

    def test_boto3_decrypt_with_wrong_context_fails_with_invalid_ciphertext(self):
        key_id = self.kms.create_key()["KeyMetadata"]["KeyId"]
        blob = self.kms.encrypt(KeyId=key_id, Plaintext=b"x",
                                EncryptionContext={"a": "1"})["CiphertextBlob"]
        error = self.assertAwsError("InvalidCiphertextException", self.kms.decrypt,
                                    CiphertextBlob=blob, EncryptionContext={"a": "2"})
        self.assertEqual(error.get("Message", ""), "")
        self.assertAwsError("InvalidCiphertextException", self.kms.decrypt, CiphertextBlob=blob)

    def test_boto3_decrypt_of_tampered_ciphertext_fails(self):
        key_id = self.kms.create_key()["KeyMetadata"]["KeyId"]
        blob = bytearray(self.kms.encrypt(KeyId=key_id, Plaintext=b"secret")["CiphertextBlob"])
        blob[-1] ^= 0x80
        self.assertAwsError("InvalidCiphertextException", self.kms.decrypt, CiphertextBlob=bytes(blob))

    def test_boto3_generate_data_key_plaintext_matches_its_decrypted_blob(self):
        key_id = self.kms.create_key()["KeyMetadata"]["KeyId"]
        data_key = self.kms.generate_data_key(KeyId=key_id, KeySpec="AES_256")
        self.assertEqual(len(data_key["Plaintext"]), 32)
        self.assertEqual(self.kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"])["Plaintext"],
                         data_key["Plaintext"])
        without = self.kms.generate_data_key_without_plaintext(KeyId=key_id, NumberOfBytes=24)
        self.assertNotIn("Plaintext", without)
        self.assertEqual(len(self.kms.decrypt(CiphertextBlob=without["CiphertextBlob"])["Plaintext"]), 24)

    def test_boto3_generate_data_key_pair_and_random(self):
        key_id = self.kms.create_key()["KeyMetadata"]["KeyId"]
        pair = self.kms.generate_data_key_pair(KeyId=key_id, KeyPairSpec="ECC_NIST_P256")
        self.assertEqual(self.kms.decrypt(CiphertextBlob=pair["PrivateKeyCiphertextBlob"])["Plaintext"],
                         pair["PrivateKeyPlaintext"])
        self.assertEqual(len(self.kms.generate_random(NumberOfBytes=17)["Plaintext"]), 17)

    def test_boto3_re_encrypt_moves_a_ciphertext_to_another_key(self):
        source = self.kms.create_key()["KeyMetadata"]["Arn"]
        destination = self.kms.create_key()["KeyMetadata"]["Arn"]
        blob = self.kms.encrypt(KeyId=source, Plaintext=b"move me")["CiphertextBlob"]
        moved = self.kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=destination)
        self.assertEqual(moved["SourceKeyId"], source)
        self.assertEqual(moved["KeyId"], destination)
        self.assertEqual(self.kms.decrypt(CiphertextBlob=moved["CiphertextBlob"])["Plaintext"], b"move me")

    def test_boto3_sign_verify_and_mac(self):
        signing = self.kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
        signature = self.kms.sign(KeyId=signing, Message=b"m", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
        self.assertTrue(self.kms.verify(KeyId=signing, Message=b"m", Signature=signature,
                                        SigningAlgorithm="ECDSA_SHA_256")["SignatureValid"])
        self.assertAwsError("KMSInvalidSignatureException", self.kms.verify, KeyId=signing, Message=b"n",
                            Signature=signature, SigningAlgorithm="ECDSA_SHA_256")
        self.assertTrue(self.kms.get_public_key(KeyId=signing)["PublicKey"].startswith(b"\x30"))
        mac_key = self.kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]["KeyId"]
        mac = self.kms.generate_mac(KeyId=mac_key, Message=b"m", MacAlgorithm="HMAC_SHA_256")["Mac"]
        self.assertTrue(self.kms.verify_mac(KeyId=mac_key, Message=b"m", Mac=mac,
                                            MacAlgorithm="HMAC_SHA_256")["MacValid"])

    def test_boto3_rsa_key_encrypts_with_oaep(self):
        key_id = self.kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["KeyId"]
        blob = self.kms.encrypt(KeyId=key_id, Plaintext=b"rsa", EncryptionAlgorithm="RSAES_OAEP_SHA_1")
        back = self.kms.decrypt(KeyId=key_id, CiphertextBlob=blob["CiphertextBlob"],
                                EncryptionAlgorithm="RSAES_OAEP_SHA_1")
        self.assertEqual(back["Plaintext"], b"rsa")
        self.assertAwsError("InvalidKeyUsageException", self.kms.encrypt, KeyId=key_id, Plaintext=b"x")

    def test_cli_encrypt_and_decrypt_round_trip(self):
        key_id = self.aws_json("kms", "create-key", "--description", "cli")["KeyMetadata"]["KeyId"]
        out = self.aws_json("kms", "encrypt", "--key-id", key_id, "--plaintext",
                            base64.b64encode(b"cli secret").decode(), "--encryption-context", "app=cli")
        with tempfile.NamedTemporaryFile(dir=self.server.tmp, delete=False) as f:
            f.write(base64.b64decode(out["CiphertextBlob"]))
            path = f.name
        back = self.aws_json("kms", "decrypt", "--ciphertext-blob", f"fileb://{path}",
                             "--encryption-context", "app=cli")
        self.assertEqual(base64.b64decode(back["Plaintext"]), b"cli secret")
        code, _, err = self.aws("kms", "decrypt", "--ciphertext-blob", f"fileb://{path}", check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("InvalidCiphertextException", err)
        os.unlink(path)

    def test_cli_describe_key_of_a_malformed_id_fails_with_not_found(self):
        code, _, err = self.aws("kms", "describe-key", "--key-id", "fake-key-id", check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("NotFoundException", err)
        self.assertIn("Invalid keyId 'fake-key-id'", err)


class KmsKeyStateTest(gee_e2e.GeeTestCase):
    def setUp(self):
        self.kms = self.client("kms")

    def test_boto3_disabled_key_refuses_encrypt_until_enabled(self):
        key = self.kms.create_key()["KeyMetadata"]
        self.kms.disable_key(KeyId=key["KeyId"])
        error = self.assertAwsError("DisabledException", self.kms.encrypt, KeyId=key["KeyId"], Plaintext=b"x")
        self.assertEqual(error["Message"], f"{key['Arn']} is disabled.")
        self.kms.enable_key(KeyId=key["KeyId"])
        self.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")

    def test_boto3_pending_deletion_key_refuses_decrypt_and_cancel_leaves_it_disabled(self):
        key = self.kms.create_key()["KeyMetadata"]
        blob = self.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
        scheduled = self.kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
        self.assertEqual(scheduled["KeyState"], "PendingDeletion")
        self.assertEqual(scheduled["PendingWindowInDays"], 7)
        error = self.assertAwsError("KMSInvalidStateException", self.kms.decrypt, CiphertextBlob=blob)
        self.assertEqual(error["Message"], f"{key['Arn']} is pending deletion.")
        self.kms.cancel_key_deletion(KeyId=key["KeyId"])
        self.assertEqual(self.kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"], "Disabled")

    def test_boto3_schedule_key_deletion_outside_the_window_fails(self):
        key_id = self.kms.create_key()["KeyMetadata"]["KeyId"]
        self.assertAwsError("ValidationException", self.kms.schedule_key_deletion, KeyId=key_id,
                            PendingWindowInDays=5)

    def test_boto3_rotation_status_and_tags(self):
        key_id = self.kms.create_key(Tags=[{"TagKey": "team", "TagValue": "a"}])["KeyMetadata"]["KeyId"]
        self.assertFalse(self.kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"])
        self.kms.enable_key_rotation(KeyId=key_id)
        self.assertTrue(self.kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"])
        self.kms.disable_key_rotation(KeyId=key_id)
        self.kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "env", "TagValue": "dev"}])
        tags = self.kms.list_resource_tags(KeyId=key_id)["Tags"]
        self.assertEqual(sorted(t["TagKey"] for t in tags), ["env", "team"])
        self.kms.untag_resource(KeyId=key_id, TagKeys=["team"])
        self.assertEqual(len(self.kms.list_resource_tags(KeyId=key_id)["Tags"]), 1)
        self.kms.update_key_description(KeyId=key_id, Description="changed")
        self.assertEqual(self.kms.describe_key(KeyId=key_id)["KeyMetadata"]["Description"], "changed")

    def test_boto3_list_keys_pages_with_the_paginator(self):
        created = {self.kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(3)}
        seen = set()
        for page in self.kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": 1}):
            seen.update(k["KeyId"] for k in page["Keys"])
        self.assertTrue(created <= seen)


class KmsAliasAndManagedKeyTest(gee_e2e.GeeTestCase):
    def setUp(self):
        self.kms = self.client("kms")

    def test_boto3_alias_lifecycle(self):
        first = self.kms.create_key()["KeyMetadata"]["KeyId"]
        second = self.kms.create_key()["KeyMetadata"]["KeyId"]
        self.kms.create_alias(AliasName="alias/e2e", TargetKeyId=first)
        self.assertEqual(self.kms.describe_key(KeyId="alias/e2e")["KeyMetadata"]["KeyId"], first)
        blob = self.kms.encrypt(KeyId="alias/e2e", Plaintext=b"x")["CiphertextBlob"]
        self.kms.update_alias(AliasName="alias/e2e", TargetKeyId=second)
        self.assertEqual(self.kms.describe_key(KeyId="alias/e2e")["KeyMetadata"]["KeyId"], second)
        self.assertEqual(self.kms.decrypt(CiphertextBlob=blob)["Plaintext"], b"x")
        names = [a["AliasName"] for a in self.kms.list_aliases(KeyId=second)["Aliases"]]
        self.assertEqual(names, ["alias/e2e"])
        self.assertAwsError("AlreadyExistsException", self.kms.create_alias, AliasName="alias/e2e",
                            TargetKeyId=first)
        self.kms.delete_alias(AliasName="alias/e2e")
        error = self.assertAwsError("NotFoundException", self.kms.describe_key, KeyId="alias/e2e")
        self.assertEqual(error["Message"], f"Alias arn:aws:kms:us-east-1:{ACCOUNT}:alias/e2e is not found.")

    def test_boto3_create_alias_without_prefix_fails_with_validation(self):
        key_id = self.kms.create_key()["KeyMetadata"]["KeyId"]
        error = self.assertAwsError("ValidationException", self.kms.create_alias, AliasName="e2e",
                                    TargetKeyId=key_id)
        self.assertIn('Alias must start with the prefix "alias/"', error["Message"])

    def test_boto3_describing_aws_s3_creates_the_managed_key_that_refuses_direct_use(self):
        metadata = self.kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
        self.assertEqual(metadata["KeyManager"], "AWS")
        self.assertEqual(metadata["Description"],
                         "Default key that protects my S3 objects when no other key is defined")
        policy = json.loads(self.kms.get_key_policy(KeyId=metadata["KeyId"], PolicyName="default")["Policy"])
        self.assertEqual(policy["Id"], "auto-s3-2")
        error = self.assertAwsError("AccessDeniedException", self.kms.encrypt, KeyId="alias/aws/s3",
                                    Plaintext=b"x")
        self.assertIn("is not authorized to perform: kms:Encrypt on resource: " + metadata["Arn"],
                      error["Message"])
        self.assertAwsError("AccessDeniedException", self.kms.disable_key, KeyId=metadata["KeyId"])

    def test_cli_list_aliases_includes_the_predefined_aws_aliases(self):
        aliases = self.aws_json("kms", "list-aliases")["Aliases"]
        self.assertIn("alias/aws/glue", [a["AliasName"] for a in aliases])


class KmsPolicyAndGrantTest(gee_e2e.GeeTestCase):
    def setUp(self):
        self.kms = self.client("kms")

    def policy_for(self, principal):
        return json.dumps({"Version": "2012-10-17", "Statement": [{
            "Sid": "Only", "Effect": "Allow", "Principal": {"AWS": principal},
            "Action": "kms:*", "Resource": "*"}]})

    def test_boto3_default_key_policy_is_returned_pretty_printed(self):
        key_id = self.kms.create_key()["KeyMetadata"]["KeyId"]
        policy = self.kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]
        self.assertIn('"Id" : "key-default-1"', policy)
        self.assertEqual(json.loads(policy)["Statement"][0]["Principal"]["AWS"], ROOT_ARN)
        self.assertEqual(self.kms.list_key_policies(KeyId=key_id)["PolicyNames"], ["default"])

    def test_boto3_key_policy_without_the_account_root_denies_the_root(self):
        # A key policy may name only principals that exist.
        self.client("iam").create_user(UserName="somebody-else")
        other = f"arn:aws:iam::{ACCOUNT}:user/somebody-else"
        key = self.kms.create_key(Policy=self.policy_for(other),
                                  BypassPolicyLockoutSafetyCheck=True)["KeyMetadata"]
        error = self.assertAwsError("AccessDeniedException", self.kms.encrypt, KeyId=key["KeyId"],
                                    Plaintext=b"x")
        self.assertEqual(error["Message"],
                         f"User: {ROOT_ARN} is not authorized to perform: kms:Encrypt on resource: "
                         f"{key['Arn']} because no resource-based policy allows the kms:Encrypt action")

    def test_boto3_put_key_policy_that_locks_the_caller_out_fails(self):
        key_id = self.kms.create_key()["KeyMetadata"]["KeyId"]
        self.client("iam").create_user(UserName="x")
        error = self.assertAwsError("MalformedPolicyDocumentException", self.kms.put_key_policy,
                                    KeyId=key_id, PolicyName="default",
                                    Policy=self.policy_for(f"arn:aws:iam::{ACCOUNT}:user/x"))
        self.assertEqual(error["Message"],
                         "The new key policy will not allow you to update the key policy in the future.")

    def test_boto3_grants_are_created_listed_and_revoked(self):
        key_id = self.kms.create_key()["KeyMetadata"]["KeyId"]
        grantee = f"arn:aws:iam::{ACCOUNT}:role/app"
        grant = self.kms.create_grant(KeyId=key_id, GranteePrincipal=grantee, Operations=["Decrypt"],
                                      Constraints={"EncryptionContextSubset": {"app": "x"}},
                                      RetiringPrincipal=ROOT_ARN, Name="e2e")
        again = self.kms.create_grant(KeyId=key_id, GranteePrincipal=grantee, Operations=["Decrypt"],
                                      Constraints={"EncryptionContextSubset": {"app": "x"}},
                                      RetiringPrincipal=ROOT_ARN, Name="e2e")
        self.assertEqual(grant["GrantId"], again["GrantId"])
        grants = self.kms.list_grants(KeyId=key_id)["Grants"]
        self.assertEqual(len(grants), 1)
        self.assertEqual(grants[0]["Constraints"], {"EncryptionContextSubset": {"app": "x"}})
        retirable = self.kms.list_retirable_grants(RetiringPrincipal=ROOT_ARN)["Grants"]
        self.assertIn(grant["GrantId"], [g["GrantId"] for g in retirable])
        self.kms.encrypt(KeyId=key_id, Plaintext=b"x", GrantTokens=[grant["GrantToken"]])
        self.kms.revoke_grant(KeyId=key_id, GrantId=grant["GrantId"])
        self.assertEqual(self.kms.list_grants(KeyId=key_id)["Grants"], [])
        self.assertAwsError("ValidationException", self.kms.create_grant, KeyId=key_id,
                            GranteePrincipal=grantee, Operations=["Sign"])

    def test_cli_create_grant_and_retire_it_by_token(self):
        key_id = self.aws_json("kms", "create-key")["KeyMetadata"]["KeyId"]
        grant = self.aws_json("kms", "create-grant", "--key-id", key_id, "--grantee-principal",
                              f"arn:aws:iam::{ACCOUNT}:user/u", "--operations", "Encrypt", "Decrypt")
        self.aws("kms", "retire-grant", "--grant-token", grant["GrantToken"])
        self.assertEqual(self.aws_json("kms", "list-grants", "--key-id", key_id)["Grants"], [])


if __name__ == "__main__":
    unittest.main()
