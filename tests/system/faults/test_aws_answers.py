# -*- coding: utf-8 -*-
"""AWS answers neither moto nor LocalStack gives, made up by the fault proxy in front of moto, with a real
ansible-playbook run of the secret task on both execution paths (in the controller process, and as a module).

The unit tests with botocore's Stubber (tests/unit/plugins/module_utils/test_secret_stubbed.py,
test_secret_replicas_stubbed.py) drive the core alone; these check the same cases through the action plugin,
the module, botocore's real retry handlers and HTTP: what the task returned, which requests reached the proxy,
and what moto holds afterwards.

Waits are kept short: the core's first delay is 1 s and doubles, so N refusals cost 1 + 2 + ... seconds.
"""

from __future__ import annotations

import pytest

from secret_task import run_task

NAME = "app/answers"
REPLICA = "eu-west-1"
# AWS's answers, as the ERROR_TABLE rows of plugins/module_utils/_aws.py match them (kinds DELETED,
# PROPAGATING and LIMIT_EXCEEDED) and the stubbed unit tests quote them.
WAS_DELETED = "You can't create this secret because a secret with this name was deleted."
NEW_PRINCIPAL = "This resource policy contains an unsupported principal."
QUOTA = "You have exceeded the quota of versions for this secret."
CONFLICT = "Secret with this name already exists in this region"
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/new"},
                                                  "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}
REFUSALS = 2  # refused twice, then let through: the task waits 1 s + 2 s

PATHS = pytest.mark.parametrize("in_process", [True, False], ids=["in-process", "module"])


def operations(proxy):
    return [request.operation for request in proxy.seen]


def run(proxy, args, in_process):
    rc, result, output = run_task(proxy.endpoint, dict(args, name=NAME), in_process=in_process)
    proxy.wait_idle()
    return rc, result, output


# ---------------------------------------------------------------- a Failed replica


def failed_replica(reply):
    """DescribeSecret's answer with the replica Failed, as AWS shows a replica it could not make."""
    for status in reply.get("ReplicationStatus") or []:
        if status["Region"] == REPLICA:
            status.update(Status="Failed", StatusMessage=CONFLICT)


@pytest.fixture
def replicated(proxy, direct):
    direct.create_secret(Name=NAME, SecretString="a value", AddReplicaRegions=[{"Region": REPLICA}])
    proxy.rewrite("failed", failed_replica)
    proxy.script({"DescribeSecret": ["failed"]})
    return direct


@PATHS
def test_a_failed_replica_fails_before_any_write_naming_region_and_reason(proxy, replicated, in_process):
    rc, result, output = run(proxy, {"replica_regions": [{"region": REPLICA}]}, in_process)
    assert rc != 0 and result["_status"] == "FAILED!", output
    assert result["changed"] is False
    assert REPLICA in result["msg"] and CONFLICT in result["msg"], output
    assert result.get("option") == "replica_regions", output
    assert operations(proxy) == ["DescribeSecret"], proxy.seen
    assert [r["Region"] for r in replicated.describe_secret(SecretId=NAME)["ReplicationStatus"]] == [REPLICA]


@PATHS
def test_a_failed_replica_with_force_is_removed_and_replicated_again(proxy, replicated, in_process):
    rc, result, output = run(proxy, {"replica_regions": [{"region": REPLICA}], "force_overwrite_replica_secret": True}, in_process)
    assert rc == 0 and result["changed"] is True, output
    assert result["actions"] == ["DescribeSecret", "RemoveRegionsFromReplication", "ReplicateSecretToRegions"], output
    assert operations(proxy) == result["actions"], proxy.seen
    assert proxy.documents("RemoveRegionsFromReplication")[0]["RemoveReplicaRegions"] == [REPLICA]
    replicate = proxy.documents("ReplicateSecretToRegions")[0]
    assert replicate["ForceOverwriteReplicaSecret"] is True
    assert [r["Region"] for r in replicate["AddReplicaRegions"]] == [REPLICA]
    status = replicated.describe_secret(SecretId=NAME)["ReplicationStatus"]
    assert [(r["Region"], r["Status"]) for r in status] == [(REPLICA, "InSync")]


# ---------------------------------------------------------------- create refused after a force delete


