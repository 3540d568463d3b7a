# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""plugin_utils/_inprocess.py: when the action plugins run the front door in the worker process, and
InProcessModule, the AnsibleModule stand-in they give it, compared with a real AnsibleModule.

The decision tests start from a task for which every condition holds (local connection, the
controller's own python, no become, no environment, not async, botocore there, no switch set) and
change one thing each, so each fails if the check for that one thing is taken out.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from unittest import mock

import pytest
from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.module_utils import basic
from ansible.module_utils.common import warnings as module_warnings
from ansible.module_utils.common.parameters import PASS_VARS
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.seed.secretsmanager.plugins.action.secret import ActionModule as SecretAction
from ansible_collections.seed.secretsmanager.plugins.action.secret_info import ActionModule as SecretInfoAction
from ansible_collections.seed.secretsmanager.plugins.module_utils import _front_info, _front_secret
from ansible_collections.seed.secretsmanager.plugins.modules import secret as secret_module
from ansible_collections.seed.secretsmanager.plugins.plugin_utils import _inprocess
from ansible_collections.seed.secretsmanager.plugins.plugin_utils._inprocess import InProcessModule, _ModuleExit
from ansible_collections.seed.secretsmanager.tests.unit.utils import module_args

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core < 2.19: every string is a template

    def trust_as_template(value):
        return value


SECRET = "seed.secretsmanager.secret"
BOOLEANS = "true/false, yes/no, on/off, y/n, t/f, 1/0"
OFF_BY_VARIABLE = "turned off by variable seed_secretsmanager_in_process"
OFF_BY_ENVIRONMENT = "turned off by environment variable SEED_SECRETSMANAGER_IN_PROCESS"


# ---------------------------------------------------------------- the decision


@pytest.fixture(autouse=True)
def no_switch_in_env(monkeypatch):
    monkeypatch.delenv(_inprocess.SETTING_ENV, raising=False)
    monkeypatch.setattr(_inprocess, "HAS_BOTOCORE", True)


def make_action(cls=SecretAction, transport="local", become=False, environment=None, async_val=0, variables=None, args=None):
    task = mock.MagicMock()
    task.environment = environment if environment is not None else []
    task.async_val = async_val
    task.check_mode = False
    task.args = args if args is not None else {}
    connection = mock.MagicMock()
    connection.transport = transport
    connection._shell.tmpdir = None
    play_context = mock.MagicMock()
    play_context.become = become
    play_context.check_mode = False
    play_context.diff = False
    loader = DataLoader()
    return cls(task, connection, play_context, loader, Templar(loader=loader, variables=variables or {}), None)


def host_vars(**extra):
    """The task's variables when the host's python is the controller's."""
    return dict({"ansible_python_interpreter": sys.executable}, **extra)


def test_all_conditions_hold_runs_in_process():
    assert make_action()._module_execution_reason(host_vars()) is None


@pytest.mark.parametrize("transport", ["local", "ansible.builtin.local", "ansible.legacy.local"])
def test_each_name_of_the_local_connection_runs_in_process(transport):
    assert make_action(transport=transport)._module_execution_reason(host_vars()) is None


def test_a_connection_that_is_not_local_runs_the_module():
    reason = make_action(transport="ssh")._module_execution_reason(host_vars())
    assert reason == "connection ssh is not local"


def test_become_runs_the_module():
    assert make_action(become=True)._module_execution_reason(host_vars()) == "become is set"


def test_task_environment_runs_the_module():
    action = make_action(environment=[{"AWS_PROFILE": "other"}])
    assert action._module_execution_reason(host_vars()) == "the task sets environment"


@pytest.mark.parametrize("environment", [[], [{}], [trust_as_template("{{ no_environment }}")]], ids=["none", "empty", "templated-empty"])
def test_an_empty_task_environment_runs_in_process(environment):
    action = make_action(environment=environment, variables={"no_environment": {}})
    assert action._module_execution_reason(host_vars()) is None


def test_a_templated_task_environment_that_is_not_empty_runs_the_module():
    action = make_action(environment=[trust_as_template("{{ some_environment }}")], variables={"some_environment": {"A": "1"}})
    assert action._module_execution_reason(host_vars()) == "the task sets environment"


def test_async_runs_the_module():
    assert make_action(async_val=30)._module_execution_reason(host_vars()) == "the task is async"


def test_an_interpreter_left_to_discovery_runs_in_process(monkeypatch):
    monkeypatch.delenv("ANSIBLE_PYTHON_INTERPRETER", raising=False)
    assert make_action()._module_execution_reason({}) is None


@pytest.mark.parametrize("mode", ["auto", "auto_silent", "auto_legacy", "auto_legacy_silent"])
def test_a_discovery_mode_set_for_the_host_runs_in_process(mode):
    assert make_action()._module_execution_reason({"ansible_python_interpreter": mode}) is None


def test_an_interpreter_left_to_discovery_without_botocore_here_runs_the_module(monkeypatch):
    monkeypatch.setattr(_inprocess, "HAS_BOTOCORE", False)
    assert make_action()._module_execution_decision({}) == (
        "botocore does not import on the controller (no python interpreter is set for the host: discovery chooses one)", None)


def test_an_interpreter_set_in_the_configuration_counts_as_set(monkeypatch):
    # interpreter_python in ansible.cfg or ANSIBLE_PYTHON_INTERPRETER: the user chose that python.
    monkeypatch.setenv("ANSIBLE_PYTHON_INTERPRETER", "/usr/bin/python-configured")
    assert make_action()._module_execution_reason({}) == "the host's python (/usr/bin/python-configured) is not the controller's"
    monkeypatch.setenv("ANSIBLE_PYTHON_INTERPRETER", sys.executable)
    assert make_action()._module_execution_reason({}) is None


def test_another_interpreter_runs_the_module():
    reason = make_action()._module_execution_reason({"ansible_python_interpreter": "/usr/bin/python-elsewhere"})
    assert reason == "the host's python (/usr/bin/python-elsewhere) is not the controller's"


def test_the_interpreter_is_templated_and_compared_as_an_absolute_path():
    variables = {"controller_python": os.path.join(os.path.dirname(sys.executable), ".", os.path.basename(sys.executable))}
    action = make_action(variables=variables)
    assert action._module_execution_reason({"ansible_python_interpreter": trust_as_template("{{ controller_python }}")}) is None


def test_no_botocore_on_the_controller_runs_the_module(monkeypatch):
    monkeypatch.setattr(_inprocess, "HAS_BOTOCORE", False)
    assert make_action()._module_execution_reason(host_vars()) == "botocore does not import on the controller"


@pytest.mark.parametrize("value", [False, "false", "no", "off", "0", 0])
def test_the_variable_turns_it_off(value):
    reason = make_action()._module_execution_reason(host_vars(seed_secretsmanager_in_process=value))
    assert reason == OFF_BY_VARIABLE


@pytest.mark.parametrize("value", [True, "true", "yes", "on", "1", 1])
def test_the_variable_set_to_true_runs_in_process(value):
    assert make_action()._module_execution_reason(host_vars(seed_secretsmanager_in_process=value)) is None


def test_the_variable_is_templated():
    action = make_action(variables={"flag": False})
    reason = action._module_execution_reason(host_vars(seed_secretsmanager_in_process=trust_as_template("{{ flag }}")))
    assert reason == OFF_BY_VARIABLE


@pytest.mark.parametrize("value", ["false", "no", "0", "False"])
def test_the_environment_variable_turns_it_off(monkeypatch, value):
    monkeypatch.setenv("SEED_SECRETSMANAGER_IN_PROCESS", value)
    reason = make_action()._module_execution_reason(host_vars())
    assert reason == OFF_BY_ENVIRONMENT


def test_the_environment_variable_set_to_true_runs_in_process(monkeypatch):
    monkeypatch.setenv("SEED_SECRETSMANAGER_IN_PROCESS", "true")
    assert make_action()._module_execution_reason(host_vars()) is None


def test_the_variable_wins_over_the_environment_variable(monkeypatch):
    monkeypatch.setenv("SEED_SECRETSMANAGER_IN_PROCESS", "false")
    assert make_action()._module_execution_reason(host_vars(seed_secretsmanager_in_process=True)) is None
    monkeypatch.setenv("SEED_SECRETSMANAGER_IN_PROCESS", "true")
    reason = make_action()._module_execution_reason(host_vars(seed_secretsmanager_in_process=False))
    assert reason == OFF_BY_VARIABLE


# ---------------------------------------------------------------- an invalid switch fails the task


@pytest.mark.parametrize("value", ["flase", "", "maybe", None, [], 2])
def test_an_invalid_variable_fails_the_task_and_names_it(value):
    action = make_action()
    with mock.patch.object(action, "_execute_module") as module, mock.patch.object(action, "_run_in_process") as in_process:
        result = action.run(task_vars=host_vars(seed_secretsmanager_in_process=value))
    assert result["failed"] is True
    assert result["msg"] == "variable seed_secretsmanager_in_process is %r, which is not a boolean; use one of %s" % (value, BOOLEANS)
    module.assert_not_called()
    in_process.assert_not_called()


@pytest.mark.parametrize("value", ["flase", ""])
def test_an_invalid_environment_variable_fails_the_task_and_names_it(monkeypatch, value):
    monkeypatch.setenv("SEED_SECRETSMANAGER_IN_PROCESS", value)
    action = make_action()
    with mock.patch.object(action, "_execute_module") as module, mock.patch.object(action, "_run_in_process") as in_process:
        result = action.run(task_vars=host_vars())
    assert result["failed"] is True
    assert result["msg"] == "environment variable SEED_SECRETSMANAGER_IN_PROCESS is %r, which is not a boolean; use one of %s" % (value, BOOLEANS)
    module.assert_not_called()
    in_process.assert_not_called()


def test_a_valid_variable_wins_over_an_invalid_environment_variable(monkeypatch):
    monkeypatch.setenv("SEED_SECRETSMANAGER_IN_PROCESS", "flase")
    assert make_action()._module_execution_reason(host_vars(seed_secretsmanager_in_process="no")) == OFF_BY_VARIABLE


# ---------------------------------------------------------------- run(): the -v message


CONTROLLER_PYTHON_FIX = 'set ansible_python_interpreter: "{{ ansible_playbook_python }}" for the host'


@pytest.fixture
def shown(monkeypatch):
    """The messages run() shows at -v (display.v), each as (text, host); a fresh record of explained tasks."""
    messages = []
    monkeypatch.setattr(_inprocess, "_EXPLAINED", set(), raising=False)
    monkeypatch.setattr(_inprocess.display, "v", lambda msg, host=None: messages.append((msg, host)))
    return messages


def run_items(action, task_vars, items=3):
    """run() as a loop of `items` items runs it: the same task, an action plugin per item."""
    with mock.patch.object(_inprocess.InProcessAction, "_execute_module", return_value={"changed": False}), \
            mock.patch.object(_inprocess.InProcessAction, "_run_in_process", return_value={"changed": False}):
        for _item in range(items):
            copy = make_action(args={"name": "x"})
            copy._task, copy._connection, copy._play_context = action._task, action._connection, action._play_context
            copy.run(task_vars=dict(task_vars, inventory_hostname="localhost"))


@pytest.mark.parametrize("action_kwargs, task_vars, reason, fix", [
    ({}, {"ansible_python_interpreter": "/usr/bin/python-elsewhere"},
     "the host's python (/usr/bin/python-elsewhere) is not the controller's", CONTROLLER_PYTHON_FIX + " (it needs botocore)"),
    ({"become": True}, host_vars(), "become is set", "if the task needs no other user's AWS configuration, set become: false on it"),
    ({"environment": [{"AWS_PROFILE": "prod"}]}, host_vars(), "the task sets environment",
     "give AWS settings as the module's options (profile, region, endpoint_url, ...) instead of environment"),
    ({}, host_vars(seed_secretsmanager_in_process=False), OFF_BY_VARIABLE, "set seed_secretsmanager_in_process to true or remove it"),
])
def test_a_reason_the_user_can_change_is_shown_once_per_task_at_v(shown, action_kwargs, task_vars, reason, fix):
    run_items(make_action(**action_kwargs), task_vars)
    assert shown == [("%s runs as a module, a new process for every task and loop item: %s; %s to run it in the controller process."
                      % (SECRET, reason, fix), "localhost")]


def test_the_environment_variable_switch_says_to_unset_it(shown, monkeypatch):
    monkeypatch.setenv(_inprocess.SETTING_ENV, "false")
    run_items(make_action(), host_vars())
    assert len(shown) == 1
    assert shown[0][0].endswith(": %s; unset SEED_SECRETSMANAGER_IN_PROCESS to run it in the controller process." % OFF_BY_ENVIRONMENT)


def test_each_task_gets_its_own_message(shown):
    other = {"ansible_python_interpreter": "/usr/bin/python-elsewhere"}
    run_items(make_action(), other, items=2)
    run_items(make_action(), other, items=2)
    assert len(shown) == 2


@pytest.mark.parametrize("action_kwargs, task_vars", [
    ({}, host_vars()),  # in-process: nothing to explain
    ({"transport": "ssh"}, host_vars()),  # another host: running there is what the task is for
])
def test_no_message_when_in_process_or_the_reason_is_the_task_itself(shown, action_kwargs, task_vars):
    run_items(make_action(**action_kwargs), task_vars)
    assert shown == []


def test_async_has_no_fix_to_offer():
    assert make_action(async_val=30)._module_execution_decision(host_vars()) == ("the task is async", None)


def test_no_message_when_botocore_is_missing_on_the_controller(shown, monkeypatch):
    monkeypatch.setattr(_inprocess, "HAS_BOTOCORE", False)
    run_items(make_action(), host_vars())
    assert shown == []


# ---------------------------------------------------------------- run(): which path is taken


def test_run_calls_the_module_when_there_is_a_reason():
    action = make_action(become=True, args={"name": "x"})
    with mock.patch.object(action, "_execute_module", return_value={"changed": False, "from": "module"}) as module:
        result = action.run(task_vars=host_vars())
    assert result["from"] == "module"
    module.assert_called_once()
    assert module.call_args.kwargs["module_name"] == SECRET
    assert module.call_args.kwargs["module_args"] == {"name": "x"}


@pytest.mark.parametrize("cls, name", [(SecretAction, SECRET), (SecretInfoAction, "seed.secretsmanager.secret_info")])
def test_run_in_process_checks_the_arguments_as_the_module_does(cls, name):
    action = make_action(cls=cls, args={"name": "x", "no_such_option": 1})
    with mock.patch.object(action, "_execute_module") as module:
        result = action.run(task_vars=host_vars())
    module.assert_not_called()
    assert result["failed"] is True
    assert result["msg"].startswith("Unsupported parameters for (%s) module: no_such_option. Supported parameters include: " % name)


def test_run_in_process_fails_without_exit_json(monkeypatch):
    action = make_action(args={"name": "x"})
    monkeypatch.setattr(action, "_run_module", lambda module: None)
    with pytest.raises(AnsibleError, match="ended without exit_json or fail_json"):
        action.run(task_vars=host_vars())


@pytest.mark.parametrize("setting, expected", [(True, True), (False, False)])
def test_invocation_follows_inject_invocation(monkeypatch, setting, expected):
    monkeypatch.setattr(C.config, "get_config_value", lambda name, variables=None: setting)
    assert _inprocess._inject_invocation({}) is expected


def test_invocation_is_always_there_before_inject_invocation_exists(monkeypatch):
    def no_such_setting(name, variables=None):
        raise AnsibleError("no such setting %s" % name)

    monkeypatch.setattr(C.config, "get_config_value", no_such_setting)
    assert _inprocess._inject_invocation({}) is True


# ---------------------------------------------------------------- InProcessModule against AnsibleModule


SPEC = {
    "argument_spec": {
        "name": {"type": "str", "required": True, "aliases": ["secret_id"]},
        "password": {"type": "str", "no_log": True},
        "count": {"type": "int", "default": 3},
    },
    "mutually_exclusive": [["count", "password"]],
    "supports_check_mode": True,
}
NAME = "x.y.z"


@contextlib.contextmanager
def as_on_a_managed_node(monkeypatch):
    """A real AnsibleModule in this (controller) process: it collects its warnings as on a managed node,
    from an empty list, instead of showing them on the controller's display."""
    try:
        from ansible.module_utils import _internal
    except ImportError:  # ansible-core < 2.19: no controller switch
        _internal = None
    with monkeypatch.context() as patch:
        if _internal is not None:
            patch.setattr(_internal, "is_controller", False)
        patch.setattr(module_warnings, "_global_warnings", type(module_warnings._global_warnings)())
        patch.setattr(module_warnings, "_global_deprecations", type(module_warnings._global_deprecations)())
        yield


def real(monkeypatch, args, body=None, check_mode=False, spec=None, invocation=True):
    """What a real AnsibleModule prints for args (then body(module) runs, if the arguments pass)."""
    printed = io.StringIO()
    internal = {"_ansible_module_name": NAME, "_ansible_check_mode": check_mode}
    if "inject_invocation" in PASS_VARS:
        # ansible-core 2.21+: the controller tells the module whether to add its invocation (INJECT_INVOCATION).
        internal["_ansible_inject_invocation"] = invocation
    with as_on_a_managed_node(monkeypatch), module_args(dict(args, **internal)), contextlib.redirect_stdout(printed):
        with pytest.raises(SystemExit):
            module = basic.AnsibleModule(**(spec or SPEC))
            body(module)
    result = json.loads(printed.getvalue())
    # The controller reads warnings as text; ansible-core 2.19+ prints them as objects.
    result["warnings"] = [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])] or None
    if result["warnings"] is None:
        del result["warnings"]
    result.setdefault("changed", False)  # the controller's task executor adds it to every result
    result.pop("exception", None)
    return result


