# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secrets module's purge: delete the live secrets under the task's folder that no item names, each one
only after DescribeSecret confirms it is there, live, and this task's to delete.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

What purge never does (docs/fleets.md): delete outside path (a folder, ending in /); delete a secret any item
names (by name, by full or partial ARN, failed items included); run when an item failed; touch a secret already
scheduled for deletion; delete a replica of another region's secret, a secret a service owns, or a
cross-account replica; delete beyond recovery unless purge_force_delete_without_recovery says so.
"""

from __future__ import annotations

from typing import Callable

from ansible_collections.seed.secretsmanager.plugins.module_utils._apply import run
from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import Api, describe
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import TaskError
from ansible_collections.seed.secretsmanager.plugins.module_utils._fleet_validate import Fleet
from ansible_collections.seed.secretsmanager.plugins.module_utils._model import CurrentSecret, DesiredSecret, arn_region
from ansible_collections.seed.secretsmanager.plugins.module_utils._validate import validate


def purge_candidates(fleet: Fleet, listed: dict) -> list:
    """The names, in order, of the secrets the listing shows live under the folder that no item names. A hint only:
    each is confirmed by purge_one() before it is deleted; a secret the listing does not show yet waits for a later run."""
    if not fleet.purge:
        return []
    return sorted(name for name, entry in listed.items()
                  if name.startswith(fleet.path) and not entry.get("DeletedDate") and name not in fleet.claimed)


def purge_desired(fleet: Fleet, name: str, token: str) -> DesiredSecret:
    """The deletion of one secret, with purge's own recovery window (never the items' defaults)."""
    how = {"force_delete_without_recovery": True} if fleet.purge_force else {"recovery_window_in_days": fleet.purge_window}
    return validate(dict(how, name=name, state="absent"), new_token=token)


def refusal(secret: dict) -> str | None:
    """Why purge leaves a secret it may not delete (DescribeSecret's answer), or None when it may delete it."""
    name = secret.get("Name")
    primary = secret.get("PrimaryRegion")
    if primary and primary != arn_region(secret.get("ARN")):
        return "purge: %s is a replica of a secret in %s and was not deleted (delete it there)" % (name, primary)
    if secret.get("OwningService"):
        return "purge: %s is managed by %s and was not deleted" % (name, secret["OwningService"])
    if secret.get("CrossAccountPrimary"):
        primary_arn = (secret["CrossAccountPrimary"] or {}).get("PrimarySecretARN") or "a secret of another account"
        return "purge: %s is a cross-account replica of %s and was not deleted (disassociate it at its primary)" % (name, primary_arn)
    return None


def purge_one(api: Api, fleet: Fleet, name: str, token: Callable[[], str], check_mode: bool) -> dict:
    """Confirm with DescribeSecret, then delete as state=absent would; a result as run() gives it (skipped=True when
    the secret is gone, already scheduled for deletion or not this task's), a failure as a result with failed=True."""
    try:
        secret = describe(api, name)
        warning = refusal(secret) if secret else None
        if secret is None or secret.get("DeletedDate") or warning:
            return {"name": name, "changed": False, "skipped": True, "actions": list(api.actions), "warnings": [warning] if warning else []}
        desired = purge_desired(fleet, name, token())
        return run(api, desired, check_mode=check_mode, before=CurrentSecret(secret=secret))
    except TaskError as e:
        result = dict(e.to_result(), name=name, failed=True, changed=bool(api.written), actions=list(api.actions))
        if api.arn:
            result["arn"] = api.arn
        return result
