# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""run() against botocore's Stubber, for the AWS answers moto does not give:
the scheduled-for-deletion create, concurrent creates, a token reused with another value, the
AWS-shaped 400 not-found, and error messages that echo a value."""

from __future__ import annotations

import dataclasses
import datetime
import json

import pytest

from ansible.module_utils.common.parameters import remove_values
from botocore.exceptions import ParamValidationError
from botocore.stub import ANY

from ansible_collections.seed.secretsmanager.plugins.module_utils import _secret
from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import Api, AwsError
from ansible_collections.seed.secretsmanager.plugins.module_utils._apply import run
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import PlanError
from ansible_collections.seed.secretsmanager.plugins.module_utils._model import TextValue
from ansible_collections.seed.secretsmanager.plugins.module_utils._options import masked_texts
from ansible_collections.seed.secretsmanager.tests.unit.utils import STUB_ARN, STUB_NAME, STUB_V1, described
from ansible_collections.seed.secretsmanager.tests.unit.utils import validate_as_execute as validate

NAME = STUB_NAME
ARN = STUB_ARN
TOKEN = "22222222-2222-4222-8222-222222222222"
V1 = STUB_V1
V2 = "44444444-4444-4444-8444-444444444444"
SECRET = "Sup3r-S3cret-Valu3-7c1d"
MEMBER = "Js0n-Memb3r-Valu3-44ab"
GENERATED = "Gen3rated-Pa55w0rd-0d9c"
DELETED = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
NOT_FOUND = "Secrets Manager can't find the specified secret."


def not_found(stub):
    stub.add_client_error("describe_secret", "ResourceNotFoundException", NOT_FOUND, 400, expected_params={"SecretId": NAME})


def assert_no_leak(*things, values=(SECRET, MEMBER, GENERATED)):
    text = " ".join(json.dumps(thing, default=str, ensure_ascii=False) if not isinstance(thing, str) else thing for thing in things)
    for value in values:
        assert value not in text


# ---------------------------------------------------------------- create over a name scheduled for deletion


SCHEDULED = "You can't create this secret because a secret with this name is already scheduled for deletion."


def _create_refused(stub, token, times=1):
    for _attempt in range(times):
        stub.add_client_error("create_secret", "InvalidRequestException", SCHEDULED, 400,
                              expected_params={"Name": NAME, "ClientRequestToken": token or ANY, "SecretString": SECRET})


@pytest.mark.parametrize("token", [None, TOKEN])
def test_create_refused_as_scheduled_after_a_force_delete_is_waited_for(client, stubber, token):
    # DescribeSecret finds nothing, yet CreateSecret says "scheduled for deletion": AWS does so for a few seconds
    # after a force delete (AWS_FACTS, from LocalStack's AWS-validated snapshots). It settles: wait, then create.
    params = {"name": NAME, "secret_string": SECRET, "wait_timeout": 30}
    if token:
        params["client_request_token"] = token
    not_found(stubber)
    _create_refused(stubber, token, times=2)
    stubber.add_response("create_secret", {"ARN": ARN, "Name": NAME, "VersionId": token or V1})
    api = Api(client)
    slept = []
    api.clock, api.sleep = (lambda: sum(slept)), slept.append
    result = run(api, validate(params))
    assert result["changed"] is True and result["arn"] == ARN
    assert api.actions == ["DescribeSecret"] + ["CreateSecret"] * 3
    assert slept == [1.0, 2.0]
    stubber.assert_no_pending_responses()


def test_create_still_refused_after_a_force_delete_never_advises_restore(client, stubber):
    not_found(stubber)
    _create_refused(stubber, None)
    not_found(stubber)  # read again: still no secret, so restore cannot help
    api = Api(client)
    with pytest.raises(AwsError) as caught:
        run(api, validate({"name": NAME, "secret_string": SECRET, "wait_timeout": 0}))
    error = caught.value
    assert error.operation == "CreateSecret" and error.kind == "scheduled_for_deletion"
    assert "scheduled for deletion" in error.message  # AWS's own words
    assert "restore" not in error.message
    assert api.actions == ["DescribeSecret", "CreateSecret", "DescribeSecret"]
    assert_no_leak(error.message, error.to_result())
    stubber.assert_no_pending_responses()


def test_create_over_a_secret_scheduled_for_deletion_meanwhile_explains_how_to_proceed(client, stubber):
    # The re-read finds the secret, scheduled for deletion (by another run): planned again, and without
    # restore the plan says how to proceed.
    not_found(stubber)
    _create_refused(stubber, TOKEN)
    stubber.add_response("describe_secret", described(DeletedDate=DELETED), {"SecretId": NAME})
    api = Api(client)
    with pytest.raises(PlanError) as caught:
        run(api, validate({"name": NAME, "secret_string": SECRET, "client_request_token": TOKEN, "restore": False, "wait_timeout": 0}))
    error = caught.value
    assert not isinstance(error, AwsError)
    assert error.option == "restore"
    assert "scheduled for deletion" in error.message
    assert "restore: true" in error.message
    assert "force_delete_without_recovery" in error.message
    assert NAME in error.message
    assert api.actions == ["DescribeSecret", "CreateSecret", "DescribeSecret"]
    assert_no_leak(error.message, error.to_result())
    stubber.assert_no_pending_responses()


def test_other_invalid_request_on_create_is_not_reworded(client, stubber):
    not_found(stubber)
    stubber.add_client_error("create_secret", "InvalidRequestException", "Something else is wrong.", 400)
    api = Api(client)
    with pytest.raises(AwsError) as caught:
        run(api, validate({"name": NAME, "secret_string": SECRET}))
    assert not isinstance(caught.value, PlanError)
    assert caught.value.code == "InvalidRequestException"
    assert caught.value.operation == "CreateSecret"
    assert "Something else is wrong." in caught.value.message
    assert api.actions == ["DescribeSecret", "CreateSecret"]


# ---------------------------------------------------------------- a create that lost a race


def _lost_race(stub, create_params):
    not_found(stub)
    stub.add_client_error(
        "create_secret", "ResourceExistsException", "The operation failed because the secret app/db already exists.", 400,
        expected_params=create_params,
    )


def test_concurrent_create_with_the_same_token_is_unchanged(client, stubber):
    _lost_race(stubber, {"Name": NAME, "ClientRequestToken": TOKEN, "SecretString": SECRET})
    stubber.add_response("describe_secret", described(VersionIdsToStages={TOKEN: ["AWSCURRENT"]}), {"SecretId": NAME})
    api = Api(client)
    result = run(api, validate({"name": NAME, "secret_string": SECRET, "client_request_token": TOKEN}))
    assert api.actions == ["DescribeSecret", "CreateSecret", "DescribeSecret"]
    assert result["changed"] is False
    assert result["actions"] == api.actions
    assert result["arn"] == ARN
    assert result["version_id"] == TOKEN
    stubber.assert_no_pending_responses()


def test_concurrent_create_with_the_same_token_and_another_value_fails(client, stubber):
    not_found(stubber)
    stubber.add_client_error(
        "create_secret", "ResourceExistsException",
        "You can't use ClientRequestToken %s because that value is already in use for a version of secret %s." % (TOKEN, ARN), 400,
    )
    api = Api(client)
    with pytest.raises(AwsError) as caught:
        run(api, validate({"name": NAME, "secret_string": SECRET, "client_request_token": TOKEN}))
    # AWS said the other run's version holds another value: no re-read that would report "unchanged".
    assert api.actions == ["DescribeSecret", "CreateSecret"]
    assert caught.value.option == "client_request_token"
    assert "client_request_token %s is already a version" % TOKEN in caught.value.message
    assert SECRET not in caught.value.message
    stubber.assert_no_pending_responses()


def test_concurrent_create_without_token_compares_the_value(client, stubber):
    _lost_race(stubber, {"Name": NAME, "ClientRequestToken": ANY, "SecretString": SECRET})
    stubber.add_response("describe_secret", described(), {"SecretId": NAME})
    stubber.add_response("get_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": V1, "SecretString": SECRET},
                         {"SecretId": ARN, "VersionStage": "AWSCURRENT"})
    api = Api(client)
    result = run(api, validate({"name": NAME, "secret_string": SECRET}))
    assert api.actions == ["DescribeSecret", "CreateSecret", "DescribeSecret", "GetSecretValue"]
    assert result["changed"] is False
    assert result["version_id"] == V1
    stubber.assert_no_pending_responses()


def test_concurrent_create_with_another_value_writes_a_version(client, stubber):
    _lost_race(stubber, {"Name": NAME, "ClientRequestToken": ANY, "SecretString": SECRET, "Description": "d"})
    stubber.add_response("describe_secret", described(Description="d"), {"SecretId": NAME})
    stubber.add_response("get_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": V1, "SecretString": "the other run's value"},
                         {"SecretId": ARN, "VersionStage": "AWSCURRENT"})
    stubber.add_response("put_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": V2, "VersionStages": ["AWSCURRENT"]},
                         {"SecretId": ARN, "ClientRequestToken": ANY, "SecretString": SECRET})
    api = Api(client)
    result = run(api, validate({"name": NAME, "secret_string": SECRET, "description": "d"}))
    assert api.actions == ["DescribeSecret", "CreateSecret", "DescribeSecret", "GetSecretValue", "PutSecretValue"]
    assert result["changed"] is True
    assert result["version_id"] == V2
    assert result["secret"]["version_ids_to_stages"] == {V2: ["AWSCURRENT"], V1: ["AWSPREVIOUS"]}
    assert_no_leak(result)
    stubber.assert_no_pending_responses()


def test_resource_exists_but_secret_still_missing_is_raised(client, stubber):
    _lost_race(stubber, {"Name": NAME, "ClientRequestToken": TOKEN, "SecretString": SECRET})
    not_found(stubber)
    api = Api(client)
    with pytest.raises(AwsError) as caught:
        run(api, validate({"name": NAME, "secret_string": SECRET, "client_request_token": TOKEN}))
    assert caught.value.code == "ResourceExistsException"
    assert caught.value.operation == "CreateSecret"
    assert api.actions == ["DescribeSecret", "CreateSecret", "DescribeSecret"]


# ---------------------------------------------------------------- a token reused with another value


def test_put_with_a_token_aws_holds_with_another_value_names_the_token(client, stubber):
    stubber.add_response("describe_secret", described(), {"SecretId": NAME})
    stubber.add_response("list_secret_version_ids", versions_listed(V1), {"SecretId": ARN, "IncludeDeprecated": True})
    stubber.add_client_error(
        "put_secret_value", "ResourceExistsException", "A resource with the ID you requested already exists.", 400,
        expected_params={"SecretId": ARN, "ClientRequestToken": TOKEN, "SecretString": SECRET},
    )
    api = Api(client)
    with pytest.raises(AwsError) as caught:
        run(api, validate({"name": NAME, "secret_string": SECRET, "client_request_token": TOKEN}))
    error = caught.value
    assert error.option == "client_request_token"
    assert error.operation == "PutSecretValue"
    assert error.code == "ResourceExistsException"
    assert "client_request_token %s" % TOKEN in error.message
    assert "new token" in error.message
    assert "already exists" in error.message  # what AWS said is kept
    assert api.actions == ["DescribeSecret", "ListSecretVersionIds", "PutSecretValue"]
    assert_no_leak(error.message)
    stubber.assert_no_pending_responses()


# ---------------------------------------------------------------- a token naming an older version (issue 11)
# AWS-shaped answers from LocalStack's AWS-recorded snapshot (tests/aws/services/secretsmanager/
# test_secretsmanager.snapshot.json, test_deprecated_secret_version_stage): after A -> B -> C, DescribeSecret's
# VersionIdsToStages holds only B (AWSPREVIOUS) and C (AWSCURRENT); ListSecretVersionIds with IncludeDeprecated
# lists A without a VersionStages key. PutSecretValue with A's token and A's value "succeeds" and changes nothing
# (the PutSecretValue API reference, ClientRequestToken), which the module used to report as changed.
V3 = "77777777-7777-4777-8777-777777777777"
A_VALUE = "Old-Versi0n-Valu3-a1"


def versions_listed(*labelled, deprecated=(), next_token=None):
    versions = [{"VersionId": v, "CreatedDate": DELETED, "KmsKeyIds": ["DefaultEncryptionKey"]} for v in deprecated]
    versions += [{"VersionId": v, "VersionStages": stages, "CreatedDate": DELETED} for v, stages in zip(labelled, (["AWSCURRENT"], ["AWSPREVIOUS"]))]
    answer = {"ARN": ARN, "Name": NAME, "Versions": versions}
    if next_token:
        answer["NextToken"] = next_token
    return answer


def after_three_writes(**fields):
    return described(VersionIdsToStages={V3: ["AWSCURRENT"], V2: ["AWSPREVIOUS"]}, **fields)


def list_with_a_deprecated_version(stub):
    """Two pages: the labelled versions, then the deprecated one (the paginated answer AWS may give)."""
    stub.add_response("list_secret_version_ids", versions_listed(V3, V2, next_token="page-2"), {"SecretId": ARN, "IncludeDeprecated": True})
    stub.add_response("list_secret_version_ids", versions_listed(deprecated=(TOKEN,)),
                      {"SecretId": ARN, "IncludeDeprecated": True, "NextToken": "page-2"})


@pytest.mark.parametrize("check_mode", [False, True])
def test_token_of_a_deprecated_version_rolls_back_instead_of_a_put_that_does_nothing(client, stubber, check_mode):
    stubber.add_response("describe_secret", after_three_writes(), {"SecretId": NAME})
    list_with_a_deprecated_version(stubber)
    stubber.add_response("get_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": TOKEN, "SecretString": A_VALUE},
                         {"SecretId": ARN, "VersionId": TOKEN})
    if not check_mode:
        stubber.add_response("update_secret_version_stage", {"ARN": ARN, "Name": NAME},
                             {"SecretId": ARN, "VersionStage": "AWSCURRENT", "MoveToVersionId": TOKEN, "RemoveFromVersionId": V3})
    api = Api(client)
    result = run(api, validate({"name": NAME, "secret_string": A_VALUE, "client_request_token": TOKEN}), check_mode=check_mode)
    assert result["changed"] is True
    assert result["version_id"] == TOKEN
    assert result["secret"]["version_ids_to_stages"] == {TOKEN: ["AWSCURRENT"], V3: ["AWSPREVIOUS"]}
    assert result["diff"]["after"]["value"] == "set, an earlier version made current"
    reads = ["DescribeSecret", "ListSecretVersionIds", "ListSecretVersionIds", "GetSecretValue"]
    assert result["actions"] == reads + ["UpdateSecretVersionStage"]
    assert api.actions == (reads if check_mode else result["actions"])
    assert "rotated_since_token" not in result
    assert_no_leak(result, values=(A_VALUE,))
    stubber.assert_no_pending_responses()


def test_token_of_a_deprecated_version_with_another_value_fails_before_any_write(client, stubber):
    stubber.add_response("describe_secret", after_three_writes(), {"SecretId": NAME})
    list_with_a_deprecated_version(stubber)
    stubber.add_response("get_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": TOKEN, "SecretString": A_VALUE},
                         {"SecretId": ARN, "VersionId": TOKEN})
    api = Api(client)
    with pytest.raises(PlanError) as caught:
        run(api, validate({"name": NAME, "secret_string": SECRET, "client_request_token": TOKEN}))
    assert caught.value.option == "client_request_token"
    assert TOKEN in caught.value.message and "stages: none" in caught.value.message
    assert api.actions == ["DescribeSecret", "ListSecretVersionIds", "ListSecretVersionIds", "GetSecretValue"]
    assert_no_leak(caught.value.message, values=(SECRET, A_VALUE))
    stubber.assert_no_pending_responses()


@pytest.mark.parametrize("labelled", [False, True], ids=["deprecated", "previous"])
def test_token_of_an_older_version_of_a_rotating_secret_is_left_to_rotation(client, stubber, labelled):
    # Rotation wrote newer versions: the task's version is history, and every later run must not fail.
    stages = {V3: ["AWSCURRENT"], TOKEN if labelled else V2: ["AWSPREVIOUS"]}
    stubber.add_response("describe_secret", described(VersionIdsToStages=stages, RotationEnabled=True), {"SecretId": NAME})
    if not labelled:
        list_with_a_deprecated_version(stubber)
    api = Api(client)
    result = run(api, validate({"name": NAME, "secret_string": A_VALUE, "client_request_token": TOKEN}))
    assert result["changed"] is False
    assert result["rotated_since_token"] is True
    assert result["version_id"] == V3
    assert result["warnings"] == []
    assert "GetSecretValue" not in api.actions  # the value is rotation's: never read
    stubber.assert_no_pending_responses()


def test_put_answered_without_awscurrent_is_not_a_success(client, stubber):
    # Another run wrote the token between our ListSecretVersionIds and PutSecretValue: AWS ignores the request
    # and answers the version's stages, without AWSCURRENT.
    stubber.add_response("describe_secret", described(), {"SecretId": NAME})
    stubber.add_response("list_secret_version_ids", versions_listed(V1), {"SecretId": ARN, "IncludeDeprecated": True})
    stubber.add_response("put_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": TOKEN, "VersionStages": ["AWSPREVIOUS"]},
                         {"SecretId": ARN, "ClientRequestToken": TOKEN, "SecretString": SECRET})
    api = Api(client)
    with pytest.raises(AwsError) as caught:
        run(api, validate({"name": NAME, "secret_string": SECRET, "client_request_token": TOKEN}))
    assert caught.value.option == "client_request_token"
    assert "did not make client_request_token %s the current version" % TOKEN in caught.value.message
    assert_no_leak(caught.value.message)
    stubber.assert_no_pending_responses()


# ---------------------------------------------------------------- not found is a code, not a status


@pytest.mark.parametrize("status", [400, 404])
def test_not_found_on_describe_is_a_missing_secret_in_check_mode(client, stubber, status):
    stubber.add_client_error("describe_secret", "ResourceNotFoundException", NOT_FOUND, status, expected_params={"SecretId": NAME})
    api = Api(client)
    result = run(api, validate({"name": NAME, "secret_string": SECRET}), check_mode=True)
    assert api.actions == ["DescribeSecret"]  # check mode: nothing but the read was sent
    assert result["actions"] == ["DescribeSecret", "CreateSecret"]
    assert result["changed"] is True
    assert result["arn"] is None
    assert result["version_id"] is None  # the real run picks a new version id
    assert result["diff"]["before"] == {"state": "absent"}
    assert result["diff"]["after"]["value"] == "set, new version"
    assert result["diff"]["after"]["version_id"] == "(new version)"
    assert result["secret"]["version_ids_to_stages"] == {"(new version)": ["AWSCURRENT"]}  # no id that will never exist
    assert_no_leak(result)
    stubber.assert_no_pending_responses()


def test_not_found_on_describe_then_create(client, stubber):
    not_found(stubber)
    stubber.add_response(
        "create_secret", {"ARN": ARN, "Name": NAME, "VersionId": TOKEN},
        {"Name": NAME, "ClientRequestToken": TOKEN, "SecretString": SECRET, "Tags": [{"Key": "team", "Value": "db"}]},
    )
    api = Api(client)
    result = run(api, validate({"name": NAME, "secret_string": SECRET, "client_request_token": TOKEN, "tags": {"team": "db"}}))
    assert api.actions == ["DescribeSecret", "CreateSecret"]
    assert result["changed"] is True
    assert result["arn"] == ARN
    assert result["version_id"] == TOKEN
    assert result["secret"]["tags"] == {"team": "db"}
    assert result["secret"]["version_ids_to_stages"] == {TOKEN: ["AWSCURRENT"]}
    assert_no_leak(result)
    stubber.assert_no_pending_responses()


def test_other_errors_on_describe_are_not_a_missing_secret(client, stubber):
    stubber.add_client_error("describe_secret", "AccessDeniedException", "User is not authorized to perform DescribeSecret", 400)
    api = Api(client)
    with pytest.raises(AwsError) as caught:
        run(api, validate({"name": NAME, "secret_string": SECRET}), check_mode=True)
    assert caught.value.code == "AccessDeniedException"
    assert caught.value.operation == "DescribeSecret"
    assert api.actions == ["DescribeSecret"]


def test_created_arn_is_used_by_the_calls_after_create(client, stubber):
    policy = {"Version": "2012-10-17", "Statement": []}
    not_found(stubber)
    stubber.add_response("create_secret", {"ARN": ARN, "Name": NAME}, {"Name": NAME, "ClientRequestToken": ANY})
    stubber.add_response("put_resource_policy", {"ARN": ARN, "Name": NAME},
                         {"SecretId": ARN, "ResourcePolicy": '{"Version":"2012-10-17","Statement":[]}'})
    stubber.add_response("rotate_secret", {"ARN": ARN, "Name": NAME},
                         {"SecretId": ARN, "RotateImmediately": False, "RotationRules": {"AutomaticallyAfterDays": 30}})
    api = Api(client)
    result = run(api, validate({"name": NAME, "resource_policy": policy, "rotation": {"automatically_after_days": 30}}))
    assert api.actions == ["DescribeSecret", "CreateSecret", "PutResourcePolicy", "RotateSecret"]
    assert result["resource_policy"] == policy
    assert result["secret"]["rotation_enabled"] is True
    assert result["version_id"] is None  # created without a value
    stubber.assert_no_pending_responses()


# ---------------------------------------------------------------- restore, check mode, absent


def test_restore_then_read_and_plan_again(client, stubber):
    stubber.add_response("describe_secret", described(DeletedDate=DELETED), {"SecretId": NAME})
    stubber.add_response("restore_secret", {"ARN": ARN, "Name": NAME}, {"SecretId": ARN})
    stubber.add_response("describe_secret", described(), {"SecretId": NAME})
    stubber.add_response("get_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": V1, "SecretString": "old"},
                         {"SecretId": ARN, "VersionStage": "AWSCURRENT"})
    stubber.add_response("put_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": V2},
                         {"SecretId": ARN, "ClientRequestToken": ANY, "SecretString": SECRET})
    api = Api(client)
    result = run(api, validate({"name": NAME, "secret_string": SECRET}))
    assert api.actions == ["DescribeSecret", "RestoreSecret", "DescribeSecret", "GetSecretValue", "PutSecretValue"]
    assert result["changed"] is True
    assert result["version_id"] == V2
    assert "deleted_date" not in result["secret"]
    assert result["diff"]["before"]["state"] == "scheduled for deletion"
    assert result["diff"]["after"]["state"] == "present"
    stubber.assert_no_pending_responses()


def test_restore_with_an_equal_value_writes_no_version(client, stubber):
    stubber.add_response("describe_secret", described(DeletedDate=DELETED), {"SecretId": NAME})
    stubber.add_response("restore_secret", {"ARN": ARN, "Name": NAME}, {"SecretId": ARN})
    stubber.add_response("describe_secret", described(), {"SecretId": NAME})
    stubber.add_response("get_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": V1, "SecretString": SECRET},
                         {"SecretId": ARN, "VersionStage": "AWSCURRENT"})
    api = Api(client)
    result = run(api, validate({"name": NAME, "secret_string": SECRET}))
    assert api.actions == ["DescribeSecret", "RestoreSecret", "DescribeSecret", "GetSecretValue"]
    assert result["changed"] is True
    assert result["version_id"] == V1
    stubber.assert_no_pending_responses()


def test_check_mode_on_a_deleted_secret_sends_no_write(client, stubber):
    stubber.add_response("describe_secret", described(DeletedDate=DELETED), {"SecretId": NAME})
    api = Api(client)
    result = run(api, validate({"name": NAME, "secret_string": SECRET}), check_mode=True)
    assert api.actions == ["DescribeSecret"]  # a deleted secret's value cannot be read
    assert result["actions"] == ["DescribeSecret", "RestoreSecret", "PutSecretValue"]
    assert result["changed"] is True
    assert "deleted_date" not in result["secret"]
    stubber.assert_no_pending_responses()


def test_check_mode_value_change_reads_but_never_writes(client, stubber):
    stubber.add_response("describe_secret", described(Description="d"), {"SecretId": NAME})
    stubber.add_response("get_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": V1, "SecretString": "old"},
                         {"SecretId": ARN, "VersionStage": "AWSCURRENT"})
    api = Api(client)
    result = run(api, validate({"name": NAME, "secret_string": SECRET, "description": "e"}), check_mode=True)
    assert api.actions == ["DescribeSecret", "GetSecretValue"]
    assert result["actions"] == ["DescribeSecret", "GetSecretValue", "UpdateSecret", "PutSecretValue"]
    assert result["version_id"] is None
    assert result["secret"]["description"] == "e"
    assert result["diff"]["before"]["description"] == "d"
    assert result["diff"]["after"]["description"] == "e"
    assert result["diff"]["before"]["value"] == "set"
    assert result["diff"]["after"]["value"] == "set, new version"
    assert_no_leak(result)
    stubber.assert_no_pending_responses()


def test_binary_value_read_back_equal_is_unchanged(client, stubber):
    stubber.add_response("describe_secret", described(), {"SecretId": NAME})
    stubber.add_response("get_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": V1, "SecretBinary": b"\x00\x01raw"},
                         {"SecretId": ARN, "VersionStage": "AWSCURRENT"})
    api = Api(client)
    result = run(api, validate({"name": NAME, "secret_binary": "AAFyYXc="}))
    assert result["changed"] is False
    assert api.actions == ["DescribeSecret", "GetSecretValue"]
    stubber.assert_no_pending_responses()


def test_absent_removes_replicas_then_deletes(client, stubber):
    replicas = [{"Region": "us-west-2", "Status": "InSync"}, {"Region": "eu-west-1", "Status": "InSync"}]
    stubber.add_response("describe_secret", described(ReplicationStatus=replicas), {"SecretId": NAME})
    stubber.add_response("remove_regions_from_replication", {"ARN": ARN, "ReplicationStatus": []},
                         {"SecretId": ARN, "RemoveReplicaRegions": ["eu-west-1", "us-west-2"]})
    stubber.add_response("delete_secret", {"ARN": ARN, "Name": NAME, "DeletionDate": DELETED}, {"SecretId": ARN, "RecoveryWindowInDays": 7})
    api = Api(client)
    result = run(api, validate({"name": NAME, "state": "absent", "recovery_window_in_days": 7}))
    assert api.actions == ["DescribeSecret", "RemoveRegionsFromReplication", "DeleteSecret"]
    assert result["changed"] is True
    assert result["deletion_date"] == DELETED.isoformat()
    assert result["version_id"] is None
    assert result["secret"]["replication_status"] == []
    stubber.assert_no_pending_responses()


# ---------------------------------------------------------------- redaction


@pytest.mark.parametrize(
    "params, echoed",
    [
        ({"secret_string": SECRET}, SECRET),
        ({"secret_json": {"user": "app", "password": MEMBER}}, MEMBER),
        ({"secret_json": {"user": "app", "password": MEMBER}}, '{"user":"app","password":"%s"}' % MEMBER),
    ],
    ids=["string", "json-member", "json-document"],
)
def test_client_error_echoing_the_value_is_redacted(client, stubber, params, echoed):
    stubber.add_response("describe_secret", described(), {"SecretId": NAME})
    stubber.add_response("get_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": V1, "SecretString": "old"})
    stubber.add_client_error(
        "put_secret_value", "InvalidParameterException", "The value '%s' is not accepted here." % echoed, 400,
    )
    api = Api(client)
    with pytest.raises(AwsError) as caught:
        run(api, validate(dict(params, name=NAME)))
    error = caught.value
    assert error.code == "InvalidParameterException"
    assert error.operation == "PutSecretValue"
    assert "is not accepted here" in error.message
    if echoed != MEMBER:
        assert "<redacted>" in error.message
        assert_no_leak(error.message, error.to_result())
    # A member alone is masked by the front door (masked_texts), which knows whether an identifier holds it.
    result = dict(error.to_result(), failed=True)
    assert_no_leak(remove_values(result, masked_texts(dict(params, name=NAME), result)))
    assert api.actions == ["DescribeSecret", "GetSecretValue", "PutSecretValue"]


def test_generated_value_is_reported_before_use_and_redacted(client, stubber):
    seen = []
    not_found(stubber)
    stubber.add_response("get_random_password", {"RandomPassword": GENERATED}, {"PasswordLength": 24, "ExcludePunctuation": True})
    stubber.add_client_error(
        "create_secret", "InvalidParameterException", "Rejected %s and %s" % (GENERATED, '{"user":"app","password":"%s"}' % GENERATED), 400,
        expected_params={"Name": NAME, "ClientRequestToken": ANY, "SecretString": '{"user":"app","password":"%s"}' % GENERATED},
    )
    api = Api(client)
    generate = {"key": "password", "length": 24, "exclude_punctuation": True}
    with pytest.raises(AwsError) as caught:
        run(api, validate({"name": NAME, "secret_json": {"user": "app"}, "generate_secret": generate}), on_generated=seen.append)
    assert seen == [GENERATED]
    assert api.actions == ["DescribeSecret", "GetRandomPassword", "CreateSecret"]
    assert caught.value.message.count("<redacted>") == 2
    assert_no_leak(caught.value.message)
    stubber.assert_no_pending_responses()


def test_generated_value_is_never_in_the_result(client, stubber):
    not_found(stubber)
    stubber.add_response("get_random_password", {"RandomPassword": GENERATED}, {"PasswordLength": 32})
    stubber.add_response("create_secret", {"ARN": ARN, "Name": NAME, "VersionId": TOKEN},
                         {"Name": NAME, "ClientRequestToken": TOKEN, "SecretString": GENERATED})
    api = Api(client)
    result = run(api, validate({"name": NAME, "generate_secret": {}, "client_request_token": TOKEN}))
    assert result["changed"] is True
    assert result["version_id"] == TOKEN
    assert api.actions == ["DescribeSecret", "GetRandomPassword", "CreateSecret"]
    assert GENERATED in api.sensitive  # later errors would be redacted too
    assert_no_leak(result)
    stubber.assert_no_pending_responses()


@pytest.mark.parametrize("sensitive", [[], [SECRET]], ids=["by-pattern", "by-value"])
def test_param_validation_error_is_redacted(client, sensitive):
    # botocore's own message: "Invalid type for parameter SecretString, value: {...}, type: <class 'dict'>, ..."
    api = Api(client, sensitive=sensitive)
    with pytest.raises(AwsError) as caught:
        api.call("PutSecretValue", SecretId=ARN, SecretString={"password": SECRET}, ClientRequestToken="short")
    error = caught.value
    assert error.code == "ParamValidationError"
    assert error.operation == "PutSecretValue"
    assert "SecretString" in error.message
    assert "ClientRequestToken" in error.message  # the rest of the report is kept
    assert "<redacted>" in error.message
    assert_no_leak(error.message)
    assert api.actions == ["PutSecretValue"]


def test_param_validation_error_during_run_is_redacted(client, stubber):
    # Stands for any bug that sends a wrongly typed value: botocore rejects it, quoting the value.
    stubber.add_response("describe_secret", described(), {"SecretId": NAME})
    stubber.add_response("get_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": V1, "SecretString": "old"})
    desired = validate({"name": NAME, "secret_string": SECRET})
    desired = dataclasses.replace(desired, value=TextValue(SECRET.encode()))  # bytes where botocore wants str
    # The Stubber checks for a queued answer before botocore validates the request; this one is never used.
    stubber.add_response("put_secret_value", {"ARN": ARN, "Name": NAME})
    api = Api(client)
    with pytest.raises(AwsError) as caught:
        run(api, desired)
    assert caught.value.code == "ParamValidationError"
    assert caught.value.operation == "PutSecretValue"
    assert_no_leak(caught.value.message)
    assert api.actions == ["DescribeSecret", "GetSecretValue", "PutSecretValue"]


def test_param_validation_error_raised_by_botocore_hook_is_redacted(client):
    def reject(params, **kwargs):
        raise ParamValidationError(report="Invalid value for parameter SecretString, value: %s, type: <class 'str'>" % params["SecretString"])

    client.meta.events.register("provide-client-params.secrets-manager.CreateSecret", reject)
    api = Api(client, sensitive=[])
    with pytest.raises(AwsError) as caught:
        api.call("CreateSecret", Name=NAME, SecretString=SECRET)
    assert caught.value.code == "ParamValidationError"
    assert_no_leak(caught.value.message)


def test_aws_message_keeps_identifiers_that_hold_json_members(client, stubber):
    """The core redacts the value whole from AWS's messages, not each JSON member: a member such as a region,
    an environment or a user name would mangle the ARN and the principal. The front door masks the members
    that no identifier holds (masked_texts, test_secret_masking.py)."""
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/app/db-AbCdEf"
    denied = ("User: arn:aws:iam::123456789012:user/admin is not authorized to perform: secretsmanager:PutSecretValue on "
              "resource: %s because no identity-based policy allows the secretsmanager:PutSecretValue action" % arn)
    document = {"environment": "prod", "region": "us-east-1", "username": "admin", "port": 5432, "password": MEMBER}
    stubber.add_response("describe_secret", described(ARN=arn, Name="prod/app/db"), {"SecretId": "prod/app/db"})
    stubber.add_response("get_secret_value", {"ARN": arn, "Name": "prod/app/db", "VersionId": V1, "SecretString": "{}"})
    stubber.add_client_error("put_secret_value", "AccessDeniedException", denied, 400)
    api = Api(client)
    with pytest.raises(AwsError) as caught:
        run(api, validate({"name": "prod/app/db", "secret_json": document}))
    assert caught.value.message == "PutSecretValue failed: AccessDeniedException: " + denied
    assert json.dumps(document, separators=(",", ":")) in api.sensitive
    stubber.assert_no_pending_responses()


# ---------------------------------------------------------------- states that settle: bounded waits (issue 11)
# The clock and sleep are the Api's, replaced here so that the waits take no time.
POLICY_DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/new"},
                                                      "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:rotate"
# AWS's answers, as the ERROR_TABLE rows of _aws.py quote them: a principal IAM does not show yet, a Lambda whose
# permission for secretsmanager.amazonaws.com is not visible yet (the RotateSecret API reference), a name whose
# secret was force-deleted moments ago.
NEW_PRINCIPAL = "This resource policy contains an unsupported principal."
NO_INVOKE = ("Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access "
             "to the principal secretsmanager.amazonaws.com.")
WAS_DELETED = "You can't perform this operation on the secret because it was deleted."
PUBLIC = "This resource policy grants public access to the secret. To create the policy, set BlockPublicPolicy to false."
REQUEST_ID = "5e2b6f0c-1111-4a4a-9b9b-0123456789ab"


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.slept = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def waiting_api(client):
    api = Api(client)
    clock = FakeClock()
    api.clock, api.sleep = clock.clock, clock.sleep
    return api, clock


def created(stub, **params):
    not_found(stub)
    stub.add_response("create_secret", {"ARN": ARN, "Name": NAME, "VersionId": TOKEN}, dict({"Name": NAME, "ClientRequestToken": TOKEN}, **params))


def test_policy_naming_a_new_principal_is_retried_until_it_propagates(client, stubber):
    created(stubber, SecretString=SECRET)
    for _attempt in range(2):
        stubber.add_client_error("put_resource_policy", "MalformedPolicyDocumentException", NEW_PRINCIPAL, 400)
    stubber.add_response("put_resource_policy", {"ARN": ARN, "Name": NAME})
    api, clock = waiting_api(client)
    result = run(api, validate({"name": NAME, "secret_string": SECRET, "client_request_token": TOKEN, "resource_policy": POLICY_DOC}))
    assert result["changed"] is True
    assert api.actions == ["DescribeSecret", "CreateSecret"] + ["PutResourcePolicy"] * 3
    assert clock.slept == [1.0, 2.0]
    stubber.assert_no_pending_responses()


@pytest.mark.parametrize("extra, method, code, message", [
    ({"rotation": {"lambda_arn": LAMBDA, "automatically_after_days": 7}}, "rotate_secret", "AccessDeniedException", NO_INVOKE),
    ({"resource_policy": POLICY_DOC}, "put_resource_policy", "ResourceNotFoundException", NOT_FOUND),  # the new secret, not visible yet
], ids=["lambda-permission-propagating", "created-secret-not-found-yet"])
def test_a_call_after_create_is_retried_once_settled(client, stubber, extra, method, code, message):
    created(stubber, SecretString=SECRET)
    stubber.add_client_error(method, code, message, 400)
    stubber.add_response(method, {"ARN": ARN, "Name": NAME})
    api, clock = waiting_api(client)
    result = run(api, validate(dict({"name": NAME, "secret_string": SECRET, "client_request_token": TOKEN}, **extra)))
    operation = "RotateSecret" if method == "rotate_secret" else "PutResourcePolicy"
    assert result["changed"] is True
    assert api.actions == ["DescribeSecret", "CreateSecret", operation, operation]
    assert clock.slept == [1.0]
    stubber.assert_no_pending_responses()


def test_a_secret_not_created_by_the_task_and_not_found_is_not_waited_for(client, stubber):
    stubber.add_response("describe_secret", described(), {"SecretId": NAME})
    stubber.add_client_error("update_secret", "ResourceNotFoundException", NOT_FOUND, 400)
    api, clock = waiting_api(client)
    with pytest.raises(AwsError):
        run(api, validate({"name": NAME, "description": "d"}))
    assert clock.slept == [] and api.actions == ["DescribeSecret", "UpdateSecret"]


def test_create_after_a_force_delete_waits_with_a_capped_backoff_then_says_so_without_restore(client, stubber):
    not_found(stubber)
    for _attempt in range(7):
        stubber.add_client_error("create_secret", "InvalidRequestException", WAS_DELETED, 400, response_meta={"RequestId": REQUEST_ID})
    api, clock = waiting_api(client)
    with pytest.raises(AwsError) as caught:
        run(api, validate({"name": NAME, "secret_string": SECRET, "client_request_token": TOKEN, "wait_timeout": 30}))
    error = caught.value
    assert clock.slept == [1.0, 2.0, 4.0, 8.0, 10.0, 5.0]  # doubling, at most 10 s, never past wait_timeout
    assert api.actions == ["DescribeSecret"] + ["CreateSecret"] * 7  # the last attempt at 30 s
    assert "wait_timeout" in error.message and "restore" not in error.message
    assert error.request_id == REQUEST_ID
    stubber.assert_no_pending_responses()


def test_create_after_a_force_delete_settles(client, stubber):
    not_found(stubber)
    stubber.add_client_error("create_secret", "InvalidRequestException", WAS_DELETED, 400)
    stubber.add_response("create_secret", {"ARN": ARN, "Name": NAME, "VersionId": TOKEN})
    api, clock = waiting_api(client)
    result = run(api, validate({"name": NAME, "secret_string": SECRET, "client_request_token": TOKEN}))
    assert result["changed"] is True and result["arn"] == ARN and clock.slept == [1.0]
    stubber.assert_no_pending_responses()


def test_a_quota_is_never_waited_for(client, stubber):
    stubber.add_response("describe_secret", described(), {"SecretId": NAME})
    stubber.add_response("list_secret_version_ids", versions_listed(V1), {"SecretId": ARN, "IncludeDeprecated": True})
    stubber.add_client_error("put_secret_value", "LimitExceededException", "You have exceeded the quota of versions for this secret.", 400)
    api, clock = waiting_api(client)
    with pytest.raises(AwsError) as caught:
        run(api, validate({"name": NAME, "secret_string": SECRET, "client_request_token": V2}))
    assert caught.value.kind == "limit_exceeded" and clock.slept == []


# ---------------------------------------------------------------- failures after a write (issue 11)


@pytest.fixture
def execute_with(client, monkeypatch):
    """execute(), the task's entry, with the stubbed client and a clock that never waits."""
    clock = FakeClock()
    real_api = _secret.Api

    def api(client_, *args, **kwargs):
        made = real_api(client_, *args, **kwargs)
        made.clock, made.sleep = clock.clock, clock.sleep
        return made

    monkeypatch.setattr(_secret, "secretsmanager_client", lambda params, reuse=False: client)
    monkeypatch.setattr(_secret, "Api", api)
    return _secret.execute


