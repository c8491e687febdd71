"""Which S3 features the server under test really honours, checked with boto3 (not our
client), so the answers are the server's: conditional PUT (If-None-Match: *, If-Match),
conditional GET (If-None-Match with an ETag: 304, what follow mode relies on), ranged GET,
ListObjectsV2 pagination, and the error codes for a missing bucket and key.
Run by ctest (label s3) from scripts/s3/run-s3-tests.sh, once per server (moto, SeaweedFS);
skipped without INFINITREE_S3_ENDPOINT. docs/backends.md has the resulting matrix.
"""
from __future__ import annotations

import os
import secrets

import pytest

boto3 = pytest.importorskip("boto3")
from botocore.exceptions import ClientError  # noqa: E402

ENDPOINT = os.environ.get("INFINITREE_S3_ENDPOINT")
pytestmark = pytest.mark.skipif(not ENDPOINT, reason="INFINITREE_S3_ENDPOINT is not set")


@pytest.fixture
def s3():
    return boto3.client("s3", endpoint_url=ENDPOINT,
                        region_name=os.environ.get("INFINITREE_S3_REGION", "us-east-1"))


@pytest.fixture
def bucket(s3):
    name = "it-conf-" + secrets.token_hex(6)
    s3.create_bucket(Bucket=name)
    yield name
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name):
        for o in page.get("Contents", []):
            s3.delete_object(Bucket=name, Key=o["Key"])
    s3.delete_bucket(Bucket=name)


def status_of(call):
    """(HTTP status, error code) of a call expected to fail."""
    with pytest.raises(ClientError) as e:
        call()
    return e.value.response["ResponseMetadata"]["HTTPStatusCode"], e.value.response["Error"]["Code"]


def test_put_if_none_match_star_refuses_an_existing_key(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"one", IfNoneMatch="*")  # absent: allowed
    assert status_of(lambda: s3.put_object(Bucket=bucket, Key="k", Body=b"two", IfNoneMatch="*"))[0] == 412
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"one"


def test_put_if_match_needs_the_current_etag(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="k", Body=b"one")["ETag"]
    stale = '"0123456789abcdef0123456789abcdef"'
    assert status_of(lambda: s3.put_object(Bucket=bucket, Key="k", Body=b"two", IfMatch=stale))[0] == 412
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"one"
    new = s3.put_object(Bucket=bucket, Key="k", Body=b"three", IfMatch=etag)["ETag"]
    assert new != etag
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"three"


def test_get_if_none_match_answers_304_while_unchanged(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="root", Body=b"v1")["ETag"]
    # botocore raises ClientError for a 304 (it is not a 2xx).
    assert status_of(lambda: s3.get_object(Bucket=bucket, Key="root", IfNoneMatch=etag))[0] == 304
    s3.put_object(Bucket=bucket, Key="root", Body=b"v2")
    r = s3.get_object(Bucket=bucket, Key="root", IfNoneMatch=etag)
    assert r["Body"].read() == b"v2" and r["ETag"] != etag


def test_ranged_get(s3, bucket):
    body = bytes(range(256)) * 64
    s3.put_object(Bucket=bucket, Key="k", Body=body)
    r = s3.get_object(Bucket=bucket, Key="k", Range="bytes=1000-1099")
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert r["ContentRange"] == "bytes 1000-1099/%d" % len(body)
    assert r["Body"].read() == body[1000:1100]
    assert s3.get_object(Bucket=bucket, Key="k", Range="bytes=%d-" % (len(body) - 3))["Body"].read() == body[-3:]


def test_list_objects_v2_pagination(s3, bucket):
    keys = ["p/%02d" % i for i in range(7)] + ["q/x"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=b"x")
    seen, token, pages = [], None, 0
    while True:
        kw = {"Bucket": bucket, "Prefix": "p/", "MaxKeys": 2}
        if token:
            kw["ContinuationToken"] = token
        page = s3.list_objects_v2(**kw)
        pages += 1
        got = [o["Key"] for o in page.get("Contents", [])]
        assert len(got) <= 2
        seen += got
        if not page["IsTruncated"]:
            break
        token = page["NextContinuationToken"]
        assert pages < 20
    assert seen == keys[:7]  # in order, each once, the other prefix left out
    assert pages == 4


def test_error_codes_for_missing_key_and_bucket(s3, bucket):
    assert status_of(lambda: s3.get_object(Bucket=bucket, Key="nope")) == (404, "NoSuchKey")
    assert status_of(lambda: s3.head_object(Bucket=bucket, Key="nope"))[0] == 404
    s3.delete_object(Bucket=bucket, Key="nope")  # deleting a missing key is not an error
    missing = "it-none-" + secrets.token_hex(6)
    assert status_of(lambda: s3.get_object(Bucket=missing, Key="k")) == (404, "NoSuchBucket")
    assert status_of(lambda: s3.list_objects_v2(Bucket=missing))[1] == "NoSuchBucket"
