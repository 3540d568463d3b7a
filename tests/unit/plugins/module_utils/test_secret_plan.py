# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""plan(current, desired) as a pure function: the exact ordered operations for each case;
predict() and the comparison helpers directly."""

from __future__ import annotations

import base64
import copy
import datetime
import json

import pytest

from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import PlanError
from ansible_collections.seed.secretsmanager.plugins.module_utils._model import BinaryValue, CurrentSecret, TextValue
from ansible_collections.seed.secretsmanager.plugins.module_utils._plan import Generated, kms_keys_equal, normalize_policy, plan, policies_equal
from ansible_collections.seed.secretsmanager.plugins.module_utils._predict import predict
from ansible_collections.seed.secretsmanager.plugins.module_utils._validate import validate

NAME = "app/db"
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf"
V1 = "11111111-1111-4111-8111-111111111111"
V0 = "00000000-0000-4000-8000-000000000000"
TOKEN = "22222222-2222-4222-8222-222222222222"
NEW = "33333333-3333-4333-8333-333333333333"  # what execute() hands validate() when no token is given
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:rotate"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/" + KEY_ID
ALIAS_ARN = "arn:aws:kms:us-east-1:123456789012:alias/app"
ARN_EU = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-AbCdEf"  # the replica of ARN in eu-west-1
ROLE = "arn:aws:iam::123456789012:role/rotate-external"
# The StatusMessage of a replica that could not be made, as the AWS API reference gives it
# (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ReplicationStatusType.html).
REPLICA_CONFLICT = "Secret with this name already exists in this region"
DELETED = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": ["secretsmanager:DeleteSecret"], "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:root", "arn:aws:iam::210987654321:root"]},
         "Action": "secretsmanager:GetSecretValue", "Resource": "*"},
    ],
}
# The same policy: keys reordered, the statements in the other order, one-element lists as scalars, the
# two principals swapped.
POLICY_SAME = {
    "Statement": [
        {"Resource": "*", "Action": ["secretsmanager:GetSecretValue"], "Effect": "Allow",
         "Principal": {"AWS": ["arn:aws:iam::210987654321:root", "arn:aws:iam::123456789012:root"]}},
        {"Action": "secretsmanager:DeleteSecret", "Resource": ["*"], "Principal": {"AWS": ["*"]}, "Effect": "Deny"},
    ],
    "Version": "2012-10-17",
}


def secret(**fields):
    """A DescribeSecret answer: the secret exists and has a current version V1."""
    described = {"ARN": ARN, "Name": NAME, "VersionIdsToStages": {V1: ["AWSCURRENT"]}}
    described.update(fields)
    return described


def current(described=None, string=None, binary=None, policy=None):
    value = None
    if string is not None:
        value = TextValue(string)
    if binary is not None:
        value = BinaryValue(binary)
    return CurrentSecret(secret=described, value=value, policy=policy)


def desired(**params):
    params.setdefault("name", NAME)
    return validate(params, new_token=NEW)


def b64(data):
    return base64.b64encode(data).decode()


# (id, current, desired params, expected ops)
CASES = [
    # ------------------------------------------------------------ create
    (
        "create-all-options",
        current(),
        dict(
            secret_string="v4lue",
            description="the db",
            kms_key_id="alias/app",
            tags={"team": "db", "cost": 12},
            replica_regions=[{"region": "us-west-2", "kms_key_id": "alias/west"}, {"region": "eu-west-1"}],
            force_overwrite_replica_secret=True,
            type="partner",
            resource_policy=POLICY,
            block_public_policy=True,
            rotation={"lambda_arn": LAMBDA, "automatically_after_days": 30, "duration": "3h"},
        ),
        [
            ("CreateSecret", {
                "Name": NAME, "ClientRequestToken": NEW, "Description": "the db", "KmsKeyId": "alias/app",
                "Tags": [{"Key": "team", "Value": "db"}, {"Key": "cost", "Value": "12"}],
                "AddReplicaRegions": [{"Region": "eu-west-1"}, {"Region": "us-west-2", "KmsKeyId": "alias/west"}],
                "ForceOverwriteReplicaSecret": True, "Type": "partner", "SecretString": "v4lue",
            }),
            ("PutResourcePolicy", {"SecretId": None, "ResourcePolicy": json.dumps(POLICY, separators=(",", ":")), "BlockPublicPolicy": True}),
            ("RotateSecret", {"SecretId": None, "RotateImmediately": False, "RotationLambdaARN": LAMBDA,
                              "RotationRules": {"AutomaticallyAfterDays": 30, "Duration": "3h"}}),
        ],
    ),
    ("create-no-value", current(), dict(), [("CreateSecret", {"Name": NAME, "ClientRequestToken": NEW})]),
    ("create-with-token", current(), dict(secret_string="v4lue", client_request_token=TOKEN),
     [("CreateSecret", {"Name": NAME, "ClientRequestToken": TOKEN, "SecretString": "v4lue"})]),
    ("create-binary", current(), dict(secret_binary=b64(b"\x00\xffraw")),
     [("CreateSecret", {"Name": NAME, "ClientRequestToken": NEW, "SecretBinary": b"\x00\xffraw"})]),
    ("create-json", current(), dict(secret_json={"b": 1, "a": True}),
     [("CreateSecret", {"Name": NAME, "ClientRequestToken": NEW, "SecretString": '{"b":1,"a":true}'})]),
    ("create-empty-description-default-kms-no-tags", current(), dict(description="", kms_key_id="", tags={}, replica_regions=[]),
     [("CreateSecret", {"Name": NAME, "ClientRequestToken": NEW, "Description": ""})]),
    ("create-policy-empty-and-rotation-disabled", current(), dict(resource_policy={}, rotation={"enabled": False}),
     [("CreateSecret", {"Name": NAME, "ClientRequestToken": NEW})]),
    ("create-generate", current(), dict(generate_secret={"length": 20, "exclude_punctuation": True}),
     [("GetRandomPassword", {"PasswordLength": 20, "ExcludePunctuation": True}),
      ("CreateSecret", {"Name": NAME, "ClientRequestToken": NEW, "SecretString": Generated(None, None)})]),
    ("create-generate-template", current(), dict(secret_json={"user": "app"}, generate_secret={"key": "password"}),
     [("GetRandomPassword", {"PasswordLength": 32}),
      ("CreateSecret", {"Name": NAME, "ClientRequestToken": NEW, "SecretString": Generated({"user": "app"}, "password")})]),
    ("create-scheduled-rotation", current(), dict(rotation={"lambda_arn": LAMBDA, "schedule_expression": "rate(10 days)",
                                                            "rotate_immediately": True}),
     [("CreateSecret", {"Name": NAME, "ClientRequestToken": NEW}),
      ("RotateSecret", {"SecretId": None, "RotateImmediately": True, "RotationLambdaARN": LAMBDA,
                        "RotationRules": {"ScheduleExpression": "rate(10 days)"}})]),
    # ------------------------------------------------------------ value with a token
    ("token-is-current", current(secret(VersionIdsToStages={TOKEN: ["AWSCURRENT"], V1: ["AWSPREVIOUS"]})),
     dict(secret_string="v4lue", client_request_token=TOKEN), []),
    ("token-unknown", current(secret()), dict(secret_string="v4lue", client_request_token=TOKEN),
     [("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": TOKEN, "SecretString": "v4lue"})]),
    ("token-on-secret-without-value", current(secret(VersionIdsToStages={})), dict(secret_binary=b64(b"xy"), client_request_token=TOKEN),
     [("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": TOKEN, "SecretBinary": b"xy"})]),
    ("token-current-but-other-metadata", current(secret(VersionIdsToStages={TOKEN: ["AWSCURRENT"]}, Description="old")),
     dict(secret_string="v4lue", client_request_token=TOKEN, description="new"),
     [("UpdateSecret", {"SecretId": ARN, "Description": "new"})]),
    # ------------------------------------------------------------ value without a token
    ("value-equal", current(secret(), string="v4lue"), dict(secret_string="v4lue"), []),
    ("value-different", current(secret(), string="old"), dict(secret_string="v4lue"),
     [("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": NEW, "SecretString": "v4lue"})]),
    ("value-whitespace-counts-for-strings", current(secret(), string="v4lue "), dict(secret_string="v4lue"),
     [("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": NEW, "SecretString": "v4lue"})]),
    ("json-reordered-and-spaced-equal", current(secret(), string='{ "b": [1, 2],\n "a": {"y": null, "x": "s"} }'),
     dict(secret_json={"a": {"x": "s", "y": None}, "b": [1, 2]}), []),
    ("json-true-vs-1", current(secret(), string='{"a": true}'), dict(secret_json={"a": 1}),
     [("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": NEW, "SecretString": '{"a":1}'})]),
    ("json-list-order-counts", current(secret(), string='{"a": [2, 1]}'), dict(secret_json={"a": [1, 2]}),
     [("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": NEW, "SecretString": '{"a":[1,2]}'})]),
    ("json-over-non-json-string", current(secret(), string="not json"), dict(secret_json={"a": 1}),
     [("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": NEW, "SecretString": '{"a":1}'})]),
    ("binary-equal", current(secret(), binary=b"\x01\x02"), dict(secret_binary=b64(b"\x01\x02")), []),
    ("binary-over-string", current(secret(), string="\x01\x02"), dict(secret_binary=b64(b"\x01\x02")),
     [("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": NEW, "SecretBinary": b"\x01\x02"})]),
    ("string-over-binary", current(secret(), binary=b"v4lue"), dict(secret_string="v4lue"),
     [("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": NEW, "SecretString": "v4lue"})]),
    ("value-on-secret-without-value", current(secret(VersionIdsToStages={})), dict(secret_string="v4lue"),
     [("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": NEW, "SecretString": "v4lue"})]),
    # ------------------------------------------------------------ overwrite false, generate
    ("overwrite-false-has-value", current(secret()), dict(secret_string="v4lue", overwrite=False), []),
    ("overwrite-false-with-token-has-value", current(secret()), dict(secret_string="v4lue", overwrite=False, client_request_token=TOKEN), []),
    ("overwrite-false-no-value", current(secret(VersionIdsToStages={})), dict(secret_string="v4lue", overwrite=False),
     [("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": NEW, "SecretString": "v4lue"})]),
    ("overwrite-false-only-previous-version", current(secret(VersionIdsToStages={V1: ["AWSPREVIOUS"]})), dict(secret_string="v4lue", overwrite=False),
     [("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": NEW, "SecretString": "v4lue"})]),
    ("generate-has-value", current(secret()), dict(generate_secret={}), []),
    ("generate-has-value-token", current(secret()), dict(generate_secret={}, client_request_token=TOKEN), []),
    ("generate-no-value", current(secret(VersionIdsToStages={})), dict(secret_json={"u": "x"}, generate_secret={"key": "p"}),
     [("GetRandomPassword", {"PasswordLength": 32}),
      ("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": NEW, "SecretString": Generated({"u": "x"}, "p")})]),
    # ------------------------------------------------------------ metadata
    ("description-change", current(secret(Description="old")), dict(description="new"),
     [("UpdateSecret", {"SecretId": ARN, "Description": "new"})]),
    ("description-same", current(secret(Description="same")), dict(description="same"), []),
    ("description-omitted-leaves-it", current(secret(Description="old")), dict(), []),
    ("description-empty-clears", current(secret(Description="old")), dict(description=""),
     [("UpdateSecret", {"SecretId": ARN, "Description": ""})]),
    ("description-empty-when-none", current(secret()), dict(description=""), []),
    ("description-and-equal-value", current(secret(Description="old"), string="v4lue"), dict(description="new", secret_string="v4lue"),
     [("UpdateSecret", {"SecretId": ARN, "Description": "new"})]),
    ("kms-key-id-vs-arn", current(secret(KmsKeyId=KEY_ARN)), dict(kms_key_id=KEY_ID), []),
    ("kms-arn-vs-key-id", current(secret(KmsKeyId=KEY_ID)), dict(kms_key_id=KEY_ARN), []),
    ("kms-alias-vs-alias-arn", current(secret(KmsKeyId=ALIAS_ARN)), dict(kms_key_id="alias/app"), []),
    ("kms-empty-vs-default", current(secret()), dict(kms_key_id=""), []),
    ("kms-default-alias-vs-default", current(secret()), dict(kms_key_id="alias/aws/secretsmanager"), []),
    ("kms-empty-reverts", current(secret(KmsKeyId=KEY_ARN)), dict(kms_key_id=""), [("UpdateSecret", {"SecretId": ARN, "KmsKeyId": ""})]),
    ("kms-other-key", current(secret(KmsKeyId=KEY_ARN)), dict(kms_key_id="alias/app"),
     [("UpdateSecret", {"SecretId": ARN, "KmsKeyId": "alias/app"})]),
    ("kms-and-description-one-call", current(secret(Description="a")), dict(kms_key_id="alias/app", description="b"),
     [("UpdateSecret", {"SecretId": ARN, "Description": "b", "KmsKeyId": "alias/app"})]),
    ("type-change", current(secret(Type="old")), dict(type="new"), [("UpdateSecret", {"SecretId": ARN, "Type": "new"})]),
    # ------------------------------------------------------------ tags
    ("tags-same", current(secret(Tags=[{"Key": "a", "Value": "1"}])), dict(tags={"a": 1}), []),
    ("tags-add", current(secret(Tags=[{"Key": "a", "Value": "1"}])), dict(tags={"a": "1", "b": "2"}),
     [("TagResource", {"SecretId": ARN, "Tags": [{"Key": "b", "Value": "2"}]})]),
    ("tags-change", current(secret(Tags=[{"Key": "a", "Value": "1"}])), dict(tags={"a": "2"}),
     [("TagResource", {"SecretId": ARN, "Tags": [{"Key": "a", "Value": "2"}]})]),
    ("tags-case-sensitive", current(secret(Tags=[{"Key": "Team", "Value": "x"}])), dict(tags={"team": "x"}),
     [("UntagResource", {"SecretId": ARN, "TagKeys": ["Team"]}), ("TagResource", {"SecretId": ARN, "Tags": [{"Key": "team", "Value": "x"}]})]),
    ("tags-purge", current(secret(Tags=[{"Key": "a", "Value": "1"}, {"Key": "z", "Value": "9"}, {"Key": "c", "Value": "3"}])),
     dict(tags={"a": "1"}), [("UntagResource", {"SecretId": ARN, "TagKeys": ["c", "z"]})]),
    ("tags-no-purge", current(secret(Tags=[{"Key": "a", "Value": "1"}, {"Key": "z", "Value": "9"}])), dict(tags={"b": "2"}, purge_tags=False),
     [("TagResource", {"SecretId": ARN, "Tags": [{"Key": "b", "Value": "2"}]})]),
    ("tags-purge-keeps-aws-keys",
     current(secret(Tags=[{"Key": "aws:cloudformation:stack-name", "Value": "s"}, {"Key": "AWS:x", "Value": "y"}, {"Key": "old", "Value": "o"}])),
     dict(tags={}), [("UntagResource", {"SecretId": ARN, "TagKeys": ["old"]})]),
    ("tags-purge-remove-and-add", current(secret(Tags=[{"Key": "old", "Value": "o"}])), dict(tags={"new": "n", "also": ""}),
     [("UntagResource", {"SecretId": ARN, "TagKeys": ["old"]}),
      ("TagResource", {"SecretId": ARN, "Tags": [{"Key": "also", "Value": ""}, {"Key": "new", "Value": "n"}]})]),
    ("tags-omitted-leaves-them", current(secret(Tags=[{"Key": "a", "Value": "1"}])), dict(), []),
    ("tags-missing-value-is-empty", current(secret(Tags=[{"Key": "a"}])), dict(tags={"a": ""}), []),
    # ------------------------------------------------------------ replicas
    ("replicas-same-any-order",
     current(secret(ReplicationStatus=[{"Region": "us-west-2", "Status": "InSync"}, {"Region": "eu-west-1", "Status": "InSync"}])),
     dict(replica_regions=[{"region": "eu-west-1"}, {"region": "us-west-2"}]), []),
    ("replicas-add", current(secret(ReplicationStatus=[{"Region": "eu-west-1", "Status": "InSync"}])),
     dict(replica_regions=[{"region": "us-west-2", "kms_key_id": "alias/w"}, {"region": "eu-west-1"}, {"region": "ap-south-1"}]),
     [("ReplicateSecretToRegions", {"SecretId": ARN, "AddReplicaRegions": [{"Region": "ap-south-1"}, {"Region": "us-west-2", "KmsKeyId": "alias/w"}]})]),
    ("replicas-add-force-overwrite", current(secret()), dict(replica_regions=[{"region": "eu-west-1"}], force_overwrite_replica_secret=False),
     [("ReplicateSecretToRegions", {"SecretId": ARN, "AddReplicaRegions": [{"Region": "eu-west-1"}], "ForceOverwriteReplicaSecret": False})]),
    ("replicas-purge", current(secret(ReplicationStatus=[{"Region": "eu-west-1"}, {"Region": "us-west-2"}, {"Region": "ap-south-1"}])),
     dict(replica_regions=[{"region": "eu-west-1"}]),
     [("RemoveRegionsFromReplication", {"SecretId": ARN, "RemoveReplicaRegions": ["ap-south-1", "us-west-2"]})]),
    ("replicas-no-purge", current(secret(ReplicationStatus=[{"Region": "us-west-2"}])),
     dict(replica_regions=[{"region": "eu-west-1"}], purge_replica_regions=False),
     [("ReplicateSecretToRegions", {"SecretId": ARN, "AddReplicaRegions": [{"Region": "eu-west-1"}]})]),
    # A replica's key changes in place: UpdateSecret on the replica's ARN, sent in its region. AWS: "A replica
    # secret can't be updated independently from its primary secret, except for its encryption key"
    # (Secrets Manager User Guide, "Promote a replica secret to a standalone secret"). Removing and adding the
    # replica again, as before, left the region without a replica in between.
    ("replicas-changed-kms", current(secret(ReplicationStatus=[{"Region": "eu-west-1", "KmsKeyId": "alias/old"}, {"Region": "us-west-2"}])),
     dict(replica_regions=[{"region": "eu-west-1", "kms_key_id": "alias/new"}, {"region": "us-west-2"}]),
     [("UpdateSecret", {"SecretId": ARN_EU, "KmsKeyId": "alias/new"})]),
    ("replicas-changed-kms-no-purge", current(secret(ReplicationStatus=[{"Region": "eu-west-1", "KmsKeyId": "alias/old"}, {"Region": "us-west-2"}])),
     dict(replica_regions=[{"region": "eu-west-1", "kms_key_id": "alias/new"}], purge_replica_regions=False),
     [("UpdateSecret", {"SecretId": ARN_EU, "KmsKeyId": "alias/new"})]),
    ("replicas-changed-kms-and-purge", current(secret(ReplicationStatus=[{"Region": "eu-west-1", "KmsKeyId": "alias/old"}, {"Region": "us-west-2"}])),
     dict(replica_regions=[{"region": "eu-west-1", "kms_key_id": "alias/new"}]),
     [("UpdateSecret", {"SecretId": ARN_EU, "KmsKeyId": "alias/new"}),
      ("RemoveRegionsFromReplication", {"SecretId": ARN, "RemoveReplicaRegions": ["us-west-2"]})]),
    # A Failed replica (DescribeSecret's ReplicationStatus: Status Failed and a StatusMessage) is not a replica:
    # with force_overwrite_replica_secret it is replicated again over the secret in its way.
    ("replicas-failed-force-replicates-again",
     current(secret(ReplicationStatus=[{"Region": "eu-west-1", "Status": "Failed", "StatusMessage": REPLICA_CONFLICT}])),
     dict(replica_regions=[{"region": "eu-west-1"}], force_overwrite_replica_secret=True),
     [("RemoveRegionsFromReplication", {"SecretId": ARN, "RemoveReplicaRegions": ["eu-west-1"]}),
      ("ReplicateSecretToRegions", {"SecretId": ARN, "AddReplicaRegions": [{"Region": "eu-west-1"}], "ForceOverwriteReplicaSecret": True})]),
    ("replicas-failed-force-with-new-key",
     current(secret(ReplicationStatus=[{"Region": "eu-west-1", "KmsKeyId": "alias/old", "Status": "Failed", "StatusMessage": REPLICA_CONFLICT}])),
     dict(replica_regions=[{"region": "eu-west-1", "kms_key_id": "alias/new"}], force_overwrite_replica_secret=True),
     [("RemoveRegionsFromReplication", {"SecretId": ARN, "RemoveReplicaRegions": ["eu-west-1"]}),
      ("ReplicateSecretToRegions", {"SecretId": ARN, "AddReplicaRegions": [{"Region": "eu-west-1", "KmsKeyId": "alias/new"}],
                                    "ForceOverwriteReplicaSecret": True})]),
    ("replicas-failed-purged", current(secret(ReplicationStatus=[{"Region": "eu-west-1", "Status": "Failed", "StatusMessage": REPLICA_CONFLICT}])),
     dict(replica_regions=[]), [("RemoveRegionsFromReplication", {"SecretId": ARN, "RemoveReplicaRegions": ["eu-west-1"]})]),
    ("replicas-failed-left-alone-when-omitted",
     current(secret(ReplicationStatus=[{"Region": "eu-west-1", "Status": "Failed", "StatusMessage": REPLICA_CONFLICT}])), dict(), []),
    # ------------------------------------------------------------ a replica or a service's secret: only reads
    ("replica-secret-nothing-to-change", current(secret(ARN=ARN_EU, PrimaryRegion="us-east-1", Description="d")), dict(description="d"), []),
    ("owned-secret-nothing-to-change", current(secret(OwningService="rds", Description="d")), dict(description="d"), []),
    ("primary-with-primary-region-changes", current(secret(PrimaryRegion="us-east-1", Description="a")), dict(description="b"),
     [("UpdateSecret", {"SecretId": ARN, "Description": "b"})]),
    # ------------------------------------------------------------ rotation of a managed external secret
    ("rotation-external-metadata-set", current(secret(RotationEnabled=True, RotationRules={"AutomaticallyAfterDays": 30})),
     dict(rotation={"automatically_after_days": 30, "external_metadata": [{"key": "ResourceId", "value": "db-1"}],
                    "external_role_arn": ROLE}),
     [("RotateSecret", {"SecretId": ARN, "RotateImmediately": False, "RotationRules": {"AutomaticallyAfterDays": 30},
                        "ExternalSecretRotationMetadata": [{"Key": "ResourceId", "Value": "db-1"}], "ExternalSecretRotationRoleArn": ROLE})]),
    ("rotation-external-metadata-equal-any-order",
     current(secret(RotationEnabled=True, RotationRules={"AutomaticallyAfterDays": 30}, ExternalSecretRotationRoleArn=ROLE,
                    ExternalSecretRotationMetadata=[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}])),
     dict(rotation={"automatically_after_days": 30, "external_metadata": [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}],
                    "external_role_arn": ROLE}), []),
    ("rotation-external-metadata-value-changed",
     current(secret(RotationEnabled=True, RotationRules={"AutomaticallyAfterDays": 30},
                    ExternalSecretRotationMetadata=[{"Key": "a", "Value": "1"}])),
     dict(rotation={"automatically_after_days": 30, "external_metadata": [{"key": "a", "value": "9"}]}),
     [("RotateSecret", {"SecretId": ARN, "RotateImmediately": False, "RotationRules": {"AutomaticallyAfterDays": 30},
                        "ExternalSecretRotationMetadata": [{"Key": "a", "Value": "9"}]})]),
    ("rotation-external-omitted-leaves-it",
     current(secret(RotationEnabled=True, RotationRules={"AutomaticallyAfterDays": 30}, ExternalSecretRotationRoleArn=ROLE,
                    ExternalSecretRotationMetadata=[{"Key": "a", "Value": "1"}])),
     dict(rotation={"automatically_after_days": 30}), []),
    ("rotation-external-role-changed",
     current(secret(RotationEnabled=True, RotationRules={"AutomaticallyAfterDays": 30}, ExternalSecretRotationRoleArn=ROLE)),
     dict(rotation={"automatically_after_days": 30, "external_role_arn": ROLE + "-2"}),
     [("RotateSecret", {"SecretId": ARN, "RotateImmediately": False, "RotationRules": {"AutomaticallyAfterDays": 30},
                        "ExternalSecretRotationRoleArn": ROLE + "-2"})]),
    ("replicas-kms-omitted-keeps-key", current(secret(ReplicationStatus=[{"Region": "eu-west-1", "KmsKeyId": "alias/old"}])),
     dict(replica_regions=[{"region": "eu-west-1"}]), []),
    ("replicas-kms-arn-vs-id", current(secret(ReplicationStatus=[{"Region": "eu-west-1", "KmsKeyId": KEY_ARN}])),
     dict(replica_regions=[{"region": "eu-west-1", "kms_key_id": KEY_ID}]), []),
    ("replicas-empty-list-purges-all", current(secret(ReplicationStatus=[{"Region": "eu-west-1"}])), dict(replica_regions=[]),
     [("RemoveRegionsFromReplication", {"SecretId": ARN, "RemoveReplicaRegions": ["eu-west-1"]})]),
    ("replicas-omitted-leaves-them", current(secret(ReplicationStatus=[{"Region": "eu-west-1"}])), dict(), []),
    # ------------------------------------------------------------ resource policy
    ("policy-equal-reordered", current(secret(), policy=POLICY), dict(resource_policy=POLICY_SAME), []),
    ("policy-equal-reindented-text", current(secret(), policy=POLICY), dict(resource_policy=json.dumps(POLICY, indent=4, sort_keys=True)), []),
    ("policy-new", current(secret()), dict(resource_policy=POLICY),
     [("PutResourcePolicy", {"SecretId": ARN, "ResourcePolicy": json.dumps(POLICY, separators=(",", ":"))})]),
    ("policy-changed", current(secret(), policy=POLICY), dict(resource_policy={"Version": "2012-10-17", "Statement": []}, block_public_policy=False),
     [("PutResourcePolicy", {"SecretId": ARN, "ResourcePolicy": '{"Version":"2012-10-17","Statement":[]}', "BlockPublicPolicy": False})]),
    ("policy-empty-deletes", current(secret(), policy=POLICY), dict(resource_policy={}), [("DeleteResourcePolicy", {"SecretId": ARN})]),
    ("policy-empty-string-deletes", current(secret(), policy=POLICY), dict(resource_policy=""), [("DeleteResourcePolicy", {"SecretId": ARN})]),
    ("policy-empty-none-there", current(secret()), dict(resource_policy={}), []),
    ("policy-omitted-leaves-it", current(secret(), policy=POLICY), dict(), []),
    # ------------------------------------------------------------ rotation
    ("rotation-enable", current(secret()), dict(rotation={"lambda_arn": LAMBDA, "automatically_after_days": 30}),
     [("RotateSecret", {"SecretId": ARN, "RotateImmediately": False, "RotationLambdaARN": LAMBDA, "RotationRules": {"AutomaticallyAfterDays": 30}})]),
    ("rotation-unchanged",
     current(secret(RotationEnabled=True, RotationLambdaARN=LAMBDA, RotationRules={"AutomaticallyAfterDays": 30, "Duration": "2h"})),
     dict(rotation={"lambda_arn": LAMBDA, "automatically_after_days": 30}), []),
    ("rotation-change-days",
     current(secret(RotationEnabled=True, RotationLambdaARN=LAMBDA, RotationRules={"AutomaticallyAfterDays": 30})),
     dict(rotation={"automatically_after_days": 7}),
     [("RotateSecret", {"SecretId": ARN, "RotateImmediately": False, "RotationRules": {"AutomaticallyAfterDays": 7}})]),
    ("rotation-change-duration",
     current(secret(RotationEnabled=True, RotationLambdaARN=LAMBDA, RotationRules={"AutomaticallyAfterDays": 30})),
     dict(rotation={"lambda_arn": LAMBDA, "automatically_after_days": 30, "duration": "4h"}),
     [("RotateSecret", {"SecretId": ARN, "RotateImmediately": False, "RotationLambdaARN": LAMBDA,
                        "RotationRules": {"AutomaticallyAfterDays": 30, "Duration": "4h"}})]),
    ("rotation-change-lambda",
     current(secret(RotationEnabled=True, RotationLambdaARN=LAMBDA, RotationRules={"AutomaticallyAfterDays": 30})),
     dict(rotation={"lambda_arn": LAMBDA + "2"}),
     [("RotateSecret", {"SecretId": ARN, "RotateImmediately": False, "RotationLambdaARN": LAMBDA + "2"})]),
    ("rotation-cancel", current(secret(RotationEnabled=True, RotationLambdaARN=LAMBDA)), dict(rotation={"enabled": False}),
     [("CancelRotateSecret", {"SecretId": ARN})]),
    ("rotation-cancel-when-off", current(secret(RotationEnabled=False)), dict(rotation={"enabled": False}), []),
    ("rotation-omitted-leaves-it", current(secret(RotationEnabled=True)), dict(), []),
    # ------------------------------------------------------------ deleted secret, present
    ("deleted-restore-first", current(secret(DeletedDate=DELETED, Description="old")), dict(description="new"),
     [("RestoreSecret", {"SecretId": ARN}), ("UpdateSecret", {"SecretId": ARN, "Description": "new"})]),
    ("deleted-restore-only", current(secret(DeletedDate=DELETED)), dict(), [("RestoreSecret", {"SecretId": ARN})]),
    ("deleted-restore-token-current", current(secret(DeletedDate=DELETED, VersionIdsToStages={TOKEN: ["AWSCURRENT"]})),
     dict(secret_string="v4lue", client_request_token=TOKEN), [("RestoreSecret", {"SecretId": ARN})]),
    # ------------------------------------------------------------ absent
    ("absent-missing", current(), dict(state="absent"), []),
    ("absent-missing-force", current(), dict(state="absent", force_delete_without_recovery=True), []),
    ("absent-deleted", current(secret(DeletedDate=DELETED)), dict(state="absent"), []),
    ("absent-deleted-force", current(secret(DeletedDate=DELETED)), dict(state="absent", force_delete_without_recovery=True),
     [("DeleteSecret", {"SecretId": ARN, "ForceDeleteWithoutRecovery": True})]),
    ("absent-default-window", current(secret()), dict(state="absent"), [("DeleteSecret", {"SecretId": ARN, "RecoveryWindowInDays": 30})]),
    ("absent-window-7", current(secret()), dict(state="absent", recovery_window_in_days=7),
     [("DeleteSecret", {"SecretId": ARN, "RecoveryWindowInDays": 7})]),
    ("absent-force", current(secret()), dict(state="absent", force_delete_without_recovery=True),
     [("DeleteSecret", {"SecretId": ARN, "ForceDeleteWithoutRecovery": True})]),
    ("absent-with-replicas", current(secret(ReplicationStatus=[{"Region": "us-west-2"}, {"Region": "eu-west-1"}])),
     dict(state="absent", recovery_window_in_days=10),
     [("RemoveRegionsFromReplication", {"SecretId": ARN, "RemoveReplicaRegions": ["eu-west-1", "us-west-2"]}),
      ("DeleteSecret", {"SecretId": ARN, "RecoveryWindowInDays": 10})]),
    ("absent-ignores-other-options", current(secret(Description="x", Tags=[{"Key": "a", "Value": "1"}]), policy=POLICY),
     dict(state="absent", secret_string="v4lue", description="y", tags={}, resource_policy={}, rotation={"enabled": False}),
     [("DeleteSecret", {"SecretId": ARN, "RecoveryWindowInDays": 30})]),
    # ------------------------------------------------------------ a token naming an older version (issue 11)
    # AWS ignores PutSecretValue with the token of an existing version and the same value (the PutSecretValue
    # API reference, ClientRequestToken: "the request is ignored"): the token says which version must be
    # current, so AWSCURRENT moves back to it with UpdateSecretVersionStage.
    ("token-previous-version-rollback",
     CurrentSecret(secret=secret(VersionIdsToStages={V1: ["AWSCURRENT"], TOKEN: ["AWSPREVIOUS"]}), token_value=TextValue("v4lue")),
     dict(secret_string="v4lue", client_request_token=TOKEN),
     [("UpdateSecretVersionStage", {"SecretId": ARN, "VersionStage": "AWSCURRENT", "MoveToVersionId": TOKEN, "RemoveFromVersionId": V1})]),
    # DescribeSecret omits a version without staging labels; read() found it with ListSecretVersionIds and
    # IncludeDeprecated (LocalStack's AWS-recorded snapshot, test_deprecated_secret_version_stage).
    ("token-deprecated-version-rollback",
     CurrentSecret(secret=secret(VersionIdsToStages={V1: ["AWSCURRENT"], V0: ["AWSPREVIOUS"]}), token_exists=True,
                   token_value=TextValue("v4lue")),
     dict(secret_string="v4lue", client_request_token=TOKEN),
     [("UpdateSecretVersionStage", {"SecretId": ARN, "VersionStage": "AWSCURRENT", "MoveToVersionId": TOKEN, "RemoveFromVersionId": V1})]),
    ("token-deprecated-json-rollback",
     CurrentSecret(secret=secret(), token_exists=True, token_value=TextValue('{ "a": 1 }')),
     dict(secret_json={"a": 1}, client_request_token=TOKEN),
     [("UpdateSecretVersionStage", {"SecretId": ARN, "VersionStage": "AWSCURRENT", "MoveToVersionId": TOKEN, "RemoveFromVersionId": V1})]),
    ("token-unknown-writes", CurrentSecret(secret=secret(), token_exists=False), dict(secret_string="v4lue", client_request_token=TOKEN),
     [("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": TOKEN, "SecretString": "v4lue"})]),
    ("token-current-unchanged", current(secret(VersionIdsToStages={TOKEN: ["AWSCURRENT"]})), dict(secret_string="other", client_request_token=TOKEN), []),
    # The secret rotates: rotation made newer versions, the task's version is history, not a rollback.
    ("token-previous-rotation-unchanged",
     CurrentSecret(secret=secret(RotationEnabled=True, VersionIdsToStages={V1: ["AWSCURRENT"], TOKEN: ["AWSPREVIOUS"]})),
     dict(secret_string="v4lue", client_request_token=TOKEN), []),
    ("token-deprecated-rotation-unchanged", CurrentSecret(secret=secret(RotationEnabled=True), token_exists=True),
     dict(secret_string="v4lue", client_request_token=TOKEN), []),
    ("token-previous-overwrite-false-unchanged",
     current(secret(VersionIdsToStages={V1: ["AWSCURRENT"], TOKEN: ["AWSPREVIOUS"]})),
     dict(secret_string="v4lue", client_request_token=TOKEN, overwrite=False), []),
    # ------------------------------------------------------------ everything at once: the order of the operations
    (
        "order-of-operations",
        current(secret(DeletedDate=DELETED, Description="old", Tags=[{"Key": "gone", "Value": "1"}],
                       ReplicationStatus=[{"Region": "ap-south-1"}], RotationEnabled=False), policy=None),
        dict(secret_string="v4lue", client_request_token=TOKEN, description="new", tags={"t": "1"}, replica_regions=[{"region": "eu-west-1"}],
             resource_policy=POLICY, rotation={"automatically_after_days": 5}),
        [
            ("RestoreSecret", {"SecretId": ARN}),
            ("UpdateSecret", {"SecretId": ARN, "Description": "new"}),
            ("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": TOKEN, "SecretString": "v4lue"}),
            ("UntagResource", {"SecretId": ARN, "TagKeys": ["gone"]}),
            ("TagResource", {"SecretId": ARN, "Tags": [{"Key": "t", "Value": "1"}]}),
            ("RemoveRegionsFromReplication", {"SecretId": ARN, "RemoveReplicaRegions": ["ap-south-1"]}),
            ("ReplicateSecretToRegions", {"SecretId": ARN, "AddReplicaRegions": [{"Region": "eu-west-1"}]}),
            ("PutResourcePolicy", {"SecretId": ARN, "ResourcePolicy": json.dumps(POLICY, separators=(",", ":"))}),
            ("RotateSecret", {"SecretId": ARN, "RotateImmediately": False, "RotationRules": {"AutomaticallyAfterDays": 5}}),
        ],
    ),
]


@pytest.mark.parametrize("state, params, expected", [pytest.param(c, p, e, id=i) for i, c, p, e in CASES])
def test_plan(state, params, expected):
    snapshot = copy.deepcopy(state)
    wanted = desired(**params)
    ops = plan(state, wanted)
    assert [op for op, _request in ops] == [op for op, _request in expected]
    assert ops == expected
    assert state == snapshot  # plan is pure: it changes nothing it is given
    assert plan(state, wanted) == ops  # and gives the same answer twice


def test_case_ids_are_unique():
    assert len({case[0] for case in CASES}) == len(CASES)


def test_generated_placeholder_renders_the_password():
    ops = plan(current(), desired(secret_json={"user": "app"}, generate_secret={"key": "password"}))
    placeholder = ops[1][1]["SecretString"]
    assert placeholder.render("pw") == '{"user":"app","password":"pw"}'
    assert Generated(None, None).render("pw") == "pw"
    assert repr(placeholder) == "<generated>"
    assert Generated({"a": "1"}, "k") != Generated({"a": "2"}, "k")


@pytest.mark.parametrize("stages, token_value, shown", [
    ({V1: ["AWSCURRENT"], TOKEN: ["AWSPREVIOUS"]}, TextValue("first"), "AWSPREVIOUS"),
    ({V1: ["AWSCURRENT"], TOKEN: ["MYSTAGE"]}, TextValue("first"), "MYSTAGE"),
    ({V1: ["AWSCURRENT"], TOKEN: []}, BinaryValue(b"Sup3r-S3cret-Valu3-plan"), "none"),  # moto keeps a deprecated version with []
    ({V1: ["AWSCURRENT"], TOKEN: ["AWSPREVIOUS"]}, None, "AWSPREVIOUS"),  # a value not read is never taken as equal
])
def test_token_naming_an_older_version_with_another_value_fails(stages, token_value, shown):
    state = CurrentSecret(secret=secret(VersionIdsToStages=stages), token_value=token_value)
    with pytest.raises(PlanError) as caught:
        plan(state, desired(secret_string="Sup3r-S3cret-Valu3-plan", client_request_token=TOKEN))
    error = caught.value
    assert error.option == "client_request_token"
    assert error.code == "PlanError"
    assert "client_request_token" in error.message
    assert TOKEN in error.message and "stages: %s" % shown in error.message
    assert "Sup3r-S3cret-Valu3-plan" not in error.message and "first" not in error.message


def test_predict_rollback_moves_current_back_and_the_old_current_becomes_previous():
    # UpdateSecretVersionStage moving AWSCURRENT v1 -> v2 leaves v1 AWSPREVIOUS (LocalStack's AWS-validated
    # snapshot test_secretsmanager.snapshot.json, test_update_secret_version_stages_current_previous); other labels stay.
    state = CurrentSecret(secret=secret(VersionIdsToStages={V1: ["AWSCURRENT"], V0: ["AWSPREVIOUS"], TOKEN: ["MYSTAGE"]}),
                          token_value=TextValue("v4lue"))
    ops = plan(state, desired(secret_string="v4lue", client_request_token=TOKEN))
    after, _policy = predict(state, ops)
    assert after["VersionIdsToStages"] == {V1: ["AWSPREVIOUS"], TOKEN: ["AWSCURRENT", "MYSTAGE"]}


def test_deleted_secret_without_restore_fails():
    with pytest.raises(PlanError) as caught:
        plan(current(secret(DeletedDate=DELETED)), desired(restore=False, description="x"))
    error = caught.value
    assert error.option == "restore"
    assert "scheduled for deletion" in error.message
    assert "restore" in error.message and NAME in error.message


def test_missing_secret_named_by_arn_cannot_be_created():
    with pytest.raises(PlanError) as caught:
        plan(current(), validate({"name": ARN, "secret_string": "v"}, new_token=NEW))
    assert caught.value.option == "name"
    assert "cannot be created from an ARN" in caught.value.message


def test_missing_secret_named_by_arn_with_suffix_says_partial_or_full():
    """AWS reads an ARN ending in a hyphen and six characters as a full ARN (with the random suffix), so a
    partial ARN of a name that ends so finds nothing: the message says which reading failed."""
    partial = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-prod01"
    with pytest.raises(PlanError) as caught:
        plan(current(), validate({"name": partial, "description": "x"}, new_token=NEW))
    message = caught.value.message
    assert "partial ARN" in message and "full ARN" in message and "suffix" in message
    short = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db"
    with pytest.raises(PlanError) as caught:
        plan(current(), validate({"name": short, "description": "x"}, new_token=NEW))
    assert "partial ARN" in caught.value.message and "suffix" not in caught.value.message


def test_failed_replica_without_force_fails_naming_region_and_reason():
    state = current(secret(ReplicationStatus=[{"Region": "eu-west-1", "Status": "Failed", "StatusMessage": REPLICA_CONFLICT},
                                              {"Region": "us-west-2", "Status": "InSync"}]))
    for force in (None, False):
        params = {"replica_regions": [{"region": "eu-west-1"}, {"region": "us-west-2"}]}
        if force is not None:
            params["force_overwrite_replica_secret"] = force
        with pytest.raises(PlanError) as caught:
            plan(state, desired(**params))
        assert caught.value.option == "replica_regions"
        assert "eu-west-1" in caught.value.message and REPLICA_CONFLICT in caught.value.message
        assert "force_overwrite_replica_secret" in caught.value.message
        assert "us-west-2" not in caught.value.message


@pytest.mark.parametrize("state_option", ["present", "absent"])
def test_writing_to_a_replica_secret_fails_before_any_write(state_option):
    """DescribeSecret in the replica's region shows the replica's ARN and PrimaryRegion, the primary's region."""
    state = current(secret(ARN=ARN_EU, PrimaryRegion="us-east-1", Description="a"))
    with pytest.raises(PlanError) as caught:
        plan(state, desired(description="b", state=state_option))
    assert caught.value.option == "region"
    assert "replica" in caught.value.message and "us-east-1" in caught.value.message and "eu-west-1" in caught.value.message


