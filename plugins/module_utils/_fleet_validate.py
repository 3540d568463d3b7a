# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secrets module's validation: the fleet's own options and every item (the defaults merged under it),
as the secret module checks them, before any AWS call. Pure: no AWS call.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Callable

from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import TaskError, ValidationError
from ansible_collections.seed.secretsmanager.plugins.module_utils._model import DesiredSecret
from ansible_collections.seed.secretsmanager.plugins.module_utils._options import argument_spec
from ansible_collections.seed.secretsmanager.plugins.module_utils._suboptions import suboptions, type_name
from ansible_collections.seed.secretsmanager.plugins.module_utils._validate import NAME_PATTERN, validate

MAX_CONCURRENCY = 100


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
    purge_window: int = 30  # purge_recovery_window_in_days
    purge_force: bool = False  # purge_force_delete_without_recovery
    claimed: frozenset = frozenset()  # every name an item names (by name or ARN): purge never deletes these


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
    if path is not None and not path.endswith("/"):
        path += "/"  # a folder: app/prod manages app/prod/..., never app/prod-old/ or app/production/
    if purge and path is None:
        raise ValidationError("purge", "needs path: purge deletes the secrets under path that are not listed")
    purge_window, purge_force = _purge_options(params)
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
    return Fleet(items=tuple(items), path=path, purge=purge, concurrency=concurrency, rate_limit=float(rate_limit), defaults=defaults,
                 purge_window=purge_window, purge_force=purge_force, claimed=frozenset(claimed_names(items)))


def _purge_options(params: dict) -> tuple:
    """(purge_recovery_window_in_days, purge_force_delete_without_recovery): how purge deletes, its own options (the
    items' defaults never apply to purge, so that a default meant for an item cannot destroy a secret no item names)."""
    window = params.get("purge_recovery_window_in_days")
    force = params.get("purge_force_delete_without_recovery")
    if window is not None and (not isinstance(window, int) or isinstance(window, bool) or not 7 <= window <= 30):
        raise ValidationError("purge_recovery_window_in_days", "must be 7 to 30 days (got %r)" % (window,))
    if force is not None and not isinstance(force, bool):
        raise ValidationError("purge_force_delete_without_recovery", "must be a boolean (got %r)" % (force,))
    if force and window is not None:
        raise ValidationError("purge_force_delete_without_recovery", "excludes purge_recovery_window_in_days: a deletion has a recovery window or none")
    return (30 if window is None else window), bool(force)


def claimed_names(items: list) -> set:
    """The names the items name, as purge compares them with the listed names: each name, the name in each ARN, and
    for a full ARN also that name without AWS's -XXXXXX suffix (an ARN of an earlier secret of that name claims the
    secret that has the name now)."""
    claimed = set()
    for item in items:
        key = _name_key(item.desired.name)
        claimed.add(key)
        if item.desired.is_arn and len(key) > 7 and key[-7] == "-":
            claimed.add(key[:-7])
    return claimed
