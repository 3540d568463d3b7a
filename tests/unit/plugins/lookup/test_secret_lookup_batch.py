# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secret lookup's batched reads and its path option, against moto in-process, with the calls counted.

Every request the lookup's client sends is recorded at botocore's one entry point (BaseClient._make_api_call),
so the counts are the requests moto answered. Where moto is not AWS, the AWS answer is made:
- a secret AWS denies inside a batch is an entry of Errors (moto has no IAM check per secret): the batch
  request goes to moto without it and the denial is added to the answer;
- the batch call itself denied (secretsmanager:BatchGetSecretValue is an IAM action of its own) is raised
  the way AWS words it ("...because no identity-based policy allows the secretsmanager:BatchGetSecretValue action");
- moto fails a filtered batch call as a whole when a secret under the filter is scheduled for deletion
  (AWS reports a secret it cannot read in Errors): botocore's Stubber gives AWS's answer;
- throttling that outlasts botocore's own retries (BatchGetSecretValue's quota is 100 requests a second per
  account and region) is raised as botocore raises it then, a ClientError ThrottlingException.
"""

from __future__ import annotations

import base64
import json
import random

import boto3
import botocore.client
import botocore.exceptions
import pytest

from ansible_collections.seed.secretsmanager.plugins.lookup import secret as lookup_secret
from ansible_collections.seed.secretsmanager.plugins.module_utils import _aws, _read
from ansible_collections.seed.secretsmanager.tests.unit.plugins.lookup import test_secret_lookup as base

# The lookup's options, moto, the client spy and the warnings, as test_secret_lookup.py sets them up.
lookup_options = base.lookup_options
sm = base.sm
clients = base.clients
warnings = base.warnings
REGION = base.REGION
lookup = base.lookup
lookup_error = base.lookup_error
_stubbed = base._stubbed  # pylint: disable=protected-access

BATCH = "BatchGetSecretValue"
GET = "GetSecretValue"
NOT_FOUND_MESSAGE = "Secrets Manager can't find the specified secret."
DECRYPTION_MESSAGE = "Secrets Manager can't decrypt the protected secret text using the provided KMS key."
DELETED_MESSAGE = "You can't perform this operation on the secret because it was marked for deletion."
SECRET_DENIED = "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: secretsmanager:GetSecretValue on resource: %s"
BATCH_DENIED = ("User: arn:aws:iam::123456789012:user/reader is not authorized to perform: secretsmanager:BatchGetSecretValue "
                "because no identity-based policy allows the secretsmanager:BatchGetSecretValue action")
NO_VALUE_MESSAGE = "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"
THROTTLED_MESSAGE = "Rate exceeded"


@pytest.fixture
def calls(monkeypatch):
    """Every request sent, as (operation, request), and the AWS behaviour moto lacks: .denied, names AWS
    refuses to read inside a batch (and with GetSecretValue); .batch_denied, the batch action refused;
    .throttled, operation -> how many of its next requests AWS throttles (past botocore's retries)."""
    seen = []
    real_call = botocore.client.BaseClient._make_api_call

    class Recorder(list):
        denied = set()
        batch_denied = False
        throttled = {}

    seen = Recorder()
    seen.denied, seen.throttled = set(), {}

    def make_api_call(client, operation_name, params):
        seen.append((operation_name, params))
        if seen.throttled.get(operation_name, 0) > 0:
            seen.throttled[operation_name] -= 1
            raise botocore.exceptions.ClientError({"Error": {"Code": "ThrottlingException", "Message": THROTTLED_MESSAGE}}, operation_name)
        if operation_name == BATCH and seen.batch_denied:
            raise botocore.exceptions.ClientError({"Error": {"Code": "AccessDeniedException", "Message": BATCH_DENIED}}, operation_name)
        if operation_name == GET and params.get("SecretId") in seen.denied:
            raise botocore.exceptions.ClientError(
                {"Error": {"Code": "AccessDeniedException", "Message": SECRET_DENIED % params["SecretId"]}}, operation_name)
        if operation_name == BATCH and seen.denied and params.get("SecretIdList"):
            kept = [secret_id for secret_id in params["SecretIdList"] if secret_id not in seen.denied]
            answer = real_call(client, operation_name, dict(params, SecretIdList=kept)) if kept else {"SecretValues": [], "Errors": []}
            answer["Errors"] = answer.get("Errors", []) + [
                {"SecretId": secret_id, "ErrorCode": "AccessDeniedException", "Message": SECRET_DENIED % secret_id}
                for secret_id in params["SecretIdList"] if secret_id in seen.denied
            ]
            return answer
        return real_call(client, operation_name, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", make_api_call)
    return seen


def operations(calls):
    return [operation for operation, _params in calls]


def make(sm, names, value=lambda name: "value of " + name):
    for name in names:
        sm.create_secret(Name=name, SecretString=value(name))


# ---------------------------------------------------------------- terms in batches


def test_100_values_in_5_batch_calls_in_term_order(sm, calls):
    names = ["fleet/s%03d" % i for i in range(100)]
    make(sm, names)
    terms = list(names)
    random.Random(13).shuffle(terms)
    del calls[:]
    assert lookup(terms) == ["value of " + term for term in terms]
    assert operations(calls) == [BATCH] * 5
    sent = [params["SecretIdList"] for _operation, params in calls]
    assert [len(ids) for ids in sent] == [20] * 5
    assert sum(sent, []) == terms


@pytest.mark.parametrize("count, expected", [(2, [BATCH]), (20, [BATCH]), (21, [BATCH, BATCH]), (41, [BATCH] * 3)])
def test_batches_of_20(sm, calls, count, expected):
    names = ["b/%02d" % i for i in range(count)]
    make(sm, names)
    del calls[:]
    assert lookup(names) == ["value of " + name for name in names]
    assert operations(calls) == expected


def test_one_term_is_one_get_secret_value(sm, calls):
    make(sm, ["only"])
    del calls[:]
    assert lookup(["only"]) == ["value of only"]
    assert lookup(["only", "only"]) == ["value of only"] * 2
    assert operations(calls) == [GET, GET]


def test_duplicates_names_and_arns_mixed_read_once(sm, calls):
    arns = {name: sm.create_secret(Name=name, SecretString="value of " + name)["ARN"] for name in ("app/a", "app/b", "app/c")}
    partial = arns["app/c"][:-7]  # the ARN without AWS's six random characters
    terms = ["app/b", arns["app/a"], "app/a", "app/b", partial, arns["app/b"]]
    del calls[:]
    assert lookup(terms) == ["value of app/b", "value of app/a", "value of app/a", "value of app/b", "value of app/c", "value of app/b"]
    assert operations(calls) == [BATCH]
    assert calls[0][1]["SecretIdList"] == ["app/b", arns["app/a"], "app/a", partial, arns["app/b"]]


def test_key_and_binary_values_per_term_as_alone(sm, calls):
    sm.create_secret(Name="doc/1", SecretString=json.dumps({"db": {"port": 1, "password": "pw-1"}}))
    sm.create_secret(Name="doc/2", SecretString=json.dumps({"db": {"port": 2}}))
    raw = bytes(range(256))
    sm.create_secret(Name="bin/1", SecretBinary=raw)
    sm.create_secret(Name="text/1", SecretString="plain text")
    del calls[:]
    assert lookup(["doc/2", "doc/1"], key="db.port") == [2, 1]
    (text, binary) = lookup(["text/1", "bin/1"])
    assert text == "plain text" and base64.b64decode(binary) == raw
    assert operations(calls) == [BATCH, BATCH]
    message = lookup_error(["doc/1", "bin/1"], key="db.port")
    assert message.startswith("secret bin/1: ") and "binary" in message
    assert lookup(["doc/1", "doc/2"], key="db.password", on_missing="skip") == ["pw-1"]


def test_a_version_is_read_with_get_secret_value(sm, calls):
    for name in ("v/1", "v/2", "v/3"):
        sm.create_secret(Name=name, SecretString="first " + name)
        sm.put_secret_value(SecretId=name, SecretString="second " + name)
    del calls[:]
    assert lookup(["v/1", "v/2", "v/3"], version_stage="AWSPREVIOUS") == ["first v/1", "first v/2", "first v/3"]
    assert operations(calls) == [GET] * 3
    assert all(params["VersionStage"] == "AWSPREVIOUS" for _operation, params in calls)
    del calls[:]
    # AWSCURRENT is what a batch reads
    assert lookup(["v/1", "v/2", "v/3"], version_stage="AWSCURRENT") == ["second v/1", "second v/2", "second v/3"]
    assert operations(calls) == [BATCH]


def test_arns_of_another_region_batch_in_their_region(sm, calls, clients, warnings):
    make(sm, ["here/1", "here/2"])
    west = boto3.client("secretsmanager", region_name="eu-west-1")
    far = [west.create_secret(Name="far/%d" % i, SecretString="far %d" % i)["ARN"] for i in (1, 2)]
    del calls[:]
    assert lookup(["here/1", far[0], "here/2", far[1]], region=REGION) == ["value of here/1", "far 1", "value of here/2", "far 2"]
    assert operations(calls) == [BATCH, BATCH]
    assert [params["SecretIdList"] for _operation, params in calls] == [["here/1", "here/2"], far]
    assert [c["region"] for c in clients] == [REGION, "eu-west-1"]
    assert len(warnings) == 2


# ---------------------------------------------------------------- each term's problem, as alone


@pytest.fixture
def mixed(sm, calls):
    """ok/1, ok/2; missing; deleted (scheduled for deletion); locked (AWS denies reading it)."""
    make(sm, ["ok/1", "ok/2", "locked"])
    sm.create_secret(Name="deleted", SecretString="deleted value")
    sm.delete_secret(SecretId="deleted", RecoveryWindowInDays=7)
    calls.denied.add("locked")
    del calls[:]
    return calls


TERMS = ["ok/1", "missing", "deleted", "locked", "ok/2"]
PROBLEMS = {"on_missing": ("missing", "ResourceNotFoundException"), "on_deleted": ("deleted", "InvalidRequestException"),
            "on_denied": ("locked", "AccessDeniedException")}


@pytest.mark.parametrize("option", sorted(PROBLEMS))
@pytest.mark.parametrize("choice", ["error", "warn", "skip"])
def test_each_term_follows_its_on_option(mixed, warnings, option, choice):
    others = {name: "skip" for name in PROBLEMS if name != option}
    term, code = PROBLEMS[option]
    if choice == "error":
        message = lookup_error(TERMS, **dict(others, **{option: choice}))
        assert message.startswith("secret %s: BatchGetSecretValue failed for this secret: %s" % (term, code))
        assert message.endswith("(%s=warn or %s=skip goes on without it)" % (option, option))
        assert "value of" not in message
    else:
        assert lookup(TERMS, **dict(others, **{option: choice})) == ["value of ok/1", "value of ok/2"]
        assert [w.split(":")[0] for w in warnings] == (["secret " + term] if choice == "warn" else [])
    assert operations(mixed) == [BATCH]


def test_denied_names_the_iam_action(mixed):
    message = lookup_error(["ok/1", "locked"])
    assert "secretsmanager:GetSecretValue" in message
    assert "AccessDeniedException" in message


def test_all_problems_warned_in_term_order(mixed, warnings):
    assert lookup(TERMS + ["missing"], on_missing="warn", on_deleted="warn", on_denied="warn") == ["value of ok/1", "value of ok/2"]
    assert [w.split(":")[0] for w in warnings] == ["secret missing", "secret deleted", "secret locked", "secret missing"]
    assert operations(mixed) == [BATCH]


# ---------------------------------------------------------------- the batch call denied: one GetSecretValue a term


def test_denied_batch_falls_back_to_get_secret_value(sm, calls, warnings):
    names = ["lp/%02d" % i for i in range(25)]
    make(sm, names)
    calls.batch_denied = True
    del calls[:]
    assert lookup(names) == ["value of " + name for name in names]
    # the first batch is denied; from then on each term alone
    assert operations(calls) == [BATCH] + [GET] * 25
    assert warnings == []


def test_denied_batch_then_each_term_follows_its_on_option(mixed, warnings):
    mixed.batch_denied = True
    assert lookup(TERMS, on_missing="skip", on_deleted="skip", on_denied="warn") == ["value of ok/1", "value of ok/2"]
    assert operations(mixed) == [BATCH] + [GET] * 5
    assert len(warnings) == 1 and warnings[0].startswith("secret locked: GetSecretValue failed: AccessDeniedException")


# ---------------------------------------------------------------- AWS-shaped answers (Stubber)


def _entry(name, text):
    return {"ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:%s-AbCdEf" % name, "Name": name, "SecretString": text,
            "VersionId": "v" * 32, "VersionStages": ["AWSCURRENT"]}


def test_aws_errors_inside_a_batch(aws_env, monkeypatch, warnings):
    stubber, _built = _stubbed(monkeypatch)
    answer = {
        "SecretValues": [_entry("ok", "ok value")],
        "Errors": [
            {"SecretId": "missing", "ErrorCode": "ResourceNotFoundException", "Message": NOT_FOUND_MESSAGE},
            {"SecretId": "deleted", "ErrorCode": "InvalidRequestException", "Message": DELETED_MESSAGE},
            {"SecretId": "locked", "ErrorCode": "AccessDeniedException", "Message": SECRET_DENIED % "locked"},
            {"SecretId": "kms", "ErrorCode": "DecryptionFailure", "Message": DECRYPTION_MESSAGE},
        ],
    }
    terms = ["ok", "missing", "deleted", "locked", "kms", "unanswered"]
    unanswered = ("get_secret_value", _entry("unanswered", "late value"), {"SecretId": "unanswered"})
    stubber.add_response("batch_get_secret_value", answer, {"SecretIdList": terms})
    stubber.add_response(*unanswered)  # an id the answer does not account for is read on its own
    without_kms = [term for term in terms if term != "kms"]
    stubber.add_response("batch_get_secret_value", answer, {"SecretIdList": without_kms})
    stubber.add_response(*unanswered)
    with stubber:
        message = lookup_error(terms, on_missing="skip", on_deleted="skip", on_denied="skip")
        assert message.startswith("secret kms: BatchGetSecretValue failed for this secret: DecryptionFailure")
        assert "goes on without it" not in message  # no on_* option hides a secret AWS cannot decrypt
        assert lookup(without_kms, on_missing="warn", on_deleted="warn", on_denied="warn") == ["ok value", "late value"]
        stubber.assert_no_pending_responses()
    prefix = ": BatchGetSecretValue failed for this secret: "
    assert warnings == [
        "secret missing%sResourceNotFoundException: %s" % (prefix, NOT_FOUND_MESSAGE),
        "secret deleted%sInvalidRequestException: %s" % (prefix, DELETED_MESSAGE),
        "secret locked%sAccessDeniedException: %s" % (prefix, SECRET_DENIED % "locked"),
    ]


def test_a_whole_batch_without_credentials_fails_the_first_term(aws_env, monkeypatch):
    stubber, _built = _stubbed(monkeypatch)
    stubber.add_client_error("batch_get_secret_value", "UnrecognizedClientException", "The security token included in the request is invalid.", 400)
    with stubber:
        message = lookup_error(["a", "b"], on_missing="skip", on_denied="skip")
        stubber.assert_no_pending_responses()
    assert message.startswith("secret a: BatchGetSecretValue failed: UnrecognizedClientException")
    assert "The credentials used came from" in message


# ---------------------------------------------------------------- path


def test_path_reads_every_secret_under_it_in_pages(sm, calls):
    names = ["prod/payments/s%02d" % i for i in range(45)]
    make(sm, names)
    # beside the path: a longer name that shares the text, another level, another root
    make(sm, ["prod/payments-old/x", "prod/paymentsx", "other/prod/payments/y", "prod/pay"])
    del calls[:]
    (found,) = lookup([], path="prod/payments/")
    assert found == {name: "value of " + name for name in names}
    assert list(found) == sorted(names)
    assert operations(calls) == [BATCH] * 3
    assert all(params["MaxResults"] == 20 and params["Filters"] == [{"Key": "name", "Values": ["prod/payments/"]}]
               for _operation, params in calls)


def test_path_is_a_prefix_as_written(sm, calls):
    make(sm, ["prod/pay/a", "prod/payments/b", "prod/payroll", "prod/other"])
    assert lookup([], path="prod/pay") == [{name: "value of " + name for name in ("prod/pay/a", "prod/payments/b", "prod/payroll")}]


def test_path_leaves_out_secrets_scheduled_for_deletion(sm, calls, warnings):
    make(sm, ["app/kept/1", "app/kept/2"])
    sm.create_secret(Name="app/kept/gone", SecretString="deleted value")
    sm.delete_secret(SecretId="app/kept/gone", RecoveryWindowInDays=7)
    del calls[:]
    assert lookup([], path="app/kept/", on_deleted="error") == [{"app/kept/1": "value of app/kept/1", "app/kept/2": "value of app/kept/2"}]
    assert warnings == []
    # moto fails the whole filtered call on that secret; the lookup then lists and reads one by one
    assert operations(calls) == [BATCH, "ListSecrets", GET, GET]


def test_path_with_aws_errors_in_the_answer(aws_env, monkeypatch, warnings):
    """AWS reports a secret it cannot read in Errors: scheduled for deletion is left out, denied follows on_denied."""
    stubber, _built = _stubbed(monkeypatch)
    deleted_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/gone-XyZ123"
    answer = {
        "SecretValues": [_entry("app/one", "one value"), _entry("application/beside", "beside value")],
        "Errors": [
            {"SecretId": deleted_arn, "ErrorCode": "InvalidRequestException", "Message": DELETED_MESSAGE},
            {"SecretId": "app/locked", "ErrorCode": "AccessDeniedException", "Message": SECRET_DENIED % "app/locked"},
        ],
    }
    request = {"Filters": [{"Key": "name", "Values": ["app/"]}], "MaxResults": 20}
    stubber.add_response("batch_get_secret_value", answer, request)
    stubber.add_response("batch_get_secret_value", answer, request)
    stubber.add_response("batch_get_secret_value", answer, request)
    with stubber:
        assert lookup([], path="app/", on_denied="warn") == [{"app/one": "one value"}]
        assert len(warnings) == 1 and warnings[0].startswith("secret app/locked: BatchGetSecretValue failed for this secret: AccessDeniedException")
        assert lookup([], path="app/", on_denied="skip") == [{"app/one": "one value"}]
        message = lookup_error([], path="app/")
        assert message.startswith("secret app/locked: ") and message.endswith("(on_denied=warn or on_denied=skip goes on without it)")
        stubber.assert_no_pending_responses()


def test_path_with_key_selects_in_each_value(sm, warnings):
    sm.create_secret(Name="db/a", SecretString=json.dumps({"password": "pw-a"}))
    sm.create_secret(Name="db/b", SecretString=json.dumps({"password": "pw-b"}))
    sm.create_secret(Name="db/c", SecretString=json.dumps({"user": "c"}))
    assert lookup([], path="db/", key="password", on_missing="skip") == [{"db/a": "pw-a", "db/b": "pw-b"}]
    assert lookup([], path="db/", key="password", on_missing="warn") == [{"db/a": "pw-a", "db/b": "pw-b"}]
    assert len(warnings) == 1 and warnings[0].startswith("secret db/c: the value has no key password")
    message = lookup_error([], path="db/", key="password")
    assert message.startswith("secret db/c: the value has no key password")
    assert "pw-" not in message


def test_path_without_secrets_follows_on_missing(sm, calls, warnings):
    make(sm, ["elsewhere/x"])
    message = lookup_error([], path="nothing/here/")
    assert message == "path nothing/here/: no secret's name starts with it (on_missing=warn or on_missing=skip goes on without it)"
    assert lookup([], path="nothing/here/", on_missing="skip") == [{}]
    assert lookup([], path="nothing/here/", on_missing="warn") == [{}]
    assert warnings == ["path nothing/here/: no secret's name starts with it"]


def test_path_when_the_batch_call_is_denied(sm, calls):
    names = ["lp/path/%02d" % i for i in range(3)]
    make(sm, names + ["lp/other"])
    calls.batch_denied = True
    del calls[:]
    assert lookup([], path="lp/path/") == [{name: "value of " + name for name in names}]
    assert operations(calls) == [BATCH, "ListSecrets", GET, GET, GET]


@pytest.mark.parametrize("options, words", [
    ({"path": ""}, "path: must be 1 to 512 characters"),
    ({"path": "/"}, "names every secret of the account"),
    ({"path": "//"}, "names every secret of the account"),
    ({"path": "prod payments"}, "path: must be 1 to 512 characters"),
    ({"path": "!prod/"}, "path: must be 1 to 512 characters"),
    ({"path": "p" * 513}, "path: must be 1 to 512 characters"),
    ({"path": "prod/", "version_stage": "AWSPREVIOUS"}, "path: reads the current values only"),
    ({"path": "prod/", "version_id": "0" * 32}, "path: reads the current values only"),
])
def test_bad_path_fails_before_any_call(sm, clients, calls, options, words):
    assert words in lookup_error([], **options)
    assert clients == [] and calls == []


def test_path_and_terms_are_refused_together(sm, clients, calls):
    message = lookup_error(["prod/payments/db"], path="prod/payments/")
    assert message == "path: reads every secret under the path; give either terms or path, not both"
    assert clients == [] and calls == []


def test_read_values_is_the_core_of_the_batches(sm, calls):
    """The read side on its own: what the lookup builds on (and a future caller may)."""
    make(sm, ["core/1", "core/2"])
    api = _read.Api(boto3.client("secretsmanager", region_name=REGION))
    del calls[:]
    answers = _read.read_values(api, ["core/2", "core/1", "core/none"])
    assert answers["core/2"] == ("value of core/2", "string") and answers["core/1"] == ("value of core/1", "string")
    assert answers["core/none"].kind == "not_found"
    assert api.actions == [BATCH] and operations(calls) == [BATCH]
    assert lookup_secret.read_values is _read.read_values


# ---------------------------------------------------------------- a secret without a value, a value that is not JSON


def _no_value_secrets(sm, prefix):
    """prefix/empty, created without a value, and prefix/rotated, whose AWSCURRENT has none (moto's RotateSecret
    without a Lambda moves AWSCURRENT to a new version without a value)."""
    sm.create_secret(Name=prefix + "empty")
    sm.create_secret(Name=prefix + "rotated", SecretString="rotated value")
    sm.rotate_secret(SecretId=prefix + "rotated", RotationRules={"AutomaticallyAfterDays": 1})
    return [prefix + "empty", prefix + "rotated"]


@pytest.mark.parametrize("choice", ["error", "warn", "skip"])
def test_path_with_secrets_without_a_value_follows_on_missing(sm, calls, warnings, choice):
    make(sm, ["nv/a", "nv/b"])
    no_value = _no_value_secrets(sm, "nv/")
    others = {"on_denied": "skip", "on_deleted": "skip"}
    del calls[:]
    if choice == "error":
        message = lookup_error([], path="nv/", **others)
        assert message.startswith("secret nv/empty: ") and NO_VALUE_MESSAGE in message
        assert message.endswith("(on_missing=warn or on_missing=skip goes on without it)")
        assert "value of" not in message
    else:
        assert lookup([], path="nv/", on_missing=choice, **others) == [{"nv/a": "value of nv/a", "nv/b": "value of nv/b"}]
        assert [w.split(":")[0] for w in warnings] == (["secret " + name for name in no_value] if choice == "warn" else [])
        assert not [w for w in warnings if "value of" in w or "rotated value" in w]
    # moto fails the whole filtered call on such a secret (AWS reports it in Errors): listed, then read one by one
    assert operations(calls) == [BATCH, "ListSecrets"] + [GET] * 4


def test_path_with_aws_errors_for_a_secret_without_a_value(aws_env, monkeypatch, warnings):
    """AWS's own answer: the secret without a value is an entry of Errors, and follows on_missing."""
    stubber, _built = _stubbed(monkeypatch)
    answer = {
        "SecretValues": [_entry("app/one", "one value")],
        "Errors": [{"SecretId": "app/empty", "ErrorCode": "ResourceNotFoundException", "Message": NO_VALUE_MESSAGE}],
    }
    request = {"Filters": [{"Key": "name", "Values": ["app/"]}], "MaxResults": 20}
    for _run in range(3):
        stubber.add_response("batch_get_secret_value", answer, request)
    with stubber:
        assert lookup([], path="app/", on_missing="warn") == [{"app/one": "one value"}]
        assert lookup([], path="app/", on_missing="skip") == [{"app/one": "one value"}]
        message = lookup_error([], path="app/", on_deleted="skip", on_denied="skip")
        stubber.assert_no_pending_responses()
    assert warnings == ["secret app/empty: BatchGetSecretValue failed for this secret: ResourceNotFoundException: " + NO_VALUE_MESSAGE]
    assert message == warnings[0] + " (on_missing=warn or on_missing=skip goes on without it)"


@pytest.mark.parametrize("choice", ["error", "warn", "skip"])
def test_terms_with_secrets_without_a_value_follow_on_missing(sm, calls, warnings, choice):
    make(sm, ["tv/a", "tv/b"])
    no_value = _no_value_secrets(sm, "tv/")
    terms = ["tv/a", no_value[0], "tv/b", no_value[1]]
    del calls[:]
    if choice == "error":
        message = lookup_error(terms)
        assert message.startswith("secret tv/empty: ") and "ResourceNotFoundException" in message
        assert message.endswith("(on_missing=warn or on_missing=skip goes on without it)")
    else:
        assert lookup(terms, on_missing=choice) == ["value of tv/a", "value of tv/b"]
        assert [w.split(":")[0] for w in warnings] == (["secret " + name for name in no_value] if choice == "warn" else [])
        assert not [w for w in warnings if "value of" in w or "rotated value" in w]
    # moto fails the whole batch on such a secret (AWS reports it in Errors): that batch's terms one by one
    assert operations(calls) == [BATCH] + [GET] * 4


def test_terms_with_aws_errors_for_a_secret_without_a_value(aws_env, monkeypatch, warnings):
    stubber, _built = _stubbed(monkeypatch)
    answer = {
        "SecretValues": [_entry("ok", "ok value")],
        "Errors": [{"SecretId": "empty", "ErrorCode": "ResourceNotFoundException", "Message": NO_VALUE_MESSAGE}],
    }
    for _run in range(2):
        stubber.add_response("batch_get_secret_value", answer, {"SecretIdList": ["empty", "ok"]})
    with stubber:
        assert lookup(["empty", "ok"], on_missing="warn") == ["ok value"]
        message = lookup_error(["empty", "ok"])
        stubber.assert_no_pending_responses()
    assert warnings == ["secret empty: BatchGetSecretValue failed for this secret: ResourceNotFoundException: " + NO_VALUE_MESSAGE]
    assert message.endswith("(on_missing=warn or on_missing=skip goes on without it)")


def _documents(sm, prefix):
    sm.create_secret(Name=prefix + "doc1", SecretString=json.dumps({"password": "pw-1"}))
    sm.create_secret(Name=prefix + "plain", SecretString="plain pw-text")
    sm.create_secret(Name=prefix + "bin", SecretBinary=b"\x00pw-binary")
    sm.create_secret(Name=prefix + "doc2", SecretString=json.dumps({"password": "pw-2"}))


@pytest.mark.parametrize("choice", ["error", "warn", "skip"])
def test_key_with_a_value_that_is_not_json_fails_only_that_term(sm, calls, warnings, choice):
    _documents(sm, "kj/")
    terms = ["kj/doc1", "kj/plain", "kj/bin", "kj/doc2"]
    del calls[:]
    if choice == "error":
        message = lookup_error(terms, key="password")
        assert message == "secret kj/plain: the value is not JSON, so key cannot select inside it (on_missing=warn or on_missing=skip goes on without it)"
    else:
        assert lookup(terms, key="password", on_missing=choice) == ["pw-1", "pw-2"]
        assert warnings == ([] if choice == "skip" else [
            "secret kj/plain: the value is not JSON, so key cannot select inside it",
            "secret kj/bin: the value is binary, so key cannot select inside it",
        ])
    assert operations(calls) == [BATCH]


@pytest.mark.parametrize("choice", ["error", "warn", "skip"])
def test_path_with_key_and_a_value_that_is_not_json_follows_on_missing(sm, calls, warnings, choice):
    _documents(sm, "pj/")
    if choice == "error":
        message = lookup_error([], path="pj/", key="password")
        # sorted by name: bin comes first
        assert message == "secret pj/bin: the value is binary, so key cannot select inside it (on_missing=warn or on_missing=skip goes on without it)"
    else:
        assert lookup([], path="pj/", key="password", on_missing=choice) == [{"pj/doc1": "pw-1", "pj/doc2": "pw-2"}]
        assert [w.split(":")[0] for w in warnings] == ([] if choice == "skip" else ["secret pj/bin", "secret pj/plain"])
        assert not [w for w in warnings if "pw-" in w]


# ---------------------------------------------------------------- BatchGetSecretValue throttled


@pytest.fixture
def apis(monkeypatch):
    """Every Api the lookup builds, with its sleep recorded in .sleeps instead of slept."""
    class Recorded(list):
        sleeps = None

    built = Recorded()
    built.sleeps = []

    class RecordingApi(_aws.Api):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.sleep = built.sleeps.append
            built.append(self)

    monkeypatch.setattr(lookup_secret, "Api", RecordingApi)
    return built


def _doubling(sleeps):
    """Each sleep is 0.5 to 1.5 times its delay, and the delays double from 0.5 s."""
    return all(0.5 * 0.5 * 2 ** n <= sleep <= 1.5 * 0.5 * 2 ** n for n, sleep in enumerate(sleeps))


def test_a_throttled_batch_is_sent_again_after_a_delay(sm, calls, apis, warnings):
    names = ["th/%02d" % i for i in range(5)]
    make(sm, names)
    del calls[:]
    calls.throttled[BATCH] = 2
    assert lookup(names) == ["value of " + name for name in names]
    assert operations(calls) == [BATCH] * 3
    assert apis[0].actions == operations(calls)
    assert len(apis.sleeps) == 2 and _doubling(apis.sleeps)
    assert warnings == []


def _alone(terms, **options):
    """What one lookup a term gives (the one-call-per-term lookup): its values, or its error as ("error", message)."""
    values = []
    for term in terms:
        try:
            values.extend(lookup([term], **options))
        except lookup_secret.AnsibleError as e:
            values.append(("error", str(e)))
    return values


@pytest.mark.parametrize("choice", ["warn", "skip", "error"])
def test_a_batch_throttled_past_the_retries_answers_as_one_read_a_term(mixed, apis, warnings, choice):
    options = {"on_missing": choice, "on_deleted": choice, "on_denied": choice}
    alone = _alone(TERMS, **options)
    alone_warnings = list(warnings)
    assert operations(mixed) == [GET] * len(TERMS)
    del mixed[:], warnings[:]
    mixed.throttled[BATCH] = 100
    if choice == "error":
        first_error = next(value for value in alone if isinstance(value, tuple))[1]
        assert lookup_error(TERMS, **options) == first_error
        assert first_error.startswith("secret missing: GetSecretValue failed: ResourceNotFoundException")
    else:
        assert lookup(TERMS, **options) == alone == ["value of ok/1", "value of ok/2"]
        assert warnings == alone_warnings
        assert len(warnings) == (3 if choice == "warn" else 0)
    # the batch three more times, after delays doubling from 0.5 s; then GetSecretValue a term, every attempt counted
    # (the batch's terms are all read before the first error is raised)
    assert operations(mixed) == [BATCH] * 4 + [GET] * len(TERMS)
    assert apis[-1].actions == operations(mixed)
    assert len(apis.sleeps) == 3 and _doubling(apis.sleeps)
    assert not [text for text in warnings + alone_warnings if "value of" in text]


@pytest.mark.parametrize("choice", ["warn", "skip", "error"])
def test_a_batch_throttled_past_the_retries_selects_keys_as_one_read_a_term(sm, calls, apis, warnings, choice):
    _documents(sm, "tk/")
    terms = ["tk/doc1", "tk/plain", "tk/missing", "tk/bin", "tk/doc2"]
    options = {"key": "password", "on_missing": choice}
    del calls[:]
    alone = _alone(terms, **options)
    alone_warnings = list(warnings)
    del calls[:], warnings[:]
    calls.throttled[BATCH] = 100
    if choice == "error":
        assert lookup_error(terms, **options) == alone[1][1]
        assert alone[1][1].startswith("secret tk/plain: the value is not JSON")
    else:
        assert lookup(terms, **options) == alone == ["pw-1", "pw-2"]
        assert warnings == alone_warnings and len(warnings) == (3 if choice == "warn" else 0)
    assert operations(calls) == [BATCH] * 4 + [GET] * len(terms)
    assert apis[-1].actions == operations(calls)
    assert not [text for text in warnings + alone_warnings if "pw-" in text]


def test_after_a_batch_throttled_past_the_retries_the_later_batches_are_read_one_by_one(sm, calls, apis):
    names = ["tl/%02d" % i for i in range(45)]
    make(sm, names)
    del calls[:]
    calls.throttled[BATCH] = 4  # the first batch and its three retries; a later batch would be answered
    assert lookup(names) == ["value of " + name for name in names]
    assert operations(calls) == [BATCH] * 4 + [GET] * 45
    assert [params["SecretId"] for _operation, params in calls[4:]] == names
    assert apis[0].actions == operations(calls)


def test_a_batch_throttled_then_answered_is_not_read_again(sm, calls, apis):
    names = ["ta/%02d" % i for i in range(25)]
    make(sm, names)
    del calls[:]
    calls.throttled[BATCH] = 3  # the first batch is answered on its last retry
    assert lookup(names) == ["value of " + name for name in names]
    assert operations(calls) == [BATCH] * 5
    assert apis[0].actions == operations(calls) and len(apis.sleeps) == 3


def test_a_path_throttled_past_the_retries_is_listed_and_read_one_by_one(sm, calls, apis, warnings):
    names = ["tp/s%02d" % i for i in range(3)]
    make(sm, names + ["tpx/other"])
    _no_value_secrets(sm, "tp/")
    expected = lookup([], path="tp/", on_missing="warn")
    expected_warnings = list(warnings)
    del calls[:], warnings[:]
    calls.throttled[BATCH] = 100
    assert lookup([], path="tp/", on_missing="warn") == expected == [{name: "value of " + name for name in names}]
    assert warnings == expected_warnings and len(warnings) == 2
    assert operations(calls) == [BATCH] * 4 + ["ListSecrets"] + [GET] * 5
    assert apis[-1].actions == operations(calls)
    assert len(apis.sleeps) == 3 and _doubling(apis.sleeps)
    assert not [w for w in warnings if "value of" in w or "rotated value" in w]


def test_a_path_throttled_on_a_later_page_reads_only_the_secrets_not_read_yet(sm, calls, apis, monkeypatch):
    names = ["tq/s%02d" % i for i in range(25)]
    make(sm, names)
    real_call = botocore.client.BaseClient._make_api_call
    answered = []

    def first_page_then_throttled(client, operation_name, params):
        if operation_name == BATCH and answered:
            calls.append((operation_name, params))
            raise botocore.exceptions.ClientError({"Error": {"Code": "ThrottlingException", "Message": THROTTLED_MESSAGE}}, operation_name)
        answer = real_call(client, operation_name, params)
        answered.extend([operation_name] if operation_name == BATCH else [])
        return answer

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", first_page_then_throttled)
    del calls[:]
    assert lookup([], path="tq/") == [{name: "value of " + name for name in names}]
    # the first page answered, the second throttled four times; the listing, then the five secrets not read yet
    assert operations(calls) == [BATCH] * 5 + ["ListSecrets"] + [GET] * 5
    assert [params["SecretId"].split(":secret:")[1][:-7] for _operation, params in calls[6:]] == names[20:]
    assert calls[1][1]["NextToken"] and all(params == calls[1][1] for _operation, params in calls[2:5])
    assert apis[0].actions == operations(calls) and len(apis.sleeps) == 3


def test_a_path_throttled_and_its_listing_throttled_fails_naming_both(sm, calls, apis):
    make(sm, ["tz/a", "tz/b"])
    del calls[:]
    calls.throttled.update({BATCH: 100, "ListSecrets": 100})
    message = lookup_error([], path="tz/", on_missing="skip", on_denied="skip", on_deleted="skip")
    assert message.startswith("path tz/: BatchGetSecretValue was throttled: ThrottlingException: Rate exceeded, after 4 attempts, ")
    assert "and then ListSecrets failed: ThrottlingException: Rate exceeded" in message
    assert "value of" not in message and "goes on without it" not in message
    assert operations(calls) == [BATCH] * 4 + ["ListSecrets"]
    assert apis[0].actions == operations(calls)
