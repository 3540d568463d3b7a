# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one front door of the secret and secret_info modules: what runs once the arguments are parsed.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

Written against AnsibleModule's interface only (the ModuleInterface below), so the same code serves
the modules, which pass an AnsibleModule, and the action plugins running the core in the controller's
worker process, which pass plugin_utils/_inprocess.py's stand-in. Whatever is done to a result here
(masking, warnings, invocation, fail or exit) is then done the same way on both execution paths.
"""

from __future__ import annotations

import typing as t

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import HAS_BOTOCORE, resource_actions
from ansible_collections.seed.secretsmanager.plugins.module_utils._fleet import fleet_execute
from ansible_collections.seed.secretsmanager.plugins.module_utils._options import (
    ansible_value_texts,
    fleet_ansible_value_texts,
    fleet_invocation_args,
    fleet_masked_texts,
    fleet_module_spec,
    invocation_args,
    masked_texts,
    module_spec,
)
from ansible_collections.seed.secretsmanager.plugins.module_utils._read import info_execute, info_module_spec
from ansible_collections.seed.secretsmanager.plugins.module_utils._secret import execute


class ModuleInterface(t.Protocol):
    """The part of AnsibleModule this file uses; AnsibleModule and the in-process stand-in both have it."""

    params: dict[str, t.Any]
    check_mode: bool
    _diff: bool
    no_log_values: set[str]

    def warn(self, warning: str) -> None:
        """Add a warning to the result."""

    def fail_json(self, msg: str, **kwargs: t.Any) -> t.NoReturn:
        """End the task as failed with msg and the other result keys."""

    def exit_json(self, **kwargs: t.Any) -> t.NoReturn:
        """End the task with these result keys."""


def secret_module_kwargs() -> dict[str, t.Any]:
    """AnsibleModule's keyword arguments for secret (and the stand-in's)."""
    return dict(module_spec(), supports_check_mode=True)


def secret_info_module_kwargs() -> dict[str, t.Any]:
    """AnsibleModule's keyword arguments for secret_info (and the stand-in's)."""
    return dict(info_module_spec(), supports_check_mode=True)


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
    _finish(module, result)


def _mask(module: ModuleInterface, masked: set) -> None:
    """Mask what masked_texts says instead of every leaf Ansible collected from the value options.
    exit_json and fail_json (AnsibleModule's, or the in-process stand-in's) then mask the result with it."""
    module.no_log_values.difference_update(ansible_value_texts(module.params))
    module.no_log_values.update(masked)


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
    _finish(module, result)


def run_secret_info(module: ModuleInterface) -> t.NoReturn:
    """The secret_info task from parsed arguments to exit_json or fail_json."""
    if not HAS_BOTOCORE:
        module.fail_json(msg=missing_required_lib("botocore"))
    _finish(module, info_execute(module.params))


def _finish(module: ModuleInterface, result: dict[str, t.Any]) -> t.NoReturn:
    # Warnings through module.warn: passing them to exit_json is deprecated since ansible-core 2.19.
    for warning in result.pop("warnings", []):
        module.warn(warning)
    with_endpoint_logs(result, module.params)
    if result.pop("failed", False):
        module.fail_json(**result)
    module.exit_json(**result)


def with_endpoint_logs(result: dict[str, t.Any], params: dict[str, t.Any]) -> dict[str, t.Any]:
    """The result with amazon.aws's resource_actions added when debug_botocore_endpoint_logs asks for them."""
    if params.get("debug_botocore_endpoint_logs"):
        result["resource_actions"] = resource_actions(result.get("actions") or [])
    return result
