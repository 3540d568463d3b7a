# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secrets module's bulk read: the fleet's state from ListSecrets pages, values from BatchGetSecretValue.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

A listing is a hint (AWS: ListSecrets "might not reflect changes from the last five minutes"): it tells which
items are unchanged, never what to write or delete (_fleet.py reads those again with DescribeSecret).
"""

from __future__ import annotations

from ansible_collections.seed.secretsmanager.plugins.module_utils._apply import value_of
from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import Api, AwsError
from ansible_collections.seed.secretsmanager.plugins.module_utils._fleet_validate import Fleet

PAGE_SIZE = 100  # ListSecrets' MaxResults at most
NAMES_PER_FILTER = 10  # a ListSecrets filter takes 1 to 10 values (API reference: Filter)
VALUES_PER_BATCH = 20  # BatchGetSecretValue's SecretIdList takes up to 20 secrets


def _listed(entry: dict) -> dict:
    """A ListSecrets entry in DescribeSecret's shape (ListSecrets says SecretVersionsToStages)."""
    entry = dict(entry)
    entry["VersionIdsToStages"] = entry.pop("SecretVersionsToStages", {})
    return entry


def list_secrets(api: Api, prefixes: list) -> list:
    """Every secret whose name starts with one of the prefixes (up to 10), deleted ones included, page by page."""
    request = {"MaxResults": PAGE_SIZE, "IncludePlannedDeletion": True, "Filters": [{"Key": "name", "Values": list(prefixes)}]}
    found = []
    while True:
        response = api.call("ListSecrets", **request)
        found.extend(_listed(entry) for entry in response.get("SecretList", []))
        if not response.get("NextToken"):
            return found
        request["NextToken"] = response["NextToken"]


def _by_arn(entries: dict, arn: str) -> dict | None:
    """The listed secret an ARN names: a full ARN, or a partial one (without AWS's -XXXXXX suffix)."""
    for entry in entries.values():
        listed = entry.get("ARN") or ""
        if listed == arn or (listed.startswith(arn + "-") and len(listed) == len(arn) + 7):
            return entry
    return None


UNREAD = object()  # an item the bulk read cannot answer: run() describes it


def read_fleet(api: Api, fleet: Fleet) -> tuple:
    """(item index -> the listed secret, None when not listed, or UNREAD; the secrets under path by name).

    With path, one ListSecrets series over the path; otherwise one per 10 names. Names are compared exactly here:
    AWS's name filter matches prefixes. ListSecrets lacks ReplicationStatus, so an item that plans replicas or a
    deletion (which removes replicas first) is left UNREAD, and so is an ARN the listing does not show."""
    listed = {}
    if fleet.path is not None:
        for entry in list_secrets(api, [fleet.path]):
            if entry.get("Name", "").startswith(fleet.path):
                listed[entry["Name"]] = entry
    else:
        names = sorted(set(item.desired.name for item in fleet.items if not item.desired.is_arn))
        for start in range(0, len(names), NAMES_PER_FILTER):
            chunk = names[start:start + NAMES_PER_FILTER]
            for entry in list_secrets(api, chunk):
                if entry.get("Name") in chunk:
                    listed[entry["Name"]] = entry
    state = {}
    for item in fleet.items:
        desired = item.desired
        entry = _by_arn(listed, desired.name) if desired.is_arn else listed.get(desired.name)
        if desired.state == "absent" or desired.replicas is not None or (desired.is_arn and entry is None):
            state[item.index] = UNREAD
        else:
            state[item.index] = entry
    return state, listed


def read_values(api: Api, wanted: list) -> dict:
    """ARN -> the current value, from BatchGetSecretValue, 20 secrets a call. A secret it cannot answer for (or a
    refused batch) is left out: its item reads its value alone, and gets that call's error if there is one."""
    values = {}
    for start in range(0, len(wanted), VALUES_PER_BATCH):
        request = {"SecretIdList": wanted[start:start + VALUES_PER_BATCH]}
        while True:
            try:
                response = api.call("BatchGetSecretValue", **request)
            except AwsError:
                break
            for entry in response.get("SecretValues", []):
                value = value_of(entry)
                if value is not None:
                    values[entry["ARN"]] = value
            if not response.get("NextToken"):
                break
            request["NextToken"] = response["NextToken"]
    return values