def test_writing_to_a_secret_owned_by_a_service_fails_before_any_write():
    with pytest.raises(PlanError) as caught:
        plan(current(secret(OwningService="rds", Tags=[])), desired(tags={"a": "1"}))
    assert "rds" in caught.value.message and "OwningService" in caught.value.message


def test_arn_name_updates_an_existing_secret():
    ops = plan(current(secret(Description="a")), validate({"name": ARN, "description": "b"}, new_token=NEW))
    assert ops == [("UpdateSecret", {"SecretId": ARN, "Description": "b"})]


# ---------------------------------------------------------------- predict


def test_predict_put_promotes_current_to_previous():
    state = current(secret(VersionIdsToStages={V1: ["AWSCURRENT"], V0: ["AWSPREVIOUS"], "v-custom": ["MINE", "AWSPREVIOUS"]}))
    snapshot = copy.deepcopy(state)
    ops = [("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": TOKEN, "SecretString": "x"})]
    after, policy = predict(state, ops)
    assert after["VersionIdsToStages"] == {TOKEN: ["AWSCURRENT"], V1: ["AWSPREVIOUS"], "v-custom": ["MINE"]}
    assert policy is None
    assert state == snapshot


def test_predict_put_prefers_the_version_aws_answered():
    ops = [("PutSecretValue", {"SecretId": ARN, "ClientRequestToken": TOKEN, "SecretString": "x"})]
    after, _policy = predict(current(secret()), ops, [{"VersionId": "from-aws"}])
    assert after["VersionIdsToStages"] == {"from-aws": ["AWSCURRENT"], V1: ["AWSPREVIOUS"]}


