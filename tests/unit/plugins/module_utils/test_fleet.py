# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secrets module's core (_fleet.py): validation of every item before any call, the bulk read, parallel
items, purge, check mode and the result; against moto's mock_aws, with every request the client really sent
counted and compared with the `actions` the task reports. AWS behaviour moto lacks is answered by Stubber."""

from __future__ import annotations

import json
import math
import os
import threading

import botocore.session
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from ansible_collections.seed.secretsmanager.plugins.module_utils import _aws, _fleet, _fleet_read, _fleet_validate, _pacing
from ansible_collections.seed.secretsmanager.tests.unit.utils import stub_client

REGION = "us-east-1"
PATH = "fleet/app/"
SECRET = "Fl33t-S3cret-Valu3-1"
OTHER = "Fl33t-Oth3r-Valu3-2"
TOKEN = "%032d" % 1
TOKEN2 = "%032d" % 2
DUMMY_ENV = {"AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def dummy_aws_env(monkeypatch, tmp_path):
    """Dummy credentials and one region for mock_aws, nothing of the shell's AWS_* or MOTO_* settings, no shared clients."""
    for variable in [v for v in os.environ if v.startswith(("AWS_", "MOTO_"))]:
        monkeypatch.delenv(variable)
    for variable, value in DUMMY_ENV.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setattr(_aws, "_CLIENTS", {})


@pytest.fixture
def aws(monkeypatch, tmp_path):
    """mock_aws with dummy credentials; the requests of the task's clients counted in aws.sent."""
    dummy_aws_env(monkeypatch, tmp_path)
    sent = []
    lock = threading.Lock()

    def count(model, **_kwargs):
        with lock:
            sent.append(model.name)

    real = _fleet.secretsmanager_client

    def counting(params, *args, **kwargs):
        client = real(params, *args, **kwargs)
        client.meta.events.register("before-call.secrets-manager", count, unique_id="seed-test-fleet-count")
        return client

    monkeypatch.setattr(_fleet, "secretsmanager_client", counting)
    with mock_aws():
        client = botocore.session.Session().create_client("secretsmanager", region_name=REGION)
        client.sent = sent
        yield client


def fleet(aws, check_mode=False, diff=False, **params):
    """Run the task; check that its actions are the requests really sent (a real run) and that it is JSON.

    One item at a time: mock_aws's secret store is a dict that concurrent requests change while another
    iterates it (moto's RuntimeError "dictionary changed size during iteration"); the threads themselves are
    tested with a fake item runner below."""
    del aws.sent[:]
    params.setdefault("concurrency", 1)
    result = _fleet.fleet_execute(dict(params, region=REGION), check_mode=check_mode, diff=diff)
    json.dumps(result)
    if not check_mode:
        assert sum(result["actions"].values()) == len(aws.sent), (result["actions"], aws.sent)
    return result


def names(aws):
    return sorted(s["Name"] for s in aws.list_secrets(IncludePlannedDeletion=True, MaxResults=100)["SecretList"])


def deleted(aws, name):
    return bool(aws.describe_secret(SecretId=name).get("DeletedDate"))


# ---------------------------------------------------------------- validation: before any call, naming the item


