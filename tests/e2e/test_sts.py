"""STS and authentication through the AWS CLI and boto3."""
import unittest

import gee_e2e


class CallerIdentityTest(gee_e2e.GeeTestCase):
    def test_cli_get_caller_identity_returns_the_root(self):
        out = self.aws_json("sts", "get-caller-identity")
        self.assertEqual(out["Account"], gee_e2e.ACCOUNT)
        self.assertEqual(out["Arn"], "arn:aws:iam::000000000000:root")

    def test_cli_unknown_access_key_fails_with_invalid_client_token_id(self):
        code, _, err = self.aws("sts", "get-caller-identity",
                                credentials=("AKIAUNKNOWN000000000", "x"), check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("InvalidClientTokenId", err)

    def test_cli_wrong_secret_fails_with_signature_does_not_match(self):
        code, _, err = self.aws("sts", "get-caller-identity", credentials=("test", "wrong"),
                                check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("SignatureDoesNotMatch", err)

    def test_boto3_get_caller_identity_returns_the_root(self):
        out = self.client("sts").get_caller_identity()
        self.assertEqual(out["Account"], gee_e2e.ACCOUNT)
        self.assertEqual(out["UserId"], gee_e2e.ACCOUNT)

    def test_boto3_json_service_unknown_key_fails_with_unrecognized_client(self):
        kms = self.client("kms", credentials=("AKIAUNKNOWN000000000", "x"))
        self.assertAwsError("UnrecognizedClientException", kms.list_keys)

    def test_boto3_json_service_wrong_secret_fails_with_invalid_signature(self):
        kms = self.client("kms", credentials=("test", "wrong"))
        self.assertAwsError("InvalidSignatureException", kms.list_keys)


if __name__ == "__main__":
    unittest.main()
