# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Credential errors of secret and secret_info run as modules (main()): they say where credentials come from,
with botocore's code. The other execution path, in the controller process, is tested by
tests/unit/plugins/plugin_utils/test_inprocess_credentials.py with the same tasks and checks."""

from __future__ import annotations

import pytest
from ansible.module_utils import basic

from ansible_collections.seed.secretsmanager.plugins.modules import secret, secret_info
from ansible_collections.seed.secretsmanager.tests.unit.conftest import CREDENTIAL_SOURCE_WORDS
from ansible_collections.seed.secretsmanager.tests.unit.utils import module_args

VALUE = "credential-test-value-81c2"
CONNECTION = {"region": "us-east-1", "endpoint_url": "http://127.0.0.1:9"}  # nothing listens there: nothing may be sent
TASKS = [
    (secret, dict(CONNECTION, name="app/db", secret_string=VALUE)),
    (secret_info, dict(CONNECTION, name="app/db")),
]


class _Done(Exception):
    def __init__(self, result):
        super().__init__(result)
        self.result = result


def as_module(module, args, monkeypatch):
    def done(self, msg=None, **result):
        if msg is not None:
            result["msg"] = msg
        raise _Done(result)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", done)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", lambda self, msg, **result: done(self, msg, failed=True, **result))
    with module_args(args), pytest.raises(_Done) as finished:
        module.main()
    return finished.value.result


def check_no_credentials(result):
    assert result["failed"] is True
    assert result["error_code"] == "NoCredentialsError"
    assert result["msg"].startswith("DescribeSecret failed: Unable to locate credentials. AWS credentials come from ")
    for word in CREDENTIAL_SOURCE_WORDS:
        assert word in result["msg"], word
    assert VALUE not in str(result)


def check_half_a_key_pair(result):
    assert result["failed"] is True
    assert result["error_code"] == "PartialCredentialsError"
    assert "missing: aws_secret_access_key" in result["msg"]
    for word in CREDENTIAL_SOURCE_WORDS:
        assert word in result["msg"], word


HALF_A_KEY_PAIR = "[half]\naws_access_key_id = AKIAHALF\n"


@pytest.mark.parametrize("module, args", TASKS, ids=["secret", "secret_info"])
def test_no_credentials(no_credentials, monkeypatch, module, args):
    check_no_credentials(as_module(module, dict(args), monkeypatch))


@pytest.mark.parametrize("module, args", TASKS, ids=["secret", "secret_info"])
def test_half_a_key_pair_in_the_profile(no_credentials, monkeypatch, module, args):
    (no_credentials / "credentials").write_text(HALF_A_KEY_PAIR)
    check_half_a_key_pair(as_module(module, dict(args, profile="half"), monkeypatch))
