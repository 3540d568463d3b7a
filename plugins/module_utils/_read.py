# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading secrets: descriptions for secret_info, values for the lookup.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.
"""

from __future__ import annotations

import base64
import json

from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import Api, arn_params, describe, secretsmanager_client
from ansible_collections.seed.secretsmanager.plugins.module_utils._connection import connection_argument_spec
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import TaskError, ValidationError
from ansible_collections.seed.secretsmanager.plugins.module_utils._result import secret_result

FILTER_KEYS = {
    "name": "name",
    "description": "description",
    "tag_key": "tag-key",
    "tag_value": "tag-value",
    "primary_region": "primary-region",
    "owning_service": "owning-service",
    "all": "all",
}
PAGE_SIZE = 100


def info_module_spec() -> dict:
    """The arguments of secret_info, for the module and the action plugin alike."""
    spec = connection_argument_spec()
    spec.update(
        name=dict(type="str", aliases=["secret_id"]),
        filters=dict(type="dict", options={key: dict(type="raw", no_log=False) for key in FILTER_KEYS}),
        include_planned_deletion=dict(type="bool", default=False),
        include_policy=dict(type="bool", default=False),
        max_results=dict(type="int"),
    )
    return {"argument_spec": spec, "mutually_exclusive": [["name", "filters"]]}


def info_execute(params: dict) -> dict:
    """secret_info from validated arguments to its result; a failure is a result with failed=True."""
    actions = []
    try:
        filters = list_filters({k: v for k, v in (params.get("filters") or {}).items() if v is not None})
        params, warnings = arn_params(params, params.get("name"))
        api = Api(secretsmanager_client(params, reuse=True))
        actions = api.actions
        secrets = find_secrets(
            api,
            name=params.get("name"),
            filters=filters,
            include_planned_deletion=params.get("include_planned_deletion"),
            max_results=params.get("max_results"),
        )
        secrets = info_result(api, secrets, include_policy=params.get("include_policy"))
        return {"changed": False, "secrets": secrets, "actions": actions, "warnings": warnings}
    except TaskError as e:
        return dict(e.to_result(), failed=True, changed=False, actions=actions)


def list_filters(filters: dict | None) -> list:
    """secret_info's filters (snake_case keys, a string or a list each) as ListSecrets Filters."""
    result = []
    for key, values in (filters or {}).items():
        if key not in FILTER_KEYS:
            raise ValidationError("filters", "unknown filter %r (known: %s)" % (key, ", ".join(sorted(FILTER_KEYS))))
        values = values if isinstance(values, list) else [values]
        # YAML reads tag_value: 2024 as a number; ListSecrets compares text.
        values = [str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for v in values]
        if not values or len(values) > 10:
            raise ValidationError("filters", "filter %r takes 1 to 10 values (got %d)" % (key, len(values)))
        for value in values:
            if not isinstance(value, str) or not 1 <= len(value) <= 512:
                raise ValidationError("filters", "each value of filter %r must be a string of 1 to 512 characters" % key)
        result.append({"Key": FILTER_KEYS[key], "Values": list(values)})
    return result


def find_secrets(
    api: Api, name: str | None = None, filters: list | None = None, include_planned_deletion: bool = False, max_results: int | None = None
) -> list:
    """Secret descriptions (DescribeSecret shape): one by name or ARN, or all that ListSecrets filters give."""
    if max_results is not None and max_results < 1:
        raise ValidationError("max_results", "must be 1 or more (got %d)" % max_results)
    if name is not None:
        secret = describe(api, name)
        if secret is None or (secret.get("DeletedDate") and not include_planned_deletion):
            return []
        return [secret]
    request = {"IncludePlannedDeletion": bool(include_planned_deletion)}
    if filters:
        request["Filters"] = filters
    secrets = []
    while True:
        page_size = PAGE_SIZE if max_results is None else min(PAGE_SIZE, max_results - len(secrets))
        response = api.call("ListSecrets", MaxResults=page_size, **request)
        for entry in response.get("SecretList", []):
            entry = dict(entry, Listed=True)
            # ListSecrets says SecretVersionsToStages where DescribeSecret says VersionIdsToStages.
            entry["VersionIdsToStages"] = entry.pop("SecretVersionsToStages", {})
            secrets.append(entry)
        if not response.get("NextToken") or (max_results is not None and len(secrets) >= max_results):
            return secrets[:max_results] if max_results is not None else secrets
        request["NextToken"] = response["NextToken"]


def info_result(api: Api, secrets: list, include_policy: bool = False) -> list:
    results = []
    region = api.client.meta.region_name
    for secret in secrets:
        result = secret_result(secret)
        if secret.get("Listed"):
            # ListSecrets does not show replicas: say nothing rather than an empty list.
            del result["replication_status"]
        replica = secret.get("PrimaryRegion") not in (None, region)
        if include_policy and not secret.get("DeletedDate") and not replica:
            response = api.call("GetResourcePolicy", SecretId=secret["ARN"])
            result["resource_policy"] = json.loads(response["ResourcePolicy"]) if response.get("ResourcePolicy") else {}
        results.append(result)
    return results


def get_value(api: Api, secret_id: str, version_id: str | None = None, version_stage: str | None = None) -> tuple:
    """The value of one version: text for SecretString, base64 text for SecretBinary."""
    request = {"SecretId": secret_id}
    if version_id:
        request["VersionId"] = version_id
    if version_stage:
        request["VersionStage"] = version_stage
    response = api.call("GetSecretValue", **request)
    if "SecretString" in response:
        return response["SecretString"], "string"
    return base64.b64encode(response.get("SecretBinary", b"")).decode("ascii"), "binary"


def key_path(key: object) -> list | None:
    """A key path given as a list, or as a dotted string (use the list form for keys with dots)."""
    if key is None:
        return None
    if isinstance(key, str):
        parts = key.split(".")
    elif isinstance(key, list):
        parts = [str(part) if isinstance(part, int) else part for part in key]
    else:
        raise ValidationError("key", "must be a list of keys or a dotted string")
    if not parts or any(not isinstance(part, str) or part == "" for part in parts):
        raise ValidationError("key", "must name at least one key, and no key may be empty")
    return parts


def select(text: str, path: list, secret_id: str) -> object:
    """The JSON value at path inside a secret's text value, with its JSON type kept."""
    try:
        node = json.loads(text)
    except ValueError:
        raise TaskError("secret %s: the value is not JSON, so key cannot select inside it" % secret_id, code="NotJson")
    walked = []
    for part in path:
        walked.append(part)
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.lstrip("-").isdigit() and -len(node) <= int(part) < len(node):
            node = node[int(part)]
        else:
            raise TaskError("secret %s: the value has no key %s" % (secret_id, ".".join(walked)), code="KeyNotFound")
    return node
