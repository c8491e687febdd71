"""Our SigV4 signer (through tests/s3/tools/sigv4_tool) against botocore's S3SigV4Auth, an
independent implementation, for fixed inputs. Run by ctest (s3.sigv4_matches_botocore) or:
    INFINITREE_SIGV4_TOOL=build/tests/sigv4_tool python3 -m pytest -q tests/s3/test_sigv4_botocore.py
"""
import datetime
import glob
import hashlib
import os
import subprocess
from unittest import mock

import pytest

botocore = pytest.importorskip("botocore")
from botocore.auth import S3SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402
from botocore.utils import percent_encode  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def tool_path():
    env = os.environ.get("INFINITREE_SIGV4_TOOL")
    if env:
        return env
    found = sorted(glob.glob(os.path.join(ROOT, "build*", "**", "sigv4_tool"), recursive=True),
                   key=os.path.getmtime)
    if not found:
        pytest.skip("sigv4_tool not built: build the sigv4_tool target or set INFINITREE_SIGV4_TOOL")
    return found[-1]


WHEN = datetime.datetime(2013, 5, 24, 0, 0, 0)
AMZ_DATE = "20130524T000000Z"


def botocore_sign(method, host, path, query, headers, body, region, creds):
    # botocore's S3 signer takes the path already encoded in the URL, as its request
    # serializer encodes object keys (percent_encode with safe='/~').
    url = "http://" + host + percent_encode(path, safe="/~")
    req = AWSRequest(method=method, url=url, headers=dict(headers), data=body, params=query)
    auth = S3SigV4Auth(creds, "s3", region)
    with mock.patch("botocore.auth.get_current_datetime", return_value=WHEN):
        auth.add_auth(req)
    return req.headers["Authorization"], req.headers


def ours(method, path, query, signed_headers, payload_hash, region, creds):
    lines = [f"method\t{method}", f"path\t{path}", f"payload_hash\t{payload_hash}",
             f"amz_date\t{AMZ_DATE}", f"region\t{region}", "service\ts3",
             f"access_key\t{creds.access_key}", f"secret_key\t{creds.secret_key}"]
    if creds.token:
        lines.append(f"session_token\t{creds.token}")
    for k, v in query:
        lines.append(f"query\t{k}\t{v}")
    for k, v in signed_headers:
        lines.append(f"header\t{k}\t{v}")
    out = subprocess.run([tool_path()], input="\n".join(lines) + "\n", capture_output=True,
                         text=True, check=True)
    return out.stdout.split("\n", 1)[0]


CASES = [
    # (method, host, path, query, extra headers, body, region, token)
    ("GET", "127.0.0.1:9000", "/bucket/" + "ab" * 32, [], {"Range": "bytes=100-199"}, b"",
     "us-east-1", None),
    ("PUT", "bucket.s3.eu-west-3.amazonaws.com", "/trees/t1/" + "0f" * 32, [],
     {"Content-Length": "4096", "If-None-Match": "*"}, os.urandom(4096), "eu-west-3", None),
    ("PUT", "127.0.0.1:9000", "/bucket/key", [],
     {"Content-Length": "5", "If-Match": '"5d41402abc4b2a76b9719d911017c592"'}, b"hello",
     "us-east-1", "FwoGZXIvYXdzEJr//////////session+token="),
    ("HEAD", "localhost:4566", "/bucket/odd$name+with=chars", [], {}, b"", "us-west-2", None),
    ("DELETE", "bucket.localhost:4566", "/p/" + "cd" * 32, [], {}, b"", "ap-south-1", None),
    ("GET", "127.0.0.1:9000", "/bucket",
     [("list-type", "2"), ("prefix", "trees/a b/"), ("continuation-token", "1/abc+def=="),
      ("max-keys", "7")], {}, b"", "us-east-1", None),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_authorization_matches_botocore(case):
    method, host, path, query, extra, body, region, token = case
    creds = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", token)
    expected, sent = botocore_sign(method, host, path, query, extra, body, region, creds)
    payload_hash = hashlib.sha256(body).hexdigest()
    assert sent["X-Amz-Content-SHA256"] == payload_hash
    assert sent["X-Amz-Date"] == AMZ_DATE
    # Exactly the headers our client sends and signs.
    signed = [("host", host), ("x-amz-date", AMZ_DATE), ("x-amz-content-sha256", payload_hash)]
    if token:
        signed.append(("x-amz-security-token", token))
    signed += list(extra.items())
    got = ours(method, path, query, signed, payload_hash, region, creds)
    assert got == expected


def test_tool_rejects_unknown_fields():
    out = subprocess.run([tool_path()], input="bogus\tx\n", capture_output=True, text=True)
    assert out.returncode == 2
