"""CloudWatch Logs with KMS keys through boto3 and the AWS CLI: the key policy
must allow logs.REGION.amazonaws.com (IAM rights of the caller, even root, do
not help), and the events of a keyed group are stored encrypted under it."""
import json
import os
import time
import unittest


import gee_e2e

ROOT_STATEMENT = {"Sid": "Root", "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::000000000000:root"},
                  "Action": "kms:*", "Resource": "*"}


def logs_statement(region):
    return {"Sid": "Logs", "Effect": "Allow",
            "Principal": {"Service": f"logs.{region}.amazonaws.com"},
            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                       "kms:Describe*"],
            "Resource": "*"}


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def denied(group):
    return ("The specified KMS key does not exist or is not allowed to be used with Arn "
            f"'arn:aws:logs:us-east-1:000000000000:log-group:{group}'")


def now_ms():
    return int(time.time() * 1000)


class LogsKmsTest(gee_e2e.GeeTestCase):
    def setUp(self):
        self.logs = self.client("logs")
        self.kms = self.client("kms")

    def key(self, *statements, **kwargs):
        return self.kms.create_key(Policy=policy(*statements), **kwargs)["KeyMetadata"]["Arn"]

    def test_boto3_key_without_logs_principal_is_denied_even_to_root(self):
        key = self.key(ROOT_STATEMENT)
        err = self.assertAwsError("AccessDeniedException", self.logs.create_log_group,
                                  logGroupName="/kms/denied", kmsKeyId=key)
        self.assertEqual(err["Message"], denied("/kms/denied"))
        self.assertEqual(self.logs.describe_log_groups(logGroupNamePrefix="/kms/denied")["logGroups"], [])

    def test_boto3_logs_principal_of_another_region_is_denied(self):
        key = self.key(ROOT_STATEMENT, logs_statement("eu-west-1"))
        err = self.assertAwsError("AccessDeniedException", self.logs.create_log_group,
                                  logGroupName="/kms/other-region", kmsKeyId=key)
        self.assertEqual(err["Message"], denied("/kms/other-region"))

    def test_boto3_right_principal_allows_and_events_round_trip(self):
        key = self.key(ROOT_STATEMENT, logs_statement("us-east-1"))
        self.logs.create_log_group(logGroupName="/kms/ok", kmsKeyId=key)
        self.logs.create_log_stream(logGroupName="/kms/ok", logStreamName="s")
        t = now_ms()
        self.logs.put_log_events(logGroupName="/kms/ok", logStreamName="s", logEvents=[
            {"timestamp": t, "message": "user=alice action=login"},
            {"timestamp": t + 1, "message": "user=bob action=ERROR"}])
        got = self.logs.get_log_events(logGroupName="/kms/ok", logStreamName="s",
                                       startFromHead=True)
        self.assertEqual([e["message"] for e in got["events"]],
                         ["user=alice action=login", "user=bob action=ERROR"])
        filtered = self.logs.filter_log_events(logGroupName="/kms/ok", filterPattern="ERROR")
        self.assertEqual([e["message"] for e in filtered["events"]], ["user=bob action=ERROR"])
        group = self.logs.describe_log_groups(logGroupNamePrefix="/kms/ok")["logGroups"][0]
        self.assertEqual(group["kmsKeyId"], key)
        records = self.inspect("log-events", "/kms/ok/s", "user=alice")
        self.assertEqual([(r["scheme"], r["protected_by"], r["probe_found"])
                          for r in records], [("SSE-KMS", key, False)])

    def test_boto3_associate_disassociate_and_disabled_key(self):
        key = self.key(ROOT_STATEMENT, logs_statement("us-east-1"))
        self.logs.create_log_group(logGroupName="/kms/assoc")
        self.logs.create_log_stream(logGroupName="/kms/assoc", logStreamName="s")
        bad = self.key(ROOT_STATEMENT)
        err = self.assertAwsError("AccessDeniedException", self.logs.associate_kms_key,
                                  logGroupName="/kms/assoc", kmsKeyId=bad)
        self.assertEqual(err["Message"], denied("/kms/assoc"))
        self.logs.associate_kms_key(logGroupName="/kms/assoc", kmsKeyId=key)
        t = now_ms()
        self.logs.put_log_events(logGroupName="/kms/assoc", logStreamName="s",
                                 logEvents=[{"timestamp": t, "message": "under key"}])
        self.logs.disassociate_kms_key(logGroupName="/kms/assoc")
        self.logs.put_log_events(logGroupName="/kms/assoc", logStreamName="s",
                                 logEvents=[{"timestamp": t + 1, "message": "default"}])
        records = self.inspect("log-events", "/kms/assoc", "under key")
        self.assertEqual([r["scheme"] for r in records], ["SSE-KMS", "root-key"])
        self.assertEqual(len(self.logs.get_log_events(logGroupName="/kms/assoc",
                                                      logStreamName="s")["events"]), 2)
        self.kms.disable_key(KeyId=key)
        err = self.assertAwsError("AccessDeniedException", self.logs.get_log_events,
                                  logGroupName="/kms/assoc", logStreamName="s")
        self.assertEqual(err["Message"], denied("/kms/assoc"))
        self.kms.enable_key(KeyId=key)
        self.assertEqual(len(self.logs.get_log_events(logGroupName="/kms/assoc",
                                                      logStreamName="s")["events"]), 2)

    def test_cli_create_log_group_with_key(self):
        bad = self.key(ROOT_STATEMENT)
        code, _, err = self.aws("logs", "create-log-group", "--log-group-name", "/kms/cli",
                                "--kms-key-id", bad, check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("AccessDeniedException", err)
        self.assertIn(denied("/kms/cli"), err)
        good = self.key(ROOT_STATEMENT, logs_statement("us-east-1"))
        self.aws("logs", "create-log-group", "--log-group-name", "/kms/cli", "--kms-key-id", good)
        self.aws("logs", "create-log-stream", "--log-group-name", "/kms/cli",
                 "--log-stream-name", "s")
        self.aws("logs", "put-log-events", "--log-group-name", "/kms/cli", "--log-stream-name", "s",
                 "--log-events", f"timestamp={now_ms()},message=cli-secret-message")
        got = self.aws_json("logs", "get-log-events", "--log-group-name", "/kms/cli",
                            "--log-stream-name", "s")
        self.assertEqual([e["message"] for e in got["events"]], ["cli-secret-message"])
        filtered = self.aws_json("logs", "filter-log-events", "--log-group-name", "/kms/cli",
                                 "--filter-pattern", "cli-secret-message")
        self.assertEqual(len(filtered["events"]), 1)
        self.aws("logs", "disassociate-kms-key", "--log-group-name", "/kms/cli")
        self.aws("logs", "associate-kms-key", "--log-group-name", "/kms/cli", "--kms-key-id", good)


class LogsAtRestTest(gee_e2e.GeeTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = gee_e2e.GeeServer(on_disk=True)

    def raw_state(self):
        data = b""
        for name in os.listdir(self.server.data_dir):
            with open(os.path.join(self.server.data_dir, name), "rb") as f:
                data += f.read()
        return data

    def test_database_files_hold_no_event_plaintext(self):
        logs = self.client("logs")
        key = self.client("kms").create_key(Policy=policy(ROOT_STATEMENT, logs_statement("us-east-1")))
        key = key["KeyMetadata"]["Arn"]
        secrets = ["E2E-PLAINTEXT-FOXTROT-61c0", "E2E-PLAINTEXT-GOLF-0d9e"]
        for group, kms_key in (("at-rest-marker-kms", key), ("at-rest-marker-default", None)):
            kwargs = {"kmsKeyId": kms_key} if kms_key else {}
            logs.create_log_group(logGroupName=group, **kwargs)
            logs.create_log_stream(logGroupName=group, logStreamName="s")
            for i in range(5):
                logs.put_log_events(logGroupName=group, logStreamName="s", logEvents=[
                    {"timestamp": now_ms() + i, "message": m} for m in secrets])
        raw = self.raw_state()
        self.assertIn(b"at-rest-marker-kms", raw)  # the scan reads the real files
        for secret in secrets:
            self.assertNotIn(secret.encode(), raw)
        kms_records = self.inspect("log-events", "at-rest-marker-kms", secrets[0])
        self.assertEqual(len(kms_records), 5)
        for record in kms_records:
            self.assertEqual((record["scheme"], record["protected_by"], record["probe_found"]),
                             ("SSE-KMS", key, False))
        default_records = self.inspect("log-events", "at-rest-marker-default", secrets[0])
        self.assertEqual({r["scheme"] for r in default_records}, {"root-key"})
        self.assertFalse(any(r["probe_found"] for r in default_records))
        events = logs.get_log_events(logGroupName="at-rest-marker-kms", logStreamName="s")
        self.assertEqual(len(events["events"]), 10)


if __name__ == "__main__":
    unittest.main()
