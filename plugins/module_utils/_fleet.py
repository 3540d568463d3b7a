# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secrets module's task: many secrets in one task, read in bulk, written in parallel within AWS's quotas.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

Every item is one secret task of the secret module: the same validate() (_validate.py), read_more()
and run() (_apply.py, with plan, predict and the result of one secret). What this file adds:

    validate_fleet()  every item (defaults merged under it) and the fleet's own options, before any AWS call
    read_fleet()      the state of the fleet from ListSecrets pages, values from BatchGetSecretValue (20 a call)
    converge()        each item's run() in a thread pool, every request paced per AWS quota (RateLimiter)
    fleet_result()    results in the items' order, deletions, counts, actions per operation, the diff list
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import random
import threading
import time
import uuid
from collections import Counter
from typing import Any, Callable

from ansible_collections.seed.secretsmanager.plugins.module_utils._apply import needs_value, read_more, run, value_of
from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import (
    THROTTLED,
    Api,
    AwsError,
    error_kind,
    partition_regions,
    regional_client_factory,
    require_model_members,
    secretsmanager_client,
)
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import TaskError, ValidationError
from ansible_collections.seed.secretsmanager.plugins.module_utils._model import CurrentSecret, DesiredSecret, arn_region
from ansible_collections.seed.secretsmanager.plugins.module_utils._options import argument_spec
from ansible_collections.seed.secretsmanager.plugins.module_utils._secret import given_model_options
from ansible_collections.seed.secretsmanager.plugins.module_utils._validate import NAME_PATTERN, suboptions, type_name, validate

PAGE_SIZE = 100  # ListSecrets' MaxResults at most
NAMES_PER_FILTER = 10  # a ListSecrets filter takes 1 to 10 values (API reference: Filter)
VALUES_PER_BATCH = 20  # BatchGetSecretValue's SecretIdList takes up to 20 secrets
MAX_CONCURRENCY = 100

# AWS's request quotas for Secrets Manager, per account and region (the "Secrets Manager quotas" page of the user
# guide): operations in one row share one rate. Not adjustable. The requests of a task are paced per row at
# min(the row's rate, rate_limit); an operation in no row is not paced. Each row names only the operations the
# collection calls (docs/iam.md's test reads every operation name quoted in plugins/ as one it calls).
QUOTAS = (
    (("CreateSecret",), 50),
    (("DeleteSecret",), 50),
    (("PutSecretValue", "RemoveRegionsFromReplication", "ReplicateSecretToRegions", "UpdateSecret", "UpdateSecretVersionStage"), 50),
    (("RestoreSecret",), 50),
    (("RotateSecret", "CancelRotateSecret"), 50),
    (("TagResource", "UntagResource"), 50),
    (("DeleteResourcePolicy", "GetResourcePolicy", "PutResourcePolicy"), 50),
    (("GetRandomPassword",), 50),
    (("ListSecretVersionIds",), 50),
    (("ListSecrets",), 100),
    (("BatchGetSecretValue",), 100),
    (("DescribeSecret", "GetSecretValue"), 10000),
)
# Throttling that outlasts botocore's own retries (standard mode, 5 attempts) is retried here, with a delay that
# doubles from THROTTLE_FIRST_DELAY up to THROTTLE_MAX_DELAY, for up to THROTTLE_PATIENCE seconds per request.
THROTTLE_FIRST_DELAY = 1.0
THROTTLE_MAX_DELAY = 20.0
THROTTLE_PATIENCE = 300.0


# ---------------------------------------------------------------- pacing


