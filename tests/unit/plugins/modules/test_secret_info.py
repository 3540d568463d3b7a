# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secret_info module end to end: main() with module arguments, against moto in-process.

AWS errors that moto cannot produce without IAM enforcement (AccessDeniedException) come from
botocore's Stubber.
"""

from __future__ import annotations

import io
import json
import zipfile

import boto3
import botocore.loaders
import botocore.session
import pytest
import yaml
from botocore.stub import Stubber
from moto import mock_aws

from ansible.module_utils import basic
from ansible_collections.seed.secretsmanager.tests.unit.utils import module_args
from ansible_collections.seed.secretsmanager.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.seed.secretsmanager.plugins.module_utils import _read
from ansible_collections.seed.secretsmanager.plugins.modules import secret_info

REGION = "us-east-1"
VALUE = "correct-horse-battery-staple"  # every secret made here holds a value with this text in it


class ModuleExit(Exception):
    def __init__(self, result):
        super().__init__(result)
        self.result = result


class ModuleFail(ModuleExit):
    pass


@pytest.fixture
def aws_env(aws_env, monkeypatch):
    """The clean AWS environment of tests/unit/conftest.py, and the module's exits raising."""

    def exit_json(self, **result):
        raise ModuleExit(result)

    def fail_json(self, msg, **result):
        result["msg"] = msg
        raise ModuleFail(result)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    return aws_env


@pytest.fixture
def sm(aws_env):
    with mock_aws():
        yield boto3.client("secretsmanager", region_name=REGION)


def run(args):
    """secret_info's result; a failure raises ModuleFail carrying the result."""
    with module_args(args):
        with pytest.raises(ModuleExit) as raised:
            secret_info.main()
    if isinstance(raised.value, ModuleFail):
        raise raised.value
    result = raised.value.result
    # What the module returns must travel as JSON: dates as text, never a datetime.
    json.dumps(result)
    return result


def fail(args):
    with pytest.raises(ModuleFail) as raised:
        run(args)
    return raised.value.result


def create(sm, name, **kwargs):
    kwargs.setdefault("SecretString", "%s of %s" % (VALUE, name))
    return sm.create_secret(Name=name, **kwargs)


def names(result):
    return sorted(secret["name"] for secret in result["secrets"])


def assert_no_value(result):
    assert VALUE not in json.dumps(result)
    assert "GetSecretValue" not in result["actions"]


# ---------------------------------------------------------------- one secret


def test_one_by_name(sm):
    created = create(sm, "app/db", Description="database", KmsKeyId="alias/custom", Tags=[{"Key": "team", "Value": "payments"}])
    sm.put_secret_value(SecretId="app/db", SecretString=VALUE + " again")
    result = run({"name": "app/db"})
    assert result["changed"] is False
    assert result["actions"] == ["DescribeSecret"]
    assert len(result["secrets"]) == 1
    secret = result["secrets"][0]
    assert secret["arn"] == created["ARN"]
    assert secret["name"] == "app/db"
    assert secret["description"] == "database"
    assert secret["kms_key_id"] == "alias/custom"
    assert secret["tags"] == {"team": "payments"}
    stages = secret["version_ids_to_stages"]
    assert stages[created["VersionId"]] == ["AWSPREVIOUS"]
    assert sorted(s for v in stages.values() for s in v) == ["AWSCURRENT", "AWSPREVIOUS"]
    assert secret["replication_status"] == []
    assert secret["created_date"][:2] == "20"
    assert secret["last_changed_date"][:2] == "20"
    assert_no_value(result)


def test_one_by_alias_and_by_arn(sm):
    arn = create(sm, "by/arn")["ARN"]
    assert names(run({"secret_id": "by/arn"})) == ["by/arn"]
    assert names(run({"name": arn})) == ["by/arn"]