@pytest.mark.parametrize("extra, failing, code, message", [
    ({"resource_policy": POLICY_DOC, "block_public_policy": True}, "put_resource_policy", "PublicPolicyException", PUBLIC),
    ({"resource_policy": POLICY_DOC, "wait_timeout": 0}, "put_resource_policy", "MalformedPolicyDocumentException", NEW_PRINCIPAL),
    ({"rotation": {"lambda_arn": LAMBDA, "automatically_after_days": 7}, "wait_timeout": 0}, "rotate_secret", "AccessDeniedException", NO_INVOKE),
], ids=["public-policy", "principal-not-yet", "no-invoke-permission"])
def test_a_failure_after_create_reports_the_write(execute_with, stubber, extra, failing, code, message):
    params = dict({"name": NAME, "secret_string": SECRET, "client_request_token": TOKEN}, **extra)
    created(stubber, SecretString=SECRET)
    stubber.add_client_error(failing, code, message, 400, response_meta={"RequestId": REQUEST_ID})
    result = execute_with(params)
    assert result["failed"] is True
    assert result["changed"] is True  # the secret exists now: it was made by this task
    assert result["arn"] == ARN
    assert result["actions"] == ["DescribeSecret", "CreateSecret", "PutResourcePolicy" if "policy" in failing else "RotateSecret"]
    assert result["request_id"] == REQUEST_ID
    assert result["error_code"] == code
    assert_no_leak(result)
    stubber.assert_no_pending_responses()