def stand_in(args, body=None, check_mode=False, invocation=True, spec=None):
    with pytest.raises(_ModuleExit) as done:
        module = InProcessModule(NAME, args, check_mode=check_mode, invocation=invocation, **(spec or SPEC))
        body(module)
    return done.value.result


def test_unsupported_parameters_fail_as_with_ansible_module(monkeypatch):
    args = {"name": "a", "nope": 1, "other": "x"}
    expected = real(monkeypatch, args)
    got = stand_in(args)
    assert got == expected
    assert got["msg"] == (
        "Unsupported parameters for (x.y.z) module: nope, other. Supported parameters include: count, name, password (secret_id)."
    )
    assert got["failed"] is True
    assert got["invocation"] == {"module_args": {"name": "a", "nope": 1, "other": "x", "count": 3, "password": None}}


def test_a_missing_required_option_fails_as_with_ansible_module(monkeypatch):
    expected = real(monkeypatch, {"count": 1})
    got = stand_in({"count": 1})
    assert got == expected
    assert got["msg"] == "missing required arguments: name"
    assert got["failed"] is True


def test_mutually_exclusive_options_fail_as_with_ansible_module(monkeypatch):
    args = {"name": "a", "count": 1, "password": "Hunter-22-xyz"}
    got = stand_in(args)
    assert got == real(monkeypatch, args)
    assert got["msg"] == "parameters are mutually exclusive: count|password"
    assert "Hunter-22-xyz" not in json.dumps(got)