def test_predict_put_on_secret_without_versions():
    after, _policy = predict(current(secret(VersionIdsToStages={})), [("PutSecretValue", {"ClientRequestToken": TOKEN, "SecretString": "x"})])
    assert after["VersionIdsToStages"] == {TOKEN: ["AWSCURRENT"]}


def test_predict_create_in_check_mode():
    wanted = desired(secret_string="v", description="d", tags={"a": "1"}, replica_regions=[{"region": "eu-west-1"}])
    after, _policy = predict(current(), plan(current(), wanted))
    assert after["ARN"] is None
    assert after["Name"] == NAME
    assert after["Description"] == "d"
    assert after["Tags"] == [{"Key": "a", "Value": "1"}]
    assert after["VersionIdsToStages"] == {NEW: ["AWSCURRENT"]}
    assert after["ReplicationStatus"] == [{"Region": "eu-west-1", "Status": "InProgress"}]
    assert "SecretString" not in after


def test_predict_create_after_a_real_run():
    ops = plan(current(), desired(secret_string="v", replica_regions=[{"region": "eu-west-1"}]))
    response = {"ARN": ARN, "Name": NAME, "VersionId": "v-aws", "ReplicationStatus": [{"Region": "eu-west-1", "Status": "InSync"}]}
    after, _policy = predict(current(), ops, [response])
    assert after["ARN"] == ARN
    assert after["VersionIdsToStages"] == {"v-aws": ["AWSCURRENT"]}
    assert after["ReplicationStatus"] == [{"Region": "eu-west-1", "Status": "InSync"}]