def test_a_failure_before_any_write_is_unchanged(execute_with, stubber):
    stubber.add_client_error("describe_secret", "AccessDeniedException", "not authorized to perform: secretsmanager:DescribeSecret", 400,
                             response_meta={"RequestId": REQUEST_ID})
    result = execute_with({"name": NAME, "secret_string": SECRET})
    assert result["failed"] is True and result["changed"] is False
    assert "arn" not in result and result["request_id"] == REQUEST_ID


def tag_list(count, prefix="k"):
    return [{"Key": "%s%02d" % (prefix, i), "Value": "v"} for i in range(count)]


def test_more_than_50_tags_after_merging_fails_before_any_write(execute_with, stubber):
    # 45 tags kept (purge_tags false) + 6 new = 51: TagResource would fail after the other writes
    # (the TagResource API reference: at most 50 tags per secret).
    stubber.add_response("describe_secret", described(Tags=tag_list(45)), {"SecretId": NAME})
    result = execute_with({"name": NAME, "description": "d", "purge_tags": False, "tags": {"new%d" % i: "v" for i in range(6)}})
    assert result["failed"] is True and result["changed"] is False
    assert result["option"] == "tags" and "51 tags" in result["msg"]
    assert result["actions"] == ["DescribeSecret"]
    stubber.assert_no_pending_responses()


