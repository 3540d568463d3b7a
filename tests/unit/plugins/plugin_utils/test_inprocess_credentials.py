# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Credential errors of secret and secret_info run in the controller process (the action plugins), with the
tasks and checks of tests/unit/plugins/modules/test_credential_errors.py, which runs them as modules."""

from __future__ import annotations

import sys
from unittest import mock

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.seed.secretsmanager.plugins.action.secret import ActionModule as SecretAction
from ansible_collections.seed.secretsmanager.plugins.action.secret_info import ActionModule as SecretInfoAction
from ansible_collections.seed.secretsmanager.plugins.plugin_utils import _inprocess
from ansible_collections.seed.secretsmanager.tests.unit.plugins.modules.test_credential_errors import (
    HALF_A_KEY_PAIR,
    TASKS,
    check_half_a_key_pair,
    check_no_credentials,
)

ACTIONS = [(SecretAction, args) for _module, args in TASKS[:1]] + [(SecretInfoAction, args) for _module, args in TASKS[1:]]


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


@pytest.mark.parametrize("action_class, args", ACTIONS, ids=["secret", "secret_info"])
def test_no_credentials(no_credentials, monkeypatch, action_class, args):
    check_no_credentials(in_process(action_class, dict(args), monkeypatch))


@pytest.mark.parametrize("action_class, args", ACTIONS, ids=["secret", "secret_info"])
def test_half_a_key_pair_in_the_profile(no_credentials, monkeypatch, action_class, args):
    (no_credentials / "credentials").write_text(HALF_A_KEY_PAIR)
    check_half_a_key_pair(in_process(action_class, dict(args, profile="half"), monkeypatch))
