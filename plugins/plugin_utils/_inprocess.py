# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run a module's core inside the controller's worker process when that is equivalent to running the module.

This is a private plugin_utils file (leading underscore): it is internal to the seed.secretsmanager
collection and may change without notice.

A module run on localhost costs a new Python process per task and per loop item, plus importing
botocore and building a client each time. When the task would run the module on the controller
itself, with the controller's own Python and no become, the same core gives the same result in
the worker process, and the botocore client is kept for the following loop items.
"""

from __future__ import annotations

import json
import os
import sys

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.common.validation import check_type_bool
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import HAS_BOTOCORE

display = Display()

SETTING_VAR = "seed_secretsmanager_in_process"
SETTING_ENV = "SEED_SECRETSMANAGER_IN_PROCESS"
LOCAL_CONNECTIONS = ("local", "ansible.builtin.local", "ansible.legacy.local")


def as_module_args(args):
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


def _inject_invocation(task_vars):
    """Whether a module's result carries its invocation: always before ansible-core 2.21, and then only
    with the INJECT_INVOCATION setting, which AnsibleModule obeys."""
    from ansible import constants as C
    from ansible.errors import AnsibleError

    try:
        return bool(C.config.get_config_value("INJECT_INVOCATION", variables=task_vars))
    except AnsibleError:  # no such setting: ansible-core < 2.21
        return True


def _enabled(value):
    try:
        return check_type_bool(value)
    except TypeError:
        return True


class InProcessAction(ActionBase):
    """Subclasses set MODULE and define _spec() and _execute(params, check_mode, diff, mask)."""

    TRANSFERS_FILES = False
    MODULE = None

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        reason = self._module_execution_reason(task_vars)
        if reason:
            display.vvv("%s runs as a module: %s" % (self.MODULE, reason))
            result.update(self._execute_module(module_name=self.MODULE, module_args=self._task.args, task_vars=task_vars))
        else:
            display.vvv("%s runs in the controller process" % self.MODULE)
            result.update(self._run_in_process(task_vars))
        return result

    def _module_execution_reason(self, task_vars):
        """Why the module must run as a module here, or None when running in-process is equivalent."""
        setting = task_vars.get(SETTING_VAR, os.environ.get(SETTING_ENV, True))
        if not _enabled(self._templar.template(setting)):
            return "turned off by %s" % SETTING_VAR
        if self._connection.transport not in LOCAL_CONNECTIONS:
            return "connection %s is not local" % self._connection.transport
        if self._play_context.become:
            return "become is set"
        if any(self._templar.template(entry) for entry in self._task.environment or []):
            return "the task sets environment"
        if getattr(self._task, "async_val", 0):
            return "the task is async"
        interpreter = task_vars.get("ansible_python_interpreter")
        if interpreter is None:
            return "no python interpreter is set for the host (discovery would choose one)"
        interpreter = self._templar.template(interpreter)
        if os.path.abspath(str(interpreter)) != os.path.abspath(sys.executable):
            return "the host's python (%s) is not the controller's" % interpreter
        if not HAS_BOTOCORE:
            return "botocore does not import on the controller"
        return None

    def _run_in_process(self, task_vars):
        spec = self._spec()
        validator = ArgumentSpecValidator(**spec)
        validated = validator.validate(as_module_args(self._task.args))
        no_log_values = set(validated._no_log_values)
        if validated.error_messages:
            msg = validated.errors.msg
            if validated.unsupported_parameters:
                msg = "Unsupported parameters for (%s) module: %s" % (self.MODULE, msg)
            return remove_values({"failed": True, "msg": msg, "changed": False}, no_log_values)
        params = validated.validated_parameters
        no_log_values.difference_update(self._unmaskable(params))
        result = self._execute(
            params,
            check_mode=bool(self._play_context.check_mode),
            diff=bool(self._play_context.diff),
            mask=no_log_values.add,
        )
        if result.get("warnings") == []:
            del result["warnings"]
        if _inject_invocation(task_vars):
            result["invocation"] = {"module_args": self._invocation_args(params)}
        return remove_values(result, no_log_values)

    def _unmaskable(self, params):
        return set()

    def _invocation_args(self, params):
        return params

    def _spec(self):
        raise NotImplementedError

    def _execute(self, params, check_mode, diff, mask):
        raise NotImplementedError