def test_aws_tags_do_not_count_and_purged_tags_do_not_count(execute_with, stubber):
    # 48 of ours + 5 aws: tags (AWS's own, not counted) + 2 new = 50: allowed.
    tags = tag_list(48) + tag_list(5, prefix="aws:cloudformation:x")
    stubber.add_response("describe_secret", described(Tags=tags), {"SecretId": NAME})
    stubber.add_response("tag_resource", {}, {"SecretId": ARN, "Tags": [{"Key": "new0", "Value": "v"}, {"Key": "new1", "Value": "v"}]})
    result = execute_with({"name": NAME, "purge_tags": False, "tags": {"new0": "v", "new1": "v"}})
    assert not result.get("failed"), result.get("msg")
    # With purge_tags true only the task's tags remain.
    stubber.add_response("describe_secret", described(Tags=tag_list(50)), {"SecretId": NAME})
    stubber.add_response("untag_resource", {}, {"SecretId": ARN, "TagKeys": ["k%02d" % i for i in range(50)]})
    stubber.add_response("tag_resource", {}, {"SecretId": ARN, "Tags": [{"Key": "n%02d" % i, "Value": "v"} for i in range(50)]})
    result = execute_with({"name": NAME, "tags": {"n%02d" % i: "v" for i in range(50)}})
    assert not result.get("failed"), result.get("msg")
    stubber.assert_no_pending_responses()


def test_wait_timeout_0_fails_at_once_with_aws_message(client, stubber):
    created(stubber, SecretString=SECRET)
    stubber.add_client_error("put_resource_policy", "MalformedPolicyDocumentException", NEW_PRINCIPAL, 400)
    api, clock = waiting_api(client)
    with pytest.raises(AwsError) as caught:
        run(api, validate({"name": NAME, "secret_string": SECRET, "client_request_token": TOKEN, "resource_policy": POLICY_DOC,
                           "wait_timeout": 0}))
    assert clock.slept == [] and "wait_timeout" not in caught.value.message and NEW_PRINCIPAL in caught.value.message
    stubber.assert_no_pending_responses()
