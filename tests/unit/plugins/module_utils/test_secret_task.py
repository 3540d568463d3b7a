# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""execute(): the secret task's entry makes the token validate() may not (validate is pure),
and turns every TaskError, from any layer, into a failed result."""

from __future__ import annotations

import uuid

import pytest

from ansible_collections.seed.secretsmanager.plugins.module_utils import _secret
from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import AwsError
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import PlanError

SECRET = "Sup3r-S3cret-Valu3-task"
TOKEN = "22222222-2222-4222-8222-222222222222"


@pytest.fixture
def seen(monkeypatch):
    """The desired states execute() hands to the apply layer; no client, no AWS."""
    desired = []

    def fake_run(api, wanted, check_mode=False, on_generated=None):
        desired.append(wanted)
        return {"changed": False, "diff": {"before": {}, "after": {}}, "actions": [], "warnings": list(wanted.warnings)}

    monkeypatch.setattr(_secret, "secretsmanager_client", lambda params, reuse=False: object())
    monkeypatch.setattr(_secret, "run", fake_run)
    return desired


def test_a_fresh_uuid4_token_per_run_when_none_is_given(seen):
    _secret.execute({"name": "app/db", "secret_string": SECRET})
    _secret.execute({"name": "app/db", "secret_string": SECRET})
    first, second = seen
    assert first.token_given is False and second.token_given is False
    assert uuid.UUID(first.token).version == 4 and uuid.UUID(second.token).version == 4
    assert first.token != second.token


def test_a_given_token_is_used(seen):
    _secret.execute({"name": "app/db", "secret_string": SECRET, "client_request_token": TOKEN})
    assert (seen[0].token, seen[0].token_given) == (TOKEN, True)


def test_diff_is_returned_only_in_diff_mode(seen):
    assert "diff" not in _secret.execute({"name": "app/db"})
    assert "diff" in _secret.execute({"name": "app/db"}, diff=True)


@pytest.mark.parametrize(
    "error, keys",
    [
        (AwsError("DescribeSecret failed: X: y", code="X", operation="DescribeSecret"), {"error_code": "X", "operation": "DescribeSecret"}),
        (PlanError("cannot", option="restore"), {"error_code": "PlanError", "option": "restore"}),
    ],
)
def test_every_task_error_is_a_failed_result(monkeypatch, error, keys):
    def failing_run(api, wanted, check_mode=False, on_generated=None):
        api.actions.append("DescribeSecret")
        raise error

    monkeypatch.setattr(_secret, "secretsmanager_client", lambda params, reuse=False: object())
    monkeypatch.setattr(_secret, "run", failing_run)
    result = _secret.execute({"name": "app/db-AbC123"}, diff=True)
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"] == error.message
    assert {key: result[key] for key in keys} == keys
    assert result["actions"] == ["DescribeSecret"]
    assert len(result["warnings"]) == 1  # validation's warning (the ARN-like suffix) survives the failure
    assert "diff" not in result


def test_bad_input_fails_before_any_client(monkeypatch):
    monkeypatch.setattr(_secret, "secretsmanager_client", lambda params, reuse=False: pytest.fail("a client was built"))
    result = _secret.execute({"name": "app/db", "secret_string": SECRET, "client_request_token": "short"})
    assert result["failed"] is True
    assert result["option"] == "client_request_token"
    assert result["error_code"] == "ValidationError"
    assert result["actions"] == []
    assert SECRET not in repr(result)
