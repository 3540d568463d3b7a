# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secret a task returns is the secret as AWS holds it after the task (RETURN: "after the task").

Against moto in-process: a real run's RV(secret) equals what a DescribeSecret after the task shows; check
mode shows the same regions. Where moto is not AWS (it never moves LastChangedDate for tags, never sets
LastAccessedDate, cannot change a replica's key), botocore's Stubber answers as AWS documents:
- DescribeSecret LastChangedDate: "The last date and time that this secret was modified in any way"
  (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html); users report it
  moving for tags and descriptions too (cloud-custodian/cloud-custodian issue 10416).
- LastAccessedDate: "the last date that this secret was accessed in the Region. This value is truncated to
  midnight of the date" (SecretListEntry); GetSecretValue sets it (LocalStack's test_last_accessed_date).
- A value update moves LastChangedDate (LocalStack's AWS-validated test_last_updated_date), to the millisecond.

Dates: the module takes AWS's clock from the HTTP Date header of its answers, to the second. moto stores
int(time.time()) when it handles the request and dates its answer a moment later, so the two agree to the
second except when a second boundary falls in between: dates are compared to within one second.
"""

from __future__ import annotations

import datetime

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.secretsmanager.models import secretsmanager_backends

from ansible_collections.seed.secretsmanager.plugins.module_utils._apply import run
from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import Api
from ansible_collections.seed.secretsmanager.plugins.module_utils._result import DATE_FIELDS, secret_result
from ansible_collections.seed.secretsmanager.plugins.module_utils._secret import execute
from ansible_collections.seed.secretsmanager.tests.unit.utils import STUB_ARN, STUB_NAME, STUB_V1, described, stub_client
from ansible_collections.seed.secretsmanager.tests.unit.utils import validate_as_execute as validate

NAME = "after/task"
REGION = "us-east-1"
DATES = {snake for _camel, snake in DATE_FIELDS} | {"last_accessed_date"}
OLD = datetime.datetime(2017, 7, 14, 2, 40, tzinfo=datetime.timezone.utc)  # a secret last changed long ago


@pytest.fixture
def sm(aws_env):
    with mock_aws():
        yield boto3.client("secretsmanager", region_name=REGION)


def task(check_mode=False, **params):
    result = execute(dict(params, name=params.get("name", NAME)), check_mode=check_mode)
    assert not result.get("failed"), result
    return result


def aws_holds(sm, name=NAME):
    """The secret as a DescribeSecret after the task shows it, in the result's shape."""
    return secret_result(sm.describe_secret(SecretId=name))


def _without_dates(secret):
    return {key: value for key, value in secret.items() if key not in DATES}


def _seconds(text):
    return datetime.datetime.fromisoformat(text).timestamp()


def assert_as_aws_holds(returned, held):
    assert _without_dates(returned) == _without_dates(held)
    assert sorted(key for key in returned if key in DATES) == sorted(key for key in held if key in DATES)
    for key in DATES & set(held):
        assert abs(_seconds(returned[key]) - _seconds(held[key])) <= 1, (key, returned[key], held[key])


def regions(secret):
    return [replica["region"] for replica in secret["replication_status"]]


def last_changed_long_ago(name=NAME):
    """moto's record of the secret, as if it was last changed in 2017 (a real clock cannot wait that long)."""
    stored = secretsmanager_backends[DEFAULT_ACCOUNT_ID][REGION].secrets[name]
    stored.created_date = stored.last_changed_date = int(OLD.timestamp())


# ---------------------------------------------------------------- replicas, on moto


def test_create_with_a_replica_returns_what_aws_holds_dates_included(sm):
    result = task(secret_string="v", client_request_token="1" * 32, replica_regions=[{"region": "eu-west-1"}])
    held = aws_holds(sm)
    assert_as_aws_holds(result["secret"], held)
    assert result["secret"]["created_date"] and result["secret"]["last_changed_date"]


def test_adding_a_replica_lists_each_region_once(sm):
    task(secret_string="v", client_request_token="1" * 32, replica_regions=[{"region": "eu-west-1"}])
    wanted = {"replica_regions": [{"region": "eu-west-1"}, {"region": "us-west-2"}]}
    checked = task(check_mode=True, **wanted)
    assert checked["actions"] == ["DescribeSecret", "ReplicateSecretToRegions"]
    assert regions(checked["secret"]) == ["eu-west-1", "us-west-2"]
    assert [r["status"] for r in checked["secret"]["replication_status"]] == ["InSync", "InProgress"]
    result = task(**wanted)
    assert result["actions"] == ["DescribeSecret", "ReplicateSecretToRegions"]
    assert regions(result["secret"]) == ["eu-west-1", "us-west-2"]
    assert_as_aws_holds(result["secret"], aws_holds(sm))


def test_removing_a_replica_returns_what_aws_holds(sm):
    task(secret_string="v", client_request_token="1" * 32, replica_regions=[{"region": "eu-west-1"}, {"region": "us-west-2"}])
    wanted = {"replica_regions": [{"region": "us-west-2"}]}
    checked = task(check_mode=True, **wanted)
    assert regions(checked["secret"]) == ["us-west-2"]
    result = task(**wanted)
    assert result["actions"] == ["DescribeSecret", "RemoveRegionsFromReplication"]
    assert regions(result["secret"]) == ["us-west-2"]
    assert_as_aws_holds(result["secret"], aws_holds(sm))


# ---------------------------------------------------------------- dates, on moto


def test_an_update_returns_the_last_changed_date_after_the_task(sm):
    task(secret_string="v", client_request_token="1" * 32, description="old")
    last_changed_long_ago()
    before = task(description="old")
    assert before["changed"] is False
    assert before["secret"]["last_changed_date"] == OLD.isoformat()
    checked = task(check_mode=True, description="new")
    assert checked["secret"]["last_changed_date"] > OLD.isoformat()  # a prediction: the time of the check
    assert checked["secret"]["created_date"] == OLD.isoformat()
    result = task(description="new")
    assert result["secret"]["created_date"] == OLD.isoformat()
    assert result["secret"]["last_changed_date"] > OLD.isoformat()
    assert_as_aws_holds(result["secret"], aws_holds(sm))


def test_a_value_update_returns_the_last_changed_date_after_the_task(sm):
    task(secret_string="v", client_request_token="1" * 32)
    last_changed_long_ago()
    result = task(secret_string="w", client_request_token="2" * 32)
    assert result["actions"] == ["DescribeSecret", "ListSecretVersionIds", "PutSecretValue"]
    assert_as_aws_holds(result["secret"], aws_holds(sm))


def test_check_mode_of_a_create_predicts_the_dates(sm):
    started = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    checked = task(check_mode=True, secret_string="v", client_request_token="1" * 32)
    created = _seconds(checked["secret"]["created_date"])
    assert checked["secret"]["last_changed_date"] == checked["secret"]["created_date"]
    assert started.timestamp() - 1 <= created <= datetime.datetime.now(datetime.timezone.utc).timestamp() + 1


# ---------------------------------------------------------------- as AWS documents it, with Stubber


def _dated(response, when):
    """A stubbed answer carrying AWS's clock in its HTTP Date header, as every real answer does."""
    return dict(response, ResponseMetadata={"HTTPHeaders": {"date": when.strftime("%a, %d %b %Y %H:%M:%S GMT")}})


AT = datetime.datetime(2026, 11, 30, 10, 20, 30, tzinfo=datetime.timezone.utc)


def test_a_tag_change_moves_last_changed_date_to_the_time_of_aws_answer(client, stubber):
    """moto leaves LastChangedDate as it was on TagResource; AWS: "modified in any way"."""
    stubber.add_response("describe_secret", _dated(described(CreatedDate=OLD, LastChangedDate=OLD), AT), {"SecretId": STUB_NAME})
    stubber.add_response("tag_resource", _dated({}, AT + datetime.timedelta(seconds=1)), {"SecretId": STUB_ARN, "Tags": [{"Key": "team", "Value": "db"}]})
    result = run(Api(client), validate({"name": STUB_NAME, "tags": {"team": "db"}, "purge_tags": False}))
    assert result["secret"]["created_date"] == OLD.isoformat()
    assert result["secret"]["last_changed_date"] == (AT + datetime.timedelta(seconds=1)).isoformat()
    stubber.assert_no_pending_responses()


def test_check_mode_dates_are_aws_clock_at_the_read(client, stubber):
    stubber.add_client_error("describe_secret", "ResourceNotFoundException", "Secrets Manager can't find the specified secret.", 400,
                             expected_params={"SecretId": STUB_NAME}, response_meta={"HTTPHeaders": {"date": "Mon, 30 Nov 2026 10:20:30 GMT"}})
    result = run(Api(client), validate({"name": STUB_NAME, "secret_string": "v"}), check_mode=True)
    assert result["secret"]["created_date"] == result["secret"]["last_changed_date"] == AT.isoformat()


def test_reading_the_value_sets_last_accessed_date_to_midnight(client, stubber):
    """moto never sets LastAccessedDate; AWS sets it, truncated to midnight, on GetSecretValue."""
    stubber.add_response("describe_secret", _dated(described(LastChangedDate=OLD), AT), {"SecretId": STUB_NAME})
    stubber.add_response("get_secret_value", _dated({"ARN": STUB_ARN, "Name": STUB_NAME, "VersionId": STUB_V1, "SecretString": "v"}, AT),
                         {"SecretId": STUB_ARN, "VersionStage": "AWSCURRENT"})
    result = run(Api(client), validate({"name": STUB_NAME, "secret_string": "v"}))
    assert result["changed"] is False
    assert result["secret"]["last_accessed_date"] == "2026-11-30T00:00:00+00:00"
    assert result["secret"]["last_changed_date"] == OLD.isoformat()  # a read changes nothing


def test_a_replica_key_change_in_place_lists_the_region_once_and_leaves_the_primary_dates(client, stubber):
    arn_eu = STUB_ARN.replace(REGION, "eu-west-1")
    eu_client = stub_client("eu-west-1")
    replica = [{"Region": "eu-west-1", "KmsKeyId": "alias/old", "Status": "InSync"}, {"Region": "us-west-2", "Status": "InSync"}]
    wanted = {"name": STUB_NAME, "replica_regions": [{"region": "eu-west-1", "kms_key_id": "alias/new"}, {"region": "us-west-2"}]}
    for check_mode in (True, False):
        stubber.add_response("describe_secret", _dated(described(ReplicationStatus=replica, LastChangedDate=OLD), AT), {"SecretId": STUB_NAME})
        with Stubber(eu_client) as eu:
            if not check_mode:
                eu.add_response("update_secret", _dated({"ARN": arn_eu, "Name": STUB_NAME}, AT), {"SecretId": arn_eu, "KmsKeyId": "alias/new"})
            api = Api(client)
            api.client_factory = lambda region: eu_client
            result = run(api, validate(wanted), check_mode=check_mode)
            eu.assert_no_pending_responses()
        assert result["actions"] == ["DescribeSecret", "UpdateSecret"]
        assert result["secret"]["replication_status"] == [
            {"region": "eu-west-1", "kms_key_id": "alias/new", "status": "InSync"}, {"region": "us-west-2", "status": "InSync"}]
        assert result["secret"]["last_changed_date"] == OLD.isoformat()  # the replica changed, in its own region
    stubber.assert_no_pending_responses()


def test_rotation_changes_drop_the_next_rotation_date_aws_computes(client, stubber):
    lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:rotate"
    stubber.add_response("describe_secret", _dated(described(NextRotationDate=OLD, LastChangedDate=OLD), AT), {"SecretId": STUB_NAME})
    stubber.add_response("rotate_secret", _dated({"ARN": STUB_ARN, "Name": STUB_NAME}, AT),
                         {"SecretId": STUB_ARN, "RotationLambdaARN": lambda_arn, "RotationRules": {"AutomaticallyAfterDays": 30},
                          "RotateImmediately": False})
    result = run(Api(client), validate({"name": STUB_NAME, "rotation": {"lambda_arn": lambda_arn, "automatically_after_days": 30}}))
    assert result["actions"] == ["DescribeSecret", "RotateSecret"]
    assert "next_rotation_date" not in result["secret"]
    assert result["secret"]["last_changed_date"] == AT.isoformat()
