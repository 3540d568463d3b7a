# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run a module's core inside the controller's worker process when that is equivalent to running the module.

This is a private plugin_utils file (leading underscore): it is internal to the seed.secretsmanager
collection and may change without notice.

A module run on localhost costs a new Python process per task and per loop item, plus importing
botocore and building a client each time. When the task would run the module on the controller
itself, with the controller's own Python (or one left to discovery) and no become, the same core
gives the same result in the worker process, and the botocore client is kept for the following
loop items.

Both paths go through the same front door (module_utils/_front_<module>.py), written against AnsibleModule's
interface. Here InProcessModule gives that interface to an action plugin: it checks the arguments as
AnsibleModule does and formats the result as AnsibleModule's exit_json and fail_json do, so what the
front door does to a result (masking, warnings, invocation) is the same on both paths.
"""

from __future__ import annotations

import json
import os
import sys
import typing as t

from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.common.validation import check_type_bool
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.release import __version__ as ANSIBLE_CORE_VERSION
from ansible.utils.display import Display

from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import HAS_BOTOCORE

display = Display()

SETTING_VAR = "seed_secretsmanager_in_process"
SETTING_ENV = "SEED_SECRETSMANAGER_IN_PROCESS"
LOCAL_CONNECTIONS = ("local", "ansible.builtin.local", "ansible.legacy.local")
# AnsibleModule keeps each warning once from ansible-core 2.19 on, every one before.
WARN_ONCE = tuple(int(part) for part in ANSIBLE_CORE_VERSION.split(".")[:2]) >= (2, 19)
BOOLEANS = "true/false, yes/no, on/off, y/n, t/f, 1/0"
TO_RUN_IN_PROCESS = "to run it in the controller process"
# The interpreter_python values that leave the choice to discovery (ansible-core's INTERPRETER_PYTHON setting).
DISCOVERY_MODES = ("auto", "auto_silent", "auto_legacy", "auto_legacy_silent")
CONTROLLER_PYTHON = 'set ansible_python_interpreter: "{{ ansible_playbook_python }}" for the host'
# The tasks (by task and host) of this worker process whose reason was shown at -v: once per task, not per loop item.
_EXPLAINED: set[tuple[t.Any, t.Any]] = set()


def as_module_args(args: dict[str, t.Any]) -> dict[str, t.Any]:
    """The task's arguments as a module receives them: through the JSON encoding the controller uses for
    module arguments, so dates become text and ansible-core's own str/dict/list subclasses plain ones,
    exactly as on the module path (and the messages name dict, not _AnsibleTaggedDict)."""
    try:
        from ansible.module_utils.common.json import Direction, get_module_decoder, get_module_encoder
    except ImportError:  # ansible-core < 2.19
        from ansible.module_utils.common.json import AnsibleJSONEncoder

        return json.loads(json.dumps(args, cls=AnsibleJSONEncoder, vault_to_text=True))
    encoder = get_module_encoder("legacy", Direction.CONTROLLER_TO_MODULE)
    decoder = get_module_decoder("legacy", Direction.CONTROLLER_TO_MODULE)
    return json.loads(json.dumps(args, cls=encoder), cls=decoder)


def _inject_invocation(task_vars: dict[str, t.Any]) -> bool:
    """Whether a module's result carries its invocation: always before ansible-core 2.21, and then only
    with the INJECT_INVOCATION setting, which AnsibleModule obeys."""
    from ansible import constants as C

    try:
        return bool(C.config.get_config_value("INJECT_INVOCATION", variables=task_vars))
    except AnsibleError:  # no such setting: ansible-core < 2.21
        return True


class InvalidSwitch(Exception):
    """The in-process switch has a value that is not a boolean: the task fails rather than choose a path."""


class _ModuleExit(Exception):
    """exit_json or fail_json ended the run; AnsibleModule would print result and exit."""

    def __init__(self, result: dict[str, t.Any]) -> None:
        super().__init__()
        self.result = result


class InProcessModule:
    """AnsibleModule's interface, for code that runs inside an action plugin.

    The arguments are checked when it is made, as AnsibleModule checks them (a failure ends the run
    like fail_json). exit_json and fail_json end the run by raising _ModuleExit with the result
    AnsibleModule would return: warnings, deprecations, invocation, masked with no_log_values.
    """

    def __init__(
        self,
        name: str,
        args: dict[str, t.Any],
        argument_spec: dict[str, t.Any],
        *,
        check_mode: bool = False,
        diff: bool = False,
        invocation: bool = True,
        supports_check_mode: bool = False,
        mutually_exclusive: list | None = None,
        required_together: list | None = None,
        required_one_of: list | None = None,
        required_if: list | None = None,
        required_by: dict | None = None,
    ) -> None:
        self._name = name
        self.argument_spec = argument_spec
        self.supports_check_mode = supports_check_mode
        self.check_mode = bool(check_mode)
        self._diff = bool(diff)
        self._invocation = invocation
        self._warnings: list[str] = []
        self._deprecations: list[dict[str, t.Any]] = []
        self.no_log_values: set[str] = set()

        self.params = as_module_args(args)
        validator = ArgumentSpecValidator(argument_spec, mutually_exclusive, required_together, required_one_of, required_if, required_by)
        self.validation_result = validator.validate(self.params)
        self.params.update(self.validation_result.validated_parameters)
        self.no_log_values.update(self.validation_result._no_log_values)
        # What ModuleArgumentSpecValidator reports through the module's warnings and deprecations.
        for deprecation in self.validation_result._deprecations:
            self._deprecations.append({key: deprecation.get(key) for key in ("msg", "version", "date", "collection_name")})
        for warning in self.validation_result._warnings:
            self.warn("Both option {option} and its alias {alias} are set.".format(option=warning["option"], alias=warning["alias"]))

        errors = self.validation_result.errors.errors
        if errors:
            msg = self.validation_result.errors.msg
            if isinstance(errors[0], UnsupportedError):
                msg = "Unsupported parameters for ({name}) {kind}: {msg}".format(name=self._name, kind="module", msg=msg)
            self.fail_json(msg=msg)
        if self.check_mode and not self.supports_check_mode:
            self.exit_json(skipped=True, msg="remote module (%s) does not support check mode" % self._name)

    def warn(self, warning: str) -> None:
        if not isinstance(warning, str):
            raise TypeError("warn requires a string not a %s" % type(warning))
        if not (WARN_ONCE and warning in self._warnings):
            self._warnings.append(warning)

    def exit_json(self, **kwargs: t.Any) -> t.NoReturn:
        raise _ModuleExit(self._return_formatted(kwargs))

    def fail_json(self, msg: str, **kwargs: t.Any) -> t.NoReturn:
        kwargs.update(failed=True, msg=str(msg))
        raise _ModuleExit(self._return_formatted(kwargs))

    def _return_formatted(self, kwargs: dict[str, t.Any]) -> dict[str, t.Any]:
        if not self._invocation:
            kwargs.pop("invocation", None)
        elif "invocation" not in kwargs:
            kwargs["invocation"] = {"module_args": self.params}
        if "warnings" in kwargs:
            warnings = kwargs.pop("warnings")
            for warning in warnings if isinstance(warnings, list) else [warnings]:
                self.warn(warning)
        if self._warnings:
            kwargs["warnings"] = list(self._warnings)
        if self._deprecations:
            kwargs["deprecations"] = list(self._deprecations)
        kwargs.setdefault("changed", False)
        # As AnsibleModule: mask, but never turn a boolean or null result key into text.
        preserved = {key: value for key, value in kwargs.items() if value is None or isinstance(value, bool)}
        kwargs = remove_values(kwargs, self.no_log_values)
        kwargs.update(preserved)
        return kwargs


class InProcessAction(ActionBase):
    """An action plugin that runs its module's front door in the worker process when that is equivalent.

    Subclasses set MODULE and define _module_kwargs() (AnsibleModule's keyword arguments) and
    _run_module(module) (the front door that ends with module.exit_json or module.fail_json).
    """

    TRANSFERS_FILES = False
    MODULE: str = ""

    def run(self, tmp: str | None = None, task_vars: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        try:
            reason, fix = self._module_execution_decision(task_vars)
        except InvalidSwitch as e:
            result.update(failed=True, msg=str(e))
            return result
        if reason:
            display.vvv("%s runs as a module: %s" % (self.MODULE, reason))
            self._explain(reason, fix, task_vars)
            result.update(self._execute_module(module_name=self.MODULE, module_args=self._task.args, task_vars=task_vars))
        else:
            display.vvv("%s runs in the controller process" % self.MODULE)
            result.update(self._run_in_process(task_vars))
        return result

    def _in_process_setting(self, task_vars: dict[str, t.Any]) -> tuple[bool, str]:
        """Whether running in-process is allowed, and by what: the seed_secretsmanager_in_process variable,
        else the SEED_SECRETSMANAGER_IN_PROCESS environment variable, else the default (allowed).
        A value that is not a boolean fails the task rather than choosing a path."""
        if SETTING_VAR in task_vars:
            source, value = "variable %s" % SETTING_VAR, self._templar.template(task_vars[SETTING_VAR])
        elif SETTING_ENV in os.environ:
            source, value = "environment variable %s" % SETTING_ENV, os.environ[SETTING_ENV]
        else:
            return True, "default"
        try:
            return check_type_bool(value), source
        except TypeError:
            raise InvalidSwitch("%s is %r, which is not a boolean; use one of %s" % (source, value, BOOLEANS)) from None

    def _module_execution_reason(self, task_vars: dict[str, t.Any]) -> str | None:
        """Why the module must run as a module here, or None when running in-process is equivalent.
        Raises InvalidSwitch when the switch has a value that is not a boolean."""
        return self._module_execution_decision(task_vars)[0]

    def _module_execution_decision(self, task_vars: dict[str, t.Any]) -> tuple[str | None, str | None]:
        """(why the module runs as a module, what the user can change to run it in-process), or (None, None).

        The second part is None where the reason is what the task is for (another host, async) or where
        the module would fail anyway (no botocore for the controller's python, which is also the module's).
        """
        enabled, source = self._in_process_setting(task_vars)
        if not enabled:
            undo = "set %s to true or remove it" % SETTING_VAR if source.startswith("variable") else "unset %s" % SETTING_ENV
            return "turned off by %s" % source, undo
        if self._connection.transport not in LOCAL_CONNECTIONS:
            return "connection %s is not local" % self._connection.transport, None
        if self._play_context.become:
            return "become is set", "if the task needs no other user's AWS configuration, set become: false on it"
        if any(self._templar.template(entry) for entry in self._task.environment or []):
            return ("the task sets environment",
                    "give AWS settings as the module's options (profile, region, endpoint_url, ...) instead of environment")
        if getattr(self._task, "async_val", 0):
            return "the task is async", None
        interpreter = self._chosen_interpreter(task_vars)
        if interpreter is None:
            # Left to discovery: the user chose no python, so the controller's serves as well as the one
            # discovery would find (which often lacks botocore when Ansible lives in a venv or pipx).
            if not HAS_BOTOCORE:
                return "botocore does not import on the controller (no python interpreter is set for the host: discovery chooses one)", None
            return None, None
        if os.path.abspath(interpreter) != os.path.abspath(sys.executable):
            return "the host's python (%s) is not the controller's" % interpreter, CONTROLLER_PYTHON + " (it needs botocore)"
        if not HAS_BOTOCORE:
            return "botocore does not import on the controller", None
        return None, None

    def _chosen_interpreter(self, task_vars: dict[str, t.Any]) -> str | None:
        """The python the user set for the host (ansible_python_interpreter, else the interpreter_python setting
        of ansible.cfg or ANSIBLE_PYTHON_INTERPRETER), or None when it is left to discovery (unset, or one of
        the auto modes)."""
        interpreter = task_vars.get("ansible_python_interpreter")
        if interpreter is None:
            from ansible import constants as C

            try:
                interpreter = C.config.get_config_value("INTERPRETER_PYTHON", variables=task_vars)
            except AnsibleError:
                interpreter = None
        if interpreter is None:
            return None
        interpreter = str(self._templar.template(interpreter)).strip()
        if interpreter in DISCOVERY_MODES:
            return None
        return interpreter

    def _explain(self, reason: str, fix: str | None, task_vars: dict[str, t.Any]) -> None:
        """At -v, once per task and host: why the task runs as a module, when the user can change that."""
        key = (getattr(self._task, "_uuid", None), task_vars.get("inventory_hostname"))
        if fix is None or key in _EXPLAINED:
            return
        _EXPLAINED.add(key)
        display.v(
            "%s runs as a module, a new process for every task and loop item: %s; %s %s." % (self.MODULE, reason, fix, TO_RUN_IN_PROCESS),
            host=task_vars.get("inventory_hostname"),
        )

    def _run_in_process(self, task_vars: dict[str, t.Any]) -> dict[str, t.Any]:
        try:
            module = InProcessModule(
                self.MODULE,
                self._task.args,
                check_mode=bool(self._play_context.check_mode),
                diff=bool(self._play_context.diff),
                invocation=_inject_invocation(task_vars),
                **self._module_kwargs()
            )
            self._run_module(module)
        except _ModuleExit as done:
            return done.result
        raise AnsibleError("%s ended without exit_json or fail_json" % self.MODULE)

    def _module_kwargs(self) -> dict[str, t.Any]:
        raise NotImplementedError

    def _run_module(self, module: InProcessModule) -> t.NoReturn:
        raise NotImplementedError


def action_plugin(module: str, module_kwargs: t.Callable[[], dict[str, t.Any]], run_module: t.Callable[[t.Any], None]) -> type:
    """The ActionModule class of one module: its name, AnsibleModule's keyword arguments, and its front door."""
    return type(
        "ActionModule",
        (InProcessAction,),
        {"MODULE": module, "_module_kwargs": lambda self: module_kwargs(), "_run_module": lambda self, m: run_module(m)},
    )