def test_predict_create_without_value_has_no_version():
    after, _policy = predict(current(), plan(current(), desired()))
    assert after["VersionIdsToStages"] == {}


def test_predict_tags():
    state = current(secret(Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}, {"Key": "aws:x", "Value": "y"}]))
    ops = plan(state, desired(tags={"a": "9", "c": "3"}))
    after, _policy = predict(state, ops)
    assert {t["Key"]: t["Value"] for t in after["Tags"]} == {"a": "9", "c": "3", "aws:x": "y"}


def test_predict_replicas():
    state = current(secret(ReplicationStatus=[{"Region": "eu-west-1", "KmsKeyId": "alias/old", "Status": "InSync"},
                                              {"Region": "ap-south-1", "Status": "InSync"}]))
    ops = plan(state, desired(replica_regions=[{"region": "eu-west-1", "kms_key_id": "alias/new"}, {"region": "us-west-2"}]))
    after, _policy = predict(state, ops)
    assert sorted(after["ReplicationStatus"], key=lambda r: r["Region"]) == [
        {"Region": "eu-west-1", "KmsKeyId": "alias/new", "Status": "InSync"},
        {"Region": "us-west-2", "Status": "InProgress"},
    ]
    assert "KmsKeyId" not in after  # the replica's UpdateSecret does not touch the primary's key


