# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secrets module end to end through AnsibleModule against moto's mock_aws: the argument spec, masking
(values never printed, identifiers unmangled), invocation, and RETURN tied to what the module returns."""

from __future__ import annotations

import json

import pytest
import yaml
from ansible.module_utils import basic
from ansible.module_utils.common.parameters import remove_values

from botocore.stub import Stubber

from ansible_collections.seed.secretsmanager.plugins.module_utils import _fleet
from ansible_collections.seed.secretsmanager.plugins.modules import secrets as secrets_module
from ansible_collections.seed.secretsmanager.tests.unit.plugins.module_utils.test_fleet import aws  # noqa: F401  pylint: disable=unused-import
from ansible_collections.seed.secretsmanager.tests.unit.plugins.modules.test_secret_return import assert_returned_as_documented, documented
from ansible_collections.seed.secretsmanager.tests.unit.utils import STUB_ARN, STUB_NAME, STUB_V1, module_args, stub_client

PATH = "mod/app/"
SECRET = "M0dule-Fl33t-Valu3"
MEMBER = "J50n-Memb3r-Fl33t"
TOKEN = "%032d" % 7


class ModuleExit(Exception):
    def __init__(self, result):
        super().__init__(result)
        self.result = result


def _exit_json(self, **kwargs):
    raise ModuleExit(remove_values(kwargs, self.no_log_values))


def _fail_json(self, msg=None, **kwargs):
    kwargs.update(msg=msg, failed=True)
    raise ModuleExit(remove_values(kwargs, self.no_log_values))


@pytest.fixture
def run(aws, monkeypatch):  # noqa: F811
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, warning, **kwargs: warnings.append(warning))

    def runner(**args):
        args.setdefault("concurrency", 1)  # mock_aws's store is not safe for concurrent requests (see test_fleet.py)
        with module_args(dict(args, region="us-east-1")):
            with pytest.raises(ModuleExit) as caught:
                secrets_module.main()
        result = caught.value.result
        result.setdefault("failed", False)
        result["warnings"] = list(warnings)
        json.dumps(result)
        return result

    return runner


def test_values_are_never_returned_and_identifiers_come_back_whole(run, aws):  # noqa: F811
    # "payments" is a member of the JSON value and a part of the name: the name is an identifier, kept whole.
    result = run(path=PATH, _ansible_diff=True, secrets=[
        {"name": PATH + "payments", "secret_json": {"team": "payments", "password": MEMBER}},
        {"name": PATH + "plain", "secret_string": SECRET, "version_id": TOKEN},
        {"name": PATH + "made", "generate_secret": {"length": 24}},
    ])
    assert result["failed"] is False and result["counts"]["created"] == 3
    assert [r["name"] for r in result["results"]] == [PATH + "payments", PATH + "plain", PATH + "made"]
    assert result["results"][1]["version_id"] == TOKEN
    text = json.dumps(result)
    assert SECRET not in text and MEMBER not in text
    generated = aws.get_secret_value(SecretId=PATH + "made")["SecretString"]
    assert generated not in text
    shown = result["invocation"]["module_args"]["secrets"]
    assert shown[0]["secret_json"] == shown[1]["secret_string"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_an_argument_spec_failure_shows_no_value(run, aws):  # noqa: F811
    result = run(concurrency="many", secrets=[{"name": PATH + "x", "secret_string": SECRET}])
    assert result["failed"] is True and "concurrency" in result["msg"]
    assert SECRET not in json.dumps(result)


def test_an_unknown_item_option_is_refused_before_any_call(run, aws):  # noqa: F811
    result = run(secrets=[{"name": PATH + "x", "secret_strin": SECRET}])
    assert result["failed"] is True and "secret_strin" in result["msg"]
    assert aws.list_secrets()["SecretList"] == []


def test_debug_botocore_endpoint_logs_lists_the_iam_actions(run, aws):  # noqa: F811
    result = run(path=PATH, debug_botocore_endpoint_logs=True, secrets=[{"name": PATH + "x", "secret_string": SECRET}])
    assert result["resource_actions"] == ["secretsmanager:ListSecrets", "secretsmanager:DescribeSecret", "secretsmanager:CreateSecret"]


# Dicts whose keys are data: operation names, tag keys, a diff's before and after (the secret module's views).
DATA = {"actions", "before", "after"}


def returned(value, prefix=""):
    paths = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if not prefix and key in ("changed", "failed", "msg", "warnings", "invocation"):
                continue
            paths.add(prefix + key)
            if key not in DATA:
                paths |= returned(item, prefix + key + ".")
    elif isinstance(value, list):
        for item in value:
            paths |= returned(item, prefix[:-1] + "[].")
    return paths


def aws_failures(monkeypatch):
    """AWS refusing one item's write, and the whole task's read, with AWS's request ids (botocore's Stubber)."""
    client = stub_client()
    stubber = Stubber(client)
    monkeypatch.setattr(_fleet, "secretsmanager_client", lambda params, reuse=False: client)
    listed = {"ARN": STUB_ARN, "Name": STUB_NAME, "SecretVersionsToStages": {STUB_V1: ["AWSCURRENT"]}}
    stubber.add_response("list_secrets", {"SecretList": [listed]})
    described = dict(listed, VersionIdsToStages=listed["SecretVersionsToStages"])
    del described["SecretVersionsToStages"]
    stubber.add_response("describe_secret", described)  # the change the listing shows is read again before the write
    stubber.add_client_error("tag_resource", "AccessDeniedException", "denied", 400, response_meta={"RequestId": "req-item"})
    stubber.add_client_error("list_secrets", "AccessDeniedException", "denied", 400, response_meta={"RequestId": "req-list"})
    with stubber:
        results = [
            _fleet.fleet_execute({"region": "us-east-1", "path": "app/", "secrets": [{"name": STUB_NAME, "tags": {"a": "b"}}]}),
            _fleet.fleet_execute({"region": "us-east-1", "path": "app/", "secrets": [{"name": STUB_NAME}]}),
        ]
    stubber.assert_no_pending_responses()
    assert results[0]["results"][0]["request_id"] == "req-item" and results[1]["request_id"] == "req-list"
    return results


def test_secrets_returns_what_its_return_documents(run, aws, monkeypatch):  # noqa: F811
    aws.create_secret(Name=PATH + "taken", SecretString=SECRET, ClientRequestToken=TOKEN)
    aws.put_secret_value(SecretId=PATH + "taken", SecretString="v2", ClientRequestToken="%032d" % 8)
    aws.create_secret(Name=PATH + "unnamed", SecretString=SECRET)
    results = [
        # Everything at once: a create, an item that fails (an old token with another value), diff, endpoint logs.
        run(path=PATH, _ansible_diff=True, debug_botocore_endpoint_logs=True, secrets=[
            {"name": PATH + "new", "secret_string": SECRET},
            {"name": PATH + "taken", "secret_string": "v3", "client_request_token": TOKEN},
        ]),
        # Check mode, unchanged, and purge of a secret no item names.
        run(path=PATH, purge=True, _ansible_check_mode=True, secrets=[{"name": PATH + "new"}, {"name": PATH + "taken"}]),
        # Bad input of the whole task.
        run(path=PATH, secrets=[{"name": "elsewhere/x"}]),
    ] + aws_failures(monkeypatch)
    failing = results[0]["results"][1]
    assert failing["failed"] is True and failing["error_code"] == "PlanError"
    doc = yaml.safe_load(secrets_module.RETURN)
    seen = set().union(*(returned(r) for r in results))
    assert sorted(seen - documented(doc)) == [], "returned but not documented"
    assert sorted(documented(doc) - seen) == [], "documented but never returned"
    assert_returned_as_documented(doc, results)
