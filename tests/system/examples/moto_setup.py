#!/usr/bin/env python
"""Create in the moto server of AWS_ENDPOINT_URL what an example needs and moto lacks until it exists.

    python moto_setup.py lambda NAME    a do-nothing rotation function NAME (and its role); prints its ARN

Used by the setup markers of the examples (doc_examples.py); idempotent.
"""

import io
import json
import os
import sys
import urllib.request
import zipfile

import boto3


def rotation_function(name):
    endpoint = os.environ["AWS_ENDPOINT_URL"]
    # moto invokes the function on RotateSecret; its default Lambda needs docker, the docker-less one answers success.
    request = urllib.request.Request(endpoint.rstrip("/") + "/moto-api/config", method="POST",
                                     data=json.dumps({"lambda": {"use_docker": False}}).encode(),
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).close()
    iam, lam = boto3.client("iam"), boto3.client("lambda")
    try:
        role = iam.get_role(RoleName=name)["Role"]
    except iam.exceptions.NoSuchEntityException:
        trust = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    try:
        return lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    except lam.exceptions.ResourceNotFoundException:
        pass
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("index.py", "def handler(event, context):\n    return None\n")
    return lam.create_function(FunctionName=name, Runtime="python3.11", Role=role["Arn"], Handler="index.handler",
                               Code={"ZipFile": archive.getvalue()})["FunctionArn"]


def main(argv):
    if len(argv) != 2 or argv[0] != "lambda":
        sys.exit(__doc__)
    print(rotation_function(argv[1]))


if __name__ == "__main__":
    main(sys.argv[1:])
