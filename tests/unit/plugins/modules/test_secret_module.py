# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secret module end to end, in process, against moto's mock_aws.

Every run also counts the requests the module's client really sent (a botocore before-call hook)
and checks them against the `actions` it reports.
"""

from __future__ import annotations

import base64
import json
import os
from unittest import mock

import botocore.session
import pytest
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils import basic
from moto import mock_aws

from ansible_collections.seed.secretsmanager.tests.unit.utils import module_args
from ansible_collections.seed.secretsmanager.plugins.module_utils import _aws, _secret
from ansible_collections.seed.secretsmanager.plugins.modules import secret as secret_module


NAME = "app/db"
TOKEN = "22222222-2222-4222-8222-222222222222"
TOKEN2 = "55555555-5555-4555-8555-555555555555"
SECRET = "Sup3r-S3cret-Valu3-7c1d"
MEMBER = "Js0n-Memb3r-Valu3-44ab"
RAW = "Bin4ry-Raw-Valu3-90fe"
RAW_B64 = base64.b64encode(RAW.encode()).decode()
JSON_VALUE = {"user": "appuser-x9", "password": MEMBER, "pin": 48213, "port": 1, "tls": True}
JSON_TEXT = json.dumps(JSON_VALUE, separators=(",", ":"))


class ModuleExit(Exception):
    def __init__(self, failed, result):
        super().__init__(result)
        self.failed = failed
        self.result = result


# Like AnsibleModule's own exit_json/fail_json, results are masked with the module's no_log values
# (remove_values) before they leave: what the test sees is what Ansible would print.
def _exit_json(self, **kwargs):
    raise ModuleExit(False, remove_values(kwargs, self.no_log_values))


def _fail_json(self, msg=None, **kwargs):
    kwargs["msg"] = msg
    kwargs["failed"] = True
    raise ModuleExit(True, remove_values(kwargs, self.no_log_values))


_SENT = {"list": None}  # where the requests of the running test are counted
DUMMY_ENV = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}


def _foreign(variable):
    """AWS and moto settings of the calling environment (an endpoint, a profile, a CA bundle...):
    any of them could take the requests past mock_aws."""
    return variable.startswith(("AWS_", "MOTO_"))


def _count(model, **_kwargs):
    if _SENT["list"] is not None:
        _SENT["list"].append(model.name)


def _warm_up():
    """ansible-test runs each test in a fork of its worker: do the slow first-time work (the service model,
    moto's first request) once here, at import, so that every fork inherits it."""
    env = {k: v for k, v in os.environ.items() if not _foreign(k)}
    env.update(DUMMY_ENV, AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    with mock.patch.dict(os.environ, env, clear=True):
        session = botocore.session.Session()
        with mock_aws():
            session.create_client("secretsmanager", region_name="us-east-1").list_secrets()
    return session


SESSION = _warm_up()


@pytest.fixture(scope="module")
def aws_env(tmp_path_factory):
    """The AWS environment of the whole file: dummy credentials, us-east-1, nothing from the calling
    environment; the module's clients counted, and shared only among the tests of this file."""
    empty = tmp_path_factory.mktemp("aws")
    with pytest.MonkeyPatch.context() as patch:
        for variable in [v for v in os.environ if _foreign(v)]:
            patch.delenv(variable)
        for variable, value in DUMMY_ENV.items():
            patch.setenv(variable, value)
        patch.setenv("AWS_CONFIG_FILE", str(empty / "config"))
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty / "credentials"))

        real_client = _secret.secretsmanager_client

        def counting_client(params, *args, **kwargs):
            client = real_client(params, *args, **kwargs)
            client.meta.events.register("before-call.secrets-manager", _count, unique_id="seed-test-count")  # once per client
            return client

        patch.setattr(_aws, "_CLIENTS", {})
        patch.setattr(_secret, "secretsmanager_client", counting_client)
        yield SESSION


@pytest.fixture
def aws(aws_env):
    """moto's mock_aws, fresh for each test, and a client to look at what the module did."""
    with mock_aws():
        yield aws_env.create_client("secretsmanager", region_name="us-east-1")


