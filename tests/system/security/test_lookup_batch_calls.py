# -*- coding: utf-8 -*-
"""The lookup's batched reads counted at moto, through ansible-playbook, with IAM enforced: 100 terms in
5 BatchGetSecretValue requests, a path of 45 secrets in 3, and a user without secretsmanager:BatchGetSecretValue
(a GetSecretValue-only policy) still reading every value, one request a term after the one denied batch.
The requests are counted in moto's log, so they are the requests AWS would bill and throttle. See docs/iam.md."""

from __future__ import annotations

import json
import random

import pytest

from security_support import ansible_env, client, run_ansible, settle_requests, tail

USERS = {
    "admin": ["secretsmanager:*"],
    # docs/iam.md: a least-privilege reader without the batch action (ListSecrets for path)
    "getter": ["secretsmanager:GetSecretValue", "secretsmanager:ListSecrets"],
}
SETUP_REQUESTS = 3 * len(USERS)  # CreateUser, CreateAccessKey, PutUserPolicy each
TERMS = ["calls/term/%03d" % i for i in range(100)]
UNDER_PATH = ["calls/path/%02d" % i for i in range(45)]
BESIDE_PATH = ["calls/path-old/x", "calls/pathx"]

PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Read with the lookup
      ansible.builtin.copy:
        content: "{{ (query('seed.secretsmanager.secret', *terms) if terms else lookup('seed.secretsmanager.secret', path=path)) | to_json }}"
        dest: "{{ out }}"
        mode: "0600"
"""


@pytest.fixture(scope="module")
def iam_moto(tmp_path_factory):
    """One moto server for the module (creating 147 secrets takes a while), IAM enforced after the setup."""
    from with_moto import start_server  # pylint: disable=import-outside-toplevel  # tests/system/conftest.py puts tools/ on the path

    server = start_server(str(tmp_path_factory.mktemp("moto") / "moto.log"), extra_env={"INITIAL_NO_AUTH_ACTION_COUNT": str(SETUP_REQUESTS)})
    try:
        iam = client(server, "iam")
        keys = {}
        for user, actions in USERS.items():
            iam.create_user(UserName=user)
            key = iam.create_access_key(UserName=user)["AccessKey"]
            policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
            iam.put_user_policy(UserName=user, PolicyName=user + "-secrets", PolicyDocument=json.dumps(policy))
            keys[user] = (key["AccessKeyId"], key["SecretAccessKey"])
        admin = client(server, access_key=keys["admin"][0], secret_key=keys["admin"][1])
        for name in TERMS + UNDER_PATH + BESIDE_PATH:
            admin.create_secret(Name=name, SecretString="value of " + name)
        yield server, keys
    finally:
        server.stop()


def read(server, keys, user, tmp_path, terms=(), path=None):
    """The lookup's result and the requests moto answered for it."""
    out = tmp_path / ("out-%s.json" % user)
    playbook = tmp_path / "read.yml"
    playbook.write_text(PLAYBOOK)
    before = settle_requests(server, 0)
    proc = run_ansible(
        str(playbook), ansible_env(server.endpoint),
        extra_vars={"terms": list(terms), "path": path, "out": str(out),
                    "aws_access_key": keys[user][0], "aws_secret_key": keys[user][1]},
        cwd=str(tmp_path),
    )
    assert proc.returncode == 0, tail(proc.stdout) + tail(proc.stderr)
    return json.loads(out.read_text()), settle_requests(server, before + 1) - before


@pytest.mark.parametrize("user, requests", [("admin", 5), ("getter", 1 + 100)])
def test_100_terms(iam_moto, tmp_path, user, requests):
    server, keys = iam_moto
    terms = list(TERMS)
    random.Random(user).shuffle(terms)
    values, answered = read(server, keys, user, tmp_path, terms=terms)
    assert values == ["value of " + term for term in terms]
    assert answered == requests


@pytest.mark.parametrize("user, requests", [("admin", 3), ("getter", 1 + 1 + 45)])
def test_path_of_45(iam_moto, tmp_path, user, requests):
    server, keys = iam_moto
    values, answered = read(server, keys, user, tmp_path, path="calls/path/")
    assert values == {name: "value of " + name for name in UNDER_PATH}
    assert answered == requests
