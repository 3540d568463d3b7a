#!/usr/bin/env python
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compare what identifiers.yml registered with what AWS holds, read independently with boto3.

    check_identifiers.py CONFIG RESULTS.json

Exit 1, naming the field, when a registered identifier differs from AWS's (a masked ARN, name or tag
shows up here as a difference). Prints no value: DescribeSecret carries none.
"""

import json
import sys

from find_leaks import client, read_config


def main(config_path, results_path):
    with open(results_path, encoding="utf-8") as handle:
        results = json.load(handle)
    create, by_arn, updated, info, failed = (results[k] for k in ("create", "by_arn", "updated", "info", "failed"))
    held = client(read_config(config_path)).describe_secret(SecretId=create["arn"])
    current = next(v for v, stages in held["VersionIdsToStages"].items() if "AWSCURRENT" in stages)
    tags = {tag["Key"]: tag["Value"] for tag in held.get("Tags", [])}
    checks = {
        "create name": (create["name"], held["Name"]),
        "create arn": (create["arn"], held["ARN"]),
        "by_arn arn": (by_arn["arn"], held["ARN"]),
        "updated arn": (updated["arn"], held["ARN"]),
        "failed arn": (failed["arn"], held["ARN"]),
        "updated version_id": (updated["version_id"], current),
        "create version_id": (held["VersionIdsToStages"].get(create["version_id"]), ["AWSPREVIOUS"]),
        "updated secret.version_ids_to_stages": (updated["secret"]["version_ids_to_stages"], held["VersionIdsToStages"]),
        "create secret.description": (create["secret"]["description"], held["Description"]),
        "updated secret.tags": (updated["secret"]["tags"], tags),
        "info name": (info["secrets"][0]["name"], held["Name"]),
        "info arn": (info["secrets"][0]["arn"], held["ARN"]),
        "info tags": (info["secrets"][0]["tags"], tags),
        "info description": (info["secrets"][0]["description"], held["Description"]),
    }
    wrong = [field for field, (registered, aws) in checks.items() if registered != aws]
    for field in wrong:
        print("DIFFERENT %s: registered %s, AWS holds %s" % ((field,) + tuple(json.dumps(v) for v in checks[field])))
    print("check_identifiers: %d of %d identifiers as AWS holds them" % (len(checks) - len(wrong), len(checks)))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
