"""Glue jobs, job runs, bookmarks and crawlers with real clients (seed steps 4, 5,
6, 10 and 11 of "Setting up encryption in AWS Glue"): a job using the step-8
security configuration succeeds and leaves SSE-KMS output, a log group
associated with the CloudWatch key holding a stream named after the run, and a
CSE-KMS bookmark; each missing permission fails the run with the KMS denial in
ErrorMessage. Runs are polled with GetJobRun, bounded by a timeout.
"""
import json
import time
import unittest


import gee_e2e

ACCOUNT = gee_e2e.ACCOUNT
REGION = gee_e2e.REGION
BUCKET = "etl-data"
LOGS_PRINCIPAL = f"logs.{REGION}.amazonaws.com"


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(actions, resources):
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


GLUE_TRUST = policy({"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"},
                     "Action": "sts:AssumeRole"})
RUNTIME = policy(
    allow(["s3:GetObject", "s3:ListBucket", "s3:PutObject"],
          [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]),
    allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
           "logs:AssociateKmsKey"], "arn:aws:logs:*:*:log-group:/aws-glue/*"),
    allow(["glue:GetTable", "glue:CreateTable", "glue:UpdateTable"], "*"))


class GlueJobsTest(gee_e2e.GeeTestCase):
    def setUp(self):
        self.operational("POST", "/_gee/reset")
        self.glue = self.client("glue")
        self.kms = self.client("kms")
        self.iam = self.client("iam")
        self.s3 = self.client("s3")
        self.logs = self.client("logs")
        self.s3_key = self.kms.create_key()["KeyMetadata"]["Arn"]
        self.bookmark_key = self.kms.create_key()["KeyMetadata"]["Arn"]
        self.logs_key = self.kms.create_key(Policy=policy(
            {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": LOGS_PRINCIPAL},
             "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                        "kms:Describe*"], "Resource": "*"}))["KeyMetadata"]["Arn"]
        self.s3.create_bucket(Bucket=BUCKET)
        self.s3.put_object(Bucket=BUCKET, Key="scripts/etl.py", Body=b"print('etl')\n")
        self.s3.put_object(Bucket=BUCKET, Key="input/a.csv",
                           Body=b"customer,region,amount\nNorthwind Traders,north,1250\n")
        self.security_configuration("sc", self.logs_key)
        self.role("GlueJobRole", s3_key=True, bookmark=["kms:Encrypt", "kms:Decrypt"])

    # ---- helpers ----

    def security_configuration(self, name, logs_key):
        self.glue.create_security_configuration(Name=name, EncryptionConfiguration={
            "S3Encryption": [{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": self.s3_key}],
            "CloudWatchEncryption": {"CloudWatchEncryptionMode": "SSE-KMS", "KmsKeyArn": logs_key},
            "JobBookmarksEncryption": {"JobBookmarksEncryptionMode": "CSE-KMS",
                                       "KmsKeyArn": self.bookmark_key}})

    def role(self, name, s3_key, bookmark):
        arn = self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=GLUE_TRUST)["Role"]["Arn"]
        self.iam.put_role_policy(RoleName=name, PolicyName="runtime", PolicyDocument=RUNTIME)
        if s3_key:
            self.iam.put_role_policy(RoleName=name, PolicyName="s3key", PolicyDocument=policy(
                allow(["kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"], self.s3_key)))
        if bookmark:
            self.iam.put_role_policy(RoleName=name, PolicyName="bookmark",
                                     PolicyDocument=policy(allow(bookmark, self.bookmark_key)))
        return arn

    def create_job(self, name="etl", role="GlueJobRole", sc="sc"):
        self.glue.create_job(
            Name=name, Role=f"arn:aws:iam::{ACCOUNT}:role/{role}", GlueVersion="4.0",
            Command={"Name": "glueetl", "ScriptLocation": f"s3://{BUCKET}/scripts/etl.py"},
            SecurityConfiguration=sc,
            DefaultArguments={"--job-bookmark-option": "job-bookmark-enable",
                              "--input_path": f"s3://{BUCKET}/input/",
                              "--output_path": f"s3://{BUCKET}/output/{name}/"})

    def run_job(self, name="etl"):
        run_id = self.glue.start_job_run(JobName=name)["JobRunId"]
        self.assertRegex(run_id, r"^jr_[0-9a-f]{64}$")
        deadline = time.monotonic() + 30
        while True:
            run = self.glue.get_job_run(JobName=name, RunId=run_id)["JobRun"]
            if run["JobRunState"] in ("SUCCEEDED", "FAILED", "STOPPED", "ERROR", "TIMEOUT"):
                return run
            self.assertLess(time.monotonic(), deadline, "the run did not finish")
            time.sleep(0.02)

    # ---- tests ----

    def test_job_with_the_security_configuration_succeeds_encrypting_everything(self):
        self.create_job()
        run = self.run_job()
        self.assertEqual(run["JobRunState"], "SUCCEEDED", run.get("ErrorMessage"))
        self.assertEqual(run["SecurityConfiguration"], "sc")
        listed = self.s3.list_objects_v2(Bucket=BUCKET, Prefix="output/etl/")
        self.assertEqual(listed["KeyCount"], 1)
        key = listed["Contents"][0]["Key"]
        head = self.s3.head_object(Bucket=BUCKET, Key=key)
        self.assertEqual(head["ServerSideEncryption"], "aws:kms")
        self.assertEqual(head["SSEKMSKeyId"], self.s3_key)
        body = self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode()
        self.assertIn("Northwind Traders", body)

        group = "/aws-glue/jobs/sc-role/GlueJobRole/output"
        groups = self.aws_json("logs", "describe-log-groups", "--log-group-name-prefix", group)
        self.assertEqual([g["logGroupName"] for g in groups["logGroups"]], [group])
        self.assertEqual(groups["logGroups"][0]["kmsKeyId"], self.logs_key)
        streams = self.logs.describe_log_streams(logGroupName=group)["logStreams"]
        self.assertEqual([s["logStreamName"] for s in streams], [run["Id"]])
        events = self.logs.get_log_events(logGroupName=group, logStreamName=run["Id"],
                                          startFromHead=True)["events"]
        self.assertTrue(any(run["Id"] in e["message"] for e in events))

        entry = self.aws_json("glue", "get-job-bookmark", "--job-name", "etl")["JobBookmarkEntry"]
        self.assertEqual(entry["JobName"], "etl")
        self.assertEqual(entry["RunId"], run["Id"])

    def test_bookmark_output_and_log_events_are_ciphertext_at_rest(self):
        self.create_job()
        run = self.run_job()
        self.assertEqual(run["JobRunState"], "SUCCEEDED", run.get("ErrorMessage"))
        records = self.inspect("job-bookmark", "etl", "input/a.csv")
        self.assertEqual(len(records), 1)
        self.assertEqual(records[0]["scheme"], "CSE-KMS")
        self.assertEqual(records[0]["protected_by"], self.bookmark_key)
        self.assertFalse(records[0]["probe_found"])
        key = self.s3.list_objects_v2(Bucket=BUCKET, Prefix="output/etl/")["Contents"][0]["Key"]
        records = self.inspect("s3-object", f"{BUCKET}/{key}", "Northwind Traders")
        self.assertTrue(records)
        for r in records:
            self.assertFalse(r["probe_found"], r)
            self.assertEqual(r["protected_by"], self.s3_key)
        records = self.inspect("log-events", "/aws-glue/jobs/sc-role/GlueJobRole/output", run["Id"])
        self.assertTrue(records)
        for r in records:
            self.assertFalse(r["probe_found"], r)
            self.assertEqual(r["protected_by"], self.logs_key)

    def test_role_without_kms_on_the_s3_key_fails_the_run(self):
        self.role("NoS3Key", s3_key=False, bookmark=["kms:Encrypt", "kms:Decrypt"])
        self.create_job(role="NoS3Key")
        run = self.run_job()
        self.assertEqual(run["JobRunState"], "FAILED")
        self.assertIn(f"User: arn:aws:sts::{ACCOUNT}:assumed-role/NoS3Key/GlueJobRunnerSession is "
                      f"not authorized to perform: kms:GenerateDataKey on resource: {self.s3_key}",
                      run["ErrorMessage"])
        self.assertEqual(self.s3.list_objects_v2(Bucket=BUCKET, Prefix="output/etl/")["KeyCount"], 0)

    def test_role_without_kms_encrypt_on_the_bookmark_key_fails_the_run(self):
        self.role("NoBookmarkKey", s3_key=True, bookmark=["kms:Decrypt"])
        self.create_job(role="NoBookmarkKey")
        run = self.run_job()
        self.assertEqual(run["JobRunState"], "FAILED")
        self.assertIn(f"is not authorized to perform: kms:Encrypt on resource: {self.bookmark_key}",
                      run["ErrorMessage"])
        self.assertAwsError("EntityNotFoundException", self.glue.get_job_bookmark, JobName="etl")

    def test_logs_key_without_the_logs_principal_fails_the_run(self):
        plain = self.kms.create_key()["KeyMetadata"]["Arn"]
        self.security_configuration("sc-plain", plain)
        self.create_job(sc="sc-plain")
        run = self.run_job()
        self.assertEqual(run["JobRunState"], "FAILED")
        self.assertIn("The specified KMS key does not exist or is not allowed to be used with Arn "
                      f"'arn:aws:logs:{REGION}:{ACCOUNT}:log-group:"
                      "/aws-glue/jobs/sc-plain-role/GlueJobRole/output'", run["ErrorMessage"])

    def test_job_cannot_be_created_without_pass_role(self):
        _, creds = self.iam_user(policy(allow("glue:*", "*")), name="console")
        code, _, err = self.aws(
            "glue", "create-job", "--name", "etl",
            "--role", f"arn:aws:iam::{ACCOUNT}:role/GlueJobRole",
            "--command", f"Name=glueetl,ScriptLocation=s3://{BUCKET}/scripts/etl.py",
            credentials=creds, check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("AccessDeniedException", err)
        self.assertIn(f"User: arn:aws:iam::{ACCOUNT}:user/console is not authorized to perform: "
                      f"iam:PassRole on resource: arn:aws:iam::{ACCOUNT}:role/GlueJobRole because "
                      "no identity-based policy allows the iam:PassRole action", err)
        console = self.client("glue", credentials=creds)
        self.assertAwsError("EntityNotFoundException", console.get_job, JobName="etl")

    def test_second_bookmarked_run_skips_processed_input(self):
        self.create_job()
        first = self.run_job()
        self.assertEqual(first["JobRunState"], "SUCCEEDED", first.get("ErrorMessage"))
        self.s3.put_object(Bucket=BUCKET, Key="input/b.csv",
                           Body=b"customer,region,amount\nContoso Outdoor,south,830\n")
        second = self.run_job()
        self.assertEqual(second["JobRunState"], "SUCCEEDED", second.get("ErrorMessage"))
        body = self.s3.get_object(Bucket=BUCKET, Key=f"output/etl/run-{second['Id']}-part-r-00000")[
            "Body"].read().decode()
        self.assertIn("Contoso Outdoor", body)
        self.assertNotIn("Northwind Traders", body)
        entry = self.glue.get_job_bookmark(JobName="etl")["JobBookmarkEntry"]
        self.assertEqual(entry["RunId"], second["Id"])
        self.assertEqual(entry["PreviousRunId"], first["Id"])

    def test_crawler_creates_the_expected_table(self):
        self.glue.create_database(DatabaseInput={"Name": "sales"})
        self.role("CrawlerRole", s3_key=False, bookmark=None)
        self.glue.create_crawler(Name="sales-crawler", Role="CrawlerRole", DatabaseName="sales",
                                 CrawlerSecurityConfiguration="sc",
                                 Targets={"S3Targets": [{"Path": f"s3://{BUCKET}/input/"}]})
        self.glue.start_crawler(Name="sales-crawler")
        deadline = time.monotonic() + 30
        while True:
            crawler = self.glue.get_crawler(Name="sales-crawler")["Crawler"]
            if crawler["State"] == "READY" and "LastCrawl" in crawler:
                break
            self.assertLess(time.monotonic(), deadline, "the crawl did not finish")
            time.sleep(0.02)
        self.assertEqual(crawler["LastCrawl"]["Status"], "SUCCEEDED",
                         crawler["LastCrawl"].get("ErrorMessage"))
        table = self.glue.get_table(DatabaseName="sales", Name="input")["Table"]
        self.assertEqual([(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]],
                         [("customer", "string"), ("region", "string"), ("amount", "bigint")])
        self.assertEqual(table["StorageDescriptor"]["Location"], f"s3://{BUCKET}/input/")
        group = "/aws-glue/crawlers-role/CrawlerRole-sc"
        groups = self.logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
        self.assertEqual([(g["logGroupName"], g.get("kmsKeyId")) for g in groups],
                         [(group, self.logs_key)])
        metrics = self.glue.get_crawler_metrics(CrawlerNameList=["sales-crawler"])
        self.assertEqual(metrics["CrawlerMetricsList"][0]["TablesCreated"], 1)
        self.assertAwsError("EntityNotFoundException",
                            self.glue.get_crawler, Name="no-such-crawler")


if __name__ == "__main__":
    unittest.main()
