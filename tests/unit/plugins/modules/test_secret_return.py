# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""RETURN is what the modules return: every key a result carries (success, check mode, absent, failure;
inside dicts and list elements too) is documented, and every documented key is returned in some case.

The results come from execute() and info_execute(), the whole task behind both execution paths, with
botocore's Stubber answering as AWS does with every field DescribeSecret can show.
"""

from __future__ import annotations

import datetime

import pytest
import yaml
from botocore.stub import Stubber

from ansible_collections.seed.secretsmanager.plugins.module_utils import _aws, _read, _secret
from ansible_collections.seed.secretsmanager.plugins.module_utils._front import with_endpoint_logs
from ansible_collections.seed.secretsmanager.plugins.modules import secret as secret_module
from ansible_collections.seed.secretsmanager.plugins.modules import secret_info
from ansible_collections.seed.secretsmanager.tests.unit.utils import STUB_ARN as ARN
from ansible_collections.seed.secretsmanager.tests.unit.utils import STUB_NAME as NAME
from ansible_collections.seed.secretsmanager.tests.unit.utils import STUB_V1 as V1
from ansible_collections.seed.secretsmanager.tests.unit.utils import described, stub_client

# Ansible's common return values, documented by Ansible for every module, never in a module's RETURN.
COMMON = {"changed", "failed", "msg", "warnings", "invocation"}
# Dicts whose keys are data (tag keys, version ids, a policy document), not return keys.
DATA = {"tags", "version_ids_to_stages", "resource_policy"}
WHEN = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.timezone.utc)
TOKEN = "33333333-3333-4333-8333-333333333333"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:rotate"
ROLE = "arn:aws:iam::123456789012:role/rotate-external"
POLICY = '{"Version": "2012-10-17", "Statement": []}'
# A secret with every field DescribeSecret shows.
EVERYTHING = dict(
    Description="d", KmsKeyId="alias/k", Type="ExampleVault", OwningService="example", PrimaryRegion="us-east-1",
    Tags=[{"Key": "team", "Value": "db"}], RotationEnabled=True, RotationLambdaARN=LAMBDA,
    RotationRules={"AutomaticallyAfterDays": 30, "ScheduleExpression": "rate(30 days)", "Duration": "3h"},
    ExternalSecretRotationMetadata=[{"Key": "ResourceId", "Value": "db-1"}], ExternalSecretRotationRoleArn=ROLE,
    CreatedDate=WHEN, LastChangedDate=WHEN, LastAccessedDate=WHEN, LastRotatedDate=WHEN, NextRotationDate=WHEN,
    ReplicationStatus=[{"Region": "eu-west-1", "KmsKeyId": "alias/k", "Status": "Failed", "StatusMessage": "in the way",
                        "LastAccessedDate": WHEN}],
)


# DescribeSecret members that came with botocore 1.41.0 (_regions.MODEL_MEMBERS_SINCE), the option (or rotation
# suboption) that sets each, and the keys of each module's result that only that member gives. The matrix's
# oldest entry installs botocore 1.34.0, the minimum of requirements.txt: there the Stubber refuses these
# members, the options fail before any call (_regions.require_model_members), and the keys are never returned.
NEWER_MEMBERS = {
    "Type": ("type", {"secret.type", "diff.before.type", "diff.after.type"}),
    "ExternalSecretRotationMetadata": ("rotation.external_metadata", {
        "secret.external_secret_rotation_metadata", "secret.external_secret_rotation_metadata[].key",
        "secret.external_secret_rotation_metadata[].value"} | {
        "diff.%s.rotation.external_metadata%s" % (side, key) for side in ("before", "after") for key in ("", "[].key", "[].value")}),
    "ExternalSecretRotationRoleArn": ("rotation.external_role_arn", {
        "secret.external_secret_rotation_role_arn", "diff.before.rotation.external_role_arn", "diff.after.rotation.external_role_arn"}),
}
LACKING = sorted(set(NEWER_MEMBERS) - set(stub_client().meta.service_model.operation_model("DescribeSecret").output_shape.members))


def everything(lacking):
    """EVERYTHING without the members this botocore's model lacks."""
    return {key: value for key, value in EVERYTHING.items() if key not in lacking}