@pytest.mark.parametrize(
    "params, option, text",
    [
        ({"secrets": [{"name": "a"}, {"name": "b", "kms_key_id": "k" * 2049}]}, "secrets[1].kms_key_id", "secrets[1] (b): kms_key_id"),
        ({"secrets": [{"name": "a"}, {"secret_string": SECRET}]}, "secrets[1].name", "secrets[1]: name: is required"),
        ({"secrets": [{"name": "a"}, {"name": "a"}]}, "secrets[1].name", "the same secret as secrets[0]"),
        ({"secrets": [{"name": "a/b"}, {"name": "arn:aws:secretsmanager:us-east-1:123456789012:secret:a/b-AbCdEf"}]},
         "secrets[1].name", "the same secret as secrets[0]"),
        ({"secrets": [{"name": "arn:aws:secretsmanager:us-east-1:123456789012:secret:a/b-AbCdEf"}, {"name": "a/b"}]},
         "secrets[1].name", "the same secret as secrets[0]"),
        ({"secrets": [{"name": "a", "recovery_window_in_days": "soon"}]}, "secrets[0].recovery_window_in_days", "whole number"),
        ({"secrets": [{"name": "a", "replica_regions": [{"kms_key_id": "k"}]}]}, "secrets[0].replica_regions[0].region", "is required"),
        ({"secrets": [{"name": "a"}, {"name": "b"}], "defaults": {"recovery_window_in_days": 3}}, "defaults.recovery_window_in_days",
         "secrets[0] (a), from defaults: recovery_window_in_days"),
        ({"secrets": [{"name": "a", "tags": {"aws:x": "1"}}], "defaults": {"tags": {"t": "1"}}}, "secrets[0].tags", "aws:"),
        ({"secrets": [{"name": "a", "generate_secret": {"length": "x"}}]}, "secrets[0].generate_secret.length", "whole number"),
        ({"secrets": [{"name": "a", "secret_string": SECRET, "secret_json": {"k": OTHER}}]}, "secrets[0].", "secret_"),
        ({"secrets": [{"name": "a"}], "defaults": {"name": "b"}}, "defaults.name", "cannot name a secret"),
        ({"secrets": [{"name": "x/a"}], "path": "/"}, "path", "refused"),
        ({"secrets": [{"name": "x/a"}], "path": ""}, "path", "refused"),
        ({"secrets": [{"name": "x/a"}], "path": "x/!"}, "path", "start of secret names"),
        ({"secrets": [{"name": "x/a"}, {"name": "y/b"}], "path": "x/"}, "secrets[1].name", "not under path x/"),
        ({"secrets": [{"name": "x/a"}], "purge": True}, "purge", "needs path"),
        ({"secrets": [{"name": "x-old/a"}], "path": "x"}, "secrets[0].name", "not under path x/"),
        ({"secrets": [{"name": "x/a"}], "path": "x/", "purge": True, "purge_recovery_window_in_days": 3}, "purge_recovery_window_in_days", "7 to 30"),
        ({"secrets": [{"name": "x/a"}], "path": "x/", "purge": True, "purge_recovery_window_in_days": 7, "purge_force_delete_without_recovery": True},
         "purge_force_delete_without_recovery", "excludes purge_recovery_window_in_days"),
        ({"secrets": [{"name": "x/a"}], "concurrency": 0}, "concurrency", "1 to 100"),
        ({"secrets": [{"name": "x/a"}], "rate_limit": 0}, "rate_limit", "above 0"),
        ({"secrets": []}, "secrets", "one or more"),
        ({"secrets": ["x/a"]}, "secrets[0]", "must be a dict"),
        ({"secrets": [{"name": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x/a"}]}, "secrets[0].name", "region eu-west-1"),
    ],
)
def test_a_bad_item_fails_the_task_naming_it_and_nothing_is_sent(aws, params, option, text):
    aws.create_secret(Name="a", SecretString=OTHER)
    result = fleet(aws, **params)
    assert result["failed"] is True and result["changed"] is False
    assert result["option"].startswith(option), result
    assert text in result["msg"], result["msg"]
    assert aws.sent == [] and result["actions"] == {}
    assert SECRET not in json.dumps(result) and OTHER not in json.dumps(result)


def test_names_that_look_like_an_arn_suffix_are_two_secrets():
    """Only an ARN carries AWS's -XXXXXX suffix: app-db1234 and app are two secrets (both orders)."""
    names = ["app-db1234", "app", "web", "web-abcdef"]
    fleet_given = _fleet_validate.validate_fleet({"secrets": [{"name": name} for name in names]})
    assert [item.desired.name for item in fleet_given.items] == names


def test_validation_of_every_item_comes_before_any_write(aws):
    items = [{"name": "v/%d" % i, "secret_string": SECRET} for i in range(30)] + [{"name": "v/bad", "kms_key_id": ""}, {"name": "v/x", "state": "gone"}]
    result = fleet(aws, secrets=items)
    assert result["failed"] and result["option"] == "secrets[31].state"
    assert names(aws) == [] and aws.sent == []


# ---------------------------------------------------------------- the bulk read and the calls it saves


def test_create_is_confirmed_absent_and_an_unchanged_rerun_with_tokens_is_one_list_call(aws):
    items = [{"name": PATH + "s%02d" % i, "secret_string": "%s-%d" % (SECRET, i), "client_request_token": TOKEN} for i in range(30)]
    first = fleet(aws, path=PATH, secrets=items, defaults={"tags": {"team": "app"}, "description": "d"})
    assert first["changed"] is True and first["counts"] == {"created": 30, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0}
    # A listing is never the ground for a write: each create is confirmed by DescribeSecret first.
    assert first["actions"] == {"ListSecrets": 1, "DescribeSecret": 30, "CreateSecret": 30}
    assert all(r["actions"] == ["DescribeSecret", "CreateSecret"] for r in first["results"])
    assert [r["name"] for r in first["results"]] == [i["name"] for i in items]
    assert all(r["version_id"] == TOKEN and r["arn"].startswith("arn:aws:secretsmanager:") for r in first["results"])
    again = fleet(aws, path=PATH, secrets=items, defaults={"tags": {"team": "app"}, "description": "d"})
    assert again["changed"] is False and again["counts"]["unchanged"] == 30
    assert again["actions"] == {"ListSecrets": 1}
    assert all(r["actions"] == [] and r["changed"] is False for r in again["results"])


def test_values_without_tokens_are_compared_from_batches_of_twenty(aws):
    items = [{"name": PATH + "v%02d" % i, "secret_json": {"password": "%s-%d" % (SECRET, i)}} for i in range(45)]
    fleet(aws, path=PATH, secrets=items)
    again = fleet(aws, path=PATH, secrets=items)
    assert again["changed"] is False
    assert again["actions"] == {"ListSecrets": 1, "BatchGetSecretValue": 3}
    items[7] = {"name": PATH + "v07", "secret_json": {"password": OTHER}}
    changed = fleet(aws, path=PATH, secrets=items)
    # The change seen in the batch is read again alone (DescribeSecret, GetSecretValue) before it is written.
    assert changed["counts"]["updated"] == 1 and changed["results"][7]["actions"] == ["DescribeSecret", "GetSecretValue", "PutSecretValue"]
    assert changed["actions"] == {"ListSecrets": 1, "BatchGetSecretValue": 3, "DescribeSecret": 1, "GetSecretValue": 1, "PutSecretValue": 1}
    assert json.loads(aws.get_secret_value(SecretId=PATH + "v07")["SecretString"]) == {"password": OTHER}


def test_without_path_the_names_are_listed_ten_a_call_and_matched_exactly(aws):
    aws.create_secret(Name="n/a1-extra", SecretString=OTHER)  # a prefix match of n/a1 that no item names
    items = [{"name": "n/a%d" % i, "secret_string": SECRET, "client_request_token": TOKEN} for i in range(12)]
    first = fleet(aws, secrets=items)
    assert first["counts"]["created"] == 12
    assert first["actions"]["ListSecrets"] == 2
    assert aws.get_secret_value(SecretId="n/a1-extra")["SecretString"] == OTHER
    assert first["results"][1]["actions"] == ["DescribeSecret", "CreateSecret"]


def test_a_thousand_unchanged_secrets_with_tokens_take_at_most_one_plus_a_call_per_hundred(aws):
    items = [{"name": PATH + "k%04d" % i, "secret_string": "v%d" % i, "client_request_token": TOKEN} for i in range(1000)]
    fleet(aws, path=PATH, secrets=items, rate_limit=100000)
    again = fleet(aws, path=PATH, secrets=items)
    assert again["counts"]["unchanged"] == 1000
    assert sum(again["actions"].values()) <= 1 + math.ceil(1000 / 100)
    assert len(aws.sent) <= 11


def test_a_secret_the_listing_does_not_show_yet_is_described_before_any_create(aws, monkeypatch):
    """ListSecrets is eventually consistent: a secret made moments ago may be missing from it. The create planned
    from the listing is confirmed by DescribeSecret first, which finds the secret: it is planned as the secret module
    would, and never sent CreateSecret (whose retry with a matching token AWS would ignore, reporting a create)."""
    aws.create_secret(Name=PATH + "late", SecretString=SECRET, Tags=[{"Key": "team", "Value": "old"}])
    real = _fleet_read.list_secrets
    monkeypatch.setattr(_fleet_read, "list_secrets", lambda api, prefixes: [e for e in real(api, prefixes) if e["Name"] != PATH + "late"])
    result = fleet(aws, path=PATH, secrets=[{"name": PATH + "late", "secret_string": SECRET, "tags": {"team": "app"}}])
    assert "failed" not in result
    assert result["results"][0]["actions"] == ["DescribeSecret", "GetSecretValue", "TagResource"]
    assert result["counts"]["updated"] == 1
    assert aws.describe_secret(SecretId=PATH + "late")["Tags"] == [{"Key": "team", "Value": "app"}]


# ---------------------------------------------------------------- one core per item


def test_mixed_changes_each_as_the_secret_module_makes_them(aws):
    aws.create_secret(Name=PATH + "tags", SecretString=SECRET, Tags=[{"Key": "team", "Value": "x"}, {"Key": "keep", "Value": "1"}])
    aws.create_secret(Name=PATH + "gone", SecretString=SECRET)
    aws.create_secret(Name=PATH + "same", SecretString=SECRET, Tags=[{"Key": "team", "Value": "app"}])
    result = fleet(aws, path=PATH, defaults={"tags": {"team": "app"}}, diff=True, secrets=[
        {"name": PATH + "tags", "tags": {"owner": "me"}, "purge_tags": False},
        {"name": PATH + "gone", "state": "absent", "force_delete_without_recovery": True},
        {"name": PATH + "same"},
        {"name": PATH + "new", "generate_secret": {"length": 20}},
        {"name": PATH + "gone-already", "state": "absent"},
    ])
    assert [r["changed"] for r in result["results"]] == [True, True, False, True, False]
    assert result["counts"] == {"created": 1, "updated": 1, "unchanged": 2, "deleted": 1, "failed": 0}
    assert result["deleted"] == [PATH + "gone"]
    # The item's tags over the defaults' (merged), purge_tags false keeps the rest.
    tags = {t["Key"]: t["Value"] for t in aws.describe_secret(SecretId=PATH + "tags")["Tags"]}
    assert tags == {"team": "app", "keep": "1", "owner": "me"}
    assert result["results"][3]["actions"] == ["DescribeSecret", "GetRandomPassword", "CreateSecret"]
    assert [d["before_header"] for d in result["diff"]] == [PATH + "tags", PATH + "gone", PATH + "new"]
    assert result["diff"][2]["before"] == {"state": "absent"} and result["diff"][2]["after"]["value"] == "set, new version"


def test_one_items_failure_does_not_stop_the_others(aws):
    """AWS refuses a key that does not exist (moto never checks KMS keys): Stubber-free, a refused token stands in,
    the same token with another value, which moto refuses as AWS does."""
    aws.create_secret(Name=PATH + "fixed", SecretString=SECRET, ClientRequestToken=TOKEN)
    aws.put_secret_value(SecretId=PATH + "fixed", SecretString=OTHER, ClientRequestToken=TOKEN2)
    result = fleet(aws, path=PATH, secrets=[
        {"name": PATH + "ok1", "secret_string": SECRET},
        {"name": PATH + "fixed", "secret_string": "third-value", "client_request_token": TOKEN},
        {"name": PATH + "ok2", "secret_string": SECRET},
    ])
    assert result["failed"] is True and result["changed"] is True
    assert result["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 1}
    bad = result["results"][1]
    assert bad["failed"] is True and bad["option"] == "client_request_token" and bad["error_code"] == "PlanError"
    assert result["msg"].startswith("1 of 3 secrets failed: secrets[1] (%sfixed): " % PATH)
    assert {PATH + "ok1", PATH + "ok2"} <= set(names(aws))
    assert "third-value" not in json.dumps(result) and SECRET not in json.dumps(result)


# ---------------------------------------------------------------- purge


def test_purge_deletes_only_the_unlisted_secrets_under_path_with_the_defaults_window(aws):
    for name in (PATH + "keep", PATH + "old", PATH + "older", "fleet/apple", "other/x"):
        aws.create_secret(Name=name, SecretString=SECRET)
    items = [{"name": PATH + "keep"}]
    check = fleet(aws, check_mode=True, path=PATH, purge=True, secrets=items, defaults={"recovery_window_in_days": 7})
    assert check["changed"] is True and check["deleted"] == [PATH + "old", PATH + "older"]
    assert not deleted(aws, PATH + "old")
    result = fleet(aws, path=PATH, purge=True, secrets=items, defaults={"recovery_window_in_days": 7})
    assert result["deleted"] == [PATH + "old", PATH + "older"] and result["counts"]["deleted"] == 2
    assert deleted(aws, PATH + "old") and deleted(aws, PATH + "older")
    assert not deleted(aws, PATH + "keep") and not deleted(aws, "fleet/apple") and not deleted(aws, "other/x")
    again = fleet(aws, path=PATH, purge=True, secrets=items, defaults={"recovery_window_in_days": 7})
    assert again["changed"] is False and again["deleted"] == []


def test_without_purge_an_unlisted_secret_under_path_is_untouched(aws):
    aws.create_secret(Name=PATH + "unlisted", SecretString=SECRET)
    result = fleet(aws, path=PATH, secrets=[{"name": PATH + "a", "secret_string": SECRET}])
    assert result["deleted"] == [] and not deleted(aws, PATH + "unlisted")


def test_check_mode_predicts_every_item_and_writes_nothing(aws):
    aws.create_secret(Name=PATH + "tags", SecretString=SECRET)
    result = fleet(aws, check_mode=True, path=PATH, secrets=[
        {"name": PATH + "tags", "tags": {"a": "b"}}, {"name": PATH + "new", "secret_string": SECRET},
    ])
    assert result["changed"] is True and result["counts"]["created"] == 1 and result["counts"]["updated"] == 1
    # The same reads as a real run (each planned change read again with DescribeSecret), and no write.
    assert sorted(aws.sent) == ["DescribeSecret", "DescribeSecret", "ListSecrets"]
    assert result["actions"] == {"ListSecrets": 1, "DescribeSecret": 2, "TagResource": 1, "CreateSecret": 1}
    assert names(aws) == [PATH + "tags"] and "Tags" not in aws.describe_secret(SecretId=PATH + "tags")


# ---------------------------------------------------------------- parallel items, pacing and throttling


def test_items_run_in_parallel_up_to_concurrency_and_results_keep_the_items_order(aws, monkeypatch):
    running, peak, lock = [0], [0], threading.Lock()
    release = threading.Event()

    def fake_run(api, desired, before, values, check_mode, on_generated):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
            if running[0] == 4:
                release.set()
        release.wait(5)
        with lock:
            running[0] -= 1
        return {"name": desired.name, "changed": False, "actions": [], "warnings": []}

    monkeypatch.setattr(_fleet, "_run_one", fake_run)
    items = [{"name": PATH + "p%02d" % i} for i in range(12)]
    result = fleet(aws, path=PATH, secrets=items, concurrency=4)
    assert peak[0] == 4
    assert [r["name"] for r in result["results"]] == [i["name"] for i in items]


class FakeTime:
    def __init__(self):
        self.now = 0.0
        self.slept = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def test_the_rate_limiter_spaces_requests_by_the_quota():
    time = FakeTime()
    limiter = _pacing.RateLimiter(50, clock=time.clock, sleep=time.sleep)
    for _request in range(101):
        limiter.wait()
    assert time.now == pytest.approx(2.0)


def test_each_quota_row_has_its_limiter_and_rate_limit_caps_them():
    limiters = _pacing.quota_limiters(20)
    assert limiters["TagResource"] is limiters["UntagResource"]
    assert limiters["PutSecretValue"] is limiters["UpdateSecret"]
    assert limiters["CreateSecret"] is not limiters["PutSecretValue"]
    assert limiters["ListSecrets"].interval == pytest.approx(1 / 20.0)
    assert _pacing.quota_limiters(1000)["CreateSecret"].interval == pytest.approx(1 / 50.0)


def _patient_api(client, time, patience=_pacing.THROTTLE_PATIENCE):
    api = _aws.Api(_pacing.PacedClient(client, _pacing.quota_limiters(50, clock=time.clock, sleep=time.sleep)))
    api.clock, api.sleep, api.throttle_patience = time.clock, time.sleep, patience
    return api


def test_throttling_past_botocores_retries_is_sent_again_with_backoff_and_every_attempt_is_in_actions():
    client = stub_client()
    stubber = Stubber(client)
    for _attempt in range(3):
        stubber.add_client_error("tag_resource", "ThrottlingException", "Rate exceeded", 400)
    stubber.add_response("tag_resource", {})
    time = FakeTime()
    with stubber:
        api = _patient_api(client, time)
        api.call("TagResource", SecretId="a", Tags=[{"Key": "k", "Value": "v"}])
    stubber.assert_no_pending_responses()
    # RETURN: actions counts every attempt the collection made (the resends of the Api included).
    assert api.actions == ["TagResource"] * 4 and api.written == ["TagResource"]
    assert len([s for s in time.slept if s >= 0.5]) == 3


def test_throttling_fails_once_its_patience_is_spent_and_the_secret_module_has_none():
    client = stub_client()
    stubber = Stubber(client)
    for _attempt in range(4):
        stubber.add_client_error("tag_resource", "ThrottlingException", "Rate exceeded", 400)
    time = FakeTime()
    with stubber:
        api = _patient_api(client, time, patience=2.5)  # delays 0.5-1, 1-2, 2-4 s: the third resend is past 2.5 s
        with pytest.raises(_aws.AwsError) as caught:
            api.call("TagResource", SecretId="a", Tags=[])
    assert caught.value.kind == _aws.THROTTLED and 3 <= len(api.actions) <= 4
    single = stub_client()
    with Stubber(single) as stubbed:
        stubbed.add_client_error("tag_resource", "ThrottlingException", "Rate exceeded", 400)
        alone = _aws.Api(single)  # throttle_patience 0: the secret module relies on botocore's retries alone
        with pytest.raises(_aws.AwsError):
            alone.call("TagResource", SecretId="a", Tags=[])
    assert alone.actions == ["TagResource"]


def test_other_errors_are_not_retried():
    client = stub_client()
    stubber = Stubber(client)
    stubber.add_client_error("tag_resource", "InvalidRequestException", "marked for deletion", 400)
    with stubber:
        api = _patient_api(client, FakeTime())
        with pytest.raises(_aws.AwsError) as caught:
            api.call("TagResource", SecretId="a", Tags=[])
    assert caught.value.code == "InvalidRequestException" and api.actions == ["TagResource"]


def test_a_refused_batch_falls_back_to_each_value_alone():
    client = stub_client()
    stubber = Stubber(client)
    stubber.add_client_error("batch_get_secret_value", "AccessDeniedException", "no batch", 400)
    with stubber:
        assert _fleet_read.read_values(_aws.Api(client), ["arn:a"]) == {}
