# -*- coding: utf-8 -*-
"""What purge of seed.secretsmanager.secrets may delete (issue 18, cases 1, 4, 6 and 9), on both execution paths.

The contract: purge deletes only live secrets under the folder `path`, never one an item names (by name or by any
ARN, even of an item that failed), nothing at all when an item failed, and each deletion only after DescribeSecret
confirmed it (a replica of another region's or another account's primary, or a secret a service owns, is skipped
with a warning). It deletes with its own options (purge_recovery_window_in_days, default 30, and
purge_force_delete_without_recovery, default false); the items' defaults do not apply to it.

Every test checks what moto holds afterwards with a client straight at moto, not only the task's result.
"""

from __future__ import annotations

import pytest

from secret_task import secret_names, versions

PATHS = pytest.mark.parametrize("in_process", [True, False], ids=["in-process", "module"])
ACCOUNT_WINDOW = 30  # purge_recovery_window_in_days' default


def live(direct, name):
    """DescribeSecret's answer for name, asserting the secret exists and is not scheduled for deletion."""
    secret = direct.describe_secret(SecretId=name)
    assert "DeletedDate" not in secret, "%s was scheduled for deletion: %s" % (name, secret)
    return secret


def described(direct, name):
    """DescribeSecret's answer for name, or None when moto holds no such secret (not even scheduled for deletion)."""
    try:
        return direct.describe_secret(SecretId=name)
    except direct.exceptions.ResourceNotFoundException:
        return None


def scheduled_not_forced(fleet, direct, secret):
    """The secret is scheduled for deletion (still there: not force-deleted), by a DeleteSecret with purge's
    default window (RecoveryWindowInDays 30 or left out, no ForceDeleteWithoutRecovery)."""
    now = described(direct, secret["ARN"])
    assert now is not None, "%s was deleted without recovery" % secret["Name"]
    assert "DeletedDate" in now, "%s was not deleted" % secret["Name"]
    requests = fleet.naming("DeleteSecret", secret)
    assert requests, fleet.proxy.seen
    for request in requests:
        assert not request.get("ForceDeleteWithoutRecovery"), request
        assert request.get("RecoveryWindowInDays", ACCOUNT_WINDOW) == ACCOUNT_WINDOW, request


def assert_purged(result, *secrets):
    """purged lists exactly these secrets, each with its name, ARN and deletion date (a string)."""
    purged = result.get("purged")
    assert isinstance(purged, list), "no purged key in the result: %s" % result
    assert sorted(entry["name"] for entry in purged) == sorted(secret["Name"] for secret in secrets), purged
    arns = {secret["Name"]: secret["ARN"] for secret in secrets}
    for entry in purged:
        assert entry["arn"] == arns[entry["name"]], entry
        assert isinstance(entry["deletion_date"], str) and entry["deletion_date"], entry


# ---------------------------------------------------------------- case 1


@PATHS
def test_case_1_purge_leaves_a_secret_scheduled_for_deletion_exactly_as_it_is(fleet, direct, proxy, in_process):
    """path app/, purge, defaults {force_delete_without_recovery: true}; another team scheduled app/scheduled for
    deletion (30 days) after the listing was taken. Before the fix purge force-deleted it, versions and all."""
    values = {"app/keep": "keep-value-Qm3v", "app/scheduled": "scheduled-value-Zr8k", "app/unlisted": "unlisted-value-Wd2p"}
    arns = {name: direct.create_secret(Name=name, SecretString=value)["ARN"] for name, value in values.items()}
    direct.put_secret_value(SecretId="app/scheduled", SecretString="scheduled-value-2-Hx5t")
    keep_partial_arn = arns["app/keep"][:-7]  # an item may name its secret by a partial ARN: never purged
    args = {"path": "app/", "purge": True, "defaults": {"force_delete_without_recovery": True}, "secrets": [{"name": keep_partial_arn}]}
    rc, _recording, output = fleet.run(args, check_mode=True)  # records the listing: all three live
    assert rc == 0, output

    direct.delete_secret(SecretId="app/scheduled", RecoveryWindowInDays=30)  # another team, after the listing
    scheduled = direct.describe_secret(SecretId="app/scheduled")
    scheduled_versions = versions(direct, "app/scheduled")
    unlisted = direct.describe_secret(SecretId="app/unlisted")

    rc, check, check_output = fleet.run(args, stale=True, check_mode=True)
    check_writes = fleet.writes()
    assert rc == 0, check_output

    rc, result, output = fleet.run(args, stale=True)
    assert rc == 0 and result["_status"] == "CHANGED", output
    now = described(direct, "app/scheduled")
    assert now is not None, "purge force-deleted a secret that was scheduled for deletion (its versions are gone)"
    assert now["DeletedDate"] == scheduled["DeletedDate"], "the scheduled deletion was moved"
    assert versions(direct, "app/scheduled") == scheduled_versions
    assert fleet.naming("DeleteSecret", scheduled) == [], "purge sent DeleteSecret for a secret already scheduled"
    scheduled_not_forced(fleet, direct, unlisted)  # the items' defaults do not apply to purge
    assert result["deleted"] == ["app/unlisted"] and result["counts"]["deleted"] == 1, output
    assert_purged(result, unlisted)
    live(direct, "app/keep")
    # Check mode reads as the real run does (the checks come last: the real run's are the ones that matter most).
    assert check_writes == {}, "check mode wrote: %s" % check_writes
    assert "app/scheduled" not in check["deleted"], "check mode predicts deleting a secret already scheduled: %s" % check_output
    assert check["deleted"] == ["app/unlisted"] and check["counts"]["deleted"] == 1, check_output
    assert [entry["name"] for entry in check.get("purged", [])] == ["app/unlisted"], check_output
    fleet.assert_no_value_shown(*values.values(), "scheduled-value-2-Hx5t")


