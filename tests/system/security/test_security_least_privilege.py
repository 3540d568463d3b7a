# -*- coding: utf-8 -*-
"""Least privilege, against moto with IAM enforcement: a user allowed only DescribeSecret,
CreateSecret, PutSecretValue, TagResource and UntagResource manages secrets with tokens or
overwrite: false (reruns unchanged, never GetSecretValue); a user allowed only DescribeSecret runs
check mode; what needs more fails with a message that names the IAM action. See docs/iam.md."""

from __future__ import annotations

import json
import os
import re
import uuid

import botocore.exceptions
import pytest

from security_support import DOCS_IAM, HERE, PATHS, ansible_env, client, find_leaks, iam_doc_policies, policy_actions, run_ansible, tail

PLAYBOOK = os.path.join(HERE, "least_privilege.yml")
PLUGINS = os.path.join(os.path.dirname(os.path.dirname(DOCS_IAM)), "plugins")
WRITER_ACTIONS = {"DescribeSecret", "ListSecretVersionIds", "CreateSecret", "PutSecretValue", "TagResource", "UntagResource"}


def doc_policy(heading):
    """The first policy under heading in docs/iam.md, its Secrets Manager actions only."""
    return sorted(a for a in policy_actions(iam_doc_policies()[heading][0]) if a.startswith("secretsmanager:"))


USERS = {
    # The writer gets the token-based policy of docs/iam.md (on "*": moto matches no resource ARNs).
    "writer": doc_policy("Token-based workflow"),
    # ListSecretVersionIds reads ids and labels, never a value: it tells a new token from a deprecated version.
    "reader": ["secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"],
    "admin": ["secretsmanager:*"],
}
SETUP_REQUESTS = 3 * len(USERS)  # CreateUser, CreateAccessKey, PutUserPolicy each


def operations_in_code():
    """The Secrets Manager operations the plugins can call: the service's operation names quoted in plugins/."""
    import botocore.session

    operations = set(botocore.session.get_session().get_service_model("secretsmanager").operation_names)
    quoted = set()
    for root, _dirs, files in os.walk(PLUGINS):
        for name in files:
            if name.endswith(".py"):
                with open(os.path.join(root, name), encoding="utf-8") as handle:
                    quoted.update(re.findall(r'"([A-Z][A-Za-z]+)"', handle.read()))
    return operations & quoted


def test_iam_doc_matches_the_code():
    with open(DOCS_IAM, encoding="utf-8") as handle:
        doc = handle.read()
    used = operations_in_code()
    assert {"DescribeSecret", "GetSecretValue", "CreateSecret", "PutSecretValue", "DeleteSecret"} <= used  # the scan works
    assert set(doc_policy("Token-based workflow")) == {"secretsmanager:" + a for a in WRITER_ACTIONS}
    full = set(doc_policy("Full feature set"))
    missing = sorted(op for op in used if "secretsmanager:" + op not in full)
    assert not missing, "the full policy of docs/iam.md lacks %s" % missing
    unexplained = sorted(op for op in used if "`secretsmanager:%s`" % op not in doc)
    assert not unexplained, "docs/iam.md says nothing of %s" % unexplained
    for action in ("kms:Decrypt", "kms:GenerateDataKey"):
        assert action in doc


def policy(actions):
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]})


@pytest.fixture
def iam_moto(moto_factory):
    """A moto server that checks every request after the first SETUP_REQUESTS against IAM, and the
    access keys of the users made with those: {name: (access key id, secret access key)}."""
    server = moto_factory(INITIAL_NO_AUTH_ACTION_COUNT=SETUP_REQUESTS)
    iam = client(server, "iam")
    keys = {}
    for user, actions in USERS.items():
        iam.create_user(UserName=user)
        key = iam.create_access_key(UserName=user)["AccessKey"]
        iam.put_user_policy(UserName=user, PolicyName=user + "-secrets", PolicyDocument=policy(actions))
        keys[user] = (key["AccessKeyId"], key["SecretAccessKey"])
    # Enforcement is on: a key the server does not know is refused, and so is an action the policy lacks.
    with pytest.raises(botocore.exceptions.ClientError):
        client(server).list_secrets()
    with pytest.raises(botocore.exceptions.ClientError):
        client(server, access_key=keys["writer"][0], secret_key=keys["writer"][1]).list_secrets()
    return server, keys


