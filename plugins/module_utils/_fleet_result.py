# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secrets module's result: the items' results in their order, deletions, counts, actions, the diff list.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.
"""

from __future__ import annotations

from collections import Counter

from ansible_collections.seed.secretsmanager.plugins.module_utils._fleet_validate import Fleet
from ansible_collections.seed.secretsmanager.plugins.module_utils._model import DesiredSecret


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