class Runner:
    def __init__(self):
        self.sent = []  # the operations of the last run, as the client sent them
        self.warnings = []

    def __call__(self, **args):
        """Run main() with args; return the result (exit or fail JSON). failed=True on fail_json."""
        del self.sent[:]
        del self.warnings[:]
        with module_args(args):
            with pytest.raises(ModuleExit) as caught:
                secret_module.main()
        result = caught.value.result
        result["failed"] = caught.value.failed
        json.dumps(result)  # what the module returns must be JSON
        return result


@pytest.fixture
def run(aws, monkeypatch):
    runner = Runner()
    monkeypatch.setitem(_SENT, "list", runner.sent)
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, warning, **kwargs: runner.warnings.append(warning))
    return runner


def names(client):
    return [s["Name"] for s in client.list_secrets(IncludePlannedDeletion=True)["SecretList"]]


def assert_no_value(result, *values):
    text = json.dumps(result, ensure_ascii=False)
    for value in values or (SECRET, MEMBER, JSON_TEXT, RAW, RAW_B64):
        assert value not in text


# ---------------------------------------------------------------- check mode, create, idempotence


def test_check_mode_on_a_new_name_creates_nothing(run, aws):
    result = run(name=NAME, secret_string=SECRET, description="d", _ansible_check_mode=True)
    assert result["failed"] is False
    assert result["changed"] is True
    assert result["actions"] == ["DescribeSecret", "CreateSecret"]
    assert run.sent == ["DescribeSecret"]
    assert result["arn"] is None
    assert result["secret"]["description"] == "d"
    assert names(aws) == []
    assert "diff" not in result  # diff only in diff mode
    assert_no_value(result)


def test_create_then_rerun_is_unchanged(run, aws):
    created = run(name=NAME, secret_string=SECRET, client_request_token=TOKEN, tags={"team": "db"})
    assert created["changed"] is True
    assert created["actions"] == ["DescribeSecret", "CreateSecret"] == run.sent
    assert created["version_id"] == TOKEN
    assert created["name"] == NAME
    stored = aws.get_secret_value(SecretId=NAME)
    assert stored["SecretString"] == SECRET
    assert stored["VersionId"] == TOKEN
    assert created["arn"] == stored["ARN"]
    assert created["secret"]["tags"] == {"team": "db"}

    with_token = run(name=NAME, secret_string=SECRET, client_request_token=TOKEN, tags={"team": "db"})
    assert with_token["changed"] is False
    assert with_token["actions"] == ["DescribeSecret"] == run.sent
    assert with_token["version_id"] == TOKEN
    assert with_token["arn"] == created["arn"]

    without_token = run(name=NAME, secret_string=SECRET)
    assert without_token["changed"] is False
    assert without_token["actions"] == ["DescribeSecret", "GetSecretValue"] == run.sent
    assert without_token["version_id"] == TOKEN

    checked = run(name=NAME, secret_string=SECRET, _ansible_check_mode=True)
    assert checked["changed"] is False
    assert checked["actions"] == ["DescribeSecret", "GetSecretValue"] == run.sent
    assert aws.describe_secret(SecretId=NAME)["VersionIdsToStages"] == {TOKEN: ["AWSCURRENT"]}


def test_debug_botocore_endpoint_logs_returns_the_iam_actions(run, aws, monkeypatch):
    created = run(name=NAME, secret_string=SECRET, client_request_token=TOKEN, debug_botocore_endpoint_logs=True)
    assert created["actions"] == ["DescribeSecret", "CreateSecret"] == run.sent
    assert created["resource_actions"] == ["secretsmanager:DescribeSecret", "secretsmanager:CreateSecret"]
    # From amazon.aws's environment variable too; each action once.
    monkeypatch.setenv("ANSIBLE_DEBUG_BOTOCORE_LOGS", "true")
    updated = run(name=NAME, secret_string="new-" + SECRET, description="d")
    assert updated["resource_actions"] == ["secretsmanager:%s" % action for action in dict.fromkeys(updated["actions"])]
    monkeypatch.delenv("ANSIBLE_DEBUG_BOTOCORE_LOGS")
    assert "resource_actions" not in run(name=NAME, secret_string="new-" + SECRET, description="d")