def test_an_arn_is_read_in_its_own_region(sm, monkeypatch):
    """The ARN's region wins over the region option; read in us-east-1, the eu-west-1 secret was 'missing'."""
    seen = []
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, warning: seen.append(warning))
    with mock_aws():
        arn = boto3.client("secretsmanager", region_name="eu-west-1").create_secret(Name="over/there", SecretString="v")["ARN"]
        result = run({"name": arn, "region": REGION})
    assert names(result) == ["over/there"]
    assert result["secrets"][0]["arn"] == arn
    assert len(seen) == 1 and "eu-west-1" in seen[0] and REGION in seen[0]


def test_missing_name_is_an_empty_list_not_a_failure(sm):
    result = run({"name": "no/such/secret"})
    assert result["secrets"] == []
    assert result["changed"] is False
    assert "failed" not in result


def test_one_scheduled_for_deletion(sm):
    create(sm, "going")
    sm.delete_secret(SecretId="going", RecoveryWindowInDays=7)
    assert run({"name": "going"})["secrets"] == []
    secrets = run({"name": "going", "include_planned_deletion": True})["secrets"]
    assert [s["name"] for s in secrets] == ["going"]
    assert secrets[0]["deleted_date"][:2] == "20"


def rotation_function():
    """A Lambda function for RotateSecret to point at (moto checks it exists; it is never invoked here)."""
    iam = boto3.client("iam", region_name=REGION)
    role = iam.create_role(RoleName="rotation", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return None\n")
    function = boto3.client("lambda", region_name=REGION).create_function(
        FunctionName="rotate", Runtime="python3.11", Role=role["Role"]["Arn"], Handler="index.handler", Code={"ZipFile": buffer.getvalue()}
    )
    return function["FunctionArn"]


def test_rotation_and_replication_fields(sm):
    create(sm, "rotated")
    function_arn = rotation_function()
    sm.rotate_secret(SecretId="rotated", RotationLambdaARN=function_arn, RotationRules={"AutomaticallyAfterDays": 30}, RotateImmediately=False)
    create(sm, "replicated", AddReplicaRegions=[{"Region": "eu-west-1"}])
    rotated = run({"name": "rotated"})["secrets"][0]
    assert rotated["rotation_enabled"] is True
    assert rotated["rotation_lambda_arn"] == function_arn
    assert rotated["rotation_rules"] == {"automatically_after_days": 30}
    replicated = run({"name": "replicated"})["secrets"][0]
    assert [(r["region"], r["status"]) for r in replicated["replication_status"]] == [("eu-west-1", "InSync")]


# ---------------------------------------------------------------- filtered and all


def test_all_secrets_when_neither_name_nor_filters(sm):
    for name in ("a", "b/c", "d.e"):
        create(sm, name)
    result = run({})
    assert names(result) == ["a", "b/c", "d.e"]
    assert result["actions"] == ["ListSecrets"]
    assert_no_value(result)


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"name": "team/"}, ["team/a", "team/b"]),
        ({"name": ["team/a", "other"]}, ["other", "team/a"]),
        ({"tag_key": "owner"}, ["other", "team/a"]),
        ({"tag_key": "owner", "tag_value": "alice"}, ["team/a"]),
        ({"description": "shared"}, ["team/b"]),
        ({"all": "alice"}, ["team/a"]),
        ({"name": "nothing-matches"}, []),
    ],
)
def test_filters(sm, filters, expected):
    create(sm, "team/a", Tags=[{"Key": "owner", "Value": "alice"}])
    create(sm, "team/b", Description="shared")
    create(sm, "other", Tags=[{"Key": "owner", "Value": "bob"}])
    result = run({"filters": filters})
    assert names(result) == expected
    assert_no_value(result)


def test_pagination_reads_every_page(sm):
    mine = ["mine/%03d" % i for i in range(230)]
    for name in mine:
        create(sm, name)
    for i in range(20):
        create(sm, "theirs/%03d" % i)
    result = run({"filters": {"name": "mine/"}})
    assert names(result) == mine
    assert result["actions"] == ["ListSecrets"] * 3
    everything = run({})
    assert len(everything["secrets"]) == 250
    assert len({s["arn"] for s in everything["secrets"]}) == 250
    assert_no_value(everything)


