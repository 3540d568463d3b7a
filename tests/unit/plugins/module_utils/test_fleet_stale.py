# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secrets module never loses data: a listing (ListSecrets, minutes old on AWS) is a hint, every write is planned
from DescribeSecret, and purge deletes only the live secrets under its folder that no item names, each confirmed
first. Against moto's mock_aws, with the listing replayed from before changes made behind the task's back
(tests/system/fleets runs the same cases through ansible-playbook and a proxy)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.seed.secretsmanager.plugins.module_utils import _fleet_read, _purge
from ansible_collections.seed.secretsmanager.tests.unit.plugins.module_utils import test_fleet
from ansible_collections.seed.secretsmanager.tests.unit.plugins.module_utils.test_fleet import OTHER, PATH, SECRET, TOKEN, TOKEN2, deleted, fleet, names

aws = test_fleet.aws  # the fixture: mock_aws, every request counted and compared with the task's actions

THIRD = "Fl33t-Th1rd-Valu3-3"


@pytest.fixture
def stale(monkeypatch):
    """stale(aws): from now on ListSecrets over PATH answers what it answers at this moment (as AWS may, for
    minutes). The request is still sent, and counted; only its answer is from the past."""

    def freeze(aws):
        real = _fleet_read.list_secrets
        page = aws.list_secrets(IncludePlannedDeletion=True, MaxResults=100, Filters=[{"Key": "name", "Values": [PATH]}])
        frozen = {(PATH,): [_fleet_read._listed(entry) for entry in page["SecretList"]]}

        def replay(api, prefixes):
            fresh = real(api, prefixes)
            return [dict(entry) for entry in frozen.setdefault(tuple(prefixes), fresh)]

        monkeypatch.setattr(_fleet_read, "list_secrets", replay)

    return freeze


def value(aws, name):
    """The AWSCURRENT value, read by its version id (moto keeps answering the old version to a read by stage after
    UpdateSecretVersionStage moves AWSCURRENT; AWS does not)."""
    stages = aws.describe_secret(SecretId=name)["VersionIdsToStages"]
    current = next(version for version, labels in stages.items() if "AWSCURRENT" in labels)
    return aws.get_secret_value(SecretId=name, VersionId=current)["SecretString"]


def test_purge_leaves_a_secret_scheduled_for_deletion_as_it_is_whatever_the_defaults_say(aws):
    """Case 1: force_delete_without_recovery in defaults is for the items; a secret someone else scheduled for
    deletion (30-day window) keeps its schedule and its versions."""
    aws.create_secret(Name=PATH + "scheduled", SecretString=OTHER)
    aws.delete_secret(SecretId=PATH + "scheduled", RecoveryWindowInDays=30)
    when = aws.describe_secret(SecretId=PATH + "scheduled")["DeletedDate"]
    result = fleet(aws, path=PATH, purge=True, defaults={"force_delete_without_recovery": True}, secrets=[{"name": PATH + "keep", "secret_string": SECRET}])
    assert "failed" not in result and result["purged"] == [] and result["deleted"] == []
    assert aws.describe_secret(SecretId=PATH + "scheduled")["DeletedDate"] == when
    aws.restore_secret(SecretId=PATH + "scheduled")
    assert value(aws, PATH + "scheduled") == OTHER


def test_purge_deletes_with_its_own_window_and_lists_arn_and_date(aws):
    aws.create_secret(Name=PATH + "old", SecretString=OTHER)
    arn = aws.describe_secret(SecretId=PATH + "old")["ARN"]
    result = fleet(aws, path=PATH, purge=True, defaults={"force_delete_without_recovery": True}, secrets=[{"name": PATH + "keep", "secret_string": SECRET}])
    assert result["deleted"] == [PATH + "old"] and result["counts"]["deleted"] == 1
    [purged] = result["purged"]
    assert purged["name"] == PATH + "old" and purged["arn"] == arn and purged["deletion_date"][:4].isdigit()
    assert deleted(aws, PATH + "old")  # scheduled, not destroyed: restore undoes it
    aws.restore_secret(SecretId=PATH + "old")
    assert value(aws, PATH + "old") == OTHER
    forced = fleet(aws, path=PATH, purge=True, purge_force_delete_without_recovery=True, secrets=[{"name": PATH + "keep"}])
    assert forced["deleted"] == [PATH + "old"] and PATH + "old" not in names(aws)