# ---------------------------------------------------------------- case 4


@PATHS
def test_case_4_an_old_arn_fails_its_item_and_nothing_is_purged(fleet, direct, proxy, in_process):
    """An item names app/db by the ARN of a secret that was deleted and created again (the suffix differs).
    Before the fix the item failed and purge deleted the live app/db in the same run."""
    old_arn = direct.create_secret(Name="app/db", SecretString="db-old-value-Kp4s")["ARN"]
    direct.delete_secret(SecretId=old_arn, ForceDeleteWithoutRecovery=True)
    db = direct.create_secret(Name="app/db", SecretString="db-live-value-Tn7c")
    assert db["ARN"] != old_arn
    db_versions = versions(direct, "app/db")
    direct.create_secret(Name="app/other", SecretString="other-value-Fb9w")
    args = {"path": "app/", "purge": True, "secrets": [{"name": old_arn, "secret_string": "db-new-value-Jq6e"}]}

    rc, result, output = fleet.run(args)
    assert rc != 0 and result["_status"] == "FAILED!", output
    assert direct.describe_secret(SecretId="app/db").get("DeletedDate") is None, "purge deleted the live secret the item names"
    assert versions(direct, "app/db") == db_versions
    assert direct.get_secret_value(SecretId="app/db")["SecretString"] == "db-live-value-Tn7c"
    live(direct, "app/other")  # no purge at all in a run where an item failed
    assert proxy.documents("DeleteSecret") == [], proxy.seen
    assert result["results"][0].get("failed") is True, output
    assert result["counts"]["failed"] == 1 and result["counts"]["deleted"] == 0, output
    assert result.get("deleted") == [] and result.get("purged", []) == [], output
    skipped = [w for w in fleet.warnings(result, output) if "purge" in w.lower() and "skip" in w.lower()]
    assert skipped, "no warning says the purge was skipped:\n%s" % output
    assert secret_names(direct) == ["app/db", "app/other"]
    fleet.assert_no_value_shown("db-old-value-Kp4s", "db-live-value-Tn7c", "other-value-Fb9w", "db-new-value-Jq6e")


# ---------------------------------------------------------------- case 6


@PATHS
def test_case_6_path_is_a_folder(fleet, direct, proxy, in_process):
    """path app/prod (no slash) is the folder app/prod/. Before the fix purge deleted app/prod-old/x and
    app/production/x, and an item app/prod-old/x passed validation."""
    secrets = {}
    for name in ("app/prod/a", "app/prod/unlisted", "app/prod-old/x", "app/production/x", "app/prod"):
        secrets[name] = direct.create_secret(Name=name, SecretString="value-of-%s-Gm2r" % name.replace("/", "-"))
    args = {"path": "app/prod", "purge": True, "secrets": [{"name": "app/prod/a"}]}

    rc, result, output = fleet.run(args)
    assert rc == 0, output
    for outside in ("app/prod-old/x", "app/production/x", "app/prod"):
        live(direct, outside)
    outside = [secrets[name] for name in ("app/prod-old/x", "app/production/x", "app/prod")]
    assert fleet.naming("DeleteSecret", *outside) == [], "purge tried to delete outside the folder: %s" % proxy.documents("DeleteSecret")
    live(direct, "app/prod/a")
    scheduled_not_forced(fleet, direct, secrets["app/prod/unlisted"])
    assert result["deleted"] == ["app/prod/unlisted"] and result["counts"]["deleted"] == 1, output
    assert_purged(result, secrets["app/prod/unlisted"])

    rc, refused, output = fleet.run({"path": "app/prod", "secrets": [{"name": "app/prod-old/x", "description": "not under the folder"}]})
    assert rc != 0 and refused["_status"] == "FAILED!", output
    assert refused.get("option") == "secrets[0].name", output
    assert proxy.seen == [], "a request was sent for an item outside the folder: %s" % proxy.seen
    assert "Description" not in direct.describe_secret(SecretId="app/prod-old/x")
    fleet.assert_no_value_shown(*("value-of-%s-Gm2r" % name.replace("/", "-") for name in secrets))