def documented(doc, prefix=""):
    """The paths of a RETURN (list elements as []), checking each entry's required fields on the way."""
    paths = set()
    for key, entry in doc.items():
        path = prefix + key
        missing = [field for field in ("description", "returned", "type", "sample") if field not in entry]
        assert not missing, "%s: no %s" % (path, ", ".join(missing))
        paths.add(path)
        if "contains" in entry:
            paths |= documented(entry["contains"], path + ("[]." if entry["type"] == "list" else "."))
    return paths


def returned(value, prefix=""):
    """The paths of a result's keys (list elements as []), not looking into dicts whose keys are data."""
    paths = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = prefix + key
            if not prefix and key in COMMON:
                continue
            paths.add(path)
            if key not in DATA:
                paths |= returned(item, path + ".")
    elif isinstance(value, list):
        for item in value:
            paths |= returned(item, prefix[:-1] + "[].")
    return paths


@pytest.fixture
def stubs(monkeypatch):
    """execute() and info_execute() with a Stubber behind every client they build."""
    client = stub_client()
    stubber = Stubber(client)
    stubber.activate()
    monkeypatch.setattr(_secret, "secretsmanager_client", lambda params, reuse=False: client)
    monkeypatch.setattr(_read, "secretsmanager_client", lambda params, reuse=False: client)
    monkeypatch.setattr(_aws, "secretsmanager_client", lambda params, reuse=False: client)
    yield stubber
    stubber.assert_no_pending_responses()
    stubber.deactivate()


def secret_results(stubs, lacking=LACKING):
    """One result of each kind the secret module gives, with every key it can return (with the members
    in lacking neither shown nor set)."""
    results = []
    # Unchanged, every field shown, the options that add keys to the result and the diff given.
    stubs.add_response("describe_secret", described(**everything(lacking)), {"SecretId": NAME})
    stubs.add_response("get_resource_policy", {"ARN": ARN, "Name": NAME, "ResourcePolicy": POLICY}, {"SecretId": ARN})
    params = {
        "name": NAME, "description": "d", "kms_key_id": "alias/k", "type": "ExampleVault", "tags": {"team": "db"},
        "resource_policy": POLICY, "rotation": {"lambda_arn": LAMBDA, "schedule_expression": "rate(30 days)", "duration": "3h",
                                                "external_metadata": [{"key": "ResourceId", "value": "db-1"}], "external_role_arn": ROLE},
        "debug_botocore_endpoint_logs": True,
    }
    for member in lacking:
        option = NEWER_MEMBERS[member][0].split(".")
        (params["rotation"] if option[0] == "rotation" else params).pop(option[-1])
    results.append(with_endpoint_logs(_secret.execute(params, diff=True), params))
    # A secret a service owns, read with nothing to change.
    stubs.add_response("describe_secret", described(OwningService="rds"), {"SecretId": NAME})
    results.append(_secret.execute({"name": NAME}))
    # Check mode of a create with a value: no ARN yet, a version the real run picks.
    stubs.add_client_error("describe_secret", "ResourceNotFoundException", "not found", 400, expected_params={"SecretId": NAME})
    results.append(_secret.execute({"name": NAME, "secret_string": "v", "replica_regions": [{"region": "eu-west-1"}]},
                                   check_mode=True, diff=True))
    # Scheduled for deletion.
    stubs.add_response("describe_secret", described(), {"SecretId": NAME})
    stubs.add_response("delete_secret", {"ARN": ARN, "Name": NAME, "DeletionDate": WHEN}, {"SecretId": ARN, "RecoveryWindowInDays": 30})
    results.append(_secret.execute({"name": NAME, "state": "absent"}, diff=True))
    # A token of a version rotation has since replaced.
    stubs.add_response("describe_secret", described(VersionIdsToStages={V1: ["AWSCURRENT"], TOKEN: ["AWSPREVIOUS"]}, RotationEnabled=True),
                       {"SecretId": NAME})
    results.append(_secret.execute({"name": NAME, "secret_string": "v", "client_request_token": TOKEN}))
    # A failure after a write: the ARN of the created secret, AWS's code and request id.
    stubs.add_client_error("describe_secret", "ResourceNotFoundException", "not found", 400, expected_params={"SecretId": NAME})
    stubs.add_response("create_secret", {"ARN": ARN, "Name": NAME, "VersionId": TOKEN})
    stubs.add_client_error("put_resource_policy", "AccessDeniedException", "denied", 400, response_meta={"RequestId": "req-1"})
    params = {"name": NAME, "secret_string": "v", "client_request_token": TOKEN, "resource_policy": POLICY, "debug_botocore_endpoint_logs": True}
    results.append(with_endpoint_logs(_secret.execute(params), params))
    # Bad input, before any call.
    results.append(_secret.execute({"name": NAME, "client_request_token": "short", "secret_string": "v"}))
    return results