def test_value_update_without_token_writes_one_new_version(run, aws):
    first = run(name=NAME, secret_string="first-" + SECRET)
    old_version = first["version_id"]
    assert old_version

    updated = run(name=NAME, secret_string=SECRET)
    assert updated["changed"] is True
    assert updated["actions"] == ["DescribeSecret", "GetSecretValue", "PutSecretValue"] == run.sent
    assert updated["version_id"] not in (None, old_version)
    stored = aws.get_secret_value(SecretId=NAME)
    assert stored["SecretString"] == SECRET
    assert stored["VersionId"] == updated["version_id"]
    assert "AWSCURRENT" in stored["VersionStages"]
    stages = aws.describe_secret(SecretId=NAME)["VersionIdsToStages"]
    assert stages[updated["version_id"]] == ["AWSCURRENT"]
    assert stages[old_version] == ["AWSPREVIOUS"]
    assert updated["secret"]["version_ids_to_stages"] == {updated["version_id"]: ["AWSCURRENT"], old_version: ["AWSPREVIOUS"]}
    assert_no_value(updated)


def test_metadata_change_writes_no_version(run, aws):
    run(name=NAME, secret_string=SECRET, client_request_token=TOKEN, description="old")
    result = run(name=NAME, description="new", tags={"a": "1"})
    assert result["changed"] is True
    assert result["actions"] == ["DescribeSecret", "UpdateSecret", "TagResource"] == run.sent
    assert result["version_id"] == TOKEN
    described = aws.describe_secret(SecretId=NAME)
    assert described["Description"] == "new"
    assert described["VersionIdsToStages"] == {TOKEN: ["AWSCURRENT"]}
    assert {t["Key"]: t["Value"] for t in described["Tags"]} == {"a": "1"}


def test_new_token_writes_that_version(run, aws):
    run(name=NAME, secret_string="first-" + SECRET, client_request_token=TOKEN)
    result = run(name=NAME, secret_string=SECRET, client_request_token=TOKEN2)
    assert result["changed"] is True
    # A token DescribeSecret does not list may still be a deprecated version: ListSecretVersionIds says.
    assert result["actions"] == ["DescribeSecret", "ListSecretVersionIds", "PutSecretValue"] == run.sent
    assert result["version_id"] == TOKEN2
    assert aws.get_secret_value(SecretId=NAME)["SecretString"] == SECRET


def test_token_of_the_previous_version_with_another_value_fails_before_any_write(run, aws):
    run(name=NAME, secret_string="first", client_request_token=TOKEN)
    run(name=NAME, secret_string="second", client_request_token=TOKEN2)
    result = run(name=NAME, secret_string=SECRET, client_request_token=TOKEN)
    assert result["failed"] is True
    assert result["changed"] is False
    assert result["option"] == "client_request_token"
    assert "client_request_token" in result["msg"] and "AWSPREVIOUS" in result["msg"]
    assert result["actions"] == ["DescribeSecret", "GetSecretValue"] == run.sent
    assert aws.get_secret_value(SecretId=NAME)["SecretString"] == "second"
    assert_no_value(result)


TOKEN3 = "66666666-6666-4666-8666-666666666666"


@pytest.mark.parametrize("check_mode", [False, True])
def test_token_of_an_older_version_rolls_back(run, aws, check_mode):
    # A -> B -> C -> A: A lost its last label (moto still lists it with []; AWS omits it, see the Stubber tests).
    for token, value in ((TOKEN, "first"), (TOKEN2, "second"), (TOKEN3, "third")):
        run(name=NAME, secret_string=value, client_request_token=token)
    result = run(name=NAME, secret_string="first", client_request_token=TOKEN, _ansible_check_mode=check_mode, _ansible_diff=True)
    assert result["changed"] is True
    assert result["version_id"] == TOKEN
    assert result["secret"]["version_ids_to_stages"][TOKEN] == ["AWSCURRENT"]
    assert result["secret"]["version_ids_to_stages"][TOKEN3] == ["AWSPREVIOUS"]
    assert result["diff"]["before"]["version_id"] == TOKEN3 and result["diff"]["after"]["version_id"] == TOKEN
    reads = ["DescribeSecret", "GetSecretValue"]
    assert result["actions"] == reads + ["UpdateSecretVersionStage"]
    assert run.sent == (reads if check_mode else result["actions"])
    stages = aws.describe_secret(SecretId=NAME)["VersionIdsToStages"]
    assert ("AWSCURRENT" in stages[TOKEN]) is not check_mode
    if not check_mode:
        assert "AWSPREVIOUS" in stages[TOKEN3]
        again = run(name=NAME, secret_string="first", client_request_token=TOKEN)
        assert again["changed"] is False and again["actions"] == ["DescribeSecret"]
    assert_no_value(result, "first")