def test_path_is_a_folder_and_purge_never_deletes_a_sibling(aws):
    """Case 6: path app/prod without a slash is the folder app/prod/."""
    for name in ("fleet/prod/gone", "fleet/prod-old/x", "fleet/production/y"):
        aws.create_secret(Name=name, SecretString=OTHER)
    result = fleet(aws, path="fleet/prod", purge=True, secrets=[{"name": "fleet/prod/db", "secret_string": SECRET}])
    assert "failed" not in result and result["deleted"] == ["fleet/prod/gone"]
    assert not deleted(aws, "fleet/prod-old/x") and not deleted(aws, "fleet/production/y")


def test_an_item_naming_an_old_arn_fails_and_nothing_is_purged(aws):
    """Case 4: the secret was deleted and re-created, so its ARN's suffix changed. The item fails, and the live
    secret of that name (which the listing shows as unnamed by any item) is not purged, nor is anything else."""
    aws.create_secret(Name=PATH + "db", SecretString=OTHER)
    old_arn = aws.describe_secret(SecretId=PATH + "db")["ARN"]
    aws.delete_secret(SecretId=PATH + "db", ForceDeleteWithoutRecovery=True)
    aws.create_secret(Name=PATH + "db", SecretString=THIRD)
    aws.create_secret(Name=PATH + "unnamed", SecretString=OTHER)
    result = fleet(aws, path=PATH, purge=True, secrets=[{"name": old_arn, "tags": {"a": "b"}}])
    assert result["failed"] is True and result["results"][0]["failed"] is True
    assert result["deleted"] == [] and result["purged"] == []
    assert any("purge: skipped" in warning for warning in result["warnings"])
    assert not deleted(aws, PATH + "db") and not deleted(aws, PATH + "unnamed")
    assert value(aws, PATH + "db") == THIRD


def test_an_old_arn_claims_the_secret_of_that_name_even_when_purge_runs(aws, monkeypatch):
    """Even if such an item did not fail, the name inside its ARN is claimed: purge never deletes it."""
    aws.create_secret(Name=PATH + "db", SecretString=OTHER)
    arn = aws.describe_secret(SecretId=PATH + "db")["ARN"]
    fleet_given = __import__("ansible_collections.seed.secretsmanager.plugins.module_utils._fleet_validate", fromlist=["x"]).validate_fleet(
        {"path": PATH, "purge": True, "secrets": [{"name": arn[:-1] + ("A" if arn[-1] != "A" else "B")}]})
    assert PATH + "db" in fleet_given.claimed
    assert _purge.purge_candidates(fleet_given, {PATH + "db": {"Name": PATH + "db"}}) == []


