# -*- coding: utf-8 -*-
"""How many attempts a task makes: the documented default, and aws_config.retries.

The proxy counts the attempts. Throttles back off for about a second each, other faults for tens of
milliseconds, so the tests that run out of attempts use InternalServiceError to stay fast.
"""

from __future__ import annotations

import pytest

from secret_task import run_task, secret_names, versions

NAME = "app/retried"
DEFAULT_ATTEMPTS = 5  # as the aws_config documentation says


def create(proxy, retries=None, in_process=True):
    args = {"name": NAME, "secret_string": "s3cr3t-retried"}
    if retries is not None:
        args["aws_config"] = {"retries": retries}
    return run_task(proxy.endpoint, args, in_process=in_process)


def assert_one_version(direct, proxy):
    tokens = proxy.tokens("CreateSecret")
    assert len(set(tokens)) == 1, tokens
    assert versions(direct, NAME) == {tokens[0]: ["AWSCURRENT"]}


def test_default_outlasts_three_throttles(proxy, direct):
    proxy.script({"CreateSecret": ["throttle"] * 3})
    rc, result, output = create(proxy)
    assert rc == 0, output
    assert result["changed"] is True
    assert proxy.attempts("CreateSecret") == 4
    assert_one_version(direct, proxy)


@pytest.mark.parametrize("in_process", [True, False], ids=["in-process", "module"])
def test_default_is_five_attempts(proxy, direct, in_process):
    proxy.script({"CreateSecret": ["error500"] * (DEFAULT_ATTEMPTS + 1)})
    rc, result, output = create(proxy, in_process=in_process)
    assert rc != 0, output
    assert result["msg"] == "CreateSecret failed: InternalServiceError: An error occurred on the server side (injected by the fault proxy)"
    assert proxy.attempts("CreateSecret") == DEFAULT_ATTEMPTS
    assert len(set(proxy.tokens("CreateSecret"))) == 1
    assert secret_names(direct) == []


@pytest.mark.parametrize(
    "retries, attempts",
    [
        ({"total_max_attempts": 1}, 1),
        ({"max_attempts": 0}, 1),  # botocore's max_attempts counts the retries
        ({"mode": "standard", "max_attempts": 2}, 3),
        ({"mode": "legacy", "total_max_attempts": 2}, 2),
    ],
    ids=["total_max_attempts=1", "max_attempts=0", "max_attempts=2", "legacy"],
)
def test_configured_attempts(proxy, direct, retries, attempts):
    fault = "throttle" if attempts == 1 else "error500"
    proxy.script({"CreateSecret": [fault] * (attempts + 1)})
    rc, result, output = create(proxy, retries)
    assert rc != 0, output
    assert result["msg"].startswith("CreateSecret failed: %s: " % ("ThrottlingException" if fault == "throttle" else "InternalServiceError"))
    assert proxy.attempts("CreateSecret") == attempts
    assert secret_names(direct) == []


def test_reads_are_retried_too(proxy, direct):
    direct.create_secret(Name=NAME, SecretString="s3cr3t-retried")
    proxy.script({"DescribeSecret": ["error500", "reset"], "GetSecretValue": ["throttle"]})
    rc, result, output = create(proxy, {"total_max_attempts": 3})
    assert rc == 0, output
    assert result["changed"] is False
    assert result["actions"] == ["DescribeSecret", "GetSecretValue"]
    assert [r.operation for r in proxy.seen] == ["DescribeSecret"] * 3 + ["GetSecretValue"] * 2


@pytest.mark.parametrize(
    "aws_config, says",
    [
        ({"retries": {"max_attempts": -1}}, 'Value provided to "max_attempts": -1'),
        ({"retries": "standard"}, "retries must be a dict"),
        ({"retry": {"max_attempts": 1}}, "unexpected keyword argument 'retry'"),
    ],
    ids=["negative", "not-a-dict", "unknown-option"],
)
def test_bad_retry_config_fails_clearly(proxy, aws_config, says):
    rc, result, output = run_task(proxy.endpoint, {"name": NAME, "secret_string": "s3cr3t-retried", "aws_config": aws_config})
    assert rc != 0, output
    assert result["msg"].startswith("aws_config: "), output
    assert says in result["msg"], output
    assert result.get("error_code") == "ValidationError"
    assert "Traceback" not in output
    assert proxy.seen == []