# ---------------------------------------------------------------- diff mode


def test_diff_mode_shows_before_and_after_without_the_value(run, aws):
    created = run(name=NAME, secret_string=SECRET, description="old", _ansible_diff=True)
    assert created["diff"]["before"] == {"state": "absent"}
    after = created["diff"]["after"]
    assert after["state"] == "present"
    assert after["description"] == "old"
    assert after["value"] == "set, new version"
    assert after["version_id"] == created["version_id"]
    assert_no_value(created)

    changed = run(name=NAME, secret_string="other-" + SECRET, description="new", tags={"t": "1"}, _ansible_diff=True)
    before, after = changed["diff"]["before"], changed["diff"]["after"]
    assert (before["description"], after["description"]) == ("old", "new")
    assert (before["tags"], after["tags"]) == ({}, {"t": "1"})
    assert (before["value"], after["value"]) == ("set", "set, new version")
    assert before["version_id"] == created["version_id"] != after["version_id"] == changed["version_id"]
    assert_no_value(changed, SECRET, "other-" + SECRET)

    same = run(name=NAME, secret_string="other-" + SECRET, description="new", _ansible_diff=True)
    assert same["changed"] is False
    assert same["actions"] == ["DescribeSecret", "GetSecretValue"]
    before, after = dict(same["diff"]["before"]), dict(same["diff"]["after"])
    assert before.pop("value") == "set"
    assert after.pop("value").startswith("set") and "new version" not in same["diff"]["after"]["value"]
    assert before == after


def test_diff_mode_in_check_mode(run, aws):
    run(name=NAME, secret_string=SECRET, client_request_token=TOKEN)
    result = run(name=NAME, secret_json=JSON_VALUE, _ansible_diff=True, _ansible_check_mode=True)
    assert result["changed"] is True
    assert result["actions"] == ["DescribeSecret", "GetSecretValue", "PutSecretValue"]
    assert run.sent == ["DescribeSecret", "GetSecretValue"]
    assert result["diff"]["before"]["version_id"] == TOKEN
    assert result["diff"]["after"]["version_id"] == "(new version)"
    assert result["version_id"] is None
    assert aws.get_secret_value(SecretId=NAME)["SecretString"] == SECRET
    assert_no_value(result)


# ---------------------------------------------------------------- validation: no call, nothing created

INVALID = [
    ("name", dict(name="bad name")),
    ("name", dict(name="a" * 513)),
    ("client_request_token", dict(client_request_token="t" * 31)),
    ("client_request_token", dict(client_request_token="t" * 65)),
    ("description", dict(description="d" * 2049)),
    ("kms_key_id", dict(kms_key_id="k" * 2049)),
    ("type", dict(type="t" * 257)),
    ("secret_string", dict(secret_string=(SECRET + "\u00e9" * 20) * 1500)),
    ("secret_binary", dict(secret_string=None, secret_binary=RAW + "!")),
    ("secret_json", dict(secret_string=None, secret_json='{"password": "%s",' % MEMBER)),
    ("secret_json", dict(secret_string=None, secret_json=json.dumps(MEMBER))),
    ("generate_secret.key", dict(secret_string=None, secret_json=JSON_VALUE, generate_secret={"length": 20})),
    ("tags", dict(tags={"aws:owner": "x"})),
    ("tags", dict(tags={"t%d" % i: "v" for i in range(51)})),
    ("tags", dict(tags={"team": {"nested": "x"}})),
    ("replica_regions[0].region", dict(replica_regions=[{"region": "EU-WEST-1"}])),
    ("replica_regions[1].region", dict(replica_regions=[{"region": "eu-west-1"}, {"region": "eu-west-1"}])),
    ("rotation.automatically_after_days", dict(rotation={"automatically_after_days": 0})),
    # Once left to the argument spec (its text, no option), or crashing it on ansible-core 2.16-2.19.
    ("secret_json", dict(secret_json=JSON_VALUE)),
    ("generate_secret", dict(secret_string=None, secret_binary=RAW_B64, generate_secret={})),
    ("generate_secret", dict(secret_string=None, generate_secret=True)),
    ("rotation", dict(rotation={"automatically_after_days": 3, "schedule_expression": "rate(3 days)"})),
    ("rotation", dict(rotation=30)),
    ("client_request_token", dict(client_request_token=42)),
    ("rotation.duration", dict(rotation={"automatically_after_days": 3, "duration": "3d"})),
    ("rotation.schedule_expression", dict(rotation={"schedule_expression": "rate(1 day);"})),
    ("recovery_window_in_days", dict(state="absent", recovery_window_in_days=6)),
    ("force_delete_without_recovery", dict(state="absent", recovery_window_in_days=7, force_delete_without_recovery=True)),
    ("resource_policy", dict(resource_policy='[{"Effect": "Allow"}]')),
    ("resource_policy", dict(resource_policy="{not json")),
]