@PATHS
def test_create_refused_after_a_force_delete_is_waited_for(proxy, direct, in_process):
    proxy.answer("deleted", "InvalidRequestException", WAS_DELETED)
    proxy.script({"CreateSecret": ["deleted"] * REFUSALS})
    rc, result, output = run(proxy, {"secret_string": "first value", "wait_timeout": 20}, in_process)
    assert rc == 0 and result["changed"] is True, output
    assert result["actions"] == ["DescribeSecret"] + ["CreateSecret"] * (REFUSALS + 1), output
    assert proxy.attempts("CreateSecret") == REFUSALS + 1, proxy.seen
    assert len(set(proxy.tokens("CreateSecret"))) == 1, "the wait retries the same request: %s" % proxy.seen
    assert direct.get_secret_value(SecretId=NAME)["SecretString"] == "first value"


@PATHS
def test_create_refused_with_wait_timeout_0_fails_with_aws_message(proxy, direct, in_process):
    proxy.answer("deleted", "InvalidRequestException", WAS_DELETED)
    proxy.script({"CreateSecret": ["deleted"] * REFUSALS})
    rc, result, output = run(proxy, {"secret_string": "first value", "wait_timeout": 0}, in_process)
    assert rc != 0 and result["_status"] == "FAILED!", output
    assert WAS_DELETED in result["msg"] and "restore" not in result["msg"], output
    assert result["changed"] is False
    assert proxy.attempts("CreateSecret") == 1, proxy.seen
    assert result.get("request_id") == proxy.request_ids[0], output
    assert direct.list_secrets()["SecretList"] == [], (output, proxy.seen)


# ---------------------------------------------------------------- a principal not valid yet


@PATHS
def test_a_policy_naming_a_new_principal_is_waited_for(proxy, direct, in_process):
    proxy.answer("principal", "MalformedPolicyDocumentException", NEW_PRINCIPAL)
    proxy.script({"PutResourcePolicy": ["principal"] * REFUSALS})
    rc, result, output = run(proxy, {"secret_string": "a value", "resource_policy": POLICY, "wait_timeout": 20}, in_process)
    assert rc == 0 and result["changed"] is True, output
    assert result["actions"] == ["DescribeSecret", "CreateSecret"] + ["PutResourcePolicy"] * (REFUSALS + 1), output
    assert proxy.attempts("PutResourcePolicy") == REFUSALS + 1, proxy.seen
    assert direct.get_resource_policy(SecretId=NAME).get("ResourcePolicy"), "the policy never reached moto"


@PATHS
def test_a_principal_refused_past_wait_timeout_reports_the_create(proxy, direct, in_process):
    proxy.answer("principal", "MalformedPolicyDocumentException", NEW_PRINCIPAL)
    proxy.script({"PutResourcePolicy": ["principal"] * 20})
    rc, result, output = run(proxy, {"secret_string": "a value", "resource_policy": POLICY, "wait_timeout": 2}, in_process)
    assert rc != 0 and result["_status"] == "FAILED!", output
    assert NEW_PRINCIPAL in result["msg"] and "wait_timeout" in result["msg"], output
    assert result["changed"] is True, output  # the secret was made by this task
    arn = direct.describe_secret(SecretId=NAME)["ARN"]
    assert result["arn"] == arn, output
    refused = proxy.attempts("PutResourcePolicy")
    assert refused >= 2, "no wait before giving up: %s" % proxy.seen
    assert result["actions"] == ["DescribeSecret", "CreateSecret"] + ["PutResourcePolicy"] * refused, output
    assert result["request_id"] == proxy.request_ids[-1], output
    assert result.get("error_code") == "MalformedPolicyDocumentException", output
    assert "ResourcePolicy" not in direct.get_resource_policy(SecretId=NAME)


# ---------------------------------------------------------------- a quota is not retried


@PATHS
def test_limit_exceeded_is_sent_once(proxy, direct, in_process):
    direct.create_secret(Name=NAME, SecretString="old value")
    proxy.answer("quota", "LimitExceededException", QUOTA)
    proxy.script({"PutSecretValue": ["quota"] * 5})
    # No aws_config: botocore's standard mode with the collection's 5 attempts, which would retry the quota.
    rc, result, output = run(proxy, {"secret_string": "new value"}, in_process)
    assert rc != 0 and result["_status"] == "FAILED!", output
    assert "LimitExceededException" in result["msg"] or QUOTA in result["msg"], output
    assert result.get("error_code") == "LimitExceededException", output
    assert proxy.attempts("PutSecretValue") == 1, proxy.seen
    assert direct.get_secret_value(SecretId=NAME)["SecretString"] == "old value"
