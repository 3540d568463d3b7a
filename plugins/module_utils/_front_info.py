# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secret_info module's front door: from parsed arguments to exit_json or fail_json (see _front.py).

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.
"""

from __future__ import annotations

import typing as t

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import HAS_BOTOCORE
from ansible_collections.seed.secretsmanager.plugins.module_utils._front import ModuleInterface, finish
from ansible_collections.seed.secretsmanager.plugins.module_utils._read import info_execute, info_module_spec


def secret_info_module_kwargs() -> dict[str, t.Any]:
    """AnsibleModule's keyword arguments for secret_info (and the stand-in's)."""
    return dict(info_module_spec(), supports_check_mode=True)


def run_secret_info(module: ModuleInterface) -> t.NoReturn:
    """The secret_info task from parsed arguments to exit_json or fail_json."""
    if not HAS_BOTOCORE:
        module.fail_json(msg=missing_required_lib("botocore"))
    finish(module, info_execute(module.params))