@pytest.mark.parametrize("option, args", INVALID, ids=["%s-%d" % (case[0], i) for i, case in enumerate(INVALID)])
@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check"])
def test_validation_failure_makes_no_call(run, aws, option, args, check_mode):
    args = dict(args)
    args.setdefault("name", NAME)
    args.setdefault("secret_string", SECRET)
    args = {k: v for k, v in args.items() if v is not None}
    result = run(_ansible_check_mode=check_mode, **args)
    assert result["failed"] is True
    assert result["option"] == option
    assert result["error_code"] == "ValidationError"
    assert result["msg"].startswith(option + ": ")
    assert result["actions"] == []
    assert run.sent == []
    assert names(aws) == []
    assert_no_value(result)


@pytest.mark.parametrize(
    "args, words",
    [
        (dict(secret_string=SECRET, state="gone"), ["state"]),
    ],
    ids=["state-choice"],
)
def test_argument_spec_failure_makes_no_call(run, aws, args, words):
    result = run(name=NAME, **args)
    assert result["failed"] is True
    for word in words:
        assert word in result["msg"]
    assert result.get("actions", []) == []
    assert run.sent == []
    assert names(aws) == []
    assert_no_value(result)


def test_name_like_an_arn_suffix_warns(run, aws):
    result = run(name="app/db-AbCdEf", secret_string=SECRET)
    assert result["changed"] is True
    assert len(run.warnings) == 1 and "app/db-AbCdEf" in run.warnings[0]
    assert "warnings" not in result  # warnings go through module.warn, not the result
    run(name=NAME, secret_string=SECRET)
    assert run.warnings == []


# ---------------------------------------------------------------- values never come back


@pytest.mark.parametrize(
    "value_args, values",
    [
        (dict(secret_string=SECRET), (SECRET,)),
        (dict(secret_json=JSON_VALUE), (MEMBER, JSON_TEXT, "48213")),
        (dict(secret_json=json.dumps(JSON_VALUE, indent=2)), (MEMBER, JSON_TEXT, "48213")),
        (dict(secret_binary=RAW_B64), (RAW, RAW_B64)),
    ],
    ids=["string", "json", "json-text", "binary"],
)
def test_value_appears_in_no_result_or_failure(run, aws, value_args, values):
    results = [
        run(name=NAME, _ansible_check_mode=True, _ansible_diff=True, **value_args),
        run(name=NAME, _ansible_diff=True, **value_args),
        run(name=NAME, _ansible_diff=True, **value_args),
        run(name=NAME, _ansible_diff=True, client_request_token=TOKEN, **value_args),
        run(name=NAME, _ansible_diff=True, description="x" * 2049, **value_args),  # fails validation
        run(name=NAME, state="absent", _ansible_diff=True, **value_args),
        run(name=NAME, _ansible_diff=True, **value_args),  # restores
    ]
    assert [r["failed"] for r in results] == [False, False, False, False, True, False, False]
    assert [r["changed"] for r in results] == [True, True, False, True, False, True, True]
    for result in results:
        assert_no_value(result, *values)
    stored = aws.get_secret_value(SecretId=NAME)
    if "secret_binary" in value_args:
        assert stored["SecretBinary"] == RAW.encode()
    elif "secret_json" in value_args:
        assert json.loads(stored["SecretString"]) == JSON_VALUE
    else:
        assert stored["SecretString"] == SECRET


