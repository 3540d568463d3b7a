# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make or remove many secrets fast, for the pagination tests (a loop of the module costs ~0.5 s a secret).

    bulk_secrets.py ENDPOINT REGION create PREFIX COUNT VALUE
    bulk_secrets.py ENDPOINT REGION delete PREFIX

create makes PREFIX000, PREFIX001, ... each holding VALUE-N; delete removes, without recovery,
every secret whose name starts with PREFIX (scheduled for deletion or not). Credentials come from
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Prints one line of JSON: the names handled.
"""

from __future__ import annotations

import json
import sys

import boto3


def main():
    endpoint, region, command, prefix = sys.argv[1:5]
    client = boto3.client("secretsmanager", endpoint_url=endpoint, region_name=region)
    names = []
    if command == "create":
        count, value = int(sys.argv[5]), sys.argv[6]
        for index in range(count):
            name = "%s%03d" % (prefix, index)
            client.create_secret(Name=name, SecretString="%s-%d" % (value, index))
            names.append(name)
    elif command == "delete":
        pages = client.get_paginator("list_secrets").paginate(
            Filters=[{"Key": "name", "Values": [prefix]}], IncludePlannedDeletion=True
        )
        # List everything before deleting anything: deleting between pages shifts the pages.
        secrets = [secret for page in pages for secret in page["SecretList"] if secret["Name"].startswith(prefix)]
        for secret in secrets:
            client.delete_secret(SecretId=secret["ARN"], ForceDeleteWithoutRecovery=True)
            names.append(secret["Name"])
    else:
        sys.exit("unknown command %r" % command)
    print(json.dumps(sorted(names)))


if __name__ == "__main__":
    main()
