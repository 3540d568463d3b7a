# -*- coding: utf-8 -*-
"""Faults between botocore and AWS on create, value update and delete.

Every task goes through the fault proxy; what it did is read from moto straight (ListSecretVersionIds
with IncludeDeprecated), so a retried write that made a second version, or a lost secret, shows.
Each fault either reaches moto (delay, late, lost: the write is applied, the client never hears of it)
or not (throttle, error500, reset): both must end in exactly the state the task asked for.
"""

from __future__ import annotations

import datetime

import pytest

from secret_task import run_task, secret_names, versions

NAME = "app/db"
OLD_TOKEN = "00000000-0000-4000-8000-000000000000"
NEW_TOKEN = "11111111-1111-4111-8111-111111111111"
# Only the delay and late faults set a read timeout (the faults hold requests past it): on a loaded
# machine a short timeout would also cut slow replies the test did not mean to fault.
READ_TIMEOUT = 1

FAULTS = ("throttle", "error500", "reset", "delay", "late", "lost")
APPLIED = ("delay", "late", "lost")  # the faulted request reaches moto and is applied
# What the failure message says when the fault outlasts the retries.
SAYS = {
    "throttle": "ThrottlingException",
    "error500": "InternalServiceError",
    "reset": "Connection was closed",
    "delay": "Read timeout",
    "late": "Read timeout",
    "lost": "Connection was closed",
}
ATTEMPTS = 2


def task(fault, **args):
    """The task's arguments: a moderate retry budget, and a read timeout the delay faults outlast."""
    args.setdefault("name", NAME)
    args["aws_config"] = {"retries": {"mode": "standard", "total_max_attempts": ATTEMPTS}}
    if fault in ("delay", "late"):
        args["aws_config"]["read_timeout"] = READ_TIMEOUT
    return args


def run(proxy, args):
    assert proxy.delay >= READ_TIMEOUT + 1, "the delay faults must outlast the read timeout"
    rc, result, output = run_task(proxy.endpoint, args)
    proxy.wait_idle()  # a held 'late' request lands after the client gave up: count it in
    return rc, result, output


def sent_once(proxy, operation, attempts):
    """The operation was tried `attempts` times, all with one ClientRequestToken; return it."""
    tokens = proxy.tokens(operation)
    assert len(tokens) == attempts, "%s attempts seen: %s" % (operation, proxy.seen)
    assert len(set(tokens)) == 1, "a retried %s changed its ClientRequestToken: %s" % (operation, tokens)
    return tokens[0]


@pytest.fixture
def existing(direct):
    """The secret as it is before an update or delete, made straight at moto."""
    direct.create_secret(Name=NAME, SecretString="old value", ClientRequestToken=OLD_TOKEN)
    return direct


# ------------------------------------------------------------------ the task succeeds after retries


@pytest.mark.parametrize("fault", FAULTS)
def test_create_survives(proxy, direct, fault):
    proxy.script({"CreateSecret": [fault]})
    rc, result, output = run(proxy, task(fault, secret_string="first value"))
    assert rc == 0, output
    assert result["changed"] is True
    assert result["actions"] == ["DescribeSecret", "CreateSecret"]
    token = sent_once(proxy, "CreateSecret", 2)
    assert secret_names(direct) == [NAME]
    assert versions(direct, NAME) == {token: ["AWSCURRENT"]}
    assert result["version_id"] == token
    assert direct.get_secret_value(SecretId=NAME)["SecretString"] == "first value"


@pytest.mark.parametrize("fault", FAULTS)
def test_update_survives(proxy, existing, fault):
    proxy.script({"PutSecretValue": [fault]})
    rc, result, output = run(proxy, task(fault, secret_string="new value"))
    assert rc == 0, output
    assert result["changed"] is True
    assert result["actions"] == ["DescribeSecret", "GetSecretValue", "PutSecretValue"]
    token = sent_once(proxy, "PutSecretValue", 2)
    assert token != OLD_TOKEN
    assert versions(existing, NAME) == {OLD_TOKEN: ["AWSPREVIOUS"], token: ["AWSCURRENT"]}
    assert result["version_id"] == token
    assert existing.get_secret_value(SecretId=NAME)["SecretString"] == "new value"


@pytest.mark.parametrize("fault", FAULTS)
def test_delete_survives(proxy, existing, fault):
    proxy.script({"DeleteSecret": [fault]})
    rc, result, output = run(proxy, task(fault, state="absent", recovery_window_in_days=7))
    assert rc == 0, output
    assert result["changed"] is True
    assert proxy.attempts("DeleteSecret") == 2, proxy.seen
    assert_scheduled_for_deletion(existing, days=7)
    assert result["deletion_date"]


