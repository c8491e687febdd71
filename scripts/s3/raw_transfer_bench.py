#!/usr/bin/env python3
"""The baseline for bench/backend_bench: the same transfers (N objects of 4 MiB, put then got,
with 1, 4 and 16 in parallel) made with boto3 alone, against the same server and in the same
run, so the library's figures can be read against what a plain client gets.
Usage: raw_transfer_bench.py [--objects N]   (server from INFINITREE_S3_ENDPOINT, AWS_* keys)
"""
import argparse
import os
import secrets
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

OBJECT = 4 * 1024 * 1024


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--objects", type=int, default=32)
    args = p.parse_args()
    s3 = boto3.client("s3", endpoint_url=os.environ["INFINITREE_S3_ENDPOINT"],
                      region_name=os.environ.get("INFINITREE_S3_REGION", "us-east-1"),
                      config=Config(max_pool_connections=32))
    bucket = "raw-bench-" + secrets.token_hex(4)
    s3.create_bucket(Bucket=bucket)
    body = os.urandom(OBJECT)
    try:
        for parallel in (1, 4, 16):
            keys = ["p%d/%04d" % (parallel, i) for i in range(args.objects)]
            with ThreadPoolExecutor(parallel) as pool:
                start = time.monotonic()
                list(pool.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=body), keys))
                up = time.monotonic() - start
                start = time.monotonic()
                sizes = list(pool.map(lambda k: len(s3.get_object(Bucket=bucket, Key=k)["Body"].read()), keys))
                down = time.monotonic() - start
            assert all(s == OBJECT for s in sizes)
            mib = args.objects * OBJECT / (1 << 20)
            print("boto3 upload,   %2d parallel %15.1f MiB/s" % (parallel, mib / up))
            print("boto3 download, %2d parallel %15.1f MiB/s" % (parallel, mib / down))
    finally:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for o in page.get("Contents", []):
                s3.delete_object(Bucket=bucket, Key=o["Key"])
        s3.delete_bucket(Bucket=bucket)


if __name__ == "__main__":
    main()