@pytest.mark.parametrize("max_results, count, calls", [(1, 1, 1), (120, 120, 2), (500, 150, 2)])
def test_max_results(sm, max_results, count, calls):
    for i in range(150):
        create(sm, "cap/%03d" % i)
    result = run({"max_results": max_results})
    assert len(result["secrets"]) == count
    assert result["actions"] == ["ListSecrets"] * calls


def test_listing_includes_planned_deletion_only_when_asked(sm):
    create(sm, "keep")
    create(sm, "drop")
    sm.delete_secret(SecretId="drop", RecoveryWindowInDays=7)
    assert names(run({})) == ["keep"]
    assert names(run({"include_planned_deletion": True})) == ["drop", "keep"]
    assert names(run({"filters": {"name": "dr"}, "include_planned_deletion": True})) == ["drop"]


def test_include_policy(sm):
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "secretsmanager:DeleteSecret", "Resource": "*"}],
    }
    create(sm, "pol/with")
    create(sm, "pol/without")
    sm.put_resource_policy(SecretId="pol/with", ResourcePolicy=json.dumps(policy))
    result = run({"filters": {"name": "pol/"}, "include_policy": True})
    by_name = {s["name"]: s for s in result["secrets"]}
    assert by_name["pol/with"]["resource_policy"] == policy
    assert by_name["pol/without"]["resource_policy"] == {}
    assert result["actions"] == ["ListSecrets", "GetResourcePolicy", "GetResourcePolicy"]
    one = run({"name": "pol/with", "include_policy": True})
    assert one["secrets"][0]["resource_policy"] == policy
    without = run({"name": "pol/with"})
    assert "resource_policy" not in without["secrets"][0]
    assert without["actions"] == ["DescribeSecret"]
    assert_no_value(result)


def test_check_mode_gives_the_same_result(sm):
    create(sm, "checked", Tags=[{"Key": "k", "Value": "v"}])
    normal = run({"name": "checked"})
    checked = run({"name": "checked", "_ansible_check_mode": True})
    assert checked == normal
    assert checked["changed"] is False
    listed = run({"filters": {"name": "che"}, "_ansible_check_mode": True})
    assert names(listed) == ["checked"]


def test_never_a_value_whatever_the_options(sm):
    binary = b"\x00binary " + VALUE.encode()
    create(sm, "nv/text")
    create(sm, "nv/json", SecretString=json.dumps({"password": VALUE}))
    sm.create_secret(Name="nv/binary", SecretBinary=binary)
    for args in ({}, {"filters": {"all": "nv"}}, {"name": "nv/json", "include_policy": True}, {"include_policy": True}):
        result = run(args)
        assert result["secrets"]
        assert_no_value(result)
        assert "YmluYXJ5" not in json.dumps(result)  # base64 of 'binary'


# ---------------------------------------------------------------- failures


def test_name_and_filters_are_mutually_exclusive(sm):
    result = fail({"name": "x", "filters": {"name": "x"}})
    assert "mutually exclusive" in result["msg"]


def test_unknown_filter_key_is_rejected(sm):
    result = fail({"filters": {"colour": "red"}})
    assert "colour" in result["msg"]


@pytest.mark.parametrize(
    "filters, fragment",
    [
        ({"name": ["x"] * 11}, "1 to 10 values"),
        ({"tag_key": ""}, "1 to 512 characters"),
        ({"name": []}, "1 to 10 values"),
    ],
)
def test_bad_filter_values_fail_before_any_call(sm, filters, fragment):
    result = fail({"filters": filters})
    assert fragment in result["msg"]
    assert result["option"] == "filters"
    assert result["actions"] == []


def test_max_results_below_one_fails(sm):
    result = fail({"max_results": 0})
    assert result["option"] == "max_results"
    assert result["actions"] == []


def test_no_region_fails_naming_the_option(sm, monkeypatch):
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    result = fail({})
    assert result["option"] == "region"
    assert names(run({"region": REGION})) == []