def test_aws_failure_reports_what_was_done_and_hides_the_value(run, aws):
    # moto checks that a rotation Lambda exists: the create succeeds, the rotation fails.
    lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:missing"
    result = run(name=NAME, secret_string=SECRET, rotation={"lambda_arn": lambda_arn, "automatically_after_days": 7})
    assert result["failed"] is True
    # CreateSecret succeeded before RotateSecret failed: the task changed something, and says where.
    assert result["changed"] is True
    assert result["arn"] == aws.describe_secret(SecretId=NAME)["ARN"]
    assert result["request_id"]  # moto answers with a request id, as AWS does
    assert result["operation"] == "RotateSecret"
    assert result["error_code"] == "ResourceNotFoundException"
    assert result["msg"].startswith("RotateSecret failed: ResourceNotFoundException")
    assert result["actions"] == ["DescribeSecret", "CreateSecret", "RotateSecret"] == run.sent
    assert names(aws) == [NAME]
    assert_no_value(result)


# ---------------------------------------------------------------- generate_secret


def test_generated_value_is_never_returned_and_stays(run, aws):
    created = run(name=NAME, secret_json={"user": "appuser-x9"}, generate_secret={"key": "password", "length": 40}, _ansible_diff=True)
    assert created["changed"] is True
    assert created["actions"] == ["DescribeSecret", "GetRandomPassword", "CreateSecret"] == run.sent
    stored = aws.get_secret_value(SecretId=NAME)
    document = json.loads(stored["SecretString"])
    assert document["user"] == "appuser-x9"
    password = document["password"]
    assert len(password) == 40
    assert_no_value(created, password, stored["SecretString"])

    again = run(name=NAME, secret_json={"user": "appuser-x9"}, generate_secret={"key": "password", "length": 40}, _ansible_diff=True)
    assert again["changed"] is False
    assert again["actions"] == ["DescribeSecret"] == run.sent  # a generated value is never read back
    assert again["version_id"] == created["version_id"] == stored["VersionId"]
    assert aws.get_secret_value(SecretId=NAME)["SecretString"] == stored["SecretString"]
    assert_no_value(again, password)


def test_generated_plain_value(run, aws):
    created = run(name=NAME, generate_secret={"length": 24, "exclude_punctuation": True}, client_request_token=TOKEN)
    assert created["version_id"] == TOKEN
    password = aws.get_secret_value(SecretId=NAME)["SecretString"]
    assert len(password) == 24 and password.isalnum()
    assert_no_value(created, password)
    assert run(name=NAME, generate_secret={"length": 24, "exclude_punctuation": True}, client_request_token=TOKEN)["changed"] is False


# ---------------------------------------------------------------- absent and restore


def test_absent_then_present_restores(run, aws):
    created = run(name=NAME, secret_string=SECRET, description="d")
    deleted = run(name=NAME, state="absent", recovery_window_in_days=7)
    assert deleted["changed"] is True
    assert deleted["actions"] == ["DescribeSecret", "DeleteSecret"] == run.sent
    assert deleted["deletion_date"]
    assert deleted["version_id"] is None
    assert "DeletedDate" in aws.describe_secret(SecretId=NAME)

    again = run(name=NAME, state="absent", recovery_window_in_days=7)
    assert again["changed"] is False
    assert again["actions"] == ["DescribeSecret"] == run.sent

    refused = run(name=NAME, secret_string=SECRET, restore=False)
    assert refused["failed"] is True
    assert refused["option"] == "restore"
    assert "scheduled for deletion" in refused["msg"]
    assert refused["actions"] == ["DescribeSecret"] == run.sent

    checked = run(name=NAME, secret_string=SECRET, description="d", _ansible_check_mode=True)
    assert checked["changed"] is True
    assert checked["actions"][:2] == ["DescribeSecret", "RestoreSecret"]
    assert run.sent == ["DescribeSecret"]
    assert "DeletedDate" in aws.describe_secret(SecretId=NAME)

    restored = run(name=NAME, secret_string=SECRET, description="d")
    assert restored["changed"] is True
    assert restored["actions"] == ["DescribeSecret", "RestoreSecret", "DescribeSecret", "GetSecretValue"] == run.sent
    assert restored["version_id"] == created["version_id"]
    assert "deleted_date" not in restored["secret"]
    described = aws.describe_secret(SecretId=NAME)
    assert "DeletedDate" not in described
    assert aws.get_secret_value(SecretId=NAME)["SecretString"] == SECRET

    assert run(name=NAME, secret_string=SECRET, description="d")["changed"] is False


