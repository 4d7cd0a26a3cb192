"""Glue catalog encryption with IAM users (seed steps 1, 2, 3, 7, 8 of "Setting up
encryption in AWS Glue"): who is allowed and who is refused, as AWS decides it.

Users get inline policies and access keys from the emulator's IAM service; the
calls are made with boto3 and the AWS CLI signed as those users.
"""
import base64
import json
import re
import unittest

import gee_e2e

ACCOUNT = gee_e2e.ACCOUNT
REGION = gee_e2e.REGION
GLUE_ARN = f"arn:aws:glue:{REGION}:{ACCOUNT}"

STEP1_ACTIONS = [
    "glue:GetDataCatalogEncryptionSettings",
    "glue:PutDataCatalogEncryptionSettings",
    "glue:CreateSecurityConfiguration",
    "glue:GetSecurityConfiguration",
    "glue:GetSecurityConfigurations",
    "glue:DeleteSecurityConfiguration",
]
CATALOG_KMS_ACTIONS = ["kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"]

KMS_SUFFIX = (r" \(Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; "
              r"Request ID: [0-9a-f-]{36}; Proxy: null\)")


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(actions, resources="*"):
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


def deny(actions, resources="*"):
    return {"Effect": "Deny", "Action": actions, "Resource": resources}


class GlueCatalogIamTest(gee_e2e.GeeTestCase):
    def setUp(self):
        self.iam = self.client("iam")
        self.kms = self.client("kms")
        self.glue = self.client("glue")

    def user(self, *statements):
        """A new IAM user with one inline policy; returns its (key id, secret)."""
        return self.iam_user(policy(*statements))

    def encrypt_catalog(self, key=None):
        at_rest = {"CatalogEncryptionMode": "SSE-KMS"}
        if key:
            at_rest["SseAwsKmsKeyId"] = key
        self.glue.put_data_catalog_encryption_settings(
            DataCatalogEncryptionSettings={"EncryptionAtRest": at_rest})
        self.addCleanup(self.glue.put_data_catalog_encryption_settings, DataCatalogEncryptionSettings={})

    def db(self, name):
        self.glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={})
        self.glue.create_database(DatabaseInput={"Name": name})

    def table_input(self, name):
        return {"Name": name, "StorageDescriptor": {"Columns": [{"Name": "ssn", "Type": "string"}]}}

    # ---- Step 1: the console user with exactly the six actions ----

    def test_step1_console_user_can_manage_encryption_settings_and_nothing_else(self):
        name, creds = self.user(allow(STEP1_ACTIONS))
        glue = self.client("glue", credentials=creds)
        key = self.kms.create_key()["KeyMetadata"]["Arn"]
        glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
            "ConnectionPasswordEncryption": {"ReturnConnectionPasswordEncrypted": True, "AwsKmsKeyId": key}})
        self.addCleanup(self.glue.put_data_catalog_encryption_settings, DataCatalogEncryptionSettings={})
        got = glue.get_data_catalog_encryption_settings()["DataCatalogEncryptionSettings"]
        self.assertEqual(got["ConnectionPasswordEncryption"]["AwsKmsKeyId"], key)
        glue.create_security_configuration(Name="step1", EncryptionConfiguration={
            "S3Encryption": [{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": key}]})
        self.assertEqual(glue.get_security_configuration(Name="step1")["SecurityConfiguration"]["Name"], "step1")
        self.assertIn("step1", [c["Name"] for c in glue.get_security_configurations()["SecurityConfigurations"]])
        glue.delete_security_configuration(Name="step1")

        err = self.assertAwsError("AccessDeniedException", glue.get_databases)
        self.assertEqual(err["Message"],
                         f"User: arn:aws:iam::{ACCOUNT}:user/{name} is not authorized to perform: "
                         f"glue:GetDatabases on resource: {GLUE_ARN}:catalog because no identity-based "
                         f"policy allows the glue:GetDatabases action")
        self.assertAwsError("AccessDeniedException", glue.create_database, DatabaseInput={"Name": "x"})
        self.assertAwsError("AccessDeniedException", glue.get_connections)
        self.assertAwsError("AccessDeniedException", glue.get_resource_policy)
        self.assertAwsError("AccessDeniedException", self.client("kms", credentials=creds).create_key)

    def test_step1_console_user_with_cli(self):
        _, creds = self.user(allow(STEP1_ACTIONS))
        out = self.aws_json("glue", "get-data-catalog-encryption-settings", credentials=creds)
        self.assertIn("DataCatalogEncryptionSettings", out)
        code, _, err = self.aws("glue", "create-database", "--database-input", '{"Name":"cli"}',
                                credentials=creds, check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("AccessDeniedException", err)
        self.assertIn("glue:CreateDatabase", err)

    def test_step1_user_without_the_actions_is_refused(self):
        _, creds = self.user(allow(["glue:GetDatabases"]))
        glue = self.client("glue", credentials=creds)
        self.assertAwsError("AccessDeniedException", glue.get_data_catalog_encryption_settings)
        self.assertAwsError("AccessDeniedException", glue.create_security_configuration, Name="x",
                            EncryptionConfiguration={})

    # ---- Step 2: catalog clients and the three KMS actions ----

    def test_step2_clients_with_and_without_kms_permissions_on_the_catalog_key(self):
        key = self.kms.create_key()["KeyMetadata"]["Arn"]
        other = self.kms.create_key()["KeyMetadata"]["Arn"]
        self.db("step2")
        self.encrypt_catalog(key)
        _, with_kms = self.user(allow("glue:*"), allow(CATALOG_KMS_ACTIONS, key))
        without_name, without_kms = self.user(allow("glue:*"))
        _, other_key = self.user(allow("glue:*"), allow(CATALOG_KMS_ACTIONS, other))
        _, no_decrypt = self.user(allow("glue:*"), allow(CATALOG_KMS_ACTIONS, key), deny("kms:Decrypt"))

        glue = self.client("glue", credentials=with_kms)
        glue.create_table(DatabaseName="step2", TableInput=self.table_input("t"))
        self.assertEqual(glue.get_table(DatabaseName="step2", Name="t")["Table"]["StorageDescriptor"]
                         ["Columns"][0]["Name"], "ssn")

        err = self.assertAwsError("GlueEncryptionException",
                                  self.client("glue", credentials=without_kms).create_table,
                                  DatabaseName="step2", TableInput=self.table_input("u"))
        self.assertRegex(err["Message"], re.escape(
            f"User: arn:aws:iam::{ACCOUNT}:user/{without_name} is not authorized to perform: "
            f"kms:GenerateDataKey on resource: {key} because no identity-based policy allows the "
            f"kms:GenerateDataKey action") + KMS_SUFFIX)
        self.assertAwsError("GlueEncryptionException", self.client("glue", credentials=without_kms).get_table,
                            DatabaseName="step2", Name="t")
        self.assertAwsError("GlueEncryptionException", self.client("glue", credentials=other_key).get_table,
                            DatabaseName="step2", Name="t")

        denied = self.client("glue", credentials=no_decrypt)
        denied.create_table(DatabaseName="step2", TableInput=self.table_input("w"))
        err = self.assertAwsError("GlueEncryptionException", denied.get_table, DatabaseName="step2", Name="w")
        self.assertIn("kms:Decrypt", err["Message"])
        self.assertIn("with an explicit deny in an identity-based policy", err["Message"])

    def test_step2_objects_written_before_encryption_stay_readable_without_kms(self):
        key = self.kms.create_key()["KeyMetadata"]["Arn"]
        self.db("before")
        _, no_kms = self.user(allow("glue:*"))
        glue = self.client("glue", credentials=no_kms)
        glue.create_table(DatabaseName="before", TableInput=self.table_input("plain"))
        self.encrypt_catalog(key)
        self.assertEqual(glue.get_table(DatabaseName="before", Name="plain")["Table"]["Name"], "plain")
        self.assertAwsError("GlueEncryptionException", glue.create_table, DatabaseName="before",
                            TableInput=self.table_input("new"))

    # ---- Steps 7 and 8: aws/glue, customer keys, symmetric only ----

    def test_step7_aws_glue_key_needs_no_kms_policy_for_catalog_users(self):
        self.db("managed")
        self.encrypt_catalog()
        _, creds = self.user(allow("glue:*"))
        glue = self.client("glue", credentials=creds)
        glue.create_table(DatabaseName="managed", TableInput=self.table_input("t"))
        self.assertEqual(glue.get_table(DatabaseName="managed", Name="t")["Table"]["Name"], "t")
        # ...but cannot use the AWS managed key outside Glue.
        self.assertAwsError("AccessDeniedException", self.client("kms", credentials=creds).generate_data_key,
                            KeyId="alias/aws/glue", NumberOfBytes=32)

    def test_step8_rsa_key_is_refused_for_every_caller(self):
        rsa = self.kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["Arn"]
        self.db("rsa")
        self.encrypt_catalog(rsa)
        _, creds = self.user(allow("glue:*"), allow("kms:*", rsa))
        err = self.assertAwsError("GlueEncryptionException", self.client("glue", credentials=creds).create_table,
                                  DatabaseName="rsa", TableInput=self.table_input("t"))
        self.assertIn("Error Code: InvalidKeyUsageException", err["Message"])

    # ---- Step 3: connection passwords ----

    def test_step3_password_key_permissions(self):
        key = self.kms.create_key()["KeyMetadata"]["Arn"]
        self.glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
            "ConnectionPasswordEncryption": {"ReturnConnectionPasswordEncrypted": True, "AwsKmsKeyId": key}})
        self.addCleanup(self.glue.put_data_catalog_encryption_settings, DataCatalogEncryptionSettings={})
        _, writer = self.user(allow("glue:*"), allow(["kms:Encrypt"], key))
        _, reader = self.user(allow("glue:*"), allow(["kms:Decrypt"], key))
        _, nobody = self.user(allow("glue:*"))
        connection = {"Name": "pw", "ConnectionType": "JDBC", "ConnectionProperties": {
            "JDBC_CONNECTION_URL": "jdbc:mysql://db.example.com:3306/app", "USERNAME": "app",
            "PASSWORD": "Str0ng-Pass", "JDBC_ENFORCE_SSL": "true"}}
        err = self.assertAwsError("GlueEncryptionException",
                                  self.client("glue", credentials=nobody).create_connection,
                                  ConnectionInput=connection)
        self.assertIn("kms:Encrypt", err["Message"])
        self.client("glue", credentials=writer).create_connection(ConnectionInput=connection)
        props = self.client("glue", credentials=nobody).get_connection(Name="pw")["Connection"]["ConnectionProperties"]
        self.assertNotIn("PASSWORD", props)
        blob = base64.b64decode(props["ENCRYPTED_PASSWORD"])
        self.assertEqual(self.client("kms", credentials=reader).decrypt(CiphertextBlob=blob)["Plaintext"],
                         b"Str0ng-Pass")
        self.assertAwsError("AccessDeniedException", self.client("kms", credentials=nobody).decrypt,
                            CiphertextBlob=blob)
        self.glue.delete_connection(ConnectionName="pw")


if __name__ == "__main__":
    unittest.main()
