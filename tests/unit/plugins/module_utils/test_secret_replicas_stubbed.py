# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Replicas, ARNs and the SDK's model as real AWS gives them, against botocore's Stubber (moto's replicas are
always InSync, it ignores a replica's KMS key and never sets PrimaryRegion on a replica or OwningService).

AWS sources:
- ReplicationStatusType: Status InSync | Failed | InProgress; StatusMessage "such as 'Secret with this name
  already exists in this region'" (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ReplicationStatusType.html).
- "A replica secret can't be updated independently from its primary secret, except for its encryption key"
  (Secrets Manager User Guide, "Promote a replica secret to a standalone secret", standalone-secret.html);
  the replica's ARN is its primary's with the replica's region (User Guide, "Replicate secrets across Regions").
- DescribeSecret: PrimaryRegion "the Region the secret is in. If a secret is replicated to other Regions, the
  replicas are listed in ReplicationStatus"; OwningService "the ID of the service that created this secret"
  (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html).
- botocore 1.41.0's changelog: "secretsmanager: Adds support to create, update, retrieve, rotate, and delete
  managed external secrets" (CreateSecret's Type, RotateSecret's ExternalSecretRotation*).
"""

from __future__ import annotations

import re
import types

import pytest

from botocore.stub import Stubber

from ansible_collections.seed.secretsmanager.plugins.module_utils import _secret
from ansible_collections.seed.secretsmanager.plugins.module_utils._apply import run
from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import Api
from ansible_collections.seed.secretsmanager.plugins.module_utils._regions import require_model_members
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import PlanError, ValidationError
from ansible_collections.seed.secretsmanager.tests.unit.utils import STUB_ARN, STUB_NAME, STUB_V1, described, stub_client
from ansible_collections.seed.secretsmanager.tests.unit.utils import validate_as_execute as validate

NAME = STUB_NAME
ARN = STUB_ARN
ARN_EU = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-AbCdEf"
V1 = STUB_V1
CONFLICT = "Secret with this name already exists in this region"


# ---------------------------------------------------------------- a Failed replica


FAILED_EU = [{"Region": "eu-west-1", "Status": "Failed", "StatusMessage": CONFLICT}, {"Region": "us-west-2", "Status": "InSync"}]


def test_failed_replica_fails_before_any_write_naming_region_and_reason(client, stubber):
    stubber.add_response("describe_secret", described(ReplicationStatus=FAILED_EU), {"SecretId": NAME})
    api = Api(client)
    with pytest.raises(PlanError) as caught:
        run(api, validate({"name": NAME, "replica_regions": [{"region": "eu-west-1"}, {"region": "us-west-2"}]}))
    assert api.actions == ["DescribeSecret"]
    assert "eu-west-1" in caught.value.message and CONFLICT in caught.value.message
    assert caught.value.option == "replica_regions"
    stubber.assert_no_pending_responses()


def test_failed_replica_with_force_is_replicated_again(client, stubber):
    stubber.add_response("describe_secret", described(ReplicationStatus=FAILED_EU), {"SecretId": NAME})
    stubber.add_response("remove_regions_from_replication", {"ARN": ARN, "ReplicationStatus": [{"Region": "us-west-2", "Status": "InSync"}]},
                         {"SecretId": ARN, "RemoveReplicaRegions": ["eu-west-1"]})
    stubber.add_response("replicate_secret_to_regions", {"ARN": ARN, "ReplicationStatus": [{"Region": "eu-west-1", "Status": "InProgress"}]},
                         {"SecretId": ARN, "AddReplicaRegions": [{"Region": "eu-west-1"}], "ForceOverwriteReplicaSecret": True})
    api = Api(client)
    result = run(api, validate({"name": NAME, "replica_regions": [{"region": "eu-west-1"}, {"region": "us-west-2"}],
                                "force_overwrite_replica_secret": True}))
    assert api.actions == ["DescribeSecret", "RemoveRegionsFromReplication", "ReplicateSecretToRegions"]
    assert result["changed"] is True
    assert {r["region"]: r["status"] for r in result["secret"]["replication_status"]} == {"eu-west-1": "InProgress", "us-west-2": "InSync"}
    assert result["warnings"] == []
    stubber.assert_no_pending_responses()


def test_failed_replica_left_alone_is_warned_about(client, stubber):
    stubber.add_response("describe_secret", described(ReplicationStatus=FAILED_EU, Description="d"), {"SecretId": NAME})
    api = Api(client)
    result = run(api, validate({"name": NAME, "description": "d"}))
    assert result["changed"] is False
    assert len(result["warnings"]) == 1
    assert "eu-west-1" in result["warnings"][0] and CONFLICT in result["warnings"][0]
    assert result["secret"]["replication_status"][0]["status_message"] == CONFLICT


# ---------------------------------------------------------------- a replica's KMS key, in place


def test_replica_key_changes_in_place_in_the_replicas_region(client, stubber):
    eu_client = stub_client("eu-west-1")
    built = []

    def factory(region):
        built.append(region)
        return eu_client

    stubber.add_response("describe_secret", described(ReplicationStatus=[{"Region": "eu-west-1", "KmsKeyId": "alias/old", "Status": "InSync"}]),
                         {"SecretId": NAME})
    with Stubber(eu_client) as eu:
        eu.add_response("update_secret", {"ARN": ARN_EU, "Name": NAME}, {"SecretId": ARN_EU, "KmsKeyId": "alias/new"})
        api = Api(client)
        api.client_factory = factory
        result = run(api, validate({"name": NAME, "replica_regions": [{"region": "eu-west-1", "kms_key_id": "alias/new"}]}))
        eu.assert_no_pending_responses()
    # No RemoveRegionsFromReplication: the region keeps its replica throughout.
    assert api.actions == ["DescribeSecret", "UpdateSecret"]
    assert built == ["eu-west-1"]
    assert result["changed"] is True
    assert result["secret"]["replication_status"] == [{"region": "eu-west-1", "kms_key_id": "alias/new", "status": "InSync"}]
    assert "kms_key_id" not in result["secret"]  # the primary's key is untouched
    stubber.assert_no_pending_responses()


def test_replica_key_change_in_check_mode_calls_no_region(client, stubber):
    stubber.add_response("describe_secret", described(ReplicationStatus=[{"Region": "eu-west-1", "KmsKeyId": "alias/old", "Status": "InSync"}]),
                         {"SecretId": NAME})
    api = Api(client)
    result = run(api, validate({"name": NAME, "replica_regions": [{"region": "eu-west-1", "kms_key_id": "alias/new"}]}), check_mode=True)
    assert result["actions"] == ["DescribeSecret", "UpdateSecret"]
    assert result["secret"]["replication_status"][0]["kms_key_id"] == "alias/new"


# ---------------------------------------------------------------- replicas and secrets a service owns


def test_writing_to_a_replica_fails_before_any_write(stubber):
    eu_client = stub_client("eu-west-1")
    with Stubber(eu_client) as eu:
        eu.add_response("describe_secret", described(ARN=ARN_EU, PrimaryRegion="us-east-1", Description="a"), {"SecretId": NAME})
        api = Api(eu_client)
        with pytest.raises(PlanError) as caught:
            run(api, validate({"name": NAME, "description": "b"}))
    assert api.actions == ["DescribeSecret"]
    assert "replica" in caught.value.message and "us-east-1" in caught.value.message


def test_reading_a_replica_with_nothing_to_change_succeeds():
    eu_client = stub_client("eu-west-1")
    with Stubber(eu_client) as eu:
        eu.add_response("describe_secret", described(ARN=ARN_EU, PrimaryRegion="us-east-1", Description="a"), {"SecretId": NAME})
        result = run(Api(eu_client), validate({"name": NAME, "description": "a"}))
    assert result["changed"] is False
    assert result["secret"]["primary_region"] == "us-east-1"


def test_writing_to_a_secret_owned_by_a_service_fails_before_any_write(client, stubber):
    stubber.add_response("describe_secret", described(OwningService="rds", Description="a"), {"SecretId": NAME})
    api = Api(client)
    with pytest.raises(PlanError) as caught:
        run(api, validate({"name": NAME, "description": "b"}))
    assert api.actions == ["DescribeSecret"]
    assert "rds" in caught.value.message


# ---------------------------------------------------------------- an ARN's region, through execute()


@pytest.fixture
def built_clients(monkeypatch):
    """execute() with every client stubbed: the connection options of each client it builds, and the stubs by region."""
    built, stubs = [], {}

    def factory(params, reuse=False):
        built.append(dict(params))
        return _stub(stubs, params.get("region")).client

    monkeypatch.setattr(_secret, "secretsmanager_client", factory)
    import ansible_collections.seed.secretsmanager.plugins.module_utils._aws as aws

    monkeypatch.setattr(aws, "secretsmanager_client", factory)
    return built, stubs


def _stub(stubs, region):
    if region not in stubs:
        stubs[region] = Stubber(stub_client(region))
        stubs[region].activate()
    return stubs[region]


def test_an_arn_is_used_in_its_own_region_with_a_warning(built_clients):
    built, stubs = built_clients
    _stub(stubs, "eu-west-1").add_response("describe_secret", described(ARN=ARN_EU, Description="a"), {"SecretId": ARN_EU})
    result = _secret.execute({"name": ARN_EU, "region": "us-east-1", "description": "a"})
    assert not result.get("failed"), result
    assert [p["region"] for p in built] == ["eu-west-1"]
    assert result["changed"] is False
    assert any("eu-west-1" in w and "us-east-1" in w for w in result["warnings"])
    stubs["eu-west-1"].assert_no_pending_responses()


def test_an_arn_in_the_region_given_has_no_warning(built_clients):
    built, stubs = built_clients
    _stub(stubs, "us-east-1").add_response("describe_secret", described(Description="a"), {"SecretId": ARN})
    result = _secret.execute({"name": ARN, "region": "us-east-1", "description": "a"})
    assert [p["region"] for p in built] == ["us-east-1"]
    assert result["warnings"] == []


def test_execute_checks_replica_regions_against_botocore(built_clients):
    built, _stubs = built_clients
    result = _secret.execute({"name": NAME, "region": "us-east-1", "replica_regions": [{"region": "mars-1"}]})
    assert result["failed"] is True
    assert result["option"] == "replica_regions[0].region"
    assert "mars-1" in result["msg"] and "allow_unknown_regions" in result["msg"]
    assert result["actions"] == []


# ---------------------------------------------------------------- the SDK's service model


def _client_without(*members):
    def operation_model(name):
        shape = stub_client().meta.service_model.operation_model(name).input_shape
        kept = {k: v for k, v in shape.members.items() if k not in members}
        return types.SimpleNamespace(input_shape=types.SimpleNamespace(members=kept))

    return types.SimpleNamespace(meta=types.SimpleNamespace(service_model=types.SimpleNamespace(operation_model=operation_model)))


def test_type_on_a_botocore_without_it_fails_naming_the_version():
    with pytest.raises(ValidationError) as caught:
        require_model_members(_client_without("Type"), ["type"])
    assert caught.value.option == "type"
    assert "1.41.0" in caught.value.message and "CreateSecret" in caught.value.message


def test_external_rotation_on_a_botocore_without_it_fails_naming_the_version():
    old = _client_without("Type", "ExternalSecretRotationMetadata", "ExternalSecretRotationRoleArn")
    with pytest.raises(ValidationError) as caught:
        require_model_members(old, ["rotation.external_role_arn"])
    assert caught.value.option == "rotation.external_role_arn" and "1.41.0" in caught.value.message
    require_model_members(old, [])  # nothing asked, nothing checked


def test_the_installed_botocore_is_checked_by_its_own_model():
    """botocore 1.41.0 and newer pass; the matrix's oldest entry (botocore 1.34.0, the minimum of
    requirements.txt) is refused, naming the version installed."""
    import botocore

    current = stub_client()
    if "Type" in current.meta.service_model.operation_model("CreateSecret").input_shape.members:
        require_model_members(current, ["type", "rotation.external_metadata", "rotation.external_role_arn"])
    else:
        with pytest.raises(ValidationError, match=r"needs botocore 1\.41\.0 or newer .*this is botocore %s$" % re.escape(botocore.__version__)):
            require_model_members(current, ["type"])


def test_an_answer_listing_every_replica_is_not_counted_twice(client, stubber):
    """ReplicateSecretToRegions answers with ReplicationStatus; moto lists every replica there, not only the
    added ones: the result has each region once."""
    stubber.add_response("describe_secret", described(ReplicationStatus=FAILED_EU), {"SecretId": NAME})
    stubber.add_response("remove_regions_from_replication", {"ARN": ARN, "ReplicationStatus": [{"Region": "us-west-2", "Status": "InSync"}]},
                         {"SecretId": ARN, "RemoveReplicaRegions": ["eu-west-1"]})
    stubber.add_response("replicate_secret_to_regions",
                         {"ARN": ARN, "ReplicationStatus": [{"Region": "us-west-2", "Status": "InSync"}, {"Region": "eu-west-1", "Status": "InSync"}]},
                         {"SecretId": ARN, "AddReplicaRegions": [{"Region": "eu-west-1"}], "ForceOverwriteReplicaSecret": True})
    result = run(Api(client), validate({"name": NAME, "replica_regions": [{"region": "eu-west-1"}, {"region": "us-west-2"}],
                                        "force_overwrite_replica_secret": True}))
    assert sorted(r["region"] for r in result["secret"]["replication_status"]) == ["eu-west-1", "us-west-2"]