def test_connection_options_are_used(sm, monkeypatch):
    create(sm, "conn")
    seen = []
    real = _read.secretsmanager_client

    def spy(params, reuse=False):
        seen.append(dict(params))
        return real(params, reuse=reuse)

    monkeypatch.setattr(_read, "secretsmanager_client", spy)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = run({"name": "conn", "aws_region": REGION, "aws_access_key": "AKIDEXAMPLE", "aws_secret_key": "never-shown-key"})
    assert names(result) == ["conn"]
    assert seen[0]["region"] == REGION
    assert seen[0]["access_key"] == "AKIDEXAMPLE"
    assert seen[0]["secret_key"] == "never-shown-key"


def _stubbed_client(monkeypatch):
    client = botocore.session.Session().create_client(
        "secretsmanager", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    monkeypatch.setattr(_read, "secretsmanager_client", lambda params, reuse=False: client)
    return Stubber(client)


@pytest.mark.parametrize(
    "args, operation",
    [({}, "list_secrets"), ({"name": "x"}, "describe_secret"), ({"filters": {"name": "x"}}, "list_secrets")],
)
def test_access_denied_fails_with_the_aws_error_code(aws_env, monkeypatch, args, operation):
    stubber = _stubbed_client(monkeypatch)
    stubber.add_client_error(operation, "AccessDeniedException", "User: u is not authorized to perform this", 400)
    with stubber:
        result = fail(args)
    assert result["error_code"] == "AccessDeniedException"
    assert "AccessDeniedException" in result["msg"]
    assert result["operation"] in ("ListSecrets", "DescribeSecret")
    assert result["actions"] == [result["operation"]]


def test_policy_error_fails_after_listing(aws_env, monkeypatch):
    stubber = _stubbed_client(monkeypatch)
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:p-AbCdEf"
    stubber.add_response("list_secrets", {"SecretList": [{"ARN": arn, "Name": "p"}]})
    stubber.add_client_error("get_resource_policy", "AccessDeniedException", "not authorized", 400)
    with stubber:
        result = fail({"include_policy": True})
    assert result["error_code"] == "AccessDeniedException"
    assert result["actions"] == ["ListSecrets", "GetResourcePolicy"]


# ---------------------------------------------------------------- documentation and metadata


def _documented_options():
    doc = yaml.safe_load(secret_info.DOCUMENTATION)
    options = dict(doc["options"])
    assert "seed.secretsmanager.connection.modules" in doc["extends_documentation_fragment"]
    assert "seed.secretsmanager.connection.shared" in doc["extends_documentation_fragment"]
    options.update(yaml.safe_load(ModuleDocFragment.MODULES)["options"])
    options.update(yaml.safe_load(ModuleDocFragment.SHARED)["options"])
    return options


def test_documentation_matches_the_argument_spec():
    documented = _documented_options()
    spec = _read.info_module_spec()["argument_spec"]
    assert sorted(documented) == sorted(spec)
    for name, option in spec.items():
        doc = documented[name]
        assert doc.get("type", "str") == option.get("type", "str"), name
        assert doc.get("default") == option.get("default"), name
        assert sorted(doc.get("aliases", [])) == sorted(option.get("aliases", [])), name
    assert sorted(documented["filters"]["suboptions"]) == sorted(spec["filters"]["options"])


def test_return_keys_have_returned_and_sample():
    returned = yaml.safe_load(secret_info.RETURN)
    assert sorted(returned) == ["actions", "error_code", "operation", "option", "request_id", "resource_actions", "secrets"]
    for key, doc in returned.items():
        assert "returned" in doc and "sample" in doc, key


def test_module_is_in_the_action_group():
    with open(secret_info.__file__.replace("plugins/modules/secret_info.py", "meta/runtime.yml")) as handle:
        runtime = yaml.safe_load(handle)
    assert "secret_info" in runtime["action_groups"]["secretsmanager"]
