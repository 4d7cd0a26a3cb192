"""Glue Data Catalog encryption with real clients (seed steps 1, 2, 3, 7, 8, 9 of
"Setting up encryption in AWS Glue"), as the account root.

The per-principal cases (the console user with exactly the six step-1 actions,
catalog clients with and without the KMS actions) are in test_glue_catalog_iam.py,
signed as IAM users.
"""
import base64
import json
import unittest


import gee_e2e

ACCOUNT = gee_e2e.ACCOUNT


class GlueCatalogEncryptionTest(gee_e2e.GeeTestCase):
    def setUp(self):
        self.glue = self.client("glue")
        self.kms = self.client("kms")

        # Each test starts from an empty emulator.
        self.operational("POST", "/_gee/reset")

    def create_key(self, **kwargs):
        return self.kms.create_key(**kwargs)["KeyMetadata"]["Arn"]

    def create_table(self, db="db", name="t"):
        self.glue.create_table(DatabaseName=db, TableInput={
            "Name": name,
            "StorageDescriptor": {"Columns": [{"Name": "email", "Type": "string"}],
                                  "Location": "s3://bucket/prefix/"},
            "Parameters": {"classification": "csv"},
        })

    # ---- Step 1: encryption settings and security configurations ----

    def test_step1_cli_puts_and_gets_catalog_encryption_settings(self):
        key = self.create_key()
        settings = {"EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": key},
                    "ConnectionPasswordEncryption": {"ReturnConnectionPasswordEncrypted": True,
                                                     "AwsKmsKeyId": key}}
        self.aws("glue", "put-data-catalog-encryption-settings",
                 "--data-catalog-encryption-settings", json.dumps(settings))
        out = self.aws_json("glue", "get-data-catalog-encryption-settings")
        self.assertEqual(out["DataCatalogEncryptionSettings"], settings)

    def test_step1_get_returns_defaults_and_put_replaces_everything(self):
        out = self.glue.get_data_catalog_encryption_settings()["DataCatalogEncryptionSettings"]
        self.assertEqual(out, {"EncryptionAtRest": {"CatalogEncryptionMode": "DISABLED"},
                               "ConnectionPasswordEncryption": {"ReturnConnectionPasswordEncrypted": False}})
        self.glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
            "EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS"}})
        self.glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
            "ConnectionPasswordEncryption": {"ReturnConnectionPasswordEncrypted": True}})
        out = self.glue.get_data_catalog_encryption_settings()["DataCatalogEncryptionSettings"]
        self.assertEqual(out["EncryptionAtRest"], {"CatalogEncryptionMode": "DISABLED"})
        self.assertEqual(out["ConnectionPasswordEncryption"],
                         {"ReturnConnectionPasswordEncrypted": True, "AwsKmsKeyId": "alias/aws/glue"})

    def test_step1_security_configuration_lifecycle_with_cli(self):
        key = self.create_key()
        config = {"S3Encryption": [{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": key}],
                  "CloudWatchEncryption": {"CloudWatchEncryptionMode": "SSE-KMS", "KmsKeyArn": key},
                  "JobBookmarksEncryption": {"JobBookmarksEncryptionMode": "CSE-KMS", "KmsKeyArn": key}}
        created = self.aws_json("glue", "create-security-configuration", "--name", "encrypted",
                                "--encryption-configuration", json.dumps(config))
        self.assertEqual(created["Name"], "encrypted")
        self.assertIn("CreatedTimestamp", created)
        got = self.aws_json("glue", "get-security-configuration", "--name", "encrypted")
        self.assertIn("CreatedTimeStamp", got["SecurityConfiguration"])
        self.assertEqual(got["SecurityConfiguration"]["EncryptionConfiguration"], config)
        listed = self.aws_json("glue", "get-security-configurations")
        self.assertEqual([c["Name"] for c in listed["SecurityConfigurations"]], ["encrypted"])
        code, _, err = self.aws("glue", "create-security-configuration", "--name", "encrypted",
                                "--encryption-configuration", json.dumps(config), check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("AlreadyExistsException", err)
        self.aws("glue", "delete-security-configuration", "--name", "encrypted")
        code, _, err = self.aws("glue", "get-security-configuration", "--name", "encrypted", check=False)
        self.assertIn("EntityNotFoundException", err)

    def test_step1_security_configuration_kms_mode_needs_a_key_arn(self):
        err = self.assertAwsError("InvalidInputException", self.glue.create_security_configuration,
                                  Name="nokey", EncryptionConfiguration={
                                      "JobBookmarksEncryption": {"JobBookmarksEncryptionMode": "CSE-KMS"}})
        self.assertIn("KmsKeyArn", err["Message"])
        self.assertAwsError("ValidationException", self.glue.create_security_configuration,
                            Name="bad", EncryptionConfiguration={
                                "S3Encryption": [{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": "alias/x"}]})

    # ---- Steps 2, 7, 8: catalog encryption with aws/glue or a customer key ----

    def test_step2_customer_key_encrypts_the_catalog(self):
        key = self.create_key(Description="catalog key")
        self.glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
            "EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": key}})
        self.glue.create_database(DatabaseInput={"Name": "db"})
        self.create_table()
        table = self.glue.get_table(DatabaseName="db", Name="t")["Table"]
        self.assertEqual(table["StorageDescriptor"]["Columns"][0]["Name"], "email")
        self.kms.disable_key(KeyId=key)
        err = self.assertAwsError("GlueEncryptionException", self.glue.get_table, DatabaseName="db", Name="t")
        self.assertIn("Error Code: DisabledException", err["Message"])
        self.assertTrue(err["Message"].endswith("Proxy: null)"), err["Message"])
        self.kms.enable_key(KeyId=key)

    def test_step7_aws_managed_glue_key_is_used_when_no_key_is_given(self):
        self.glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
            "EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS"}})
        self.glue.create_database(DatabaseInput={"Name": "db"})
        self.create_table()
        self.assertEqual(self.glue.get_table(DatabaseName="db", Name="t")["Table"]["Name"], "t")
        aliases = {a["AliasName"]: a for a in self.kms.list_aliases()["Aliases"]}
        self.assertIn("TargetKeyId", aliases["alias/aws/glue"])

    def test_step8_asymmetric_key_cannot_encrypt_the_catalog(self):
        rsa = self.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")
        self.glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
            "EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": rsa}})
        err = self.assertAwsError("GlueEncryptionException", self.glue.create_database,
                                  DatabaseInput={"Name": "db"})
        self.assertIn("Error Code: InvalidKeyUsageException", err["Message"])

    def test_step2_cli_catalog_round_trip_with_encryption(self):
        key = self.create_key()
        self.aws("glue", "put-data-catalog-encryption-settings", "--data-catalog-encryption-settings",
                 json.dumps({"EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": key}}))
        self.aws("glue", "create-database", "--database-input", json.dumps({"Name": "db"}))
        self.aws("glue", "create-table", "--database-name", "db", "--table-input",
                 json.dumps({"Name": "t", "PartitionKeys": [{"Name": "year", "Type": "int"}]}))
        self.aws("glue", "create-partition", "--database-name", "db", "--table-name", "t",
                 "--partition-input", json.dumps({"Values": ["2024"]}))
        parts = self.aws_json("glue", "get-partitions", "--database-name", "db", "--table-name", "t",
                              "--expression", "year > 2000")
        self.assertEqual([p["Values"] for p in parts["Partitions"]], [["2024"]])
        tables = self.aws_json("glue", "get-tables", "--database-name", "db")
        self.assertEqual([t["Name"] for t in tables["TableList"]], ["t"])

    def test_step2_inspection_shows_catalog_key_and_no_plaintext(self):
        key = self.create_key()
        self.glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
            "EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": key}})
        self.glue.create_database(DatabaseInput={"Name": "db"})
        self.create_table()
        records = self.inspect("catalog-table", "db/t", "email")
        self.assertEqual([(r["scheme"], r["protected_by"], r["probe_found"]) for r in records],
                         [("catalog SSE-KMS", key, False)])
        self.glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={})
        self.create_table(name="plain")
        records = self.inspect("catalog-table", "db/plain", "email")
        self.assertEqual(records[0]["scheme"], "glue-default")
        self.assertFalse(records[0]["probe_found"])

    # ---- Steps 3 and 9: JDBC connection passwords ----

    def jdbc(self, name, password="Secret-Passw0rd", ssl="true"):
        return {"Name": name, "ConnectionType": "JDBC", "ConnectionProperties": {
            "JDBC_CONNECTION_URL": "jdbc:postgresql://db.example.com:5432/app",
            "USERNAME": "app", "PASSWORD": password, "JDBC_ENFORCE_SSL": ssl}}

    def test_step3_password_comes_back_only_encrypted_and_decrypts_with_kms(self):
        key = self.create_key()
        self.glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
            "ConnectionPasswordEncryption": {"ReturnConnectionPasswordEncrypted": True, "AwsKmsKeyId": key}})
        self.glue.create_connection(ConnectionInput=self.jdbc("pg"))
        props = self.glue.get_connection(Name="pg")["Connection"]["ConnectionProperties"]
        self.assertNotIn("PASSWORD", props)
        blob = base64.b64decode(props["ENCRYPTED_PASSWORD"])
        plain = self.kms.decrypt(CiphertextBlob=blob)
        self.assertEqual(plain["Plaintext"], b"Secret-Passw0rd")
        self.assertEqual(plain["KeyId"], key)
        listed = self.glue.get_connections()["ConnectionList"][0]["ConnectionProperties"]
        self.assertNotIn("PASSWORD", listed)
        hidden = self.glue.get_connection(Name="pg", HidePassword=True)["Connection"]["ConnectionProperties"]
        self.assertNotIn("PASSWORD", hidden)
        self.assertNotIn("ENCRYPTED_PASSWORD", hidden)
        records = self.inspect("connection-password", "pg", "Secret-Passw0rd")
        self.assertEqual([(r["scheme"], r["protected_by"], r["probe_found"]) for r in records],
                         [("password SSE-KMS", key, False)])

    def test_step3_cli_password_decrypts_with_kms_decrypt(self):
        key = self.create_key()
        self.aws("glue", "put-data-catalog-encryption-settings", "--data-catalog-encryption-settings",
                 json.dumps({"ConnectionPasswordEncryption": {"ReturnConnectionPasswordEncrypted": True,
                                                              "AwsKmsKeyId": key}}))
        self.aws("glue", "create-connection", "--connection-input", json.dumps(self.jdbc("cli")))
        conn = self.aws_json("glue", "get-connection", "--name", "cli")["Connection"]
        encrypted = conn["ConnectionProperties"]["ENCRYPTED_PASSWORD"]
        blob_file = self.server.tmp + "/blob"
        with open(blob_file, "wb") as f:
            f.write(base64.b64decode(encrypted))
        out = self.aws_json("kms", "decrypt", "--ciphertext-blob", "fileb://" + blob_file)
        self.assertEqual(base64.b64decode(out["Plaintext"]), b"Secret-Passw0rd")

    def test_step9_jdbc_enforce_ssl_round_trips_through_create_and_update_with_cli(self):
        self.aws("glue", "create-connection", "--connection-input", json.dumps(self.jdbc("ssl", ssl="true")))
        conn = self.aws_json("glue", "get-connection", "--name", "ssl", "--hide-password")
        self.assertEqual(conn["Connection"]["ConnectionProperties"]["JDBC_ENFORCE_SSL"], "true")
        self.aws("glue", "update-connection", "--name", "ssl", "--connection-input",
                 json.dumps(self.jdbc("ssl", ssl="false")))
        conn = self.aws_json("glue", "get-connection", "--name", "ssl", "--hide-password")
        self.assertEqual(conn["Connection"]["ConnectionProperties"]["JDBC_ENFORCE_SSL"], "false")
        self.assertNotIn("PASSWORD", conn["Connection"]["ConnectionProperties"])

    def test_step9_jdbc_connection_with_custom_certificate_and_boto3(self):
        props = self.jdbc("cert")
        props["ConnectionProperties"].update({"CUSTOM_JDBC_CERT": "s3://certs/rds-ca.pem",
                                              "SKIP_CUSTOM_JDBC_CERT_VALIDATION": "false"})
        self.glue.create_connection(ConnectionInput=props)
        got = self.glue.get_connection(Name="cert")["Connection"]["ConnectionProperties"]
        self.assertEqual(got["JDBC_ENFORCE_SSL"], "true")
        self.assertEqual(got["CUSTOM_JDBC_CERT"], "s3://certs/rds-ca.pem")
        bad = self.jdbc("bad")
        bad["ConnectionProperties"]["JDBC_ENFORCE_SSL"] = "maybe"
        self.assertAwsError("InvalidInputException", self.glue.create_connection, ConnectionInput=bad)

    def test_step9_connection_is_also_catalog_encrypted(self):
        key = self.create_key()
        self.glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
            "EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": key},
            "ConnectionPasswordEncryption": {"ReturnConnectionPasswordEncrypted": True, "AwsKmsKeyId": key}})
        self.glue.create_connection(ConnectionInput=self.jdbc("both"))
        self.kms.disable_key(KeyId=key)
        self.assertAwsError("GlueEncryptionException", self.glue.get_connection, Name="both", HidePassword=True)
        self.kms.enable_key(KeyId=key)
        props = self.glue.get_connection(Name="both")["Connection"]["ConnectionProperties"]
        self.assertIn("ENCRYPTED_PASSWORD", props)


if __name__ == "__main__":
    unittest.main()
