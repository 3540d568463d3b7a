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


def fleet_result(fleet: Fleet, outcomes: list, purged: list, read_actions: list, warnings: list, diff: bool) -> dict:
    """The task's result: results in the items' order, deleted and purged, counts, actions per operation, the diff list.
    outcomes are the items' results (in their order), purged those of purge's deletions."""
    counts = dict.fromkeys(("created", "updated", "unchanged", "deleted", "failed"), 0)
    actions = Counter(read_actions)
    results, deleted, failures, diffs, purge_list = [], [], [], [], []
    warnings = list(warnings)
    for item, outcome in zip(fleet.items, outcomes):
        name = outcome.get("name") or item.desired.name
        actions.update(outcome.get("actions") or [])
        warnings.extend("%s: %s" % (item.label, warning) for warning in outcome.get("warnings") or [])
        kind = _kind(outcome, item.desired)
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
    for outcome in purged:
        name = outcome["name"]
        actions.update(outcome.get("actions") or [])
        warnings.extend(outcome.get("warnings") or [])
        if outcome.get("failed"):
            counts["failed"] += 1
            failures.append("purge of %s: %s" % (name, outcome.get("msg")))
        elif outcome.get("changed"):
            counts["deleted"] += 1
            deleted.append(name)
            purge_list.append({"name": name, "arn": outcome.get("arn"), "deletion_date": outcome.get("deletion_date")})
            if "diff" in outcome:
                diffs.append(dict(outcome["diff"], before_header=name, after_header=name))
    everything = list(outcomes) + list(purged)
    result = {
        "changed": any(outcome.get("changed") for outcome in everything),
        "results": results,
        "deleted": deleted,
        "purged": purge_list,
        "counts": counts,
        "actions": dict(actions),
        "warnings": warnings,
    }
    if diff:
        result["diff"] = diffs
    if failures:
        result["failed"] = True
        result["msg"] = "%d of %d secrets failed: %s" % (len(failures), len(everything), "; ".join(failures))
    return result
