# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""plugins/module_utils/_read.py: the read core behind secret_info and the secret lookup.

Plain functions are tested with tables; find_secrets, info_result and get_value against moto
in-process (mock_aws), and the AWS behaviours moto does not show (short pages that still carry
a NextToken, AccessDeniedException) with botocore's Stubber.
"""

from __future__ import annotations

import base64
import json

import boto3
import botocore.loaders
import botocore.session
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from ansible_collections.seed.secretsmanager.plugins.module_utils import _aws
from ansible_collections.seed.secretsmanager.plugins.module_utils import _read
from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import Api, AwsError
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import TaskError, ValidationError

REGION = "us-east-1"


@pytest.fixture
def sm(aws_env):
    """A boto3 client on moto, to arrange secrets (not the code under test)."""
    with mock_aws():
        yield boto3.client("secretsmanager", region_name=REGION)


@pytest.fixture
def api(sm):
    return Api(_aws.secretsmanager_client({"region": REGION}))


@pytest.fixture
def stubbed(aws_env):
    client = botocore.session.Session().create_client(
        "secretsmanager", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    with Stubber(client) as stubber:
        yield Api(client), stubber
        stubber.assert_no_pending_responses()


# ---------------------------------------------------------------- list_filters


@pytest.mark.parametrize(
    "filters, expected",
    [
        (None, []),
        ({}, []),
        ({"name": "prod/"}, [{"Key": "name", "Values": ["prod/"]}]),
        ({"description": "db"}, [{"Key": "description", "Values": ["db"]}]),
        ({"tag_key": "team"}, [{"Key": "tag-key", "Values": ["team"]}]),
        ({"tag_value": ["a", "!b"]}, [{"Key": "tag-value", "Values": ["a", "!b"]}]),
        ({"primary_region": "eu-west-1"}, [{"Key": "primary-region", "Values": ["eu-west-1"]}]),
        ({"owning_service": "rds"}, [{"Key": "owning-service", "Values": ["rds"]}]),
        ({"all": "x"}, [{"Key": "all", "Values": ["x"]}]),
        ({"name": ["v"] * 10}, [{"Key": "name", "Values": ["v"] * 10}]),
        ({"name": "n" * 512}, [{"Key": "name", "Values": ["n" * 512]}]),
        (
            {"name": "a", "tag_key": "b"},
            [{"Key": "name", "Values": ["a"]}, {"Key": "tag-key", "Values": ["b"]}],
        ),
    ],
)
def test_list_filters_maps_each_key_to_listsecrets(filters, expected):
    assert _read.list_filters(filters) == expected


def test_list_filters_covers_every_listsecrets_filter_name():
    model = botocore.session.get_session().get_service_model("secretsmanager")
    assert sorted(_read.FILTER_KEYS.values()) == sorted(model.shape_for("FilterNameStringType").enum)


@pytest.mark.parametrize(
    "filters, fragment",
    [
        ({"tags": "x"}, "unknown filter 'tags'"),
        ({"name": []}, "takes 1 to 10 values (got 0)"),
        ({"name": ["v"] * 11}, "takes 1 to 10 values (got 11)"),
        ({"name": ""}, "1 to 512 characters"),
        ({"name": "n" * 513}, "1 to 512 characters"),
        ({"tag_value": {"a": 1}}, "must be a string"),
        ({"tag_value": True}, "must be a string"),
        ({"tag_value": ["ok", None]}, "must be a string"),
    ],
)
def test_list_filters_rejects(filters, fragment):
    with pytest.raises(ValidationError) as raised:
        _read.list_filters(filters)
    assert raised.value.option == "filters"
    assert fragment in raised.value.message


# ---------------------------------------------------------------- find_secrets against moto


def _create(sm, name, **kwargs):
    kwargs.setdefault("SecretString", "value-of-" + name)
    return sm.create_secret(Name=name, **kwargs)


def test_find_by_name_and_by_arn(sm, api):
    arn = _create(sm, "app/db", Description="database", Tags=[{"Key": "team", "Value": "payments"}])["ARN"]
    by_name = _read.find_secrets(api, name="app/db")
    by_arn = _read.find_secrets(api, name=arn)
    assert [s["ARN"] for s in by_name] == [arn]
    assert [s["Name"] for s in by_arn] == ["app/db"]
    assert by_name[0]["Description"] == "database"
    assert api.actions == ["DescribeSecret", "DescribeSecret"]


def test_find_missing_name_is_empty(sm, api):
    assert _read.find_secrets(api, name="does/not/exist") == []
    assert api.actions == ["DescribeSecret"]


def test_find_by_name_hides_planned_deletion_unless_asked(sm, api):
    _create(sm, "going")
    sm.delete_secret(SecretId="going", RecoveryWindowInDays=7)
    assert _read.find_secrets(api, name="going") == []
    found = _read.find_secrets(api, name="going", include_planned_deletion=True)
    assert [s["Name"] for s in found] == ["going"]
    assert found[0]["DeletedDate"]


def test_find_all_reads_every_page(sm, api):
    names = ["page/%03d" % i for i in range(250)]
    for name in names:
        _create(sm, name)
    found = _read.find_secrets(api)
    assert sorted(s["Name"] for s in found) == names
    assert api.actions == ["ListSecrets", "ListSecrets", "ListSecrets"]


def test_find_with_filters_paginates_and_filters(sm, api):
    for i in range(120):
        _create(sm, "mine/%03d" % i)
    for i in range(30):
        _create(sm, "theirs/%03d" % i)
    found = _read.find_secrets(api, filters=_read.list_filters({"name": "mine/"}))
    assert len(found) == 120
    assert {s["Name"].split("/")[0] for s in found} == {"mine"}
    assert api.actions == ["ListSecrets", "ListSecrets"]


@pytest.mark.parametrize(
    "max_results, count, calls",
    [(1, 1, 1), (5, 5, 1), (100, 100, 1), (101, 101, 2), (150, 150, 2), (300, 250, 3)],
)
def test_find_max_results_caps_and_stops_reading(sm, api, max_results, count, calls):
    for i in range(250):
        _create(sm, "cap/%03d" % i)
    found = _read.find_secrets(api, max_results=max_results)
    assert len(found) == count
    assert len({s["ARN"] for s in found}) == count
    assert api.actions == ["ListSecrets"] * calls


@pytest.mark.parametrize("max_results", [0, -1])
def test_find_max_results_below_one_is_rejected_before_any_call(sm, api, max_results):
    with pytest.raises(ValidationError) as raised:
        _read.find_secrets(api, max_results=max_results)
    assert raised.value.option == "max_results"
    with pytest.raises(ValidationError):
        _read.find_secrets(api, name="x", max_results=max_results)
    assert api.actions == []


def test_find_list_hides_planned_deletion_unless_asked(sm, api):
    _create(sm, "keep")
    _create(sm, "drop")
    sm.delete_secret(SecretId="drop", RecoveryWindowInDays=7)
    assert [s["Name"] for s in _read.find_secrets(api)] == ["keep"]
    assert sorted(s["Name"] for s in _read.find_secrets(api, include_planned_deletion=True)) == ["drop", "keep"]


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"name": "svc/a"}, ["svc/a1", "svc/a2"]),
        ({"name": "!svc/a"}, ["other/b", "svc/b1"]),
        ({"tag_key": "team"}, ["svc/a1", "svc/b1"]),
        ({"tag_value": "pay"}, ["svc/a1"]),
        ({"description": "primary"}, ["svc/a2"]),
        ({"name": "svc/", "tag_key": "team"}, ["svc/a1", "svc/b1"]),
        ({"all": "ops"}, ["svc/b1"]),
    ],
)
def test_find_filters_select(sm, api, filters, expected):
    _create(sm, "svc/a1", Tags=[{"Key": "team", "Value": "payments"}])
    _create(sm, "svc/a2", Description="primary database")
    _create(sm, "svc/b1", Tags=[{"Key": "team", "Value": "ops"}])
    _create(sm, "other/b")
    found = _read.find_secrets(api, filters=_read.list_filters(filters))
    assert sorted(s["Name"] for s in found) == expected


def test_find_list_entries_use_describe_field_names(sm, api):
    version = _create(sm, "versions")["VersionId"]
    sm.put_secret_value(SecretId="versions", SecretString="second")
    found = _read.find_secrets(api, filters=_read.list_filters({"name": "versions"}))
    assert len(found) == 1
    assert "SecretVersionsToStages" not in found[0]
    assert found[0]["VersionIdsToStages"][version] == ["AWSPREVIOUS"]
    described = _read.find_secrets(api, name="versions")[0]
    assert found[0]["VersionIdsToStages"] == described["VersionIdsToStages"]


# ---------------------------------------------------------------- find_secrets against AWS-shaped responses


def test_find_follows_next_token_through_short_and_empty_pages(stubbed):
    api, stubber = stubbed
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:%s-AbCdEf"
    base = {"IncludePlannedDeletion": False, "MaxResults": 100, "Filters": [{"Key": "name", "Values": ["p"]}]}
    # AWS may answer fewer entries than MaxResults, even none, and still give a NextToken.
    stubber.add_response("list_secrets", {"SecretList": [], "NextToken": "t1"}, base)
    stubber.add_response(
        "list_secrets", {"SecretList": [{"ARN": arn % "p1", "Name": "p1"}], "NextToken": "t2"}, dict(base, NextToken="t1")
    )
    stubber.add_response(
        "list_secrets",
        {"SecretList": [{"ARN": arn % "p2", "Name": "p2", "SecretVersionsToStages": {"v" * 32: ["AWSCURRENT"]}}]},
        dict(base, NextToken="t2"),
    )
    found = _read.find_secrets(api, filters=[{"Key": "name", "Values": ["p"]}])
    assert [s["Name"] for s in found] == ["p1", "p2"]
    assert found[0]["VersionIdsToStages"] == {}
    assert found[1]["VersionIdsToStages"] == {"v" * 32: ["AWSCURRENT"]}


def test_find_asks_only_for_what_max_results_leaves(stubbed):
    api, stubber = stubbed
    entries = [{"ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:s%d-AbCdEf" % i, "Name": "s%d" % i} for i in range(3)]
    stubber.add_response("list_secrets", {"SecretList": entries[:2], "NextToken": "t"}, {"IncludePlannedDeletion": True, "MaxResults": 3})
    stubber.add_response(
        "list_secrets", {"SecretList": entries[2:], "NextToken": "u"}, {"IncludePlannedDeletion": True, "MaxResults": 1, "NextToken": "t"}
    )
    found = _read.find_secrets(api, include_planned_deletion=True, max_results=3)
    assert [s["Name"] for s in found] == ["s0", "s1", "s2"]


def test_find_raises_the_aws_error_code(stubbed):
    api, stubber = stubbed
    stubber.add_client_error("list_secrets", "AccessDeniedException", "User is not authorized", 400)
    with pytest.raises(AwsError) as raised:
        _read.find_secrets(api)
    assert raised.value.code == "AccessDeniedException"
    assert raised.value.operation == "ListSecrets"


def test_find_by_name_denied_is_an_error_not_an_empty_list(stubbed):
    api, stubber = stubbed
    stubber.add_client_error("describe_secret", "AccessDeniedException", "User is not authorized", 400)
    with pytest.raises(AwsError) as raised:
        _read.find_secrets(api, name="x")
    assert raised.value.code == "AccessDeniedException"


# ---------------------------------------------------------------- info_result


def test_info_result_is_snake_case_and_never_a_value(sm, api):
    value = "s3cr3t-value-never-shown"
    created = _create(sm, "info/one", SecretString=value, Description="d", Tags=[{"Key": "k", "Value": "v"}, {"Key": "e", "Value": ""}])
    results = _read.info_result(api, _read.find_secrets(api, name="info/one"))
    assert len(results) == 1
    result = results[0]
    assert result["arn"] == created["ARN"]
    assert result["name"] == "info/one"
    assert result["description"] == "d"
    assert result["tags"] == {"k": "v", "e": ""}
    assert result["version_ids_to_stages"] == {created["VersionId"]: ["AWSCURRENT"]}
    assert result["replication_status"] == []
    assert result["created_date"].startswith("20")
    assert "resource_policy" not in result
    assert all(key == key.lower() for key in result)
    assert value not in json.dumps(results)


def test_info_result_from_list_has_the_same_keys_as_from_describe(sm, api):
    _create(sm, "shape", Tags=[{"Key": "k", "Value": "v"}])
    listed = _read.info_result(api, _read.find_secrets(api, filters=_read.list_filters({"name": "shape"})))[0]
    described = _read.info_result(api, _read.find_secrets(api, name="shape"))[0]
    for key in ("arn", "name", "tags", "version_ids_to_stages", "created_date"):
        assert listed[key] == described[key], key


def test_info_result_with_policy(sm, api):
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}],
    }
    _create(sm, "with/policy")
    _create(sm, "without/policy")
    sm.put_resource_policy(SecretId="with/policy", ResourcePolicy=json.dumps(policy))
    secrets = _read.find_secrets(api, filters=_read.list_filters({"name": ["with/", "without/"]}))
    api.actions.clear()
    results = {r["name"]: r for r in _read.info_result(api, secrets, include_policy=True)}
    assert results["with/policy"]["resource_policy"] == policy
    assert results["without/policy"]["resource_policy"] == {}
    assert api.actions == ["GetResourcePolicy", "GetResourcePolicy"]


def test_list_filters_takes_numbers_as_their_text():
    assert _read.list_filters({"tag_value": [2024, 1.5]}) == [{"Key": "tag-value", "Values": ["2024", "1.5"]}]


def test_info_result_shows_replicas_only_when_described(sm, api):
    _create(sm, "replicated", AddReplicaRegions=[{"Region": "eu-west-1"}])
    listed = _read.info_result(api, _read.find_secrets(api, filters=_read.list_filters({"name": "replicated"})))[0]
    described = _read.info_result(api, _read.find_secrets(api, name="replicated"))[0]
    assert "replication_status" not in listed  # ListSecrets does not show replicas: no false []
    assert [r["region"] for r in described["replication_status"]] == ["eu-west-1"]


def test_info_result_asks_no_policy_of_deleted_secrets(sm, api):
    _create(sm, "going")
    sm.delete_secret(SecretId="going", RecoveryWindowInDays=7)
    secrets = _read.find_secrets(api, name="going", include_planned_deletion=True)
    api.actions.clear()
    results = _read.info_result(api, secrets, include_policy=True)
    assert api.actions == []
    assert "resource_policy" not in results[0]


def test_info_result_without_policy_makes_no_call(sm, api):
    _create(sm, "nopolicy")
    secrets = _read.find_secrets(api, name="nopolicy")
    api.actions.clear()
    _read.info_result(api, secrets)
    assert api.actions == []


# ---------------------------------------------------------------- info_execute (what the module and the action plugin run)


def test_info_execute_returns_secrets_and_actions(sm):
    _create(sm, "exec/one")
    result = _read.info_execute({"region": REGION, "filters": {"name": "exec/", "tag_key": None}})
    assert result["changed"] is False
    assert [s["name"] for s in result["secrets"]] == ["exec/one"]
    assert result["actions"] == ["ListSecrets"]
    assert "failed" not in result


def test_info_execute_turns_errors_into_a_failed_result(sm):
    result = _read.info_execute({"region": REGION, "filters": {"colour": "red"}})
    assert result["failed"] is True
    assert result["option"] == "filters"
    assert result["actions"] == []
    result = _read.info_execute({"region": REGION, "max_results": 0})
    assert result["failed"] is True
    assert result["option"] == "max_results"


def test_info_execute_spec_has_the_documented_options():
    spec = _read.info_module_spec()
    options = spec["argument_spec"]
    assert options["include_planned_deletion"]["default"] is False
    assert options["include_policy"]["default"] is False
    assert "default" not in options["max_results"]
    assert sorted(options["filters"]["options"]) == sorted(_read.FILTER_KEYS)
    assert ["name", "filters"] in spec["mutually_exclusive"]
    for connection in ("region", "endpoint_url", "access_key", "secret_key", "profile"):
        assert connection in options


# ---------------------------------------------------------------- get_value


def test_get_value_string_binary_and_versions(sm, api):
    first = _create(sm, "v/text", SecretString="one")["VersionId"]
    sm.put_secret_value(SecretId="v/text", SecretString="two")
    raw = bytes(range(256))
    sm.create_secret(Name="v/bin", SecretBinary=raw)
    assert _read.get_value(api, "v/text") == ("two", "string")
    assert _read.get_value(api, "v/text", version_stage="AWSCURRENT") == ("two", "string")
    assert _read.get_value(api, "v/text", version_stage="AWSPREVIOUS") == ("one", "string")
    assert _read.get_value(api, "v/text", version_id=first) == ("one", "string")
    text, kind = _read.get_value(api, "v/bin")
    assert kind == "binary"
    assert base64.b64decode(text) == raw


def test_get_value_sends_only_what_is_given(stubbed):
    api, stubber = stubbed
    response = {"ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf", "Name": "x", "SecretString": "v"}
    stubber.add_response("get_secret_value", response, {"SecretId": "x"})
    stubber.add_response("get_secret_value", response, {"SecretId": "x", "VersionId": "i" * 32})
    stubber.add_response("get_secret_value", response, {"SecretId": "x", "VersionStage": "AWSPENDING"})
    _read.get_value(api, "x")
    _read.get_value(api, "x", version_id="i" * 32)
    _read.get_value(api, "x", version_stage="AWSPENDING")


@pytest.mark.parametrize(
    "code, message",
    [
        ("ResourceNotFoundException", "Secrets Manager can't find the specified secret."),
        ("AccessDeniedException", "User: arn:aws:iam::123456789012:user/u is not authorized to perform: secretsmanager:GetSecretValue"),
        ("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion."),
    ],
)
def test_get_value_errors_carry_code_and_operation(stubbed, code, message):
    api, stubber = stubbed
    stubber.add_client_error("get_secret_value", code, message, 400)
    with pytest.raises(AwsError) as raised:
        _read.get_value(api, "x")
    assert raised.value.code == code
    assert raised.value.operation == "GetSecretValue"
    assert code in raised.value.message


# ---------------------------------------------------------------- key_path and select


@pytest.mark.parametrize(
    "key, expected",
    [
        (None, None),
        ("db", ["db"]),
        ("db.password", ["db", "password"]),
        (["db", "password"], ["db", "password"]),
        (["a.b", "c"], ["a.b", "c"]),
        (["items", 0], ["items", "0"]),
        ("items.-1", ["items", "-1"]),
    ],
)
def test_key_path(key, expected):
    assert _read.key_path(key) == expected


@pytest.mark.parametrize("key", ["", "a..b", ".a", "a.", [], ["a", ""], ["a", None], ["a", {"b": 1}], 5, {"a": 1}])
def test_key_path_rejects(key):
    with pytest.raises(ValidationError) as raised:
        _read.key_path(key)
    assert raised.value.option == "key"


DOCUMENT = json.dumps(
    {
        "db": {"host": "h", "port": 5432, "ratio": 0.5, "tls": True, "replica": None, "password": "pw-secret"},
        "hosts": ["a", "b", "c"],
        "a.b": "dotted",
        "0": "digit key",
        "nested": [{"x": [10, 20]}],
    }
)


@pytest.mark.parametrize(
    "path, expected",
    [
        (["db"], {"host": "h", "port": 5432, "ratio": 0.5, "tls": True, "replica": None, "password": "pw-secret"}),
        (["db", "host"], "h"),
        (["db", "port"], 5432),
        (["db", "ratio"], 0.5),
        (["db", "tls"], True),
        (["db", "replica"], None),
        (["hosts"], ["a", "b", "c"]),
        (["hosts", "0"], "a"),
        (["hosts", "-1"], "c"),
        (["a.b"], "dotted"),
        (["0"], "digit key"),
        (["nested", "0", "x", "1"], 20),
    ],
)
def test_select_keeps_the_json_type(path, expected):
    selected = _read.select(DOCUMENT, path, "doc")
    assert selected == expected
    assert type(selected) is type(expected)


@pytest.mark.parametrize(
    "path, walked",
    [
        (["missing"], "missing"),
        (["db", "user"], "db.user"),
        (["hosts", "3"], "hosts.3"),
        (["hosts", "-4"], "hosts.-4"),
        (["hosts", "first"], "hosts.first"),
        (["db", "host", "deeper"], "db.host.deeper"),
        (["db", "password", "0"], "db.password.0"),
    ],
)
def test_select_missing_key_names_the_path_not_the_value(path, walked):
    with pytest.raises(TaskError) as raised:
        _read.select(DOCUMENT, path, "doc")
    assert raised.value.code == "KeyNotFound"
    assert "secret doc" in raised.value.message
    assert "no key %s" % walked in raised.value.message
    assert "pw-secret" not in raised.value.message


def test_select_in_a_value_that_is_not_json():
    with pytest.raises(TaskError) as raised:
        _read.select("plain text {not json", ["a"], "doc")
    assert raised.value.code == "NotJson"
    assert "plain text" not in raised.value.message


# ---------------------------------------------------------------- read_values and read_path when AWS throttles

THROTTLING = ("ThrottlingException", "Rate exceeded")


def _entry(name, text):
    return {"ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:%s-AbCdEf" % name, "Name": name, "SecretString": text}


@pytest.fixture
def sleeps(stubbed):
    api, _stubber = stubbed
    slept = []
    api.sleep = slept.append
    return slept


@pytest.mark.parametrize("jitter", [0.5, 1.0, 1.5])
def test_batch_retries_wait_doubling_delays_with_jitter(stubbed, sleeps, monkeypatch, jitter):
    api, stubber = stubbed
    monkeypatch.setattr(_read.random, "uniform", lambda low, high: jitter)
    for _attempt in range(_read.BATCH_RETRIES + 1):
        stubber.add_client_error("batch_get_secret_value", *THROTTLING, 400, expected_params={"SecretIdList": ["a", "b"]})
    stubber.add_response("get_secret_value", _entry("a", "value of a"), {"SecretId": "a"})
    stubber.add_response("get_secret_value", _entry("b", "value of b"), {"SecretId": "b"})
    assert _read.read_values(api, ["a", "b"]) == {"a": ("value of a", "string"), "b": ("value of b", "string")}
    assert sleeps == [0.5 * jitter, 1.0 * jitter, 2.0 * jitter]
    assert api.actions == ["BatchGetSecretValue"] * 4 + ["GetSecretValue"] * 2


def test_read_values_throttled_then_answered(stubbed, sleeps):
    api, stubber = stubbed
    stubber.add_client_error("batch_get_secret_value", *THROTTLING, 400)
    stubber.add_response("batch_get_secret_value", {"SecretValues": [_entry("a", "value of a"), _entry("b", "value of b")], "Errors": []},
                         {"SecretIdList": ["a", "b"]})
    assert _read.read_values(api, ["a", "b"]) == {"a": ("value of a", "string"), "b": ("value of b", "string")}
    assert api.actions == ["BatchGetSecretValue"] * 2 and len(sleeps) == 1


@pytest.mark.parametrize("code, message", [
    ("InvalidParameterException", "You can't specify a secret more than once."),
    ("LimitExceededException", "A quota was exceeded."),
])
def test_read_values_sends_other_batch_errors_once(stubbed, sleeps, code, message):
    api, stubber = stubbed
    stubber.add_client_error("batch_get_secret_value", code, message, 400)
    stubber.add_response("get_secret_value", _entry("a", "value of a"), {"SecretId": "a"})
    stubber.add_response("get_secret_value", _entry("b", "value of b"), {"SecretId": "b"})
    assert _read.read_values(api, ["a", "b"]) == {"a": ("value of a", "string"), "b": ("value of b", "string")}
    assert api.actions == ["BatchGetSecretValue", "GetSecretValue", "GetSecretValue"] and sleeps == []


def test_read_path_throttled_lists_then_reads_one_by_one(stubbed, sleeps):
    api, stubber = stubbed
    for _attempt in range(_read.BATCH_RETRIES + 1):
        stubber.add_client_error("batch_get_secret_value", *THROTTLING, 400)
    listed = [dict(_entry(name, "x"), SecretVersionsToStages={}) for name in ("app/a", "app/b")]
    for entry in listed:
        del entry["SecretString"]
    expected = {"MaxResults": 100, "IncludePlannedDeletion": False, "Filters": [{"Key": "name", "Values": ["app/"]}]}
    stubber.add_response("list_secrets", {"SecretList": listed}, expected)
    stubber.add_response("get_secret_value", _entry("app/a", "value of a"), {"SecretId": listed[0]["ARN"]})
    stubber.add_client_error("get_secret_value", "ResourceNotFoundException",
                             "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT", 400)
    values, errors = _read.read_path(api, "app/")
    assert values == {"app/a": ("value of a", "string")}
    assert list(errors) == ["app/b"] and errors["app/b"].kind == _aws.VERSION_NOT_FOUND
    assert api.actions == ["BatchGetSecretValue"] * 4 + ["ListSecrets"] + ["GetSecretValue"] * 2
    assert len(sleeps) == 3


def test_read_path_throttled_and_listing_throttled_names_both(stubbed, sleeps):
    api, stubber = stubbed
    for _attempt in range(_read.BATCH_RETRIES + 1):
        stubber.add_client_error("batch_get_secret_value", *THROTTLING, 400)
    stubber.add_client_error("list_secrets", *THROTTLING, 400)
    with pytest.raises(AwsError) as raised:
        _read.read_path(api, "app/")
    assert raised.value.kind == _aws.THROTTLED and raised.value.code == "ThrottlingException"
    assert raised.value.message == (
        "BatchGetSecretValue was throttled: ThrottlingException: Rate exceeded, after 4 attempts, and then ListSecrets failed: "
        "ThrottlingException: Rate exceeded; both allow 100 requests a second per account and region (read the path once, "
        "with run_once or on localhost, rather than on every host)"
    )
    assert api.actions == ["BatchGetSecretValue"] * 4 + ["ListSecrets"]
