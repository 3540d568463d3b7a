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
import random
import re

from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import (
    ACCESS_DENIED,
    CREDENTIALS,
    DELETED,
    NOT_FOUND,
    SCHEDULED_FOR_DELETION,
    THROTTLED,
    VERSION_NOT_FOUND,
    Api,
    AwsError,
    describe,
    entry_error,
    secretsmanager_client,
)
from ansible_collections.seed.secretsmanager.plugins.module_utils._connection import connection_argument_spec
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import TaskError, ValidationError
from ansible_collections.seed.secretsmanager.plugins.module_utils._regions import arn_params
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
    return _value(api.call("GetSecretValue", **request))


def _value(answer: dict) -> tuple:
    """(text, kind) of a GetSecretValue answer or an entry of BatchGetSecretValue's SecretValues."""
    if "SecretString" in answer:
        return answer["SecretString"], "string"
    return base64.b64encode(answer.get("SecretBinary", b"")).decode("ascii"), "binary"


# ---------------------------------------------------------------- values in batches

# BatchGetSecretValue takes at most 20 ids (SecretIdList) and gives at most 20 values a page (MaxResults).
BATCH_SIZE = 20
# What a batch read that fails as a whole means for its secrets: denied (secretsmanager:BatchGetSecretValue is
# an IAM action of its own, granted on "*" only) or throttled past the retries -> read each secret with
# GetSecretValue, which a least-privilege policy may allow and whose quota is 100 times larger; no credentials
# -> that error is every secret's; anything else (an id AWS refuses, a secret without a value, which moto fails
# the whole call on) -> read that batch's secrets one by one, each with its own answer.
WHOLE_CALL_IS_EACH_ERROR = (CREDENTIALS,)
ONE_BY_ONE_FROM_THEN_ON = (ACCESS_DENIED, THROTTLED)
# BatchGetSecretValue's quota is 100 requests a second per account and region (GetSecretValue's 10,000), so a
# play that reads on many hosts at once meets it. Throttling that outlasts botocore's own retries is sent again
# BATCH_RETRIES times, after delays doubling from BATCH_FIRST_DELAY seconds (each one 0.5 to 1.5 times that, so
# the hosts spread out), before falling back to the calls of the other quota.
BATCH_RETRIES = 3
BATCH_FIRST_DELAY = 0.5
# A secret under a path that is gone or going (scheduled for deletion) is not listed.
GONE = (NOT_FOUND, SCHEDULED_FOR_DELETION, DELETED)
# What a filtered batch call that fails as a whole sends the path to ListSecrets and GetSecretValue for: denied;
# throttled past the retries; a secret under the path scheduled for deletion or without a current value (moto
# 5.2 fails the whole call on either; AWS reports such a secret in Errors).
PATH_ONE_BY_ONE = (ACCESS_DENIED, THROTTLED, VERSION_NOT_FOUND) + GONE
PATH_PATTERN = re.compile(r"^[A-Za-z0-9/_+=.@-]{1,512}\Z")
ARN_SUFFIX = re.compile(r"-[A-Za-z0-9]{6}\Z")


def _batch_call(api: Api, request: dict) -> dict:
    """BatchGetSecretValue, sent again after a delay while AWS throttles it (at most BATCH_RETRIES times)."""
    delay, retries = BATCH_FIRST_DELAY, 0
    while True:
        try:
            return api.call("BatchGetSecretValue", **request)
        except AwsError as e:
            if e.kind != THROTTLED or retries == BATCH_RETRIES:
                raise
        api.sleep(delay * random.uniform(0.5, 1.5))
        delay, retries = delay * 2, retries + 1


def _answers(entry: dict, secret_ids: list) -> list:
    """The requested ids that an entry of SecretValues answers: its name, its ARN, or its ARN without the
    six random characters AWS appends (a partial ARN)."""
    arn = entry.get("ARN") or ""
    name = entry.get("Name")
    return [
        secret_id for secret_id in secret_ids
        if secret_id in (name, arn) or (secret_id.startswith("arn:") and arn.startswith(secret_id + "-") and len(arn) == len(secret_id) + 7)
    ]