def test_absent_on_a_missing_secret_is_unchanged(run, aws):
    result = run(name=NAME, state="absent")
    assert result["changed"] is False
    assert result["actions"] == ["DescribeSecret"] == run.sent
    assert result["arn"] is None


def test_force_delete_removes_the_secret(run, aws):
    run(name=NAME, secret_string=SECRET)
    result = run(name=NAME, state="absent", force_delete_without_recovery=True)
    assert result["changed"] is True
    assert result["actions"] == ["DescribeSecret", "DeleteSecret"]
    assert names(aws) == []
    assert run(name=NAME, state="absent")["changed"] is False


# ---------------------------------------------------------------- what Ansible itself prints


def test_printed_result_masks_the_value_but_not_small_json_numbers(aws, monkeypatch, capsys):
    """Through the real exit_json: Ansible masks the no_log value; the module keeps the JSON value's
    one-character numbers from masking every '1' of the output."""
    with module_args(dict(name=NAME, secret_json=JSON_VALUE)):
        with pytest.raises(SystemExit) as caught:
            secret_module.main()
    assert caught.value.code == 0
    printed = capsys.readouterr().out
    result = json.loads(printed[printed.index("{"):])
    arn = aws.describe_secret(SecretId=NAME)["ARN"]
    assert result["arn"] == arn  # holds 1s: '1' (the port) was not masked
    assert result["changed"] is True
    for value in (MEMBER, "48213", "appuser-x9"):
        assert value not in printed


REAL_PASSWORD = "q7R#v2!mZp9@Lx4$Tb8w"
EVERYDAY_JSON = {"environment": "prod", "region": "us-east-1", "username": "admin", "port": 5432, "password": REAL_PASSWORD}


def _printed(args, capsys):
    """main() through AnsibleModule's real exit_json/fail_json: (exit code, what it printed, the result)."""
    with module_args(args):
        with pytest.raises(SystemExit) as caught:
            secret_module.main()
    printed = capsys.readouterr().out
    return caught.value.code, printed, json.loads(printed[printed.index("{"):])


def test_printed_result_keeps_identifiers_that_hold_json_members(aws, capsys):
    """Members that are everyday words (an environment, the region, a user name) leave the name, the ARN,
    tags, description and diff as AWS holds them; the password and the document are masked (docs/check-and-diff.md)."""
    name = "prod/app/db"
    args = dict(name=name, secret_json=EVERYDAY_JSON, description="Credentials for admin in prod",
                tags={"environment": "prod", "region": "us-east-1"}, _ansible_diff=True)
    code, printed, result = _printed(args, capsys)
    held = aws.describe_secret(SecretId=name)
    assert code == 0 and result["changed"] is True
    assert (result["name"], result["arn"]) == (held["Name"], held["ARN"])
    assert result["version_id"] in held["VersionIdsToStages"]
    assert result["secret"]["description"] == held["Description"] == "Credentials for admin in prod"
    assert result["secret"]["tags"] == {tag["Key"]: tag["Value"] for tag in held["Tags"]}
    assert result["actions"] == ["DescribeSecret", "CreateSecret"]
    assert result["diff"]["after"]["name"] == name and result["diff"]["after"]["tags"] == {"environment": "prod", "region": "us-east-1"}
    for value in (REAL_PASSWORD, json.dumps(EVERYDAY_JSON, separators=(",", ":")), "5432"):
        assert value not in printed

    # A failure: an old token (now AWSPREVIOUS) with another value. The ARN stays whole, the passwords masked.
    first = result["version_id"]
    assert _printed(dict(args, secret_json=dict(EVERYDAY_JSON, password=REAL_PASSWORD[::-1])), capsys)[0] == 0
    code, printed, result = _printed(dict(args, secret_json=dict(EVERYDAY_JSON, password=REAL_PASSWORD * 2), client_request_token=first), capsys)
    assert code == 1 and result["failed"] is True and result["option"] == "client_request_token"
    assert result["arn"] == held["ARN"] and "secret prod/app/db (stages" in result["msg"]
    assert "********" not in json.dumps({k: v for k, v in result.items() if k != "invocation"})
    for value in (REAL_PASSWORD, REAL_PASSWORD[::-1]):
        assert value not in printed
