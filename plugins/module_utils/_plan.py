# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Planning: the ordered AWS operations that take the secret AWS holds to the one the task wants.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

Pure: plan(current, desired) returns a list of (operation, request) pairs and calls nothing.
Check mode shows the plan, a real run applies it (_apply.py), _predict.py tells what either leaves.
"""

from __future__ import annotations

import json

from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import PlanError
from ansible_collections.seed.secretsmanager.plugins.module_utils._model import (
    CURRENT,
    DEFAULT_KMS_ALIAS,
    BinaryValue,
    CurrentSecret,
    DesiredSecret,
    GeneratedValue,
    JsonValue,
    Rotation,
    TextValue,
    Value,
    arn_in_region,
    arn_region,
    canonical_json,
    compact_json,
    current_version,
    failed_replicas,
    not_found_by_arn_message,
    replicas_dict,
    rotation_owns_value,
    tags_dict,
    token_is_old_version,
)

VALUE_OPERATIONS = ("CreateSecret", "PutSecretValue")
MAX_TAGS = 50  # per secret (the TagResource API reference); aws: tags do not count


def plan(current: CurrentSecret, desired: DesiredSecret) -> list:
    """The ordered operations that take the current state to the desired one.

    A pure function of (current, desired): check mode shows it, a real run applies it. A secret
    scheduled for deletion plans RestoreSecret followed by the rest as if it were restored; the
    value of such a secret cannot be read before the restore, so the real run reads and plans
    again after RestoreSecret.
    """
    secret = current.secret
    if desired.state == "absent":
        return refuse_foreign(secret, _plan_absent(secret, desired))
    if secret is None:
        return _plan_create(desired)
    ops = []
    if secret.get("DeletedDate"):
        if not desired.restore:
            raise PlanError(scheduled_for_deletion_message(secret["Name"]), option="restore")
        ops.append(("RestoreSecret", {"SecretId": secret["ARN"]}))
    ops += _plan_metadata(secret, desired)
    ops += _plan_value(secret, current, desired)
    ops += _plan_tags(secret, desired)
    ops += _plan_replicas(secret, desired)
    ops += _plan_policy(secret, current.policy, desired)
    ops += _plan_rotation(secret, desired)
    return refuse_foreign(secret, ops)


def refuse_foreign(secret: dict | None, ops: list) -> list:
    """The operations, unless they would write to a secret this task cannot change: a replica (its
    PrimaryRegion is not the region of its ARN) or a secret a service owns (OwningService). AWS would
    refuse the first write with its own text, after the writes before it; nothing to change is fine."""
    if not ops or secret is None:
        return ops
    region = arn_region(secret.get("ARN"))
    primary = secret.get("PrimaryRegion")
    if primary and region and primary != region:
        raise PlanError(
            "secret %s in %s is a replica of the primary secret in %s, and a replica cannot be changed: run the task "
            "against the primary (region: %s), or promote the replica first (StopReplicationToReplica in %s)"
            % (secret.get("Name"), region, primary, primary, region),
            option="region",
        )
    if secret.get("OwningService"):
        raise PlanError(
            "secret %s is managed by the service %s (OwningService), which alone changes it: change it through %s"
            % (secret.get("Name"), secret["OwningService"], secret["OwningService"]),
            option="name",
        )
    return ops


def writes_value(ops: list) -> bool:
    """Whether the operations store a value (a new version)."""
    return any(op in VALUE_OPERATIONS and ("SecretString" in request or "SecretBinary" in request) for op, request in ops)


def scheduled_for_deletion_message(name: str) -> str:
    return (
        "secret %s is scheduled for deletion; set restore: true to restore it, or wait until the recovery window "
        "ends (or delete it with state: absent and force_delete_without_recovery: true) and create it again" % name
    )


# ---------------------------------------------------------------- comparisons


def normalize_policy(document: object) -> object:
    """Policies are equal when they say the same: key order, spacing, one-element lists and list order don't count."""
    if isinstance(document, dict):
        return {key: normalize_policy(value) for key, value in document.items()}
    if isinstance(document, list):
        items = [normalize_policy(item) for item in document]
        if len(items) == 1:
            return items[0]
        return sorted(items, key=canonical_json)
    return document


def policies_equal(left: dict | None, right: dict | None) -> bool:
    return canonical_json(normalize_policy(left or {})) == canonical_json(normalize_policy(right or {}))