class RateLimiter:
    """At most per_second requests per second, spread evenly, for every thread that asks (thread-safe)."""

    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1.0 / per_second
        self.clock = clock
        self.sleep = sleep
        self._next = None
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Return when the next request may go."""
        with self._lock:
            now = self.clock()
            at = now if self._next is None else max(now, self._next)
            self._next = at + self.interval
        if at > now:
            self.sleep(at - now)


def quota_limiters(rate_limit: float, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> dict:
    """operation -> the RateLimiter of its quota row (shared by the operations of one row)."""
    limiters = {}
    for operations, per_second in QUOTAS:
        limiter = RateLimiter(min(per_second, rate_limit), clock=clock, sleep=sleep)
        for operation in operations:
            limiters[operation] = limiter
    return limiters


class PacedClient:
    """A botocore client whose requests wait for their quota's RateLimiter, and whose throttled requests are
    sent again with backoff (after botocore's own retries) instead of failing. Everything else is the client's."""

    def __init__(self, client: Any, limiters: dict, sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._limiters = limiters
        self._sleep = sleep
        self._clock = clock
        self.meta = client.meta

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        operation = self._client.meta.method_to_api_mapping.get(name)
        if operation is None or not callable(attribute):
            return attribute

        def paced(**kwargs):
            import botocore.exceptions

            limiter = self._limiters.get(operation)
            started = self._clock()
            delay = THROTTLE_FIRST_DELAY
            while True:
                if limiter is not None:
                    limiter.wait()
                try:
                    return attribute(**kwargs)
                except botocore.exceptions.ClientError as e:
                    code = (e.response.get("Error") or {}).get("Code")
                    if error_kind(code, "", operation) != THROTTLED or self._clock() - started >= THROTTLE_PATIENCE:
                        raise
                self._sleep(delay * random.uniform(0.5, 1.0))
                delay = min(delay * 2, THROTTLE_MAX_DELAY)

        return paced


# ---------------------------------------------------------------- validation


@dataclasses.dataclass(frozen=True)
class Item:
    """One item of the task: its place, its options (the defaults merged under it) and its desired state."""

    index: int
    params: dict
    desired: DesiredSecret
    label: str  # secrets[3] (app/db)


@dataclasses.dataclass(frozen=True)
class Fleet:
    items: tuple
    path: str | None
    purge: bool
    concurrency: int
    rate_limit: float
    defaults: dict


def _label(index: int, item: object) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    return "secrets[%d] (%s)" % (index, name) if isinstance(name, str) and name else "secrets[%d]" % index


def _given(options: object) -> dict:
    """The options given (Ansible fills every suboption in, None for those not given), each by its own name:
    AnsibleModule keeps an alias (secret_id, version_id) beside the option it sets."""
    given = {key: value for key, value in (options or {}).items() if value is not None}
    for name, settings in SPEC.items():
        for alias in settings.get("aliases") or []:
            if alias in given:
                value = given.pop(alias)
                given.setdefault(name, value)
    return given


def merge_defaults(defaults: dict, item: dict) -> dict:
    """The item's options over the defaults: the item's own win, except tags, which are merged (the item's tags
    over the defaults' tags, the item's value winning for a key both give)."""
    merged = dict(defaults)
    merged.update(item)
    if isinstance(defaults.get("tags"), dict) and isinstance(item.get("tags"), dict):
        merged["tags"] = dict(defaults["tags"], **item["tags"])
    return merged


SPEC = argument_spec()


def _typed_options(params: dict) -> dict:
    """Each option converted to the secret module's type for it, as AnsibleModule would (raw in the item spec)."""
    checked = {}
    for key, value in params.items():
        settings = SPEC.get(key)
        if settings is None:
            raise ValidationError(key, "unsupported parameter: an item takes the options of seed.secretsmanager.secret")
        kind = settings["type"]
        if kind == "raw":
            checked[key] = value
        elif kind == "dict":
            if not isinstance(value, dict):
                raise ValidationError(key, "must be a dict, not %s" % type_name(value))
            checked[key] = value
        elif kind == "list":
            if not isinstance(value, list):
                raise ValidationError(key, "must be a list, not %s" % type_name(value))
            checked[key] = [suboptions("%s[%d]" % (key, i), element, settings["options"]) for i, element in enumerate(value)]
        else:
            checked[key] = suboptions("_", {key: value}, {key: {"type": kind}})[key]
    return checked


def _item_error(error: TaskError, index: int, item: dict, from_defaults: set) -> TaskError:
    """A validation failure of one item, naming the item (index and name) and the option: secrets[3].kms_key_id,
    or defaults.kms_key_id when the option came from the defaults."""
    option = error.option or ""
    if option.startswith("_."):
        option = option[2:]
    top = option.split(".")[0].split("[")[0]
    label = _label(index, item)
    if top and top in from_defaults:
        path = "defaults.%s" % option
        text = "%s, from defaults: %s" % (label, error.message)
    else:
        path = "secrets[%d].%s" % (index, option) if option else "secrets[%d]" % index
        text = "%s: %s" % (label, error.message)
    if option and error.message.startswith("_."):
        text = text.replace("_.", "", 1)
    return TaskError(text, code="ValidationError", option=path)


def _name_key(name: str) -> str:
    """What a duplicate is found by: the name, or the name part of an ARN (a full ARN keeps AWS's -XXXXXX suffix)."""
    if name.startswith("arn:"):
        return name.split(":", 6)[-1]
    return name


def validate_fleet(params: dict, new_token: Callable[[], str] = lambda: str(uuid.uuid4())) -> Fleet:
    """Check the fleet's options and every item (defaults merged under it) as the secret module would; raise the
    first failure naming the item and the option. Pure: no AWS call."""
    path = params.get("path")
    purge = bool(params.get("purge"))
    if path is not None:
        if not isinstance(path, str) or not path.strip("/"):
            raise ValidationError("path", "must name a part of the account such as prod/payments/ (empty and / are refused: they are the whole account)")
        if len(path) > 512 or not NAME_PATTERN.match(path):
            raise ValidationError("path", "is the start of secret names: 1 to 512 ASCII letters, digits and /_+=.@- (got %r)" % path)
    if purge and path is None:
        raise ValidationError("purge", "needs path: purge deletes the secrets under path that are not listed")
    concurrency = params.get("concurrency")
    concurrency = 10 if concurrency is None else concurrency
    if not isinstance(concurrency, int) or isinstance(concurrency, bool) or not 1 <= concurrency <= MAX_CONCURRENCY:
        raise ValidationError("concurrency", "must be 1 to %d (got %r)" % (MAX_CONCURRENCY, concurrency))
    rate_limit = params.get("rate_limit")
    rate_limit = 50.0 if rate_limit is None else rate_limit
    if not isinstance(rate_limit, (int, float)) or isinstance(rate_limit, bool) or rate_limit <= 0:
        raise ValidationError("rate_limit", "must be a number of requests per second above 0 (got %r)" % (rate_limit,))
    defaults = _given(params.get("defaults"))
    if "name" in defaults:
        raise ValidationError("defaults.name", "a default cannot name a secret: give name in each item")
    items_given = params.get("secrets")
    if not isinstance(items_given, list) or not items_given:
        raise ValidationError("secrets", "must be a list of one or more secrets, each a dict of the options of seed.secretsmanager.secret")

    items = []
    seen = {}
    arn_stems = {}  # the name of each full ARN given (its key without AWS's -XXXXXX suffix) -> the item's index
    for index, raw in enumerate(items_given):
        if not isinstance(raw, dict):
            raise ValidationError("secrets[%d]" % index, "must be a dict of the options of seed.secretsmanager.secret, not %s" % type_name(raw))
        item = _given(raw)
        from_defaults = {key for key in defaults if key not in item}
        try:
            if not isinstance(item.get("name"), str) or not item["name"]:
                raise ValidationError("name", "is required: the secret's name (or the ARN of an existing secret)")
            merged = _typed_options(merge_defaults(defaults, item))
            desired = validate(merged, new_token=new_token())
        except TaskError as e:
            raise _item_error(e, index, item, from_defaults)
        name = desired.name
        if path is not None and not _name_key(name).startswith(path):
            raise TaskError(
                "%s: is not under path %s; a task with path manages only the secrets under it" % (_label(index, item), path),
                code="ValidationError", option="secrets[%d].name" % index,
            )
        key = _name_key(name)
        twin = seen.get(key)
        if twin is None and desired.is_arn and len(key) > 7 and key[-7] == "-":
            twin = seen.get(key[:-7])
        if twin is None and not desired.is_arn:
            # Only an ARN's key carries AWS's suffix: the names app and app-db1234 are two secrets.
            twin = arn_stems.get(key)
        if twin is not None:
            raise TaskError(
                "%s: the same secret as secrets[%d]; list each secret once" % (_label(index, item), twin),
                code="ValidationError", option="secrets[%d].name" % index,
            )
        seen[key] = index
        if desired.is_arn and len(key) > 7 and key[-7] == "-":
            arn_stems.setdefault(key[:-7], index)
        items.append(Item(index=index, params=merged, desired=desired, label=_label(index, item)))
    return Fleet(items=tuple(items), path=path, purge=purge, concurrency=concurrency, rate_limit=float(rate_limit), defaults=defaults)


# ---------------------------------------------------------------- reading in bulk


def _listed(entry: dict) -> dict:
    """A ListSecrets entry in DescribeSecret's shape (ListSecrets says SecretVersionsToStages)."""
    entry = dict(entry)
    entry["VersionIdsToStages"] = entry.pop("SecretVersionsToStages", {})
    return entry


def list_secrets(api: Api, prefixes: list) -> list:
    """Every secret whose name starts with one of the prefixes (up to 10), deleted ones included, page by page."""
    request = {"MaxResults": PAGE_SIZE, "IncludePlannedDeletion": True, "Filters": [{"Key": "name", "Values": list(prefixes)}]}
    found = []
    while True:
        response = api.call("ListSecrets", **request)
        found.extend(_listed(entry) for entry in response.get("SecretList", []))
        if not response.get("NextToken"):
            return found
        request["NextToken"] = response["NextToken"]


def _by_arn(entries: dict, arn: str) -> dict | None:
    """The listed secret an ARN names: a full ARN, or a partial one (without AWS's -XXXXXX suffix)."""
    for entry in entries.values():
        listed = entry.get("ARN") or ""
        if listed == arn or (listed.startswith(arn + "-") and len(listed) == len(arn) + 7):
            return entry
    return None


UNREAD = object()  # an item the bulk read cannot answer: run() describes it


def read_fleet(api: Api, fleet: Fleet) -> tuple:
    """(item index -> the listed secret, None when not listed, or UNREAD; the secrets under path by name).

    With path, one ListSecrets series over the path; otherwise one per 10 names. Names are compared exactly here:
    AWS's name filter matches prefixes. ListSecrets lacks ReplicationStatus, so an item that plans replicas or a
    deletion (which removes replicas first) is left UNREAD, and so is an ARN the listing does not show."""
    listed = {}
    if fleet.path is not None:
        for entry in list_secrets(api, [fleet.path]):
            if entry.get("Name", "").startswith(fleet.path):
                listed[entry["Name"]] = entry
    else:
        names = sorted(set(item.desired.name for item in fleet.items if not item.desired.is_arn))
        for start in range(0, len(names), NAMES_PER_FILTER):
            chunk = names[start:start + NAMES_PER_FILTER]
            for entry in list_secrets(api, chunk):
                if entry.get("Name") in chunk:
                    listed[entry["Name"]] = entry
    state = {}
    for item in fleet.items:
        desired = item.desired
        entry = _by_arn(listed, desired.name) if desired.is_arn else listed.get(desired.name)
        if desired.state == "absent" or desired.replicas is not None or (desired.is_arn and entry is None):
            state[item.index] = UNREAD
        else:
            state[item.index] = entry
    return state, listed


def read_values(api: Api, wanted: list) -> dict:
    """ARN -> the current value, from BatchGetSecretValue, 20 secrets a call. A secret it cannot answer for (or a
    refused batch) is left out: its item reads its value alone, and gets that call's error if there is one."""
    values = {}
    for start in range(0, len(wanted), VALUES_PER_BATCH):
        request = {"SecretIdList": wanted[start:start + VALUES_PER_BATCH]}
        while True:
            try:
                response = api.call("BatchGetSecretValue", **request)
            except AwsError:
                break
            for entry in response.get("SecretValues", []):
                value = value_of(entry)
                if value is not None:
                    values[entry["ARN"]] = value
            if not response.get("NextToken"):
                break
            request["NextToken"] = response["NextToken"]
    return values


# ---------------------------------------------------------------- the task


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


def _kind(outcome: dict, desired: DesiredSecret) -> str:
    if outcome.get("failed"):
        return "failed"
    if not outcome.get("changed"):
        return "unchanged"
    if desired.state == "absent":
        return "deleted"
    if outcome.get("created"):
        return "created"
    return "updated"


def fleet_result(fleet: Fleet, outcomes: list, read_actions: list, warnings: list, check_mode: bool, diff: bool) -> dict:
    """The task's result: results in the items' order, deleted, counts, actions per operation, the diff list."""
    counts = dict.fromkeys(("created", "updated", "unchanged", "deleted", "failed"), 0)
    actions = Counter(read_actions)
    results, deleted, failures, diffs = [], [], [], []
    warnings = list(warnings)
    items = list(fleet.items)
    for position, outcome in enumerate(outcomes):
        item = items[position] if position < len(items) else None
        desired = item.desired if item else None
        name = outcome.get("name") or (desired.name if desired else None)
        actions.update(outcome.get("actions") or [])
        for warning in outcome.get("warnings") or []:
            warnings.append("%s: %s" % (item.label if item else name, warning))
        if item is None:
            # a deletion of purge
            if outcome.get("failed"):
                counts["failed"] += 1
                failures.append("purge of %s: %s" % (name, outcome.get("msg")))
            elif outcome.get("changed"):
                counts["deleted"] += 1
                deleted.append(name)
            if outcome.get("changed") and "diff" in outcome:
                diffs.append(dict(outcome["diff"], before_header=name, after_header=name))
            continue
        kind = _kind(outcome, desired)
        counts[kind] += 1
        entry = {
            "name": name,
            "arn": outcome.get("arn"),
            "version_id": outcome.get("version_id"),
            "changed": bool(outcome.get("changed")),
            "actions": list(outcome.get("actions") or []),
        }
        if kind == "deleted":
            deleted.append(name)
        if outcome.get("failed"):
            entry["failed"] = True
            entry.update({key: outcome[key] for key in ("msg", "error_code", "operation", "option", "request_id") if key in outcome})
            failures.append("%s: %s" % (item.label, outcome.get("msg")))
        elif outcome.get("changed") and "diff" in outcome:
            diffs.append(dict(outcome["diff"], before_header=name, after_header=name))
        results.append(entry)
    result = {
        "changed": any(outcome.get("changed") for outcome in outcomes),
        "results": results,
        "deleted": deleted,
        "counts": counts,
        "actions": dict(actions),
        "warnings": warnings,
    }
    if diff:
        result["diff"] = diffs
    if failures:
        result["failed"] = True
        result["msg"] = "%d of %d secrets failed: %s" % (len(failures), len(outcomes), "; ".join(failures))
    return result
