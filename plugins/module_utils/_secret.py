# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secret module's task: validate -> connect -> read -> plan -> apply or predict -> result.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

Nothing here knows AnsibleModule: execute() takes the checked arguments and returns the result
as plain data, a failure as a result with failed=True. The layers it drives, in the order a
task meets them (docs/architecture.md):

    _options.py   the argument spec, invocation and masking rules
    _validate.py  arguments -> DesiredSecret (_model.py), or a ValidationError
    _apply.py     read -> plan (_plan.py) -> apply, or predict (_predict.py) in check mode
    _result.py    the task's result and diff from one Outcome
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Callable

from ansible_collections.seed.secretsmanager.plugins.module_utils._apply import run
from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import Api, secretsmanager_client
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import TaskError
from ansible_collections.seed.secretsmanager.plugins.module_utils._model import DesiredSecret
from ansible_collections.seed.secretsmanager.plugins.module_utils._regions import arn_params, partition_regions, regional_client_factory, require_model_members
from ansible_collections.seed.secretsmanager.plugins.module_utils._validate import validate


def given_model_options(desired: DesiredSecret) -> list:
    """The options given that need members of a recent service model (see _regions.MODEL_MEMBERS)."""
    options = ["type"] if desired.type else []
    rotation = desired.rotation
    if rotation is not None and rotation.external_metadata is not None:
        options.append("rotation.external_metadata")
    if rotation is not None and rotation.external_role_arn is not None:
        options.append("rotation.external_role_arn")
    return options


def execute(params: dict, check_mode: bool = False, diff: bool = False, mask: Callable[[str], None] | None = None) -> dict:
    """The whole task from checked arguments to its result; a failure is a result with failed=True.

    mask, when given, receives each generated value so the caller masks it in anything it prints.
    """
    api = None
    warnings = []
    try:
        desired = validate(params, new_token=str(uuid.uuid4()))
        warnings = list(desired.warnings)
        params, region_warnings = arn_params(params, desired.name)
        api = Api(secretsmanager_client(params, reuse=True))
        api.client_factory = regional_client_factory(params)
        require_model_members(api.client, given_model_options(desired))
        if desired.replicas:
            # Now the region (and so the partition) is known: check replica regions against botocore's list.
            known = partition_regions(api.client.meta.region_name)
            desired = validate(params, new_token=desired.token, known_regions=known)
        desired = dataclasses.replace(desired, warnings=desired.warnings + tuple(region_warnings))
        warnings = list(desired.warnings)
        result = run(api, desired, check_mode=check_mode, on_generated=mask)
    except TaskError as e:
        # A failure after a write is reported as what it is: changed, with the secret's ARN and every call made.
        result = dict(e.to_result(), failed=True, changed=bool(api and api.written), actions=list(api.actions) if api else [], warnings=warnings)
        if api and api.arn:
            result["arn"] = api.arn
    if not diff or result.get("failed"):
        result.pop("diff", None)
    return result
