"""Shared fixture for the end-to-end tests: real clients against `gee serve`.

Each test class gets its own `gee serve --ephemeral --port 0` process. Clients
are the Debian-packaged ones the README tells users to install: boto3
(/usr/bin/python3) and the AWS CLI (/usr/bin/aws).

    class StsTest(gee_e2e.GeeTestCase):
        def test_identity(self):
            self.assertEqual(self.client("sts").get_caller_identity()["Account"], ACCOUNT)
"""
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials
import botocore.exceptions

ACCOUNT = "000000000000"
REGION = "us-east-1"
ROOT = ("test", "test")

GEE_BINARY = os.environ.get("GEE_BINARY", os.path.join(os.path.dirname(__file__), "../../build/gee"))
AWS_CLI = os.environ.get("GEE_AWS_CLI", "/usr/bin/aws")


class GeeServer:
    """A `gee serve` child process on a free port."""

    def __init__(self, extra_args=(), on_disk=False):
        """`on_disk`: state in `self.data_dir` (a fresh directory) instead of --ephemeral."""
        self.tmp = tempfile.mkdtemp(prefix="gee-e2e-")
        port_file = os.path.join(self.tmp, "port")
        self.data_dir = os.path.join(self.tmp, "state") if on_disk else None
        state = ["--data-dir", self.data_dir] if on_disk else ["--ephemeral"]
        args = [GEE_BINARY, "serve", *state, "--port", "0", "--port-file", port_file, *extra_args]
        self.log = open(os.path.join(self.tmp, "gee.log"), "w+")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        # Wait for the port file: the server writes it once it is listening.
        for _ in range(500):
            if os.path.exists(port_file):
                break
            if self.proc.poll() is not None:
                raise RuntimeError("gee exited early:\n" + self.output())
            time.sleep(0.01)
        else:
            raise RuntimeError("gee did not start:\n" + self.output())
        with open(port_file) as f:
            self.port = int(f.read().strip())
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


class GeeTestCase(unittest.TestCase):
    """Starts one gee server per test class."""

    server_args = ()
    _names = 0

    @classmethod
    def setUpClass(cls):
        cls.server = GeeServer(cls.server_args)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def client(self, service, credentials=ROOT, session_token=None, region=REGION):
        """A boto3 client for `service` signed with `credentials`."""
        return boto3.client(
            service,
            endpoint_url=self.server.endpoint,
            region_name=region,
            aws_access_key_id=credentials[0],
            aws_secret_access_key=credentials[1],
            aws_session_token=session_token,
            config=botocore.config.Config(retries={"max_attempts": 1},
                                          s3={"addressing_style": "path"}),
        )

    def aws(self, *args, credentials=ROOT, session_token=None, region=REGION, check=True,
            input_bytes=None):
        """Runs the AWS CLI against the server; returns (exit code, stdout, stderr)."""
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": self.server.tmp,
            "AWS_ACCESS_KEY_ID": credentials[0],
            "AWS_SECRET_ACCESS_KEY": credentials[1],
            "AWS_DEFAULT_REGION": region,
            "AWS_PAGER": "",
            "AWS_MAX_ATTEMPTS": "1",
        }
        if session_token:
            env["AWS_SESSION_TOKEN"] = session_token
        proc = subprocess.run([AWS_CLI, "--endpoint-url", self.server.endpoint, "--output", "json",
                               *args], env=env, capture_output=True, input=input_bytes, timeout=120)
        out = proc.stdout.decode()
        err = proc.stderr.decode()
        if check and proc.returncode != 0:
            self.fail(f"aws {' '.join(args)} failed ({proc.returncode}):\n{err}")
        return proc.returncode, out, err

    def aws_json(self, *args, **kwargs):
        _, out, _ = self.aws(*args, **kwargs)
        return json.loads(out) if out.strip() else {}

    def unique(self, prefix):
        """`prefix` with a number no other call in this process got."""
        GeeTestCase._names += 1
        return f"{prefix}{GeeTestCase._names}"

    def iam_user(self, *policy_documents, name=None):
        """Creates an IAM user (named `name`, or a fresh name) with one inline policy per
        document and an access key; returns (name, (access key id, secret))."""
        iam = self.client("iam")
        name = name or self.unique("user")
        iam.create_user(UserName=name)
        for i, doc in enumerate(policy_documents):
            iam.put_user_policy(UserName=name, PolicyName=f"p{i}", PolicyDocument=doc)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return name, (key["AccessKeyId"], key["SecretAccessKey"])

    def operational(self, method, path, query=None):
        """A root-signed request to a /_gee operational endpoint; returns the JSON reply."""
        url = self.server.endpoint + path
        if query:
            url += "?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote)
        request = botocore.awsrequest.AWSRequest(method=method, url=url, data=b"")
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(*ROOT), "gee",
                                REGION).add_auth(request)
        prepared = request.prepare()
        with urllib.request.urlopen(urllib.request.Request(
                prepared.url, data=prepared.body if method == "POST" else None,
                headers=dict(prepared.headers), method=method), timeout=30) as reply:
            return json.loads(reply.read())

    def inspect(self, kind, ident, probe):
        """The at-rest records of item `ident` of `kind`, probed for the plaintext `probe`."""
        return self.operational("GET", "/_gee/inspect", {
            "kind": kind, "id": ident, "probe": base64.b64encode(probe.encode()).decode()})["records"]

    def assertAwsError(self, code, fn, *args, **kwargs):
        """Calls boto3 `fn` and asserts it fails with AWS error `code`; returns the error."""
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(*args, **kwargs)
        self.assertEqual(cm.exception.response["Error"]["Code"], code,
                         cm.exception.response["Error"].get("Message"))
        return cm.exception.response["Error"]
