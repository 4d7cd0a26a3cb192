#!/usr/bin/python3
"""Generates fixtures/sigv4/*.json: SigV4 requests typical of gee, signed by an
independent implementation, botocore (the Debian python3-botocore package).

Each fixture holds the request before signing (what gee's signer gets), the
request botocore produced (what gee's verifier gets, with the unsigned
Content-Length an HTTP client adds), and botocore's canonical request, string
to sign and signature. Also writes aws-chunked bodies with checksum trailers
made by botocore's AwsChunkedWrapper (fixtures/sigv4/aws_chunked_trailers.json).

The signing time is fixed, so the output is reproducible:

    /usr/bin/python3 tools/make_sigv4_fixtures.py

Credentials below are fictitious test values.
"""

import base64
import calendar
import datetime
import io
import json
import os
import sys
from unittest import mock
from urllib.parse import quote, urlsplit

import botocore
import botocore.auth
import botocore.httpchecksum
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

FIXED_TIME = datetime.datetime(2024, 5, 14, 9, 26, 40)
ENDPOINT = "http://127.0.0.1:4566"
HOST = "127.0.0.1:4566"
USER_AGENT = "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 botocore/2.4.5"

ROOT = Credentials("test", "test")
USER = Credentials("AKIAGEEFIXTURE0000001", "gee/fixture+secret/key0000000000000000000")
SESSION = Credentials(
    "ASIAGEEFIXTURE0000002",
    "session/secret+key/000000000000000000000000",
    "FwoGZXIvYXdzEGEEFIXTURE//////////wEaDsessiontoken+with/slashes==",
)

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "sigv4")