def read_values(api: Api, secret_ids: list) -> dict:
    """The current (AWSCURRENT) values of distinct secrets, by name or ARN: {secret id: (text, kind), or the
    TaskError that secret's read gave}. BatchGetSecretValue reads them BATCH_SIZE a call; a secret its answer
    does not account for is read with GetSecretValue, and so is every secret from a batch call on that is denied
    or stays throttled (the answers are then those of one GetSecretValue a secret)."""
    results = {}
    one_by_one = False
    for start in range(0, len(secret_ids), BATCH_SIZE):
        chunk = list(secret_ids[start:start + BATCH_SIZE])
        if not one_by_one:
            try:
                response = _batch_call(api, {"SecretIdList": chunk})
            except AwsError as e:
                if e.kind in WHOLE_CALL_IS_EACH_ERROR:
                    results.update((secret_id, e) for secret_id in chunk)
                    continue
                # Denied stays denied, and a quota still exceeded after the retries would only be waited on
                # again: the later batches go one by one too.
                one_by_one = e.kind in ONE_BY_ONE_FROM_THEN_ON
            else:
                for entry in response.get("SecretValues") or []:
                    for secret_id in _answers(entry, chunk):
                        results[secret_id] = _value(entry)
                for error in response.get("Errors") or []:
                    if error.get("SecretId") in chunk and error["SecretId"] not in results:
                        results[error["SecretId"]] = entry_error("BatchGetSecretValue", error.get("ErrorCode"), error.get("Message"), "GetSecretValue")
        for secret_id in chunk:
            if secret_id not in results:
                try:
                    results[secret_id] = get_value(api, secret_id)
                except TaskError as e:
                    results[secret_id] = e
    return results


def check_path(path: object) -> str:
    """The path option: a name prefix, as a secret name is spelled (not empty, not just "/")."""
    if not isinstance(path, str) or not PATH_PATTERN.match(path):
        raise ValidationError(
            "path", "must be 1 to 512 characters of a secret name (ASCII letters, digits and /_+=.@-), such as prod/payments/"
        )
    if not path.strip("/"):
        raise ValidationError("path", "%r names every secret of the account; give a prefix such as prod/payments/" % path)
    return path


def _secret_name(secret_id: str) -> str:
    """A secret's name from its name or its full ARN (the ARN's name ends in AWS's six random characters)."""
    if secret_id.startswith("arn:") and ":secret:" in secret_id:
        name = secret_id.split(":secret:", 1)[1]
        return ARN_SUFFIX.sub("", name)
    return secret_id


def read_path(api: Api, path: str) -> tuple:
    """Every secret whose name starts with path, and its current value: ({name: (text, kind)}, {name: TaskError}).

    BatchGetSecretValue with the name filter, BATCH_SIZE a page. AWS's name filter is a prefix match; each name
    is checked here again, exactly. Secrets scheduled for deletion (or gone since) are left out. When the batch
    call fails as a whole for a reason in PATH_ONE_BY_ONE, the secrets are listed (ListSecrets) and those not
    read yet are read one by one (GetSecretValue), each with its own answer."""
    name_filter = [{"Key": "name", "Values": [path]}]
    request = {"Filters": name_filter, "MaxResults": BATCH_SIZE}
    values, errors = {}, {}
    batch_error = None
    try:
        while True:
            response = _batch_call(api, request)
            for entry in response.get("SecretValues") or []:
                if entry.get("Name", "").startswith(path):
                    values[entry["Name"]] = _value(entry)
            for error in response.get("Errors") or []:
                name = _secret_name(error.get("SecretId") or "")
                failure = entry_error("BatchGetSecretValue", error.get("ErrorCode"), error.get("Message"), "GetSecretValue")
                if failure.kind not in GONE and name.startswith(path):
                    errors[name] = failure
            if not response.get("NextToken"):
                return values, errors
            request["NextToken"] = response["NextToken"]
    except AwsError as e:
        if e.kind not in PATH_ONE_BY_ONE:
            raise
        batch_error = e
    try:
        secrets = find_secrets(api, filters=name_filter)
    except AwsError as e:
        if e.kind == THROTTLED and batch_error.kind == THROTTLED:
            raise AwsError(
                "%s, after %d attempts, and then %s; both allow 100 requests a second per account and region (read the path once, "
                "with run_once or on localhost, rather than on every host)"
                % (batch_error.message.replace(" failed: ", " was throttled: ", 1), BATCH_RETRIES + 1, e.message),
                code=e.code, operation=e.operation, kind=THROTTLED, request_id=e.request_id,
            )
        raise
    for secret in secrets:
        name = secret["Name"]
        if not name.startswith(path) or name in values or name in errors:
            continue
        try:
            values[name] = get_value(api, secret["ARN"])
        except AwsError as e:
            if e.kind not in GONE:
                errors[name] = e
    return values, errors


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