def kms_keys_equal(wanted: str | None, current: str | None) -> bool:
    """Compare a KMS key as given by the user with the one AWS shows.

    Equal: the same text; the default key given as '' or alias/aws/secretsmanager while AWS shows none;
    a key id or alias given while AWS shows its ARN (or the other way round). A key id and an alias of
    that key cannot be matched without reading KMS, and count as different.
    """
    wanted = wanted or DEFAULT_KMS_ALIAS
    current = current or DEFAULT_KMS_ALIAS
    if wanted == current:
        return True
    for a, b in ((wanted, current), (current, wanted)):
        if a.startswith("arn:") and ":" in a and a.split(":", 5)[-1] in (b, "key/" + b):
            return True
    return False


def values_equal(wanted: Value, current: Value | None) -> bool:
    """Whether the value AWS holds (TextValue or BinaryValue, read back) is the one the task gives."""
    if current is None:
        return False
    if isinstance(wanted, BinaryValue):
        return isinstance(current, BinaryValue) and current.data == wanted.data
    if not isinstance(current, TextValue):
        return False
    if isinstance(wanted, JsonValue):
        try:
            return canonical_json(json.loads(current.text)) == canonical_json(wanted.document)
        except ValueError:
            return False
    return current.text == wanted.text


# ---------------------------------------------------------------- the value


class Generated:
    """Stands for a value GetRandomPassword will return, placed in a JSON template or alone."""

    def __init__(self, template: dict | None, key: str | None) -> None:
        self.template = template
        self.key = key

    def render(self, password: str) -> str:
        if self.key is None:
            return password
        document = dict(self.template or {})
        document[self.key] = password
        return compact_json(document)

    def __repr__(self):
        return "<generated>"

    def __eq__(self, other):
        return isinstance(other, Generated) and (self.template, self.key) == (other.template, other.key)


def _value_fields(value):
    """Request fields for a value; a generated one is filled in at apply time."""
    if isinstance(value, BinaryValue):
        return {"SecretBinary": value.data}
    if isinstance(value, GeneratedValue):
        return {"SecretString": Generated(value.template, value.key)}
    return {"SecretString": value.text}


def _generate(value):
    return [("GetRandomPassword", dict(value.request))] if isinstance(value, GeneratedValue) else []


def _plan_value(secret, current, desired):
    value = desired.value
    if value is None:
        return []
    version = current_version(secret)
    if version is not None and (isinstance(value, GeneratedValue) or not desired.overwrite):
        return []
    if desired.token_given:
        if version == desired.token or rotation_owns_value(current, desired):
            return []
        if token_is_old_version(current, desired):
            return _plan_rollback(secret, current, desired, version)
    elif version is not None and values_equal(value, current.value):
        return []
    fields = _value_fields(value)
    return _generate(value) + [("PutSecretValue", dict(SecretId=secret["ARN"], ClientRequestToken=desired.token, **fields))]


def _plan_rollback(secret, current, desired, version):
    """The token names an older version: it says which version must be current, so AWSCURRENT moves back to
    it (AWS would take PutSecretValue with that token, change nothing and answer success). A version's value
    cannot change, so the task's value must be the one that version holds."""
    if not values_equal(desired.value, current.token_value):
        stages = secret.get("VersionIdsToStages", {}).get(desired.token)
        raise PlanError(
            "client_request_token %s is an older version of secret %s (stages: %s) that holds another value than "
            "the task gives, and a version's value cannot change: give a new token to write a new version, or that "
            "version's value to make it current again" % (desired.token, secret["Name"], ", ".join(stages or []) or "none"),
            option="client_request_token",
        )
    request = {"SecretId": secret["ARN"], "VersionStage": CURRENT, "MoveToVersionId": desired.token}
    if version is not None:
        request["RemoveFromVersionId"] = version
    return [("UpdateSecretVersionStage", request)]


# ---------------------------------------------------------------- create