@pytest.mark.parametrize("operation", ["CreateSecret", "PutSecretValue"])
def test_given_token_survives_a_lost_reply(proxy, direct, operation):
    if operation == "PutSecretValue":
        direct.create_secret(Name=NAME, SecretString="old value", ClientRequestToken=OLD_TOKEN)
    proxy.script({operation: ["lost"]})
    rc, result, output = run(proxy, task("lost", secret_string="new value", client_request_token=NEW_TOKEN))
    assert rc == 0, output
    assert result["changed"] is True
    assert sent_once(proxy, operation, 2) == NEW_TOKEN
    assert result["version_id"] == NEW_TOKEN
    expected = {NEW_TOKEN: ["AWSCURRENT"]}
    if operation == "PutSecretValue":
        expected[OLD_TOKEN] = ["AWSPREVIOUS"]
    assert versions(direct, NAME) == expected


def assert_scheduled_for_deletion(client, days):
    secret = client.describe_secret(SecretId=NAME)
    assert secret.get("DeletedDate"), secret
    left = secret["DeletedDate"] - datetime.datetime.now(secret["DeletedDate"].tzinfo)
    assert datetime.timedelta(days=days - 1) < left <= datetime.timedelta(days=days), secret["DeletedDate"]
    assert secret_names(client) == [NAME]
    assert versions(client, NAME) == {OLD_TOKEN: ["AWSCURRENT"]}


# ------------------------------------------------------------------ faults that outlast the retry budget


def assert_clear_failure(rc, result, output, operation, fault):
    assert rc != 0, output
    assert result["_status"] == "FAILED!", output
    assert result["changed"] is False
    assert result["msg"].startswith("%s failed: " % operation), result["msg"]
    assert SAYS[fault] in result["msg"], result["msg"]
    assert result["operation"] == operation
    for leak in ("first value", "new value", "********"):  # '********': Ansible masked a value the core let through
        assert leak not in result["msg"], result["msg"]


@pytest.mark.parametrize("fault", FAULTS)
def test_create_fails_clearly_when_faults_outlast_the_retries(proxy, direct, fault):
    proxy.script({"CreateSecret": [fault] * ATTEMPTS})
    rc, result, output = run(proxy, task(fault, secret_string="first value"))
    assert_clear_failure(rc, result, output, "CreateSecret", fault)
    token = sent_once(proxy, "CreateSecret", ATTEMPTS)
    if fault not in APPLIED:
        assert secret_names(direct) == []
        return
    # The write was applied though the task failed: one version. Running the task again, fault-free,
    # finds the value in place and changes nothing.
    assert versions(direct, NAME) == {token: ["AWSCURRENT"]}
    proxy.script({})
    rc, result, output = run(proxy, task(fault, secret_string="first value"))
    assert rc == 0, output
    assert result["changed"] is False
    assert versions(direct, NAME) == {token: ["AWSCURRENT"]}
    assert direct.get_secret_value(SecretId=NAME)["SecretString"] == "first value"


@pytest.mark.parametrize("fault", ["error500", "lost"])
def test_update_fails_clearly_when_faults_outlast_the_retries(proxy, existing, fault):
    proxy.script({"PutSecretValue": [fault] * ATTEMPTS})
    rc, result, output = run(proxy, task(fault, secret_string="new value"))
    assert_clear_failure(rc, result, output, "PutSecretValue", fault)
    token = sent_once(proxy, "PutSecretValue", ATTEMPTS)
    if fault not in APPLIED:
        assert versions(existing, NAME) == {OLD_TOKEN: ["AWSCURRENT"]}
        return
    assert versions(existing, NAME) == {OLD_TOKEN: ["AWSPREVIOUS"], token: ["AWSCURRENT"]}
    proxy.script({})
    rc, result, output = run(proxy, task(fault, secret_string="new value"))
    assert rc == 0, output
    assert result["changed"] is False
    assert versions(existing, NAME) == {OLD_TOKEN: ["AWSPREVIOUS"], token: ["AWSCURRENT"]}
    assert result["version_id"] == token
    assert existing.get_secret_value(SecretId=NAME)["SecretString"] == "new value"


@pytest.mark.parametrize("fault", ["error500", "lost"])
def test_delete_fails_clearly_when_faults_outlast_the_retries(proxy, existing, fault):
    proxy.script({"DeleteSecret": [fault] * ATTEMPTS})
    rc, result, output = run(proxy, task(fault, state="absent", recovery_window_in_days=7))
    assert_clear_failure(rc, result, output, "DeleteSecret", fault)
    assert proxy.attempts("DeleteSecret") == ATTEMPTS
    if fault not in APPLIED:
        assert not existing.describe_secret(SecretId=NAME).get("DeletedDate")
        assert versions(existing, NAME) == {OLD_TOKEN: ["AWSCURRENT"]}
        return
    assert_scheduled_for_deletion(existing, days=7)
    proxy.script({})
    rc, result, output = run(proxy, task(fault, state="absent", recovery_window_in_days=7))
    assert rc == 0, output
    assert result["changed"] is False
    assert_scheduled_for_deletion(existing, days=7)
