# -*- coding: utf-8 -*-
"""Writes of seed.secretsmanager.secrets from a stale listing (issue 18, cases 2, 3 and 5), on both execution paths.

ListSecrets "might not reflect changes from the last five minutes". The contract: an item whose plan from the
listing is not empty is read again with DescribeSecret (and its value or policy where compared) and planned again
before any write; a create planned from the listing is first confirmed absent with DescribeSecret. Each test
records the listing with a first run, changes moto's state as another client would (or as that first run did),
and runs again with the recorded listing replayed by the proxy.

Also here, without ansible: the proxy's replay itself, and the two AWS answers these cases rely on, which moto
5.2.6 gives as AWS documents them (so the proxy relays moto's answer; if moto changes, the pin below fails).
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from secret_task import current_version, direct_client, versions

PATHS = pytest.mark.parametrize("in_process", [True, False], ids=["in-process", "module"])
T0 = "00000000000000000000000000000000"
T1 = "11111111111111111111111111111111"
T2 = "22222222222222222222222222222222"


def value(direct, name):
    return direct.get_secret_value(SecretId=name)["SecretString"]


def tags(secret):
    return {tag["Key"]: tag["Value"] for tag in secret.get("Tags") or []}


# ---------------------------------------------------------------- case 2


@PATHS
def test_case_2_overwrite_false_and_generate_secret_keep_a_value_the_listing_does_not_show(fleet, direct, proxy, in_process):
    """The listing shows app/shared and app/gen without a value and app/absent not at all; meanwhile another team
    set app/shared's value and created app/absent, and the first run filled app/gen. Before the fix the rerun
    replaced app/shared's value (overwrite: false) and generated app/gen's again."""
    direct.create_secret(Name="app/shared")  # placeholders: no version yet
    direct.create_secret(Name="app/gen")
    rc, first, output = fleet.run({"path": "app/", "secrets": [{"name": "app/gen", "generate_secret": {"length": 24}}]})
    assert rc == 0 and first["counts"]["updated"] == 1, output  # the listing it read is recorded
    generated = value(direct, "app/gen")
    generated_versions = versions(direct, "app/gen")
    direct.put_secret_value(SecretId="app/shared", SecretString="theirs-shared-Rk4w")  # another team, meanwhile
    direct.create_secret(Name="app/absent", SecretString="theirs-absent-Nc8j")
    args = {"path": "app/", "secrets": [
        {"name": "app/shared", "secret_string": "ours-shared-Mx2q", "overwrite": False},
        {"name": "app/gen", "generate_secret": {"length": 24}},
        {"name": "app/absent", "secret_string": "ours-absent-Bv6t", "overwrite": False},
    ]}

    rc, result, output = fleet.run(args, stale=True)
    assert rc == 0, output
    assert value(direct, "app/shared") == "theirs-shared-Rk4w", "overwrite: false replaced another team's value"
    assert value(direct, "app/gen") == generated and versions(direct, "app/gen") == generated_versions, "generate_secret filled app/gen again"
    assert value(direct, "app/absent") == "theirs-absent-Nc8j"
    assert fleet.writes() == {}, "writes from a stale listing: %s" % fleet.writes()
    assert result["_status"] == "SUCCESS" and result["counts"]["unchanged"] == 3, output
    fleet.assert_no_value_shown("theirs-shared-Rk4w", "theirs-absent-Nc8j", "ours-shared-Mx2q", "ours-absent-Bv6t",
                                generated, value(direct, "app/gen"))


# ---------------------------------------------------------------- case 3


@PATHS
def test_case_3_a_rerun_with_the_same_token_succeeds_from_a_stale_listing(fleet, direct, proxy, in_process):
    """The first run made T1 current (the listing it read shows T0 current). Before the fix the rerun planned a
    rollback to T1 with RemoveFromVersionId T0, and AWS refused it (UpdateSecretVersionStage: T0 does not hold
    AWSCURRENT)."""
    direct.create_secret(Name="app/db", SecretString="db-value-zero-Hq3s", ClientRequestToken=T0)
    args = {"path": "app/", "secrets": [{"name": "app/db", "secret_string": "db-value-one-Yt7m", "client_request_token": T1}]}
    rc, first, output = fleet.run(args)
    assert rc == 0 and current_version(direct, "app/db") == T1, output
    after_first = versions(direct, "app/db")

    rc, result, output = fleet.run(args, stale=True)
    assert rc == 0 and result["_status"] == "SUCCESS", output
    assert result["changed"] is False and result["counts"]["unchanged"] == 1, output
    assert versions(direct, "app/db") == after_first == {T0: ["AWSPREVIOUS"], T1: ["AWSCURRENT"]}
    assert value(direct, "app/db") == "db-value-one-Yt7m"
    assert fleet.writes() == {}, fleet.writes()
    assert result["results"][0]["version_id"] == T1, output
    fleet.assert_no_value_shown("db-value-zero-Hq3s", "db-value-one-Yt7m")


# ---------------------------------------------------------------- case 5


@PATHS
def test_case_5_a_create_from_a_stale_listing_is_an_update_and_applies_description_and_tags(fleet, direct, proxy, in_process):
    """The first run created app/svc (the listing it read shows no app/svc). Before the fix the rerun, with the
    same token and value but a new description and tags, sent CreateSecret again: AWS ignores such a retry, so
    the task said "created" and the old description and tags stayed."""
    item = {"name": "app/svc", "secret_string": "svc-value-Dg5u", "client_request_token": T1}
    rc, first, output = fleet.run({"path": "app/", "secrets": [dict(item, description="first description", tags={"team": "a"})]})
    assert rc == 0 and first["counts"]["created"] == 1, output
    args = {"path": "app/", "secrets": [dict(item, description="second description", tags={"team": "b", "tier": "gold"})]}

    rc, check, check_output = fleet.run(args, stale=True, check_mode=True)
    check_writes = fleet.writes()
    rc_real, result, output = fleet.run(args, stale=True)
    assert rc_real == 0 and result["_status"] == "CHANGED", output
    secret = direct.describe_secret(SecretId="app/svc")
    assert secret.get("Description") == "second description", "the description was not applied"
    assert tags(secret) == {"team": "b", "tier": "gold"}, "the tags were not applied"
    assert result["counts"]["created"] == 0 and result["counts"]["updated"] == 1, "reported %s" % result["counts"]
    assert "CreateSecret" not in fleet.writes(), fleet.writes()
    assert versions(direct, "app/svc") == {T1: ["AWSCURRENT"]}
    # Check mode reads as the real run does: it predicts the same update, and writes nothing.
    assert rc == 0 and check_writes == {}, check_output
    assert check["counts"]["created"] == 0 and check["counts"]["updated"] == 1, check_output
    fleet.assert_no_value_shown("svc-value-Dg5u")


# ---------------------------------------------------------------- the proxy and moto, without ansible


def test_the_proxy_replays_the_answer_to_an_equal_earlier_request(proxy, direct):
    through = direct_client(proxy.endpoint)
    filters = {"Filters": [{"Key": "name", "Values": ["app/"]}], "IncludePlannedDeletion": True}
    assert through.list_secrets(**filters)["SecretList"] == []  # recorded
    direct.create_secret(Name="app/new", SecretString="replayed-value-Xe4r")
    proxy.script({"ListSecrets": ["stale", "stale", "stale"]})
    assert through.list_secrets(**filters)["SecretList"] == []  # the recorded answer
    assert [s["Name"] for s in through.list_secrets(MaxResults=5)["SecretList"]] == ["app/new"]  # no equal request: forwarded
    assert [s["Name"] for s in through.list_secrets(**filters)["SecretList"]] == []  # still the first recording
    assert len(proxy.replayed) == 2 and proxy.attempts("ListSecrets") == 3
    assert [status for _request, status, _reply in proxy.recorded("ListSecrets")] == [200, 200]
    proxy.replay("latest", which="last")
    proxy.script({"ListSecrets": ["pass", "latest"]})
    assert [s["Name"] for s in through.list_secrets(**filters)["SecretList"]] == ["app/new"]  # forwarded, recorded
    assert [s["Name"] for s in through.list_secrets(**filters)["SecretList"]] == ["app/new"]  # the newest recording
    proxy.forget()
    assert proxy.recorded("ListSecrets") == [] and proxy.replayed == []


def test_moto_answers_as_aws_does(direct):
    """The AWS answers cases 3 and 5 rely on (AWS API reference; AWS_FACTS.md), as moto 5.2.6 gives them."""
    direct.create_secret(Name="app/stages", SecretString="v0", ClientRequestToken=T0)
    direct.put_secret_value(SecretId="app/stages", SecretString="v1", ClientRequestToken=T1)
    direct.put_secret_value(SecretId="app/stages", SecretString="v2", ClientRequestToken=T2)
    before = versions(direct, "app/stages")
    # UpdateSecretVersionStage whose RemoveFromVersionId is not the version that holds the stage now.
    with pytest.raises(ClientError) as refused:
        direct.update_secret_version_stage(SecretId="app/stages", VersionStage="AWSCURRENT", MoveToVersionId=T0, RemoveFromVersionId=T1)
    assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
    assert versions(direct, "app/stages") == before
    # CreateSecret retried with the token and value of an existing version: 200, and nothing else applied.
    first = direct.create_secret(Name="app/retried", SecretString="v", ClientRequestToken=T1, Description="first", Tags=[{"Key": "k", "Value": "1"}])
    again = direct.create_secret(Name="app/retried", SecretString="v", ClientRequestToken=T1, Description="second", Tags=[{"Key": "k", "Value": "2"}])
    assert (again["ARN"], again["Name"], again["VersionId"]) == (first["ARN"], first["Name"], first["VersionId"])
    secret = direct.describe_secret(SecretId="app/retried")
    assert secret["Description"] == "first" and tags(secret) == {"k": "1"}
    assert versions(direct, "app/retried") == {T1: ["AWSCURRENT"]}
