# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Credential errors of secret and secret_info on both execution paths: as a module (main()) and in the
controller process (the action plugin). Both say where credentials come from, with botocore's code."""

from __future__ import annotations

import sys
from unittest import mock

import pytest
from ansible.module_utils import basic
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.seed.secretsmanager.plugins.action.secret import ActionModule as SecretAction
from ansible_collections.seed.secretsmanager.plugins.action.secret_info import ActionModule as SecretInfoAction
from ansible_collections.seed.secretsmanager.plugins.modules import secret, secret_info
from ansible_collections.seed.secretsmanager.plugins.plugin_utils import _inprocess
from ansible_collections.seed.secretsmanager.tests.unit.conftest import CREDENTIAL_SOURCE_WORDS
from ansible_collections.seed.secretsmanager.tests.unit.utils import module_args

VALUE = "credential-test-value-81c2"
CONNECTION = {"region": "us-east-1", "endpoint_url": "http://127.0.0.1:9"}  # nothing listens there: nothing may be sent
TASKS = [
    (secret, SecretAction, dict(CONNECTION, name="app/db", secret_string=VALUE)),
    (secret_info, SecretInfoAction, dict(CONNECTION, name="app/db")),
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


def in_process(action_class, args, monkeypatch):
    monkeypatch.delenv(_inprocess.SETTING_ENV, raising=False)
    task = mock.MagicMock(environment=[], async_val=0, check_mode=False, args=args)
    connection = mock.MagicMock(transport="local")
    connection._shell.tmpdir = None
    play_context = mock.MagicMock(become=False, check_mode=False, diff=False)
    loader = DataLoader()
    action = action_class(task, connection, play_context, loader, Templar(loader=loader, variables={}), None)
    with mock.patch.object(action, "_execute_module", side_effect=AssertionError("ran as a module")):
        return action.run(task_vars={"ansible_python_interpreter": sys.executable})


@pytest.mark.parametrize("path", [as_module, in_process], ids=["module", "in-process"])
@pytest.mark.parametrize("module, action_class, args", TASKS, ids=["secret", "secret_info"])
def test_no_credentials(no_credentials, monkeypatch, path, module, action_class, args):
    result = path(module if path is as_module else action_class, dict(args), monkeypatch)
    assert result["failed"] is True
    assert result["error_code"] == "NoCredentialsError"
    assert result["msg"].startswith("DescribeSecret failed: Unable to locate credentials. AWS credentials come from ")
    for word in CREDENTIAL_SOURCE_WORDS:
        assert word in result["msg"], word
    assert VALUE not in str(result)


@pytest.mark.parametrize("path", [as_module, in_process], ids=["module", "in-process"])
@pytest.mark.parametrize("module, action_class, args", TASKS, ids=["secret", "secret_info"])
def test_half_a_key_pair_in_the_profile(no_credentials, monkeypatch, path, module, action_class, args):
    (no_credentials / "credentials").write_text("[half]\naws_access_key_id = AKIAHALF\n")
    result = path(module if path is as_module else action_class, dict(args, profile="half"), monkeypatch)
    assert result["failed"] is True
    assert result["error_code"] == "PartialCredentialsError"
    assert "missing: aws_secret_access_key" in result["msg"]
    for word in CREDENTIAL_SOURCE_WORDS:
        assert word in result["msg"], word
