# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Results: the secret as a task shows it, the diff, and the secret module's result from one Outcome.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

Pure. Everything here is built from DescribeSecret-shaped data, which carries no value, and
from the desired state's metadata: a value cannot reach a result through this file.
secret_info and the lookup use secret_result() too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Optional

from ansible_collections.seed.secretsmanager.plugins.module_utils._model import (
    DEFAULT_KMS_ALIAS,
    NEW_VERSION,
    CurrentSecret,
    DesiredSecret,
    current_version,
    failed_replicas,
    replicas_dict,
    rotation_owns_value,
    tags_dict,
)


@dataclass(frozen=True)
class Outcome:
    """One secret task after its plan: the state before, the predicted (check mode) or applied state
    after, the operations planned or applied, and the AWS calls made (or, in check mode, the reads
    made plus the writes that would be)."""

    desired: DesiredSecret
    before: CurrentSecret
    after_secret: Optional[dict]
    after_policy: Optional[dict]
    ops: list
    actions: list
    value_written: bool
    check_mode: bool


def task_result(outcome: Outcome) -> dict:
    """The secret module's result: changed, name, arn, version_id, secret, actions, warnings, diff
    (the caller drops diff outside diff mode), deletion_date and resource_policy where they apply."""
    desired = outcome.desired
    before_secret = outcome.before.secret
    after_secret = outcome.after_secret
    known_secret = after_secret or before_secret or {}
    version_after = current_version(after_secret)
    if outcome.check_mode and outcome.value_written and not desired.token_given:
        # The real run picks its own uuid4: show no id rather than one that will never exist.
        version_after = None
        stages = dict(after_secret["VersionIdsToStages"])
        stages[NEW_VERSION] = stages.pop(desired.token)
        after_secret = dict(after_secret, VersionIdsToStages=stages)
    present = desired.state == "present"
    result = {
        "changed": bool(outcome.ops),
        "name": known_secret.get("Name") or desired.name,
        "arn": known_secret.get("ARN"),
        "version_id": version_after if present else None,
        "secret": secret_result(after_secret),
        "actions": list(outcome.actions),
        "warnings": list(desired.warnings) + failed_replica_warnings(after_secret if present else None),
    }
    if not present and after_secret and after_secret.get("DeletedDate"):
        result["deletion_date"] = iso_date(after_secret["DeletedDate"])
    if desired.policy is not None and present:
        result["resource_policy"] = outcome.after_policy or {}
    if present and rotation_owns_value(outcome.before, desired):
        # Not a warning: the version the token wrote was current once, and rotation has since replaced it as it should.
        result["rotated_since_token"] = True

    before_note = "set" if current_version(before_secret) else "not set"
    if not present:
        after_note = before_note
    elif outcome.value_written:
        after_note = "set, new version"
    elif any(operation == "UpdateSecretVersionStage" for operation, _request in outcome.ops):
        after_note = "set, an earlier version made current"
    else:
        after_note = "set" if version_after else "not set"
    after_view = diff_view(after_secret, outcome.after_policy, desired, after_note)
    if present and after_secret and outcome.value_written and version_after is None:
        after_view["version_id"] = NEW_VERSION
    result["diff"] = {"before": diff_view(before_secret, outcome.before.policy, desired, before_note), "after": after_view}
    return result


def failed_replica_warnings(secret: dict | None) -> list:
    """A warning for each replica AWS reports as Failed that the task left as it is (replica_regions not given)."""
    return [
        "secret %s: the replica in %s failed (AWS says: %s); list the region in replica_regions with "
        "force_overwrite_replica_secret: true to replicate again, or leave it out to remove it" % (secret.get("Name"), region, message)
        for region, message in sorted(failed_replicas(secret).items())
    ]


def iso_date(value: object) -> object:
    """A date as ISO 8601 text (botocore gives datetimes; some endpoints epoch seconds)."""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc).isoformat()
    return value


