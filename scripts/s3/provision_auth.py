#!/usr/bin/env python3
"""Provisions a moto server started with INITIAL_NO_AUTH_ACTION_COUNT=4 so that it
checks SigV4 signatures for real: creates an IAM user with an access key allowed
everything and a bucket (the 4 unauthenticated actions), then prints shell exports.
From then on moto recomputes every request's signature with the user's secret and answers
403 SignatureDoesNotMatch / InvalidAccessKeyId when ours is wrong.
Usage: provision_auth.py ENDPOINT
"""
import json
import sys

import boto3

endpoint = sys.argv[1]
common = dict(endpoint_url=endpoint, region_name="us-east-1")
iam = boto3.client("iam", aws_access_key_id="setup", aws_secret_access_key="setup", **common)
iam.create_user(UserName="infinitree-test")                                   # action 1
key = iam.create_access_key(UserName="infinitree-test")["AccessKey"]          # action 2
iam.put_user_policy(UserName="infinitree-test", PolicyName="all",             # action 3
                    PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                        {"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
s3 = boto3.client("s3", aws_access_key_id=key["AccessKeyId"],
                  aws_secret_access_key=key["SecretAccessKey"], **common)
s3.create_bucket(Bucket="infinitree-auth")                                    # action 4
print(f"export INFINITREE_S3_AUTH_ENDPOINT={endpoint}")
print(f"export INFINITREE_S3_AUTH_BUCKET=infinitree-auth")
print(f"export INFINITREE_S3_AUTH_KEY={key['AccessKeyId']}")
print(f"export INFINITREE_S3_AUTH_SECRET='{key['SecretAccessKey']}'")