def assert_returned_as_documented(doc, results):
    """Keys documented as returned always (or on success, on failure) are in every such result."""
    for key, entry in doc.items():
        for result in results:
            failed = bool(result.get("failed"))
            if entry["returned"] == "always" or entry["returned"].startswith("on success" if not failed else "on failure;"):
                assert key in result, (key, entry["returned"], result)


def test_secret_returns_what_its_return_documents(stubs):
    doc = yaml.safe_load(secret_module.RETURN)
    results = secret_results(stubs)
    assert [(r.get("failed", False), r.get("msg")) for r in results] == [(False, None)] * 5 + [(True, results[5]["msg"]), (True, results[6]["msg"])]
    seen = set().union(*(returned(r) for r in results))
    assert sorted(seen - documented(doc)) == [], "returned but not documented"
    assert sorted(documented(doc) - seen) == newer_keys(LACKING, "secret"), "documented but never returned"
    assert_returned_as_documented(doc, results)


def newer_keys(members, top):
    """The result keys that only these members give: secret's, or (top secrets[]) secret_info's."""
    keys = {key for member in members for key in NEWER_MEMBERS[member][1]}
    if top == "secret":
        return sorted(keys)
    return sorted(top + key[len("secret"):] for key in keys if key.startswith("secret."))


def test_without_the_newer_members_exactly_their_keys_are_missing(stubs):
    """NEWER_MEMBERS names every key the newer members give: on any botocore, leaving them all out loses
    exactly those keys (the tests above then hold on the minimum botocore with the same strictness)."""
    doc = yaml.safe_load(secret_module.RETURN)
    seen = set().union(*(returned(r) for r in secret_results(stubs, lacking=sorted(NEWER_MEMBERS))))
    assert sorted(documented(doc) - seen) == newer_keys(NEWER_MEMBERS, "secret")


def test_secret_info_returns_what_its_return_documents(stubs):
    doc = yaml.safe_load(secret_info.RETURN)
    stubs.add_response("describe_secret", described(**everything(LACKING), DeletedDate=WHEN), {"SecretId": NAME})
    stubs.add_response("list_secrets", {"SecretList": [{"ARN": ARN, "Name": NAME, "SecretVersionsToStages": {V1: ["AWSCURRENT"]}}]})
    stubs.add_response("get_resource_policy", {"ARN": ARN, "Name": NAME, "ResourcePolicy": POLICY}, {"SecretId": ARN})
    stubs.add_client_error("list_secrets", "AccessDeniedException", "denied", 400, response_meta={"RequestId": "req-1"})
    results = [
        _read.info_execute({"name": NAME, "include_planned_deletion": True}),
        with_endpoint_logs(_read.info_execute({"include_policy": True}), {"debug_botocore_endpoint_logs": True}),
        _read.info_execute({}),
        _read.info_execute({"filters": {"nonsense": "x"}}),
    ]
    assert [r.get("failed", False) for r in results] == [False, False, True, True]
    seen = set().union(*(returned(r) for r in results))
    assert sorted(seen - documented(doc)) == [], "returned but not documented"
    assert sorted(documented(doc) - seen) == newer_keys(LACKING, "secrets[]"), "documented but never returned"
    assert_returned_as_documented(doc, results)


def test_both_modules_document_a_secret_with_the_same_keys():
    secret_keys = yaml.safe_load(secret_module.RETURN)["secret"]["contains"]
    info_keys = yaml.safe_load(secret_info.RETURN)["secrets"]["contains"]
    assert sorted(info_keys) == sorted(set(secret_keys) | {"resource_policy"})
    for key in secret_keys:
        assert sorted(info_keys[key].get("contains") or {}) == sorted(secret_keys[key].get("contains") or {}), key