@pytest.mark.parametrize("path", sorted(PATHS))
def test_least_privilege(iam_moto, tmp_path, path):
    server, keys = iam_moto
    run = uuid.uuid4().hex
    prefix = "iam/%s" % path
    values = {"value_%d" % i: "least-privilege-value-%d-%s" % (i, run[:8]) for i in (1, 2, 3)}
    tokens = {"token_%d" % i: "%d%s" % (i, run[1:]) for i in (1, 2, 3)}  # 32 characters each
    vars_file = tmp_path / "vars.json"
    vars_file.write_text(json.dumps(dict(
        values, **tokens, prefix=prefix,
        writer_key=keys["writer"][0], writer_secret=keys["writer"][1],
        reader_key=keys["reader"][0], reader_secret=keys["reader"][1],
    )))
    results_file = tmp_path / "results.json"
    proc = run_ansible(
        PLAYBOOK,
        ansible_env(server.endpoint),
        args=["-vvv"],
        extra_vars={"vars_file": str(vars_file), "results_file": str(results_file), "seed_secretsmanager_in_process": PATHS[path]},
        cwd=str(tmp_path),
    )
    assert proc.returncode == 0, tail(proc.stdout) + tail(proc.stderr)
    output = proc.stdout.decode("utf-8", "replace")
    marker = "runs in the controller process" if PATHS[path] else "runs as a module: turned off"
    assert output.count(marker) == 15
    r = json.loads(results_file.read_text())

    # The writer's token and overwrite: false workflows: changes, then unchanged reruns, never a read of the value.
    expected = {
        "token_create": (True, ["DescribeSecret", "CreateSecret"]),
        "token_unchanged": (False, ["DescribeSecret"]),
        "token_update": (True, ["DescribeSecret", "ListSecretVersionIds", "PutSecretValue", "UntagResource", "TagResource"]),
        "token_update_unchanged": (False, ["DescribeSecret"]),
        "once_create": (True, ["DescribeSecret", "CreateSecret"]),
        "once_unchanged": (False, ["DescribeSecret"]),
        # check mode: the reads performed, then the writes planned
        "reader_check_update": (True, ["DescribeSecret", "ListSecretVersionIds", "PutSecretValue", "TagResource"]),
        "reader_check_create": (True, ["DescribeSecret", "CreateSecret"]),
        "reader_check_generate": (True, ["DescribeSecret", "GetRandomPassword", "CreateSecret"]),
        "reader_check_delete": (True, ["DescribeSecret", "DeleteSecret"]),
    }
    for name, (changed, actions) in expected.items():
        assert not r[name].get("failed"), "%s: %s" % (name, r[name].get("msg"))
        assert (r[name]["changed"], r[name]["actions"]) == (changed, actions), name
    assert r["token_update"]["version_id"] == tokens["token_2"]

    # What needs a denied action fails, names it the way IAM does, and changes nothing.
    denied = {
        "denied_compare": ("GetSecretValue", ["DescribeSecret", "GetSecretValue"]),
        "denied_update": ("UpdateSecret", ["DescribeSecret", "UpdateSecret"]),
        "denied_generate": ("GetRandomPassword", ["DescribeSecret", "GetRandomPassword"]),
        "denied_delete": ("DeleteSecret", ["DescribeSecret", "DeleteSecret"]),
        "denied_policy_read": ("GetResourcePolicy", ["DescribeSecret", "GetResourcePolicy"]),
    }
    for name, (operation, actions) in denied.items():
        result = r[name]
        assert result["failed"] is True and result["changed"] is False, name
        assert result["actions"] == actions, name
        assert result["error_code"] == "AccessDeniedException", "%s: %s" % (name, result.get("error_code"))
        assert "secretsmanager:%s" % operation in result["msg"], "%s: %s" % (name, result["msg"])
        assert "<?xml" not in result["msg"], "%s: %s" % (name, result["msg"])
    assert "secretsmanager:GetSecretValue" in r["denied_lookup"]["msg"]
    assert r["skipped"] == []  # on_denied=skip knows a denial when it sees one

    # The state, read by a user who may read everything.
    admin = client(server, access_key=keys["admin"][0], secret_key=keys["admin"][1])
    token_secret = admin.describe_secret(SecretId=prefix + "/token")
    assert admin.get_secret_value(SecretId=prefix + "/token")["SecretString"] == values["value_2"]
    assert [v for v, stages in token_secret["VersionIdsToStages"].items() if "AWSCURRENT" in stages] == [tokens["token_2"]]
    assert tokens["token_3"] not in token_secret["VersionIdsToStages"]
    assert {t["Key"]: t["Value"] for t in token_secret["Tags"]} == {"team": "b"}
    assert token_secret["Description"] == "managed without GetSecretValue"
    assert admin.get_secret_value(SecretId=prefix + "/once")["SecretString"] == values["value_1"]
    assert "DeletedDate" not in admin.describe_secret(SecretId=prefix + "/once")
    names = [s["Name"] for s in admin.list_secrets(IncludePlannedDeletion=True)["SecretList"]]
    assert sorted(names) == sorted([prefix + "/token", prefix + "/once"])

    # A denial is an error message like any other: no value in it.
    leaks = find_leaks({"stdout": proc.stdout, "stderr": proc.stderr, "results": results_file.read_bytes()}, list(values.values()))
    assert not leaks, leaks[:5]