def test_purge_never_deletes_a_cross_account_replica_it_confirms_with_describe(aws, monkeypatch):
    """Case 9: ListSecrets does not show CrossAccountPrimary; DescribeSecret does (moto lacks it: added here)."""
    aws.create_secret(Name=PATH + "replica", SecretString=OTHER)
    real = _purge.describe

    def described(api, name):
        secret = real(api, name)
        if secret and secret["Name"] == PATH + "replica":
            secret["CrossAccountPrimary"] = {"PrimarySecretARN": "arn:aws:secretsmanager:us-east-1:210987654321:secret:app/db-AbCdEf",
                                             "ReplicationStatus": "InSync"}
        return secret

    monkeypatch.setattr(_purge, "describe", described)
    result = fleet(aws, path=PATH, purge=True, secrets=[{"name": PATH + "keep", "secret_string": SECRET}])
    assert result["deleted"] == [] and not deleted(aws, PATH + "replica")
    assert any("cross-account replica" in warning and PATH + "replica" in warning for warning in result["warnings"])
    assert "DeleteSecret" not in result["actions"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_overwrite_false_keeps_a_value_set_behind_a_stale_listing(aws, stale, check_mode):
    """Case 2: the listing shows no secret; another team created it meanwhile. overwrite: false never replaces."""
    aws.create_secret(Name=PATH + "seen", SecretString=SECRET)
    stale(aws)
    aws.create_secret(Name=PATH + "theirs", SecretString=OTHER)
    items = [{"name": PATH + "theirs", "secret_string": "placeholder-value", "overwrite": False}, {"name": PATH + "seen"}]
    result = fleet(aws, check_mode=check_mode, path=PATH, secrets=items)
    assert "failed" not in result and result["changed"] is False
    assert value(aws, PATH + "theirs") == OTHER
    assert result["results"][0]["actions"] == ["DescribeSecret"]


def test_generate_secret_fills_a_placeholder_once_behind_a_stale_listing(aws, stale):
    aws.create_secret(Name=PATH + "seen", SecretString=SECRET)
    stale(aws)
    items = [{"name": PATH + "generated", "generate_secret": {"length": 24}}]
    first = fleet(aws, path=PATH, secrets=items)
    assert first["counts"]["created"] == 1
    generated = value(aws, PATH + "generated")
    again = fleet(aws, path=PATH, secrets=items)  # the listing still shows no such secret
    assert again["changed"] is False and value(aws, PATH + "generated") == generated
    assert again["results"][0]["actions"] == ["DescribeSecret"]


def test_a_rollback_is_planned_from_describe_not_from_a_stale_listing(aws, stale):
    """Case 3: the listing shows TOKEN2 current (TOKEN previous); someone put TOKEN3 meanwhile. A rerun with TOKEN
    rolls back, and its RemoveFromVersionId names TOKEN3, the version that holds AWSCURRENT now (AWS refuses a
    stale one)."""
    token3 = "%032d" % 3
    aws.create_secret(Name=PATH + "db", SecretString=SECRET, ClientRequestToken=TOKEN)
    aws.put_secret_value(SecretId=PATH + "db", SecretString=OTHER, ClientRequestToken=TOKEN2)
    stale(aws)
    aws.put_secret_value(SecretId=PATH + "db", SecretString=THIRD, ClientRequestToken=token3)
    items = [{"name": PATH + "db", "secret_string": SECRET, "client_request_token": TOKEN}]
    result = fleet(aws, path=PATH, secrets=items)
    assert "failed" not in result, result.get("msg")
    assert result["counts"]["updated"] == 1 and result["results"][0]["version_id"] == TOKEN
    assert value(aws, PATH + "db") == SECRET
    stages = aws.describe_secret(SecretId=PATH + "db")["VersionIdsToStages"]
    assert stages[TOKEN] == ["AWSCURRENT"] and stages[token3] == ["AWSPREVIOUS"]


def test_what_a_stale_listing_shows_converged_is_converged_by_a_later_run(aws, stale, monkeypatch):
    """The documented limit (docs/fleets.md): a change behind the task's back on a secret the listing still shows
    converged costs no read this run, and the next run with a fresh listing converges it."""
    real = _fleet_read.list_secrets
    aws.create_secret(Name=PATH + "db", SecretString=SECRET, ClientRequestToken=TOKEN)
    stale(aws)
    aws.put_secret_value(SecretId=PATH + "db", SecretString=OTHER, ClientRequestToken=TOKEN2)
    items = [{"name": PATH + "db", "secret_string": SECRET, "client_request_token": TOKEN}]
    assert fleet(aws, path=PATH, secrets=items)["changed"] is False
    monkeypatch.setattr(_fleet_read, "list_secrets", real)  # minutes later: the listing shows the change
    later = fleet(aws, path=PATH, secrets=items)
    assert later["counts"]["updated"] == 1 and value(aws, PATH + "db") == SECRET


def test_a_secret_made_behind_a_stale_listing_is_updated_not_reported_created(aws, stale):
    """Case 5: a CreateSecret retry whose token and value match is ignored by AWS; the fleet never sends it when
    DescribeSecret finds the secret, and applies the description and tags for real."""
    aws.create_secret(Name=PATH + "seen", SecretString=SECRET)
    stale(aws)
    aws.create_secret(Name=PATH + "db", SecretString=SECRET, ClientRequestToken=TOKEN, Description="old")
    items = [{"name": PATH + "db", "secret_string": SECRET, "client_request_token": TOKEN, "description": "new", "tags": {"team": "app"}}]
    result = fleet(aws, path=PATH, secrets=items)
    assert result["counts"] == {"created": 0, "updated": 1, "unchanged": 0, "deleted": 0, "failed": 0}
    assert "CreateSecret" not in result["actions"]
    described = aws.describe_secret(SecretId=PATH + "db")
    assert described["Description"] == "new" and described["Tags"] == [{"Key": "team", "Value": "app"}]


def test_purge_confirms_each_deletion_and_leaves_what_was_scheduled_since_the_listing(aws, stale):
    aws.create_secret(Name=PATH + "old", SecretString=OTHER)
    aws.create_secret(Name=PATH + "scheduled-later", SecretString=OTHER)
    stale(aws)
    aws.delete_secret(SecretId=PATH + "scheduled-later", RecoveryWindowInDays=30)
    when = aws.describe_secret(SecretId=PATH + "scheduled-later")["DeletedDate"]
    result = fleet(aws, path=PATH, purge=True, purge_force_delete_without_recovery=True, defaults={"force_delete_without_recovery": True},
                   secrets=[{"name": PATH + "keep", "secret_string": SECRET}])
    assert result["deleted"] == [PATH + "old"]
    assert aws.describe_secret(SecretId=PATH + "scheduled-later")["DeletedDate"] == when
    assert SECRET not in json.dumps(result) and OTHER not in json.dumps(result)


def test_a_read_the_stale_listings_secret_refuses_falls_back_to_describe(aws, stale):
    """The listing shows the secret live; it was scheduled for deletion since, so its value cannot be read. The item
    is then read as the secret module reads it, and planned from that (restore is the default), instead of failing."""
    aws.create_secret(Name=PATH + "db", SecretString=SECRET)
    stale(aws)
    aws.delete_secret(SecretId=PATH + "db", RecoveryWindowInDays=7)
    result = fleet(aws, path=PATH, secrets=[{"name": PATH + "db", "secret_string": OTHER}])
    assert "failed" not in result, result.get("msg")
    actions = result["results"][0]["actions"]
    assert actions[0] == "GetSecretValue" and actions[1] == "DescribeSecret" and "RestoreSecret" in actions
    assert value(aws, PATH + "db") == OTHER


def test_a_secret_the_listing_does_not_show_yet_is_purged_by_a_later_run(aws, stale, monkeypatch):
    """Found by the property test: purge deletes only what a listing shows (and DescribeSecret confirms), so a secret
    made under the folder in the listing's last minutes survives this run and is purged by a later one."""
    real = _fleet_read.list_secrets
    aws.create_secret(Name=PATH + "keep", SecretString=SECRET)
    stale(aws)
    aws.create_secret(Name=PATH + "new-unnamed", SecretString=OTHER)
    items = [{"name": PATH + "keep"}]
    assert fleet(aws, path=PATH, purge=True, secrets=items)["purged"] == []
    monkeypatch.setattr(_fleet_read, "list_secrets", real)
    later = fleet(aws, path=PATH, purge=True, secrets=items)
    assert [p["name"] for p in later["purged"]] == [PATH + "new-unnamed"] and deleted(aws, PATH + "new-unnamed")