def _plan_create(desired):
    if desired.is_arn:
        raise PlanError(not_found_by_arn_message(desired.name) + "; a secret cannot be created from an ARN: give its name", option="name")
    request = {"Name": desired.name, "ClientRequestToken": desired.token}
    if desired.description is not None:
        request["Description"] = desired.description
    if desired.kms_key_id:
        request["KmsKeyId"] = desired.kms_key_id
    if desired.tags:
        request["Tags"] = [{"Key": k, "Value": v} for k, v in desired.tags.items()]
    if desired.replicas:
        request["AddReplicaRegions"] = _replica_request(desired.replicas, desired.replicas)
    if desired.force_overwrite_replica_secret is not None:
        request["ForceOverwriteReplicaSecret"] = desired.force_overwrite_replica_secret
    if desired.type:
        request["Type"] = desired.type
    ops = []
    if desired.value is not None:
        ops += _generate(desired.value)
        request.update(_value_fields(desired.value))
    ops.append(("CreateSecret", request))
    target = {"Name": desired.name, "ARN": None}  # the ARN is known once CreateSecret answers
    if desired.policy:
        ops.append(_put_policy(target, desired))
    if desired.rotation and desired.rotation.enabled:
        ops.append(_rotate(target, desired.rotation))
    return ops


def _replica_request(regions, replicas):
    request = []
    for region in sorted(regions):
        entry = {"Region": region}
        if replicas.get(region):
            entry["KmsKeyId"] = replicas[region]
        request.append(entry)
    return request


def _put_policy(secret, desired):
    request = {"SecretId": secret["ARN"], "ResourcePolicy": compact_json(desired.policy)}
    if desired.block_public_policy is not None:
        request["BlockPublicPolicy"] = desired.block_public_policy
    return ("PutResourcePolicy", request)


def _rotate(secret, rotation: Rotation):
    request = {"SecretId": secret["ARN"], "RotateImmediately": bool(rotation.rotate_immediately)}
    if rotation.lambda_arn:
        request["RotationLambdaARN"] = rotation.lambda_arn
    rules = {}
    if rotation.automatically_after_days is not None:
        rules["AutomaticallyAfterDays"] = rotation.automatically_after_days
    if rotation.schedule_expression is not None:
        rules["ScheduleExpression"] = rotation.schedule_expression
    if rotation.duration is not None:
        rules["Duration"] = rotation.duration
    if rules:
        request["RotationRules"] = rules
    if rotation.external_metadata is not None:
        request["ExternalSecretRotationMetadata"] = [{"Key": k, "Value": v} for k, v in rotation.external_metadata]
    if rotation.external_role_arn is not None:
        request["ExternalSecretRotationRoleArn"] = rotation.external_role_arn
    return ("RotateSecret", request)


# ---------------------------------------------------------------- an existing secret


def _plan_metadata(secret, desired):
    update = {}
    if desired.description is not None and desired.description != secret.get("Description", ""):
        update["Description"] = desired.description
    if desired.kms_key_id is not None and not kms_keys_equal(desired.kms_key_id, secret.get("KmsKeyId")):
        update["KmsKeyId"] = desired.kms_key_id
    if desired.type is not None and desired.type != secret.get("Type", ""):
        update["Type"] = desired.type
    return [("UpdateSecret", dict(SecretId=secret["ARN"], **update))] if update else []


def _plan_tags(secret, desired):
    if desired.tags is None:
        return []
    current = tags_dict(secret.get("Tags"))
    _check_tag_count(secret, current, desired)
    ops = []
    if desired.purge_tags:
        remove = sorted(k for k in current if k not in desired.tags and not k.lower().startswith("aws:"))
        if remove:
            ops.append(("UntagResource", {"SecretId": secret["ARN"], "TagKeys": remove}))
    add = [{"Key": k, "Value": v} for k, v in sorted(desired.tags.items()) if current.get(k) != v]
    if add:
        ops.append(("TagResource", {"SecretId": secret["ARN"], "Tags": add}))
    return ops


def _check_tag_count(secret, current, desired):
    """AWS allows 50 tags on a secret, its own aws: tags not counted; TagResource past that fails after the
    task's other writes. With purge_tags false the tags the secret keeps count too."""
    kept = set() if desired.purge_tags else set(k for k in current if not k.lower().startswith("aws:"))
    total = len(kept | set(desired.tags))
    if total > MAX_TAGS:
        raise PlanError(
            "tags: secret %s would have %d tags (%d kept with purge_tags false, plus the task's), and AWS allows %d; "
            "remove some or set purge_tags: true" % (secret["Name"], total, len(kept - set(desired.tags)), MAX_TAGS),
            option="tags",
        )


