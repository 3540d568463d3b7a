# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secrets module's task: many secrets in one task, read in bulk, written in parallel within AWS's quotas.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

Every item is one secret task of the secret module: the same validate() (_validate.py), read_more()
and run() (_apply.py, with plan, predict and the result of one secret). The jobs, a file each:

    _fleet_validate.py  validate_fleet(): every item (defaults merged under it) and the fleet's own options, before any call
    _fleet_read.py      read_fleet(): the state from ListSecrets pages, values from BatchGetSecretValue (20 a call)
    _pacing.py          every request paced per AWS quota (RateLimiter, PacedClient)
    _fleet.py           fleet_execute(): each item's run() in a thread pool, written only from a fresh read
    _purge.py           then the deletions of purge, each confirmed by DescribeSecret
    _fleet_result.py    fleet_result(): results in the items' order, deletions, counts, actions, the diff list
"""

from __future__ import annotations

import concurrent.futures
import time
import uuid
from collections import Counter
from typing import Any, Callable

from ansible_collections.seed.secretsmanager.plugins.module_utils._apply import needs_value, read_more, run, token_needs_read
from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import Api, secretsmanager_client
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import TaskError
from ansible_collections.seed.secretsmanager.plugins.module_utils._fleet_read import UNREAD, read_fleet, read_values
from ansible_collections.seed.secretsmanager.plugins.module_utils._fleet_result import fleet_result
from ansible_collections.seed.secretsmanager.plugins.module_utils._fleet_validate import _item_error, validate_fleet
from ansible_collections.seed.secretsmanager.plugins.module_utils._model import CurrentSecret, DesiredSecret, arn_region
from ansible_collections.seed.secretsmanager.plugins.module_utils._pacing import THROTTLE_PATIENCE, PacedClient, quota_limiters
from ansible_collections.seed.secretsmanager.plugins.module_utils._plan import plan
from ansible_collections.seed.secretsmanager.plugins.module_utils._purge import purge_candidates, purge_one
from ansible_collections.seed.secretsmanager.plugins.module_utils._regions import partition_regions, regional_client_factory, require_model_members
from ansible_collections.seed.secretsmanager.plugins.module_utils._secret import given_model_options
from ansible_collections.seed.secretsmanager.plugins.module_utils._validate import validate


def _new_api(client: Any, factory: Callable[[str], Any], clock: Callable[[], float], sleep: Callable[[float], None]) -> Api:
    api = Api(client)
    api.client_factory = factory
    api.clock = clock
    api.sleep = sleep
    api.throttle_patience = THROTTLE_PATIENCE
    return api


def from_listing(api: Api, desired: DesiredSecret, listed: object, values: dict) -> CurrentSecret | None:
    """The item's state when the listing shows it converged (nothing to write), else None: run() then reads it as
    the secret module does (DescribeSecret, the value or policy the plan compares) and plans from that. A listing
    may be minutes old, so it never decides a write: a create, a value, a rollback, a deletion."""
    if listed is UNREAD or listed is None or token_needs_read(listed, desired):
        return None  # not listed: a create, confirmed absent first; a token that is not current: a write or a rollback
    try:
        current = read_more(api, desired, listed, values.get(listed.get("ARN")))
        return None if plan(current, desired) else current
    except TaskError:
        # A read the listing's secret refuses (deleted since?), or a state the task cannot reach as the listing
        # shows it: the fresh read decides.
        return None


def _run_one(api: Api, desired: DesiredSecret, listed: object, values: dict, check_mode: bool, on_generated: Callable[[str], None] | None) -> dict:
    """One secret, as the secret module runs it; a failure is a result with failed=True (the others go on)."""
    try:
        result = run(api, desired, check_mode=check_mode, on_generated=on_generated, before=from_listing(api, desired, listed, values))
        # What the secret was made by: a create that lost a race (DescribeSecret did not show the secret yet) is an update.
        result["created"] = "CreateSecret" in (result["actions"] if check_mode else api.written)
        return result
    except TaskError as e:
        result = dict(e.to_result(), failed=True, changed=bool(api.written), actions=list(api.actions), warnings=list(desired.warnings))
        if api.arn:
            result["arn"] = api.arn
        return result


def fleet_execute(params: dict, check_mode: bool = False, diff: bool = False, mask: Callable[[str], None] | None = None,
                  clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> dict:
    """The whole secrets task from checked arguments to its result; a failure is a result with failed=True."""
    listing = None
    try:
        fleet = validate_fleet(params)
        connection = dict(params)
        config = dict(params.get("aws_config") or {})
        if fleet.concurrency > 10 and "max_pool_connections" not in config:
            config["max_pool_connections"] = fleet.concurrency  # botocore keeps 10 connections by default
            connection["aws_config"] = config
        raw_client = secretsmanager_client(connection, reuse=True)
        region = raw_client.meta.region_name
        limiters = quota_limiters(fleet.rate_limit, clock=clock, sleep=sleep)
        client = PacedClient(raw_client, limiters)
        regional = regional_client_factory(connection)

        def factory(other_region):
            return PacedClient(regional(other_region), limiters)

        def new_api():
            return _new_api(client, factory, clock, sleep)

        known = None
        for item in fleet.items:
            require_model_members(raw_client, given_model_options(item.desired))
            if item.desired.is_arn and arn_region(item.desired.name) != region:
                raise TaskError(
                    "%s: the ARN is in region %s and this task runs in %s; a secrets task manages the secrets of its region"
                    % (item.label, arn_region(item.desired.name), region), code="ValidationError", option="secrets[%d].name" % item.index,
                )
            if item.desired.replicas:
                known = known or partition_regions(region)
                try:
                    validate(item.params, new_token=item.desired.token, known_regions=known)
                except TaskError as e:
                    raise _item_error(e, item.index, item.params, set())
        listing = new_api()
        state, listed = read_fleet(listing, fleet)
        value_ids = [state[item.index]["ARN"] for item in fleet.items
                     if isinstance(state[item.index], dict) and needs_value(state[item.index], item.desired)]
        values = read_values(listing, value_ids)
    except TaskError as e:
        actions = listing.actions if listing else []
        return dict(e.to_result(), failed=True, changed=False, actions=dict(Counter(actions)))

    warnings = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=fleet.concurrency) as pool:
        futures = [pool.submit(_run_one, new_api(), item.desired, state[item.index], values, check_mode, mask) for item in fleet.items]
        outcomes = [future.result() for future in futures]
        doomed = purge_candidates(fleet, listed)
        failed = sum(1 for outcome in outcomes if outcome.get("failed"))
        if doomed and failed:
            # An item that failed may name a secret the listing shows under another name (an ARN of an earlier secret):
            # what it meant cannot be proven, so nothing is deleted.
            warnings.append("purge: skipped, because %d of %d items failed; no secret was purged (%d would have been considered)"
                            % (failed, len(outcomes), len(doomed)))
            doomed = []
        futures = [pool.submit(purge_one, new_api(), fleet, name, lambda: str(uuid.uuid4()), check_mode) for name in doomed]
        purged = [future.result() for future in futures]
    return fleet_result(fleet, outcomes, purged, listing.actions, warnings, diff)
