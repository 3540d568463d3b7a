# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secrets module's front door: from parsed arguments to exit_json or fail_json (see _front.py).

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.
"""

from __future__ import annotations

import typing as t

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import HAS_BOTOCORE
from ansible_collections.seed.secretsmanager.plugins.module_utils._fleet import fleet_execute
from ansible_collections.seed.secretsmanager.plugins.module_utils._front import ModuleInterface, finish
from ansible_collections.seed.secretsmanager.plugins.module_utils._options import (
    fleet_ansible_value_texts,
    fleet_invocation_args,
    fleet_masked_texts,
    fleet_module_spec,
)


def secrets_module_kwargs() -> dict[str, t.Any]:
    """AnsibleModule's keyword arguments for secrets (and the stand-in's)."""
    return dict(fleet_module_spec(), supports_check_mode=True)


def run_secrets(module: ModuleInterface) -> t.NoReturn:
    """The secrets task (a fleet) from parsed arguments to exit_json or fail_json: masked as the secret task is,
    with the rule applied over every item and the defaults (fleet_masked_texts)."""
    module.no_log_values.difference_update(fleet_ansible_value_texts(module.params))
    module.no_log_values.update(fleet_masked_texts(module.params))
    if not HAS_BOTOCORE:
        module.fail_json(msg=missing_required_lib("botocore"))
    generated = []

    def on_generated(value: str) -> None:
        generated.append(value)
        module.no_log_values.add(value)

    result = fleet_execute(module.params, check_mode=module.check_mode, diff=module._diff, mask=on_generated)
    result["invocation"] = {"module_args": fleet_invocation_args(module.params)}
    module.no_log_values.difference_update(fleet_ansible_value_texts(module.params))
    module.no_log_values.update(fleet_masked_texts(module.params, result, generated))
    finish(module, result)