def _plan_replicas(secret, desired):
    wanted = desired.replicas
    if wanted is None:
        return []
    current = replicas_dict(secret)
    failed = {r: message for r, message in failed_replicas(secret).items() if r in wanted}
    if failed and not desired.force_overwrite_replica_secret:
        raise PlanError(
            "secret %s: replication to %s failed (AWS says: %s); set force_overwrite_replica_secret: true to replicate "
            "again and overwrite a secret of the same name there, or leave the region out of replica_regions"
            % (secret["Name"], ", ".join(sorted(failed)), "; ".join("%s: %s" % item for item in sorted(failed.items()))),
            option="replica_regions",
        )
    # A replica's key changes in place: UpdateSecret on the replica, in its region (a replica can't be changed
    # apart from its primary, except for its encryption key). Removing and adding it again left no replica meanwhile.
    changed_key = sorted(
        r for r in wanted if r in current and r not in failed and wanted[r] and not kms_keys_equal(wanted[r], current[r])
    )
    remove = set(failed)
    if desired.purge_replica_regions:
        remove.update(r for r in current if r not in wanted)
    add = sorted(set(r for r in wanted if r not in current) | set(failed))
    ops = [("UpdateSecret", {"SecretId": arn_in_region(secret["ARN"], r), "KmsKeyId": wanted[r]}) for r in changed_key]
    if remove:
        ops.append(("RemoveRegionsFromReplication", {"SecretId": secret["ARN"], "RemoveReplicaRegions": sorted(remove)}))
    if add:
        request = {"SecretId": secret["ARN"], "AddReplicaRegions": _replica_request(add, wanted)}
        if desired.force_overwrite_replica_secret is not None:
            request["ForceOverwriteReplicaSecret"] = desired.force_overwrite_replica_secret
        ops.append(("ReplicateSecretToRegions", request))
    return ops


def _plan_policy(secret, current_policy, desired):
    if desired.policy is None:
        return []
    if not desired.policy:
        return [("DeleteResourcePolicy", {"SecretId": secret["ARN"]})] if current_policy else []
    if current_policy and policies_equal(desired.policy, current_policy):
        return []
    return [_put_policy(secret, desired)]


def _plan_rotation(secret, desired):
    rotation = desired.rotation
    if rotation is None:
        return []
    enabled = bool(secret.get("RotationEnabled"))
    if not rotation.enabled:
        return [("CancelRotateSecret", {"SecretId": secret["ARN"]})] if enabled else []
    rules = secret.get("RotationRules") or {}
    differs = (
        not enabled
        or (rotation.lambda_arn is not None and rotation.lambda_arn != secret.get("RotationLambdaARN"))
        or (rotation.automatically_after_days is not None and rotation.automatically_after_days != rules.get("AutomaticallyAfterDays"))
        or (rotation.schedule_expression is not None and rotation.schedule_expression != rules.get("ScheduleExpression"))
        or (rotation.duration is not None and rotation.duration != rules.get("Duration"))
        or (rotation.external_metadata is not None and sorted(rotation.external_metadata) != external_metadata(secret))
        or (rotation.external_role_arn is not None and rotation.external_role_arn != secret.get("ExternalSecretRotationRoleArn"))
    )
    return [_rotate(secret, rotation)] if differs else []


def external_metadata(secret: dict | None) -> list:
    """DescribeSecret's ExternalSecretRotationMetadata as sorted (key, value) pairs: the partner reads them by key."""
    return sorted((item.get("Key"), item.get("Value")) for item in (secret or {}).get("ExternalSecretRotationMetadata") or [])


def _plan_absent(secret, desired):
    if secret is None:
        return []
    ops = []
    if secret.get("DeletedDate"):
        if desired.force_delete_without_recovery:
            ops.append(("DeleteSecret", {"SecretId": secret["ARN"], "ForceDeleteWithoutRecovery": True}))
        return ops
    replicas = sorted(replicas_dict(secret))
    if replicas:
        ops.append(("RemoveRegionsFromReplication", {"SecretId": secret["ARN"], "RemoveReplicaRegions": replicas}))
    if desired.force_delete_without_recovery:
        ops.append(("DeleteSecret", {"SecretId": secret["ARN"], "ForceDeleteWithoutRecovery": True}))
    else:
        ops.append(("DeleteSecret", {"SecretId": secret["ARN"], "RecoveryWindowInDays": desired.recovery_window_in_days}))
    return ops
