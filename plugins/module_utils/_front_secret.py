# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secret module's front door: from parsed arguments to exit_json or fail_json (see _front.py).

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.
"""

from __future__ import annotations

import typing as t

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import HAS_BOTOCORE
from ansible_collections.seed.secretsmanager.plugins.module_utils._front import ModuleInterface, finish
from ansible_collections.seed.secretsmanager.plugins.module_utils._options import ansible_value_texts, invocation_args, masked_texts, module_spec
from ansible_collections.seed.secretsmanager.plugins.module_utils._secret import execute


def secret_module_kwargs() -> dict[str, t.Any]:
    """AnsibleModule's keyword arguments for secret (and the stand-in's)."""
    return dict(module_spec(), supports_check_mode=True)


def run_secret(module: ModuleInterface) -> t.NoReturn:
    """The secret task from parsed arguments to exit_json or fail_json."""
    _mask(module, masked_texts(module.params))
    if not HAS_BOTOCORE:
        module.fail_json(msg=missing_required_lib("botocore"))
    generated = []

    def on_generated(value: str) -> None:
        generated.append(value)
        module.no_log_values.add(value)  # at once: masked even if the task ends in a way not foreseen here

    result = execute(module.params, check_mode=module.check_mode, diff=module._diff, mask=on_generated)
    result["invocation"] = {"module_args": invocation_args(module.params)}
    _mask(module, masked_texts(module.params, result, generated))
    finish(module, result)


def _mask(module: ModuleInterface, masked: set) -> None:
    """Mask what masked_texts says instead of every leaf Ansible collected from the value options.
    exit_json and fail_json (AnsibleModule's, or the in-process stand-in's) then mask the result with it."""
    module.no_log_values.difference_update(ansible_value_texts(module.params))
    module.no_log_values.update(masked)
