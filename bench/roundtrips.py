"""The AWS round trips alone: the calls a seed.secretsmanager.secret loop makes, from plain botocore.

    .venv/bin/python bench/roundtrips.py --endpoint URL --n 200 --prefix bench/rt/1

bench/run.py runs this once per repetition. One botocore client (built as
plugins/module_utils/_aws.py builds it: standard retries, the same credentials
options) makes, for each of N secrets, the calls the in-process module makes per
loop item in each scenario, and the wall time of each scenario's loop is printed
as JSON. This is the part of a loop item's cost that no Ansible plugin can avoid.
"""

import argparse
import json
import sys
import time
import uuid

import botocore.config
import botocore.exceptions
import botocore.session

# Each scenario's calls per item, in the order the module makes them (bench/run.py
# compares these with what the moto server saw for the in-process loops).
SCENARIOS = {
    "create": ["DescribeSecret", "CreateSecret"],
    "unchanged": ["DescribeSecret"],
    "unchanged_notoken": ["DescribeSecret", "GetSecretValue"],
    "update": ["DescribeSecret", "PutSecretValue"],
    "update_notoken": ["DescribeSecret", "GetSecretValue", "PutSecretValue"],
}


def make_client(endpoint, region):
    config = botocore.config.Config(retries={"mode": "standard", "max_attempts": 5})
    return botocore.session.Session().create_client(
        "secretsmanager",
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=config,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--prefix", required=True)
    args = parser.parse_args(argv)

    client = make_client(args.endpoint, args.region)
    names = ["%s/s%04d" % (args.prefix, i) for i in range(args.n)]
    token_a = [uuid.uuid4().hex for _name in names]
    token_b = [uuid.uuid4().hex for _name in names]
    seconds = {}

    def describe(name, missing=False):
        try:
            return client.describe_secret(SecretId=name)
        except botocore.exceptions.ClientError as e:
            if not missing or e.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
            return None

    def timed(scenario, body):
        start = time.perf_counter()
        for i, name in enumerate(names):
            body(i, name)
        seconds[scenario] = time.perf_counter() - start

    def create(i, name):
        describe(name, missing=True)
        client.create_secret(Name=name, SecretString="v1-%d" % i, ClientRequestToken=token_a[i])

    def unchanged(_i, name):
        describe(name)

    def unchanged_notoken(_i, name):
        describe(name)
        client.get_secret_value(SecretId=name)

    def update(i, name):
        describe(name)
        client.put_secret_value(SecretId=name, SecretString="v2-%d" % i, ClientRequestToken=token_b[i])

    def update_notoken(i, name):
        describe(name)
        client.get_secret_value(SecretId=name)
        client.put_secret_value(SecretId=name, SecretString="v3-%d" % i)

    # Warm up: the first call loads the endpoint rules and opens the connection.
    describe("%s/warm-up" % args.prefix, missing=True)
    for scenario, body in (
        ("create", create),
        ("unchanged", unchanged),
        ("unchanged_notoken", unchanged_notoken),
        ("update", update),
        ("update_notoken", update_notoken),
    ):
        timed(scenario, body)

    json.dump({"n": args.n, "seconds": seconds, "calls": SCENARIOS}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
