# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secrets module never loses data, over generated sequences (hypothesis's rule-based state machine).

Fleet runs (create, update, delete items, purge, check mode, reruns, the folder written with and without its
trailing /, items that name a secret by an ARN of an earlier secret) interleave with changes made behind the task's
back (values set, secrets created, deleted with a window or at once, restored, re-created) and with stale listings
(ListSecrets answering what it answered some steps ago, as AWS may for minutes), against moto's mock_aws. After
every run the invariants are checked against what moto holds:

- a value an item gives with overwrite: false never replaces a value that was there;
- nothing outside the folder, and nothing an item names (unless that item asks state: absent), is deleted, and
  nothing at all is purged in a run where an item failed;
- a secret scheduled for deletion is never destroyed (only an item with state: absent may force it);
- purge schedules, never destroys (the items' defaults may say force_delete_without_recovery);
- check mode writes nothing, and predicts the real run that follows it (changed and counts per item);
- every item the task reports written is as the endpoint holds it (its version current, or it deleted);
- no value appears in the result.

`make test` runs a bounded number of examples; `make test-deep` runs many more (SEED_PROPERTY_EXAMPLES).
"""

from __future__ import annotations

import json
import os

import botocore.session
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test
from moto import mock_aws

from ansible_collections.seed.secretsmanager.plugins.module_utils import _aws, _fleet, _fleet_read
from ansible_collections.seed.secretsmanager.tests.unit.plugins.module_utils.test_fleet import dummy_aws_env

REGION = "us-east-1"
FOLDER = "pp/"
INSIDE = [FOLDER + name for name in ("a", "b", "c", "d")]
OUTSIDE = ["pp-old/x", "ppx", "qq/y"]  # siblings of the folder that share its start, and another folder
NAMES = INSIDE + OUTSIDE
VALUES = ["Pr0p-Valu3-%d-kZq8" % i for i in range(4)]
TOKENS = ["%032d" % i for i in range(1, 4)]
EXAMPLES = int(os.environ.get("SEED_PROPERTY_EXAMPLES", "30"))
STEPS = int(os.environ.get("SEED_PROPERTY_STEPS", "12"))

item_strategy = st.fixed_dictionaries(
    {"name": st.sampled_from(INSIDE), "state": st.sampled_from(["present", "present", "present", "absent"])},
    optional={
        "value": st.sampled_from(VALUES + ["generate"]),
        "token": st.sampled_from(TOKENS),
        "overwrite": st.booleans(),
        "description": st.sampled_from(["one", "two"]),
    },
)


def _item(spec: dict, arns: list, by_old_arn: bool) -> dict:
    item = {"name": spec["name"]}
    if by_old_arn and arns:
        item["name"] = arns[0]
    if spec["state"] == "absent":
        item["state"] = "absent"
        return item
    value = spec.get("value")
    if value == "generate":
        item["generate_secret"] = {"length": 20}
    elif value is not None:
        item["secret_string"] = value
        if "token" in spec:
            item["client_request_token"] = spec["token"]
    if "overwrite" in spec:
        item["overwrite"] = spec["overwrite"]
    if "description" in spec:
        item["description"] = spec["description"]
    return item


def _stages_current(secret: dict) -> str | None:
    return next((v for v, stages in (secret.get("VersionIdsToStages") or {}).items() if "AWSCURRENT" in stages), None)


class FleetMachine(RuleBasedStateMachine):
    """One moto account, the fleet task and others acting on it behind its back."""

    def __init__(self):
        super().__init__()
        _aws._CLIENTS.clear()
        self.mock = mock_aws()
        self.mock.start()
        self.client = botocore.session.Session().create_client("secretsmanager", region_name=REGION)
        self.frozen = None  # the listing ListSecrets keeps answering while set
        self.arns = []  # every ARN a secret of ours ever had, the oldest first
        self.last = None  # (params, result, what moto held after it, the listing it had) of the latest run

    def teardown(self):
        self.mock.stop()

    # ------------------------------------------------------------ what moto holds

    def snapshot(self) -> dict:
        """name -> what the endpoint holds now (a strongly consistent read: moto's own listing)."""
        held = {}
        for entry in self.client.list_secrets(IncludePlannedDeletion=True, MaxResults=100)["SecretList"]:
            secret = self.client.describe_secret(SecretId=entry["ARN"])
            current = _stages_current(secret)
            value = None
            if current and not secret.get("DeletedDate"):
                value = self.client.get_secret_value(SecretId=entry["ARN"], VersionId=current).get("SecretString")
            held[secret["Name"]] = {
                "arn": secret["ARN"], "deleted": bool(secret.get("DeletedDate")), "current": current, "value": value,
                "description": secret.get("Description"), "tags": sorted((t["Key"], t["Value"]) for t in secret.get("Tags") or []),
            }
        return held

    def listed(self, api, prefixes):
        """_fleet_read.list_secrets, answering from the frozen listing while one is set (the call is still made)."""
        fresh = REAL_LIST_SECRETS(api, prefixes)
        if self.frozen is None:
            return fresh
        return [dict(entry) for entry in self.frozen if any(entry["Name"].startswith(prefix) for prefix in prefixes)]

    def run_fleet(self, params: dict, check_mode: bool = False) -> dict:
        result = _fleet.fleet_execute(dict(params, region=REGION, concurrency=1), check_mode=check_mode)
        text = json.dumps(result)
        leaked = [value for value in VALUES if value in text]
        assert not leaked, "a value is in the result"
        return result

    # ------------------------------------------------------------ the task's runs

    @initialize(names=st.lists(st.sampled_from(NAMES), unique=True, max_size=4))
    def start(self, names):
        for name in names:
            self.create(name, VALUES[0])

    @rule(
        specs=st.lists(item_strategy, min_size=1, max_size=4, unique_by=lambda spec: spec["name"]),
        purge=st.booleans(),
        slash=st.booleans(),
        force_default=st.booleans(),
        by_old_arn=st.booleans(),
        check_first=st.booleans(),
    )
    def fleet_run(self, specs, purge, slash, force_default, by_old_arn, check_first):
        inside = [arn for arn in self.arns if arn.split(":", 6)[-1][:-7] in INSIDE]
        items = [_item(spec, inside, by_old_arn and index == 0) for index, spec in enumerate(specs)]
        params = {"path": FOLDER if slash else FOLDER.rstrip("/"), "purge": purge, "secrets": items}
        if force_default:
            params["defaults"] = {"force_delete_without_recovery": True}
        before = self.snapshot()
        if check_first:
            predicted = self.run_fleet(params, check_mode=True)
            assert self.snapshot() == before, "check mode wrote"
        result = self.run_fleet(params)
        if result.get("error_code") == "ValidationError":
            # An ARN and the name of the same secret in one task: refused before any call.
            assert "the same secret as" in result["msg"] and result["actions"] == {}, result["msg"]
            assert self.snapshot() == before
            return
        after = self.snapshot()
        if check_first:
            assert [r["changed"] for r in predicted["results"]] == [r["changed"] for r in result["results"]], (predicted, result)
            assert predicted["counts"] == result["counts"], (predicted["counts"], result["counts"])
            assert predicted["deleted"] == result["deleted"]
        self.check_run(items, purge, before, after, result)
        self.last = (params, result, after, self.frozen)

    @rule()
    def rerun(self):
        """The same task again at once, nothing changed in between: it converged, so nothing is left to do."""
        if self.last is None:
            return
        params, result, held, listing = self.last
        self.last = None
        if result.get("failed") or result.get("error_code") or self.snapshot() != held or self.frozen is not listing:
            # A failed run, someone changed the secrets since, or the listing caught up since: then the rerun may
            # rightly do more (purge a secret the run's listing did not show yet: docs/fleets.md, what a listing misses).
            return
        again = self.run_fleet(params)
        assert again["changed"] is False, ("a rerun changed", [r for r in again["results"] if r["changed"]], again["purged"])

    def check_run(self, items, purge, before, after, result):
        named, absent = set(), set()
        for item in items:
            name = item["name"]
            if name.startswith("arn:"):
                name = name.split(":", 6)[-1][:-7]
            named.add(name)
            if item.get("state") == "absent":
                absent.add(name)
        any_failed = any(r.get("failed") for r in result["results"])
        for name, held in before.items():
            now = after.get(name)
            deleted_now = now is None or now["deleted"]
            if not held["deleted"] and deleted_now:
                allowed = name in absent or (purge and not any_failed and name.startswith(FOLDER) and name not in named)
                assert allowed, "%s was deleted (purge=%s, named=%s, failed=%s)" % (name, purge, name in named, any_failed)
            if held["deleted"]:
                assert now is not None or name in absent, "%s was scheduled for deletion and is destroyed" % name
            if now is None and name not in absent:
                raise AssertionError("%s was destroyed without an item asking for it" % name)
        for item, entry in zip(items, result["results"]):
            name = entry["name"]
            held = before.get(name)
            now = after.get(name)
            if item.get("overwrite") is False and held and held["value"] is not None and not held["deleted"] and now:
                assert now["value"] == held["value"], "%s: overwrite: false replaced a value" % name
            if entry.get("failed") or not entry["changed"]:
                continue
            if item.get("state") == "absent":
                assert now is None or now["deleted"], "%s reported deleted, endpoint holds it live" % name
                continue
            assert now is not None and not now["deleted"], "%s reported written, endpoint has no live secret" % name
            assert entry["arn"] == now["arn"]
            if entry["version_id"] is not None:
                assert entry["version_id"] == now["current"], "%s reported version %s, endpoint's is %s" % (name, entry["version_id"], now["current"])
            # A token names a version: the value of a token that already was the current version is not compared (the
            # collection's idempotence without reading values; docs/idempotence.md).
            token_was_current = held is not None and item.get("client_request_token") == held["current"]
            if "secret_string" in item and item.get("overwrite", True) and not token_was_current:
                assert now["value"] == item["secret_string"], "%s reported written, endpoint holds another value" % name
            if "description" in item:
                assert now["description"] == item["description"], "%s: description not applied" % name
        for purged in result["purged"]:
            assert purged["name"].startswith(FOLDER) and purged["name"] not in named
            assert after.get(purged["name"]) is not None, "purge destroyed %s" % purged["name"]

    # ------------------------------------------------------------ behind the task's back

    def create(self, name, value):
        arn = self.client.create_secret(Name=name, SecretString=value)["ARN"]
        self.arns.append(arn)

    @rule(change=st.sampled_from(["set", "delete", "force-delete", "restore", "re-create"]), name=st.sampled_from(NAMES),
          value=st.sampled_from(VALUES))
    def someone_else_changes(self, change, name, value):
        held = self.snapshot().get(name)
        if change == "set" and held is None:
            self.create(name, value)
        elif change == "set" and not held["deleted"]:
            self.client.put_secret_value(SecretId=name, SecretString=value)
        elif change == "delete" and held is not None and not held["deleted"]:
            self.client.delete_secret(SecretId=name, RecoveryWindowInDays=7)
        elif change == "force-delete" and held is not None:
            self.client.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
        elif change == "restore" and held is not None and held["deleted"]:
            self.client.restore_secret(SecretId=name)
        elif change == "re-create":
            if held is not None:
                self.client.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
            self.create(name, value)

    @rule(stale=st.booleans())
    def listing(self, stale):
        """ListSecrets goes stale (keeps answering what it answers now) or catches up."""
        if not stale:
            self.frozen = None
        elif self.frozen is None:
            entries = self.client.list_secrets(IncludePlannedDeletion=True, MaxResults=100)["SecretList"]
            self.frozen = [_fleet_read._listed(entry) for entry in entries]


REAL_LIST_SECRETS = _fleet_read.list_secrets


@pytest.fixture
def fleet_env(monkeypatch, tmp_path):
    """The machine's class, with ListSecrets answered through the latest machine, and what the machines did: the
    examples and fleet runs (only counts are kept: a machine holds a botocore client, a few MB each)."""
    dummy_aws_env(monkeypatch, tmp_path)
    seen = {"latest": None, "examples": 0, "runs": 0}

    class Machine(FleetMachine):
        def __init__(self):
            super().__init__()
            seen["latest"] = self
            seen["examples"] += 1

        def run_fleet(self, params, check_mode=False):
            seen["runs"] += 1
            return super().run_fleet(params, check_mode=check_mode)

        def teardown(self):
            super().teardown()
            seen["latest"] = None

    def listed(api, prefixes):
        return seen["latest"].listed(api, prefixes)  # the machine of this example, looked up at the call

    monkeypatch.setattr(_fleet_read, "list_secrets", listed)
    return Machine, seen


def test_fleet_runs_never_lose_data_whatever_happens_behind_their_back(fleet_env):
    machine, seen = fleet_env
    run_state_machine_as_test(machine, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, derandomize="SEED_PROPERTY_SEED" not in os.environ,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much], database=None,
    ))
    print("fleet property test: %d examples, %d fleet runs" % (seen["examples"], seen["runs"]))
    assert seen["runs"] >= EXAMPLES  # the machine really ran the task, not only the changes behind its back