def test_predict_external_rotation():
    state = current(secret(RotationEnabled=False))
    ops = plan(state, desired(rotation={"schedule_expression": "rate(10 days)", "external_metadata": [{"key": "a", "value": "1"}],
                                        "external_role_arn": ROLE}))
    after, _policy = predict(state, ops)
    assert after["ExternalSecretRotationMetadata"] == [{"Key": "a", "Value": "1"}]
    assert after["ExternalSecretRotationRoleArn"] == ROLE
    assert plan(current(after), desired(rotation={"schedule_expression": "rate(10 days)", "external_metadata": [{"key": "a", "value": "1"}],
                                                  "external_role_arn": ROLE})) == []


def test_predict_metadata_policy_and_rotation():
    state = current(secret(Description="old", RotationEnabled=False), policy={"Version": "2012-10-17", "Statement": []})
    ops = plan(state, desired(description="new", kms_key_id="alias/k", resource_policy=POLICY,
                              rotation={"lambda_arn": LAMBDA, "automatically_after_days": 9}))
    after, policy = predict(state, ops)
    assert after["Description"] == "new" and after["KmsKeyId"] == "alias/k"
    assert policy == POLICY
    assert after["RotationEnabled"] is True
    assert after["RotationLambdaARN"] == LAMBDA
    assert after["RotationRules"] == {"AutomaticallyAfterDays": 9}
    after, policy = predict(current(secret(RotationEnabled=True), policy=POLICY),
                            [("CancelRotateSecret", {"SecretId": ARN}), ("DeleteResourcePolicy", {"SecretId": ARN})])
    assert after["RotationEnabled"] is False and policy is None