class _FixedDatetime(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return cls(FIXED_TIME.year, FIXED_TIME.month, FIXED_TIME.day, FIXED_TIME.hour,
                   FIXED_TIME.minute, FIXED_TIME.second)


def _capturing(auth_cls):
    """The botocore signer class, recording what it signed."""

    class Capturing(auth_cls):
        def canonical_request(self, request):
            self.captured_canonical = super().canonical_request(request)
            return self.captured_canonical

        def string_to_sign(self, request, canonical_request):
            self.captured_sts = super().string_to_sign(request, canonical_request)
            return self.captured_sts

        def signature(self, string_to_sign, request):
            self.captured_signature = super().signature(string_to_sign, request)
            return self.captured_signature

    return Capturing


def _target(url):
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _creds_json(creds):
    out = {"access_key_id": creds.access_key, "secret_access_key": creds.secret_key}
    if creds.token:
        out["session_token"] = creds.token
    return out


def make_fixture(name, description, *, service, region, creds, method, path, query="",
                 headers, body=b"", mode="header", expires=None, auth_cls=None,
                 context=None, signer_payload_hash=""):
    url = ENDPOINT + path + ("?" + query if query else "")
    all_headers = [("Host", HOST), ("User-Agent", USER_AGENT)] + list(headers)
    request = AWSRequest(method=method, url=url, headers=dict(all_headers), data=body)
    request.context.update(context or {})
    if auth_cls is None:
        auth_cls = botocore.auth.SigV4Auth if mode == "header" else botocore.auth.SigV4QueryAuth
    cls = _capturing(auth_cls)
    auth = cls(creds, service, region) if mode == "header" else cls(creds, service, region,
                                                                     expires=expires)
    with mock.patch.object(botocore.auth.datetime, "datetime", _FixedDatetime):
        auth.add_auth(request)

    signed_headers = [[k, v] for k, v in request.headers.items()]
    if request.body:
        # Added by the HTTP client after signing, so unsigned.
        signed_headers.append(["Content-Length", str(len(request.body))])
    body_text = body.decode("utf-8")
    fixture = {
        "name": name,
        "description": description,
        "generator": "botocore %s %s" % (botocore.__version__, auth_cls.__name__),
        "service": service,
        "region": region,
        "timestamp": FIXED_TIME.strftime("%Y%m%dT%H%M%SZ"),
        "epoch": calendar.timegm(FIXED_TIME.timetuple()),
        "credentials": _creds_json(creds),
        "mode": mode,
        "expires": expires,
        "signer_payload_hash": signer_payload_hash,
        "request": {
            "method": method,
            "target": _target(url),
            "headers": [[k, v] for k, v in all_headers],
            "body": body_text,
        },
        "signed_request": {
            "method": method,
            "target": _target(request.url),
            "headers": signed_headers,
            "body": body_text,
        },
        "canonical_request": auth.captured_canonical,
        "string_to_sign": auth.captured_sts,
        "signature": auth.captured_signature,
    }
    return fixture


def s3_key_path(bucket, key):
    # botocore's serializer: the key is percent-encoded with '/' and '~' kept.
    return "/" + bucket + "/" + quote(key, safe="/~")


def fixtures():
    json_headers = [("Content-Type", "application/x-amz-json-1.1")]
    form_headers = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
    yield make_fixture(
        "kms_encrypt_json", "KMS Encrypt: JSON 1.1 POST with X-Amz-Target, root test/test keys",
        service="kms", region="us-east-1", creds=ROOT, method="POST", path="/",
        headers=json_headers + [("X-Amz-Target", "TrentService.Encrypt")],
        body=b'{"KeyId": "alias/gee-catalog", "Plaintext": "c2VjcmV0IGRhdGE=", '
             b'"EncryptionContext": {"purpose": "glue"}}')
    yield make_fixture(
        "glue_get_databases_session_token",
        "Glue GetDatabases signed by an assumed-role session (X-Amz-Security-Token signed)",
        service="glue", region="eu-west-1", creds=SESSION, method="POST", path="/",
        headers=json_headers + [("X-Amz-Target", "AWSGlue.GetDatabases")],
        body=b'{"CatalogId": "000000000000", "MaxResults": 10}')
    yield make_fixture(
        "logs_put_log_events_json", "CloudWatch Logs PutLogEvents with an IAM user key",
        service="logs", region="us-east-1", creds=USER, method="POST", path="/",
        headers=json_headers + [("X-Amz-Target", "Logs_20140328.PutLogEvents")],
        body=b'{"logGroupName": "/aws-glue/jobs/output", "logStreamName": "jr_0001", '
             b'"logEvents": [{"timestamp": 1715678800000, "message": "hello  world"}]}')
    yield make_fixture(
        "sts_get_caller_identity_form", "STS GetCallerIdentity: Query protocol form POST",
        service="sts", region="us-east-1", creds=USER, method="POST", path="/",
        headers=form_headers, body=b"Action=GetCallerIdentity&Version=2011-06-15")
    policy = quote('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":'
                   '{"Service":"glue.amazonaws.com"},"Action":"sts:AssumeRole"}]}', safe="")
    yield make_fixture(
        "iam_create_role_form_session_token",
        "IAM CreateRole: form POST with a URL-encoded trust policy, signed by a session",
        service="iam", region="us-east-1", creds=SESSION, method="POST", path="/",
        headers=form_headers,
        body=("Action=CreateRole&Version=2010-05-08&RoleName=AWSGlueServiceRole-gee"
              "&AssumeRolePolicyDocument=" + policy).encode())
    yield make_fixture(
        "s3_put_object_unsigned_payload",
        "S3 PutObject with x-amz-content-sha256: UNSIGNED-PAYLOAD and SSE-KMS headers",
        service="s3", region="us-east-1", creds=USER, method="PUT",
        path=s3_key_path("gee-output", "jobs/run-1/part-0000.json"),
        headers=[("Content-Type", "application/json"),
                 ("x-amz-server-side-encryption", "aws:kms"),
                 ("x-amz-server-side-encryption-aws-kms-key-id", "alias/gee-s3")],
        body=b'{"id": 1, "name": "alpha"}\n',
        auth_cls=botocore.auth.S3SigV4Auth,
        context={"client_config": Config(s3={"payload_signing_enabled": False})},
        signer_payload_hash="UNSIGNED-PAYLOAD")
    yield make_fixture(
        "s3_put_object_body_hash",
        "S3 PutObject over http: payload signed with its SHA-256 in x-amz-content-sha256",
        service="s3", region="us-east-1", creds=ROOT, method="PUT",
        path=s3_key_path("gee-input", "data/input.csv"),
        headers=[("Content-Type", "text/csv"), ("Content-MD5", "3bnNMKCA9fmo5Lw2xzHB2A==")],
        body=b"id,name\n1,alpha\n2,beta\n",
        auth_cls=botocore.auth.S3SigV4Auth)
    yield make_fixture(
        "s3_get_object_special_key",
        "S3 GetObject of a key with spaces, non-ASCII characters, '+' and '=': path as sent",
        service="s3", region="eu-central-1", creds=USER, method="GET",
        path=s3_key_path("gee-input", "dir with space/r\u00e9sum\u00e9+\u20ac=1.txt"),
        headers=[], auth_cls=botocore.auth.S3SigV4Auth)
    yield make_fixture(
        "s3_list_objects_v2_query",
        "S3 ListObjectsV2: query with an encoded '/' and a parameter without value",
        service="s3", region="us-east-1", creds=USER, method="GET", path="/gee-input",
        query="list-type=2&prefix=data%2Fsub%20dir%2F&encoding-type=url&fetch-owner",
        headers=[], auth_cls=botocore.auth.S3SigV4Auth)
    yield make_fixture(
        "s3_get_bucket_encryption_subresource",
        "S3 GetBucketEncryption: sub-resource query '?encryption' (empty value)",
        service="s3", region="us-east-1", creds=ROOT, method="GET", path="/gee-output",
        query="encryption", headers=[], auth_cls=botocore.auth.S3SigV4Auth)
    yield make_fixture(
        "s3_presigned_get", "S3 presigned GetObject URL (UNSIGNED-PAYLOAD), 15 minutes",
        service="s3", region="us-east-1", creds=USER, method="GET",
        path=s3_key_path("gee-output", "reports/summary 2024.json"), headers=[],
        mode="query", expires=900, auth_cls=botocore.auth.S3SigV4QueryAuth)
    yield make_fixture(
        "s3_presigned_put_session_token",
        "S3 presigned PutObject URL made with session credentials (token in the query)",
        service="s3", region="us-west-2", creds=SESSION, method="PUT",
        path=s3_key_path("gee-output", "uploads/a+b.bin"), headers=[],
        mode="query", expires=3600, auth_cls=botocore.auth.S3SigV4QueryAuth)
    yield make_fixture(
        "sts_presigned_get_caller_identity",
        "STS GetCallerIdentity as a presigned GET (non-S3 query signing, empty-body hash)",
        service="sts", region="us-east-1", creds=SESSION, method="GET", path="/",
        query="Action=GetCallerIdentity&Version=2011-06-15", headers=[],
        mode="query", expires=60, auth_cls=botocore.auth.SigV4QueryAuth)


def chunked_trailers():
    payload = (b"gee aws-chunked payload: " + bytes(range(256)) * 3)
    cases = []
    for cls, name in ((botocore.httpchecksum.Crc32Checksum, "x-amz-checksum-crc32"),
                      (botocore.httpchecksum.Sha1Checksum, "x-amz-checksum-sha1"),
                      (botocore.httpchecksum.Sha256Checksum, "x-amz-checksum-sha256")):
        wrapper = botocore.httpchecksum.AwsChunkedWrapper(
            io.BytesIO(payload), checksum_cls=cls, checksum_name=name, chunk_size=200)
        body = wrapper.read()
        checksum = cls()
        checksum.update(payload)
        cases.append({
            "trailer": name,
            "chunk_size": 200,
            "checksum": checksum.b64digest(),
            "body_base64": base64.b64encode(body).decode("ascii"),
        })
    return {
        "generator": "botocore %s AwsChunkedWrapper" % botocore.__version__,
        "payload_base64": base64.b64encode(payload).decode("ascii"),
        "cases": cases,
    }


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    names = []
    for fixture in fixtures():
        path = os.path.join(OUT_DIR, fixture["name"] + ".json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(fixture, f, indent=2)
            f.write("\n")
        names.append(fixture["name"])
    with open(os.path.join(OUT_DIR, "aws_chunked_trailers.json"), "w", encoding="utf-8") as f:
        json.dump(chunked_trailers(), f, indent=2)
        f.write("\n")
    print("wrote %d SigV4 fixtures and aws_chunked_trailers.json to %s" % (len(names), OUT_DIR),
          file=sys.stderr)


if __name__ == "__main__":
    main()
