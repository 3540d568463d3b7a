# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Prediction: the secret and its policy as AWS holds them after a plan's operations.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

Pure. Check mode predicts from the requests alone; a real run also hands in AWS's responses,
whose ARN, version id, replication status and deletion date win over the guesses.
"""

from __future__ import annotations

import copy
import datetime
import json

from ansible_collections.seed.secretsmanager.plugins.module_utils._model import CURRENT, PREVIOUS, CurrentSecret, arn_region, tags_dict


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def predict(current: CurrentSecret, ops: list, responses: list | None = None) -> tuple:
    """The secret (DescribeSecret shape) and policy after the operations, from their requests and,
    after a real run, their responses."""
    secret = copy.deepcopy(current.secret) if current.secret else None
    policy = copy.deepcopy(current.policy)
    responses = responses or [None] * len(ops)
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
    return secret, policy


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