def test_no_log_values_are_masked_in_the_result_as_with_ansible_module(monkeypatch):
    args = {"name": "a", "password": "Hunter-22-xyz"}

    def body(module):
        module.exit_json(changed=True, echo="the password is Hunter-22-xyz", exact="Hunter-22-xyz", flag=True, nothing=None)

    got = stand_in(args, body)
    assert got == real(monkeypatch, args, body)
    assert got["echo"] == "the password is ********"
    assert got["exact"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert got["invocation"]["module_args"]["password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert got["flag"] is True and got["nothing"] is None and got["changed"] is True


def test_values_added_to_no_log_values_are_masked_too(monkeypatch):
    def body(module):
        module.no_log_values.add("generated-Value-77")
        module.exit_json(changed=True, note="made generated-Value-77")

    got = stand_in({"name": "a"}, body)
    assert got == real(monkeypatch, {"name": "a"}, body)
    assert got["note"] == "made ********"


def test_warnings_as_with_ansible_module(monkeypatch):
    def body(module):
        module.warn("first")
        module.warn("second")
        module.warn("first")
        module.exit_json()

    args = {"name": "a", "secret_id": "b"}
    got = stand_in(args, body)
    assert got == real(monkeypatch, args, body)  # a repeated warning: once from ansible-core 2.19 on, as there
    assert got["warnings"][:3] == ["Both option name and its alias secret_id are set.", "first", "second"]


def test_a_deprecated_alias_is_reported_as_with_ansible_module(monkeypatch):
    spec = {"argument_spec": {"name": {"type": "str", "aliases": ["old_name"], "deprecated_aliases": [
        {"name": "old_name", "version": "9.0.0", "collection_name": "x.y"}]}}}
    printed = io.StringIO()
    with as_on_a_managed_node(monkeypatch), module_args({"old_name": "a", "_ansible_module_name": NAME}), contextlib.redirect_stdout(printed):
        with pytest.raises(SystemExit):
            basic.AnsibleModule(**spec).exit_json()
    expected = json.loads(printed.getvalue())["deprecations"]
    got = stand_in({"old_name": "a"}, lambda module: module.exit_json(), spec=spec)["deprecations"]
    # ansible-core 2.19+ prints its deprecation objects; the controller reads the older dicts as well
    assert [d["msg"] for d in got] == [d["event"]["msg"] if "event" in d else d["msg"] for d in expected]
    assert got == [{"msg": "Alias 'old_name' is deprecated. See the module docs for more information",
                    "version": "9.0.0", "date": None, "collection_name": "x.y"}]


def test_no_warnings_no_warnings_key(monkeypatch):
    def body(module):
        module.exit_json(changed=False)

    got = stand_in({"name": "a"}, body)
    assert got == real(monkeypatch, {"name": "a"}, body)
    assert "warnings" not in got


def test_fail_json_shape_as_with_ansible_module(monkeypatch):
    def body(module):
        module.fail_json(msg="it broke", error_code="Boom", actions=["DescribeSecret"])

    got = stand_in({"name": "a"}, body)
    assert got == real(monkeypatch, {"name": "a"}, body)
    assert got == {
        "failed": True,
        "changed": False,
        "msg": "it broke",
        "error_code": "Boom",
        "actions": ["DescribeSecret"],
        "invocation": {"module_args": {"name": "a", "count": 3, "password": None}},
    }


def test_invocation_given_to_exit_json_is_kept(monkeypatch):
    def body(module):
        module.exit_json(invocation={"module_args": {"shown": "this"}})

    got = stand_in({"name": "a"}, body)
    assert got == real(monkeypatch, {"name": "a"}, body)
    assert got["invocation"] == {"module_args": {"shown": "this"}}


@pytest.mark.parametrize("explicit", [False, True])
def test_no_invocation_when_the_core_would_not_inject_it(explicit):
    def body(module):
        if explicit:
            module.exit_json(invocation={"module_args": {"shown": "this"}})
        module.exit_json()

    assert "invocation" not in stand_in({"name": "a"}, body, invocation=False)
    assert "invocation" not in stand_in({"name": "a", "nope": 1}, invocation=False)


def test_check_mode_and_diff_reach_the_module():
    module = InProcessModule(NAME, {"name": "a"}, check_mode=True, diff=True, **SPEC)
    assert module.check_mode is True and module._diff is True
    assert module.params == {"name": "a", "count": 3, "password": None}


def test_check_mode_without_support_skips_as_with_ansible_module(monkeypatch):
    spec = dict(SPEC, supports_check_mode=False)
    got = stand_in({"name": "a"}, check_mode=True, spec=spec)
    assert got == real(monkeypatch, {"name": "a"}, check_mode=True, spec=spec)
    assert got["skipped"] is True
    assert got["msg"] == "remote module (x.y.z) does not support check mode"


def test_arguments_arrive_as_a_module_receives_them():
    """Through the module JSON encoding: the task's own str/dict subclasses become plain ones."""

    class Tagged(str):
        pass

    module = InProcessModule(NAME, {"name": Tagged("a")}, **SPEC)
    assert isinstance(module.params["name"], str) and not isinstance(module.params["name"], Tagged)


# ---------------------------------------------------------------- the front door on both


def _secret_on_both(monkeypatch, args):
    """run_secret's result through InProcessModule and through the module's main() with a real AnsibleModule."""
    monkeypatch.setattr(_front_secret, "HAS_BOTOCORE", True)
    got = stand_in(args, _front_secret.run_secret, spec=_front_secret.secret_module_kwargs())
    printed = io.StringIO()
    internal = {"_ansible_module_name": SECRET}
    if "inject_invocation" in PASS_VARS:
        internal["_ansible_inject_invocation"] = True
    with as_on_a_managed_node(monkeypatch), module_args(dict(args, **internal)), contextlib.redirect_stdout(printed):
        with pytest.raises(SystemExit):
            secret_module.main()
    expected = json.loads(printed.getvalue())
    expected.pop("exception", None)
    return got, expected


def test_the_secret_front_door_gives_the_same_failure_on_both(monkeypatch):
    """run_secret through InProcessModule and through a real AnsibleModule (the module's main()), on a
    failure that needs no AWS: the core's own validation, with a value to mask and its invocation."""
    args = {"name": "app/db", "secret_string": "Sup3r-S3cret-Valu3-7c1d", "client_request_token": "too-short", "region": "us-east-1"}
    got, expected = _secret_on_both(monkeypatch, args)
    assert got == expected
    assert got["failed"] is True
    assert got["error_code"] == "ValidationError"
    assert got["invocation"]["module_args"]["secret_string"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert "Sup3r-S3cret-Valu3-7c1d" not in json.dumps(got)


# Inputs that ansible-core's argument check used to fail (with its own text, no option) or crash on
# (ansible-core 2.16-2.19, a non-dict value of a dict option with suboptions): the module's own checks now
# name the option, the same way on both paths. (id, arguments, option, words of the message)
OWN_CHECKS = [
    ("string-and-json", {"secret_string": "Sup3r-S3cret-Valu3-7c1d", "secret_json": {"k": "Js0n-Memb3r-Valu3-44ab"}},
     "secret_json", ["mutually exclusive", "secret_string"]),
    ("json-and-binary", {"secret_json": {"k": "Js0n-Memb3r-Valu3-44ab"}, "secret_binary": "YWJj"}, "secret_binary", ["mutually exclusive", "secret_json"]),
    ("binary-and-generate", {"secret_binary": "YWJj", "generate_secret": {}}, "generate_secret", ["mutually exclusive", "secret_binary"]),
    ("generate-true", {"generate_secret": True}, "generate_secret", ["must be a dict", "bool", "{length: 32}"]),
    ("generate-number", {"generate_secret": 30}, "generate_secret", ["must be a dict", "int"]),
    ("generate-text", {"generate_secret": "strong"}, "generate_secret", ["must be a dict", "str"]),
    ("generate-list", {"generate_secret": [{"length": 20}]}, "generate_secret", ["must be a dict", "list"]),
    ("generate-length-text", {"generate_secret": {"length": "twenty"}}, "generate_secret.length", ["whole number", "str"]),
    ("generate-flag-not-bool", {"generate_secret": {"exclude_numbers": "sometimes"}}, "generate_secret.exclude_numbers", ["boolean"]),
    ("generate-unknown", {"generate_secret": {"lenght": 20}}, "generate_secret.lenght", ["unsupported parameter", "length"]),
    ("rotation-number", {"secret_string": "Sup3r-S3cret-Valu3-7c1d", "rotation": 30}, "rotation", ["must be a dict", "int", "automatically_after_days"]),
    ("rotation-text", {"secret_string": "Sup3r-S3cret-Valu3-7c1d", "rotation": "monthly"}, "rotation", ["must be a dict", "str"]),
    ("rotation-bool", {"secret_string": "Sup3r-S3cret-Valu3-7c1d", "rotation": False}, "rotation", ["must be a dict", "bool", "{enabled: false} cancels"]),
    ("rotation-metadata-not-list", {"rotation": {"automatically_after_days": 5, "external_metadata": "a=b"}},
     "rotation.external_metadata", ["must be a list", "str"]),
    ("rotation-metadata-no-value", {"rotation": {"automatically_after_days": 5, "external_metadata": [{"key": "a"}]}},
     "rotation.external_metadata[0].value", ["is required"]),
    ("rotation-days-and-schedule", {"rotation": {"automatically_after_days": 7, "schedule_expression": "rate(7 days)"}},
     "rotation", ["mutually exclusive", "automatically_after_days", "schedule_expression"]),
    ("token-digits", {"secret_string": "Sup3r-S3cret-Valu3-7c1d", "client_request_token": 42}, "client_request_token", ["must be a string", "int", "quote"]),
    ("version-id-digits", {"secret_string": "Sup3r-S3cret-Valu3-7c1d", "version_id": 42}, "client_request_token", ["must be a string", "int", "version_id"]),
    ("token-float", {"secret_string": "Sup3r-S3cret-Valu3-7c1d", "client_request_token": 1e40}, "client_request_token", ["must be a string", "float"]),
]


@pytest.mark.parametrize("args, option, words", [pytest.param(a, o, w, id=i) for i, a, o, w in OWN_CHECKS])
def test_the_module_checks_name_the_option_on_both_paths(monkeypatch, args, option, words):
    args = dict({"name": "app/db", "region": "us-east-1"}, **args)
    got, expected = _secret_on_both(monkeypatch, args)
    assert got == expected
    assert got["failed"] is True
    assert got["error_code"] == "ValidationError"
    assert got["option"] == option
    assert got["msg"].startswith(option + ": ")
    assert [word for word in words if word not in got["msg"]] == [], got["msg"]
    assert got["actions"] == []
    for value in ("Sup3r-S3cret-Valu3-7c1d", "Js0n-Memb3r-Valu3-44ab"):
        assert value not in json.dumps(got)


def test_debug_botocore_endpoint_logs_adds_resource_actions_on_both_paths(monkeypatch):
    # A failure before any call: resource_actions is there, and empty, on both paths.
    args = {"name": "app/db", "region": "us-east-1", "secret_string": "x", "client_request_token": "short", "debug_botocore_endpoint_logs": True}
    got, expected = _secret_on_both(monkeypatch, args)
    assert got == expected
    assert got["option"] == "client_request_token"
    assert got["resource_actions"] == []
    args["debug_botocore_endpoint_logs"] = False
    got, expected = _secret_on_both(monkeypatch, args)
    assert got == expected
    assert "resource_actions" not in got


def test_missing_botocore_fails_through_the_front_door(monkeypatch):
    monkeypatch.setattr(_front_secret, "HAS_BOTOCORE", False)
    monkeypatch.setattr(_front_info, "HAS_BOTOCORE", False)
    for run, spec in ((_front_secret.run_secret, _front_secret.secret_module_kwargs()),
                      (_front_info.run_secret_info, _front_info.secret_info_module_kwargs())):
        got = stand_in({"name": "a"}, run, spec=spec)
        assert got["failed"] is True
        assert "botocore" in got["msg"]