SNAKE_FIELDS = (
    ("ARN", "arn"), ("Name", "name"), ("Description", "description"), ("KmsKeyId", "kms_key_id"), ("Type", "type"),
    ("RotationEnabled", "rotation_enabled"), ("RotationLambdaARN", "rotation_lambda_arn"), ("OwningService", "owning_service"),
    ("PrimaryRegion", "primary_region"), ("ExternalSecretRotationRoleArn", "external_secret_rotation_role_arn"),
)
ROTATION_RULE_FIELDS = (
    ("AutomaticallyAfterDays", "automatically_after_days"),
    ("ScheduleExpression", "schedule_expression"),
    ("Duration", "duration"),
)
DATE_FIELDS = (
    ("CreatedDate", "created_date"), ("LastChangedDate", "last_changed_date"), ("LastAccessedDate", "last_accessed_date"),
    ("LastRotatedDate", "last_rotated_date"), ("NextRotationDate", "next_rotation_date"), ("DeletedDate", "deleted_date"),
)


def secret_result(secret: dict | None) -> dict:
    """DescribeSecret in snake_case, tags as a dict. DescribeSecret carries no value, so neither does this."""
    if secret is None:
        return {}
    result = {snake: secret[camel] for camel, snake in SNAKE_FIELDS if secret.get(camel) is not None}
    result.update({snake: iso_date(secret[camel]) for camel, snake in DATE_FIELDS if secret.get(camel)})
    result["tags"] = tags_dict(secret.get("Tags"))
    rules = secret.get("RotationRules") or {}
    if rules:
        result["rotation_rules"] = {
            snake: rules[camel]
            for camel, snake in ROTATION_RULE_FIELDS
            if camel in rules
        }
    if secret.get("ExternalSecretRotationMetadata") is not None:
        result["external_secret_rotation_metadata"] = [
            {"key": item.get("Key"), "value": item.get("Value")} for item in secret["ExternalSecretRotationMetadata"]
        ]
    result["version_ids_to_stages"] = dict(secret.get("VersionIdsToStages") or {})
    result["replication_status"] = [
        {
            snake: iso_date(replica[camel]) if camel == "LastAccessedDate" else replica[camel]
            for camel, snake in (("Region", "region"), ("KmsKeyId", "kms_key_id"), ("Status", "status"),
                                 ("StatusMessage", "status_message"), ("LastAccessedDate", "last_accessed_date"))
            if camel in replica
        }
        for replica in secret.get("ReplicationStatus") or []
    ]
    return result


def diff_view(secret: dict | None, policy: dict | None, desired: DesiredSecret, value_note: str) -> dict:
    """What diff mode shows: metadata and the state of the value, never the value."""
    if secret is None:
        return {"state": "absent"}
    view = {
        "state": "scheduled for deletion" if secret.get("DeletedDate") else "present",
        "name": secret.get("Name"),
        "description": secret.get("Description", ""),
        "kms_key_id": secret.get("KmsKeyId") or DEFAULT_KMS_ALIAS,
        "tags": tags_dict(secret.get("Tags")),
        "replica_regions": [{"region": r, "kms_key_id": k} for r, k in sorted(replicas_dict(secret).items())],
        "rotation": {
            "enabled": bool(secret.get("RotationEnabled")),
            "lambda_arn": secret.get("RotationLambdaARN"),
            "rules": secret_result(secret).get("rotation_rules", {}),
        },
        "value": value_note,
        "version_id": current_version(secret),
    }
    if secret.get("Type"):
        view["type"] = secret["Type"]
    if desired.rotation is not None and desired.rotation.external_metadata is not None:
        view["rotation"]["external_metadata"] = [{"key": k, "value": v} for k, v in sorted(
            (item.get("Key"), item.get("Value")) for item in secret.get("ExternalSecretRotationMetadata") or [])]
    if desired.rotation is not None and desired.rotation.external_role_arn is not None:
        view["rotation"]["external_role_arn"] = secret.get("ExternalSecretRotationRoleArn")
    if desired.policy is not None:
        view["resource_policy"] = policy or {}
    return view