# ---------------------------------------------------------------- case 9

CROSS_ACCOUNT_PRIMARY = "arn:aws:secretsmanager:us-east-1:111122223333:secret:shared/app/replica-AbCdEf"


def cross_account_replica(reply):
    """DescribeSecret's answer for app/replica as AWS gives it for a cross-account replica (moto 5.2 has none;
    ListSecrets never shows the field)."""
    if reply.get("Name") == "app/replica":
        reply["CrossAccountPrimary"] = {"PrimarySecretARN": CROSS_ACCOUNT_PRIMARY, "ReplicationStatus": "InSync"}


@PATHS
def test_case_9_actions_count_every_attempt_and_purge_spares_a_cross_account_replica(fleet, direct, proxy, in_process):
    """Throttled requests the module sends again itself are calls too; and app/replica, a cross-account replica
    (CrossAccountPrimary in DescribeSecret only), is not purge's to delete. Before the fix actions left the resent
    requests out, and purge deleted the replica."""
    keep = direct.create_secret(Name="app/keep", SecretString="keep-value-Lc5n")
    replica = direct.create_secret(Name="app/replica", SecretString="replica-value-Vy3h")
    unlisted = direct.create_secret(Name="app/unlisted", SecretString="unlisted-value-Ue8d")
    proxy.rewrite("cross-account", cross_account_replica)
    # One attempt a request (no botocore retry): each request that reaches the proxy is one the module sent.
    args = {"path": "app/", "purge": True, "aws_config": {"retries": {"mode": "standard", "total_max_attempts": 1}},
            "secrets": [{"name": keep["ARN"], "secret_string": "keep-value-2-Pw4g"}]}
    faults = {"ListSecrets": ["throttle"], "PutSecretValue": ["throttle"], "DeleteSecret": ["throttle"], "DescribeSecret": ["cross-account"] * 50}

    rc, result, output = fleet.run(args, faults=faults)
    assert rc == 0, output
    live(direct, "app/replica")
    assert fleet.naming("DeleteSecret", replica) == [], "purge tried to delete a cross-account replica"
    assert any("app/replica" in w for w in fleet.warnings(result, output)), "no warning names the skipped replica:\n%s" % output
    assert result["actions"] == proxy.counts(), "actions %s, requests that reached AWS %s" % (result["actions"], proxy.counts())
    assert proxy.attempts("ListSecrets") >= 2 and proxy.attempts("PutSecretValue") == 2 and proxy.attempts("DeleteSecret") == 2, proxy.seen
    assert direct.get_secret_value(SecretId="app/keep")["SecretString"] == "keep-value-2-Pw4g"
    assert "DeletedDate" in direct.describe_secret(SecretId=unlisted["ARN"])
    assert result["deleted"] == ["app/unlisted"], output
    assert_purged(result, unlisted)
    fleet.assert_no_value_shown("keep-value-Lc5n", "replica-value-Vy3h", "unlisted-value-Ue8d", "keep-value-2-Pw4g")


# ---------------------------------------------------------------- purge's own options


@PATHS
def test_purge_deletes_with_its_own_options_not_the_items_defaults(fleet, direct, proxy, in_process):
    """purge_recovery_window_in_days and purge_force_delete_without_recovery say how purge deletes; the items'
    defaults (recovery_window_in_days, force_delete_without_recovery) no longer do. (Before the fix the purge
    options did not exist: the task fails with "Unsupported parameters".)"""
    direct.create_secret(Name="app/keep", SecretString="keep-value-Sd4f")
    first = direct.create_secret(Name="app/first", SecretString="first-value-Ka7e")
    base = {"path": "app/", "purge": True, "secrets": [{"name": "app/keep"}]}

    rc, result, output = fleet.run(dict(base, defaults={"force_delete_without_recovery": True}, purge_recovery_window_in_days=10))
    assert rc == 0, output
    assert [(d.get("RecoveryWindowInDays"), bool(d.get("ForceDeleteWithoutRecovery"))) for d in fleet.naming("DeleteSecret", first)] == [(10, False)]
    assert "DeletedDate" in direct.describe_secret(SecretId="app/first")
    assert_purged(result, first)

    second = direct.create_secret(Name="app/second", SecretString="second-value-Ob3m")
    rc, result, output = fleet.run(dict(base, defaults={"recovery_window_in_days": 7}, purge_force_delete_without_recovery=True))
    assert rc == 0, output
    assert [bool(d.get("ForceDeleteWithoutRecovery")) for d in fleet.naming("DeleteSecret", second)] == [True]
    assert fleet.naming("DeleteSecret", first) == [], "purge deleted a secret already scheduled for deletion"
    assert secret_names(direct) == ["app/first", "app/keep"]  # app/second is gone: deleted without recovery
    assert result["deleted"] == ["app/second"] and result["counts"]["deleted"] == 1, output
    assert_purged(result, second)
    fleet.assert_no_value_shown("keep-value-Sd4f", "first-value-Ka7e", "second-value-Ob3m")
