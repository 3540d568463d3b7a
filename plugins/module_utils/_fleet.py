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
    _fleet.py           fleet_execute(): each item's run() in a thread pool, then purge
    _fleet_result.py    fleet_result(): results in the items' order, deletions, counts, actions, the diff list
"""

from __future__ import annotations

import concurrent.futures
import time
import uuid
from collections import Counter
from typing import Any, Callable

from ansible_collections.seed.secretsmanager.plugins.module_utils._apply import needs_value, read_more, run
from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import Api, partition_regions, regional_client_factory, require_model_members, secretsmanager_client
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import TaskError
from ansible_collections.seed.secretsmanager.plugins.module_utils._fleet_read import UNREAD, _by_arn, read_fleet, read_values
from ansible_collections.seed.secretsmanager.plugins.module_utils._fleet_result import fleet_result
from ansible_collections.seed.secretsmanager.plugins.module_utils._fleet_validate import Fleet, _item_error, validate_fleet
from ansible_collections.seed.secretsmanager.plugins.module_utils._model import CurrentSecret, DesiredSecret, arn_region
from ansible_collections.seed.secretsmanager.plugins.module_utils._pacing import PacedClient, quota_limiters
from ansible_collections.seed.secretsmanager.plugins.module_utils._secret import given_model_options
from ansible_collections.seed.secretsmanager.plugins.module_utils._validate import validate



def _new_api(client: Any, factory: Callable[[str], Any], sensitive: tuple = ()) -> Api:
    api = Api(client, sensitive=sensitive)
    api.client_factory = factory
    return api


def _run_one(api: Api, desired: DesiredSecret, before: object, values: dict, check_mode: bool, on_generated: Callable[[str], None] | None) -> dict:
    """One secret, as the secret module runs it; a failure is a result with failed=True (the others go on)."""
    try:
        if before is UNREAD:
            current = None
        else:
            secret = before
            current = read_more(api, desired, secret, values.get((secret or {}).get("ARN"))) if secret else CurrentSecret()
        result = run(api, desired, check_mode=check_mode, on_generated=on_generated, before=current)
        # What the secret was made by: a create that lost a race (ListSecrets did not show the secret) is an update.
        result["created"] = "CreateSecret" in (result["actions"] if check_mode else api.written)
        return result
    except TaskError as e:
        result = dict(e.to_result(), failed=True, changed=bool(api.written), actions=list(api.actions), warnings=list(desired.warnings))
        if api.arn:
            result["arn"] = api.arn
        return result


def deletions(fleet: Fleet, listed: dict, region: str | None, new_token: Callable[[], str]) -> tuple:
    """(the desired states of the secrets under path that no item lists, warnings) for purge: each deleted as
    state absent with the defaults' recovery_window_in_days and force_delete_without_recovery. A replica of a
    secret in another region, or a secret a service owns, is not this task's to delete: a warning says so."""
    if not fleet.purge:
        return [], []
    claimed = set()
    for item in fleet.items:
        entry = _by_arn(listed, item.desired.name) if item.desired.is_arn else listed.get(item.desired.name)
        if entry is not None:
            claimed.add(entry["Name"])
    wanted, warnings = [], []
    options = {key: fleet.defaults[key] for key in ("recovery_window_in_days", "force_delete_without_recovery") if key in fleet.defaults}
    for name in sorted(set(listed) - claimed):
        entry = listed[name]
        primary = entry.get("PrimaryRegion")
        if primary and region and primary != arn_region(entry.get("ARN")):
            warnings.append("purge: %s is a replica of a secret in %s and was not deleted (delete it there)" % (name, primary))
            continue
        if entry.get("OwningService"):
            warnings.append("purge: %s is managed by %s and was not deleted" % (name, entry["OwningService"]))
            continue
        wanted.append(validate(dict(options, name=name, state="absent"), new_token=new_token()))
    return wanted, warnings


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
        client = PacedClient(raw_client, limiters, sleep=sleep, clock=clock)
        regional = regional_client_factory(connection)

        def factory(other_region):
            return PacedClient(regional(other_region), limiters, sleep=sleep, clock=clock)

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
        listing = _new_api(client, factory)
        state, listed = read_fleet(listing, fleet)
        value_ids = [state[item.index]["ARN"] for item in fleet.items
                     if isinstance(state[item.index], dict) and needs_value(state[item.index], item.desired)]
        values = read_values(listing, value_ids)
        doomed, purge_warnings = deletions(fleet, listed, region, lambda: str(uuid.uuid4()))
    except TaskError as e:
        actions = listing.actions if listing else []
        return dict(e.to_result(), failed=True, changed=False, actions=dict(Counter(actions)))

    jobs = [(item.desired, state[item.index]) for item in fleet.items] + [(desired, UNREAD) for desired in doomed]
    with concurrent.futures.ThreadPoolExecutor(max_workers=fleet.concurrency) as pool:
        futures = [
            pool.submit(_run_one, _new_api(client, factory), desired, before, values, check_mode, mask)
            for desired, before in jobs
        ]
        outcomes = [future.result() for future in futures]
    return fleet_result(fleet, outcomes, listing.actions, purge_warnings, check_mode, diff)