def test_predict_delete_and_restore():
    before = datetime.datetime.now(datetime.timezone.utc)
    after, _policy = predict(current(secret()), [("DeleteSecret", {"SecretId": ARN, "RecoveryWindowInDays": 7})])
    assert datetime.timedelta(days=7) <= after["DeletedDate"] - before < datetime.timedelta(days=7, minutes=1)
    after, _policy = predict(current(secret()), [("DeleteSecret", {"SecretId": ARN, "ForceDeleteWithoutRecovery": True})])
    assert after["DeletedDate"] - before < datetime.timedelta(minutes=1)
    after, _policy = predict(current(secret()), [("DeleteSecret", {"SecretId": ARN, "RecoveryWindowInDays": 7})], [{"DeletionDate": DELETED}])
    assert after["DeletedDate"] == DELETED
    after, _policy = predict(current(secret(DeletedDate=DELETED)), [("RestoreSecret", {"SecretId": ARN})])
    assert "DeletedDate" not in after


def test_predict_without_ops_is_the_current_state():
    state = current(secret(Description="d"), policy=POLICY)
    after, policy = predict(state, [])
    assert after == state.secret and after is not state.secret
    assert policy == POLICY
    assert predict(current(), []) == (None, None)


# ---------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    "first, second, equal",
    [
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, True),
        ({"a": ["x"]}, {"a": "x"}, True),
        ({"a": ["x", "y"]}, {"a": ["y", "x"]}, True),
        ({"a": [{"k": 1}, {"k": 2}]}, {"a": [{"k": 2}, {"k": 1}]}, True),
        (POLICY, POLICY_SAME, True),
        ({"a": ["x", "y"]}, {"a": "x"}, False),
        ({"a": True}, {"a": "true"}, False),
        ({"a": 1}, {"a": "1"}, False),
        ({"a": 1}, {"a": 1, "b": None}, False),
        (None, {}, True),
        ({}, {"Version": "2012-10-17"}, False),
    ],
)
def test_policies_equal(first, second, equal):
    assert policies_equal(first, second) is equal
    assert policies_equal(second, first) is equal


def test_normalize_policy():
    assert normalize_policy({"b": ["y", "x"], "a": ["z"], "c": [["q"]]}) == {"b": ["x", "y"], "a": "z", "c": "q"}
    assert normalize_policy("text") == "text"
    assert normalize_policy([]) == []


@pytest.mark.parametrize(
    "wanted, shown, equal",
    [
        (KEY_ID, KEY_ARN, True),
        (KEY_ARN, KEY_ID, True),
        ("key/" + KEY_ID, KEY_ARN, True),
        ("alias/app", ALIAS_ARN, True),
        (ALIAS_ARN, "alias/app", True),
        ("", None, True),
        (None, None, True),
        ("", "alias/aws/secretsmanager", True),
        ("alias/aws/secretsmanager", None, True),
        (KEY_ARN, KEY_ARN, True),
        ("alias/app", KEY_ARN, False),
        ("alias/other", ALIAS_ARN, False),
        ("", KEY_ARN, False),
        (KEY_ID, None, False),
        ("1234abcd", KEY_ARN, False),
        ("arn:aws:kms:us-east-1:123456789012:key/other", KEY_ARN, False),
    ],
)
def test_kms_keys_equal(wanted, shown, equal):
    assert kms_keys_equal(wanted, shown) is equal
