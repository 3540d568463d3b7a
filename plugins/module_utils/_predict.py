# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Prediction: the secret and its policy as AWS holds them after a plan's operations.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

Pure. Check mode predicts from the requests alone; a real run also hands in AWS's responses,
whose ARN, version id, replication status and deletion date win over the guesses.

Dates: AWS sets LastChangedDate on every write to the secret ("the last date and time that this secret was
modified in any way", DescribeSecret; tags and descriptions included), CreatedDate on CreateSecret, and
LastAccessedDate, truncated to midnight, on GetSecretValue. AWS's clock is known to the second from the HTTP
Date header of each answer, so that is the prediction (DescribeSecret adds the milliseconds): a write's own
answer after a real run, the time of the task's reads in check mode.
"""

from __future__ import annotations

import copy
import datetime
import email.utils
import json

from ansible_collections.seed.secretsmanager.plugins.module_utils._model import CURRENT, PREVIOUS, CurrentSecret, arn_region, tags_dict


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def answer_time(date_header: str | None) -> datetime.datetime | None:
    """AWS's clock from an answer's HTTP Date header (to the second), or None when the answer has none."""
    if not date_header:
        return None
    try:
        return email.utils.parsedate_to_datetime(date_header).astimezone(datetime.timezone.utc)
    except (TypeError, ValueError, IndexError):
        return None


def predict(current: CurrentSecret, ops: list, responses: list | None = None, now: str | None = None, value_read: str | None = None) -> tuple:
    """The secret (DescribeSecret shape) and policy after the operations, from their requests and,
    after a real run, their responses.

    now is the HTTP Date of the task's latest answer from AWS (the time a write without a dated answer, or a
    check-mode write, is put at); value_read that of its GetSecretValue answer, when the task read the value."""
    secret = copy.deepcopy(current.secret) if current.secret else None
    policy = copy.deepcopy(current.policy)
    responses = responses or [None] * len(ops)
    fallback = answer_time(now) or _utcnow().replace(microsecond=0)
    for (operation, request), response in zip(ops, responses):
        response = response or {}
        if operation == "CreateSecret":
            secret = {"ARN": response.get("ARN"), "Name": request["Name"], "VersionIdsToStages": {}}
            for field in ("Description", "KmsKeyId", "Tags", "Type"):
                if field in request:
                    secret[field] = request[field]
            if "SecretString" in request or "SecretBinary" in request:
                secret["VersionIdsToStages"][response.get("VersionId") or request["ClientRequestToken"]] = [CURRENT]
            if request.get("AddReplicaRegions"):
                secret["ReplicationStatus"] = response.get("ReplicationStatus") or [
                    dict(r, Status="InProgress") for r in request["AddReplicaRegions"]
                ]
        elif operation == "UpdateSecret" and _replica_region(secret, request):
            region = _replica_region(secret, request)
            for replica in secret.get("ReplicationStatus") or []:
                if replica["Region"] == region:
                    replica["KmsKeyId"] = request["KmsKeyId"]
        elif operation == "UpdateSecret":
            for field in ("Description", "KmsKeyId", "Type"):
                if field in request:
                    secret[field] = request[field]
        elif operation == "PutSecretValue":
            _promote(secret, response.get("VersionId") or request["ClientRequestToken"])
        elif operation == "UpdateSecretVersionStage":
            _promote(secret, request["MoveToVersionId"])  # planned for AWSCURRENT only (a rollback)
        elif operation == "TagResource":
            tags = tags_dict(secret.get("Tags"))
            tags.update(tags_dict(request["Tags"]))
            secret["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        elif operation == "UntagResource":
            secret["Tags"] = [t for t in secret.get("Tags") or [] if t["Key"] not in request["TagKeys"]]
        elif operation == "RemoveRegionsFromReplication":
            secret["ReplicationStatus"] = [r for r in secret.get("ReplicationStatus") or [] if r["Region"] not in request["RemoveReplicaRegions"]]
        elif operation == "ReplicateSecretToRegions":
            added = response.get("ReplicationStatus") or [dict(r, Status="InProgress") for r in request["AddReplicaRegions"]]
            # By region: an answer that lists every replica (moto's does) must not list the others twice.
            replicas = {r["Region"]: r for r in secret.get("ReplicationStatus") or []}
            replicas.update((r["Region"], r) for r in added)
            secret["ReplicationStatus"] = list(replicas.values())
        elif operation == "PutResourcePolicy":
            policy = json.loads(request["ResourcePolicy"])
        elif operation == "DeleteResourcePolicy":
            policy = None
        elif operation == "RotateSecret":
            secret["RotationEnabled"] = True
            if "RotationLambdaARN" in request:
                secret["RotationLambdaARN"] = request["RotationLambdaARN"]
            if "RotationRules" in request:
                secret["RotationRules"] = dict(request["RotationRules"])
            for field in ("ExternalSecretRotationMetadata", "ExternalSecretRotationRoleArn"):
                if field in request:
                    secret[field] = copy.deepcopy(request[field])
        elif operation == "CancelRotateSecret":
            secret["RotationEnabled"] = False
        elif operation == "RestoreSecret":
            secret.pop("DeletedDate", None)
        elif operation == "DeleteSecret":
            if request.get("ForceDeleteWithoutRecovery"):
                secret["DeletedDate"] = response.get("DeletionDate") or _utcnow()
            else:
                window = datetime.timedelta(days=request["RecoveryWindowInDays"])
                secret["DeletedDate"] = response.get("DeletionDate") or _utcnow() + window
        if secret is not None and operation != "GetRandomPassword" and not _replica_region(secret, request):
            _stamp(secret, operation, answer_time(((response.get("ResponseMetadata") or {}).get("HTTPHeaders") or {}).get("date")) or fallback)
    accessed = answer_time(value_read)
    if secret is not None and accessed is not None:
        secret["LastAccessedDate"] = accessed.replace(hour=0, minute=0, second=0)
    return secret, policy


def _stamp(secret, operation, when):
    """The dates a write to the secret changes, as AWS sets them."""
    if operation == "CreateSecret":
        secret["CreatedDate"] = when
    secret["LastChangedDate"] = when
    if operation in ("RotateSecret", "CancelRotateSecret"):
        # AWS computes the next rotation from the schedule (and cancelling clears it): not knowable here.
        secret.pop("NextRotationDate", None)


def _replica_region(secret, request):
    """The replica region an UpdateSecret addresses (the replica's ARN, in its region), or None for the secret itself."""
    region = arn_region(request.get("SecretId"))
    return region if region and region != arn_region(secret.get("ARN")) else None


def _promote(secret, version):
    """AWSCURRENT moves to version, the old current becomes AWSPREVIOUS, as AWS does; other labels stay."""
    stages = secret.setdefault("VersionIdsToStages", {})
    kept = [label for label in stages.get(version, []) if label not in (CURRENT, PREVIOUS)]
    for version_id, labels in list(stages.items()):
        labels = [label for label in labels if label != PREVIOUS]
        if CURRENT in labels:
            labels = [label for label in labels if label != CURRENT] + [PREVIOUS]
        if labels:
            stages[version_id] = labels
        else:
            del stages[version_id]
    stages[version] = [CURRENT] + kept
