# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every module does once the arguments are parsed: the interface of the front doors, and the end of a task.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

Each module has its own front door (_front_secret.py, _front_fleet.py, _front_info.py), so that a
module ships and imports only the layers it runs. They are written against AnsibleModule's interface
only (the ModuleInterface below), so the same code serves the modules, which pass an AnsibleModule,
and the action plugins running the core in the controller's worker process, which pass
plugin_utils/_inprocess.py's stand-in. Whatever is done to a result there and here (masking, warnings,
invocation, fail or exit) is then done the same way on both execution paths.
"""

from __future__ import annotations

import typing as t

from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import resource_actions


class ModuleInterface(t.Protocol):
    """The part of AnsibleModule the front doors use; AnsibleModule and the in-process stand-in both have it."""

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


def finish(module: ModuleInterface, result: dict[str, t.Any]) -> t.NoReturn:
    """End the task with the core's result: its warnings through module.warn, then fail_json or exit_json."""
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
