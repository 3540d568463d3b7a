# -*- coding: utf-8 -*-
"""Which texts the secret task masks (masked_texts in _options.py), as a plain function, and what Ansible's
masking (remove_values, as AnsibleModule and the in-process stand-in run it) then does to a result."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values

from ansible_collections.seed.secretsmanager.plugins.module_utils._options import (
    ansible_value_texts,
    masked_texts,
    module_spec,
    public_texts,
    value_texts,
)

PASSWORD = "q7R#v2!mZp9@Lx4$Tb8w"  # a real password next to everyday words
ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/app/db-AbC5432"
TOKEN = "0f5e6a1c-2b3d-4e5f-8a9b-c0d1e2f3a4b5"
DOCUMENT = {"environment": "prod", "region": "eu-west-1", "username": "admin", "port": 5432, "password": PASSWORD}
PARAMS = {
    "name": "prod/app/db",
    "secret_json": DOCUMENT,
    "description": "Credentials for admin in prod",
    "tags": {"environment": "prod", "region": "eu-west-1", "owner": "admin"},
    "region": "eu-west-1",
}


def described(**extra):
    """A task's result as the core builds it: identifiers and metadata as AWS holds them."""
    result = {
        "changed": True,
        "name": "prod/app/db",
        "arn": ARN,
        "version_id": TOKEN,
        "actions": ["DescribeSecret", "CreateSecret"],
        "secret": {
            "arn": ARN,
            "name": "prod/app/db",
            "description": "Credentials for admin in prod",
            "tags": {"environment": "prod", "region": "eu-west-1", "owner": "admin"},
            "created_date": "2026-11-30T03:54:32.543200+00:00",
            "version_ids_to_stages": {TOKEN: ["AWSCURRENT"]},
            "primary_region": "eu-west-1",
            "rotation_rules": {"automatically_after_days": 5432},
        },
        "diff": {"before": {}, "after": {"name": "prod/app/db", "description": "Credentials for admin in prod", "value": "set, new version"}},
        "invocation": {"module_args": dict(PARAMS, secret_json="VALUE_SPECIFIED_IN_NO_LOG_PARAMETER")},
    }
    result.update(extra)
    return result


def printed(params, result, generated=()):
    """The result as Ansible prints it: masked with what the task masks."""
    return remove_values(result, masked_texts(params, result, generated))


def test_identifiers_come_back_as_aws_holds_them_and_the_password_is_masked():
    result = described(msg="not shown %s and %s" % (PASSWORD, json.dumps(DOCUMENT)))
    shown = printed(PARAMS, result)
    assert {k: v for k, v in shown.items() if k != "msg"} == {k: v for k, v in result.items() if k != "msg"}
    assert PASSWORD not in json.dumps(shown) and shown["msg"].startswith("not shown ********")


def test_what_is_masked_for_a_realistic_document():
    # prod, eu-west-1 and admin are in the task's own options; 5432 in the ARN's suffix and the dates.
    assert masked_texts(PARAMS, described()) == {
        PASSWORD,
        json.dumps(DOCUMENT, separators=(",", ":")),
        json.dumps(DOCUMENT),
    }


@pytest.mark.parametrize(
    "params, result, masked",
    [
        # A leaf found nowhere public is masked; the same leaf in a tag value is not.
        (dict(name="app/db", secret_json={"username": "dbadmin", "password": PASSWORD}), None, {"dbadmin", PASSWORD}),
        (dict(name="app/db", tags={"owner": "dbadmin"}, secret_json={"username": "dbadmin", "password": PASSWORD}), None, {PASSWORD}),
        # A port number is masked unless something public holds it (here the description).
        (dict(name="app/db", secret_json={"port": 5432}), None, {"5432"}),
        (dict(name="app/db", description="PostgreSQL on 5432", secret_json={"port": 5432}), None, set()),
        # Short leaves, booleans and nulls are never masked (a 1-3 character text would mangle every message).
        (dict(name="db", secret_json={"user": "app", "pool": ["a", "b"], "port": 543, "tls": True, "x": None}), None, set()),
        # A region only the ARN holds (the task's region came from the environment).
        (dict(name="app/db", secret_json={"region": "ap-south-2"}), {"arn": "arn:aws:secretsmanager:ap-south-2:1:secret:app/db-a1b2c3"}, set()),
        # ... or only an AWS error message names (an ARN inside msg), on a failure.
        (dict(name="app/db", secret_json={"region": "ap-south-2", "password": PASSWORD}),
         {"failed": True, "msg": "CreateSecret failed: ResourceExistsException: token in use for arn:aws:secretsmanager:ap-south-2:1:secret:app/db-a1b2c3."},
         {PASSWORD}),
        # A leaf in a free text of the result that is not an identifier (msg, warnings) stays masked.
        (dict(name="app/db", secret_json={"password": PASSWORD}), {"failed": True, "msg": "x %s" % PASSWORD}, {PASSWORD}),
        # Dict keys of secret_json are not masked (Ansible never masks keys either).
        (dict(name="app/db", secret_json={"password_of_admin": PASSWORD}), None, {PASSWORD}),
    ],
    ids=["leaf-masked", "leaf-in-tag", "port-masked", "port-in-description", "short", "region-in-arn", "region-in-error", "leaf-in-msg", "keys"],
)
def test_which_leaves_are_masked(params, result, masked):
    whole = value_texts(params)[0]
    assert masked_texts(params, result) - whole == masked


@pytest.mark.parametrize(
    "params",
    [
        dict(name="prod/app/db", secret_string="prod"),
        dict(name="prod/app/db", secret_binary="cHJvZA=="),
        dict(name="prod/app/db", secret_json='{"environment": "prod"}'),
    ],
    ids=["string", "binary", "json-text"],
)
def test_whole_values_are_always_masked_even_inside_identifiers(params):
    masked = masked_texts(params, {"name": "prod/app/db", "secret": {"description": "prod"}})
    assert [params[k] for k in ("secret_string", "secret_binary", "secret_json") if k in params][0] in masked


def test_json_text_is_masked_whole_as_given_and_as_sent_and_leaf_by_leaf():
    text = '{ "password": "%s", "username": "dbadmin" }' % PASSWORD
    masked = masked_texts({"name": "app/db", "secret_json": text})
    assert {text, '{"password":"%s","username":"dbadmin"}' % PASSWORD, PASSWORD, "dbadmin"} <= masked


def test_generated_values_are_always_masked():
    generated = "GeNeRaTeD-pr0d-eu-west-1-admin-xx"
    assert generated in masked_texts({"name": "prod/app/db", "generate_secret": {"length": 33}}, described(), [generated])


def test_no_log_options_that_are_not_values_stay_masked_and_are_no_public_text():
    params = dict(PARAMS, secret_key="aws-Secret-Key-0f9e8d", session_token="sess-Tok3n-xyz")
    masked = masked_texts(params, described())
    assert {"aws-Secret-Key-0f9e8d", "sess-Tok3n-xyz"} <= masked
    assert not {"aws-Secret-Key-0f9e8d", "sess-Tok3n-xyz"} & public_texts(params)
    # A leaf that only a no_log option holds is not made public by it.
    params = dict(name="app/db", secret_key="xx-%s-xx" % PASSWORD, secret_json={"password": PASSWORD})
    assert PASSWORD in masked_texts(params)


def test_suboptions_follow_their_own_no_log():
    params = dict(name="app/db", replica_regions=[{"region": "eu-central-2", "kms_key_id": "alias/prod-key"}],
                  rotation={"external_metadata": [{"key": "team", "value": "payments"}]})
    assert {"eu-central-2", "alias/prod-key", "team", "payments"} <= public_texts(params)


def test_ansible_value_texts_is_what_ansible_collects_from_the_value_options():
    """_mask (module_utils/_front_secret.py) takes these out of no_log_values: they must be exactly Ansible's."""
    spec = {option: module_spec()["argument_spec"][option] for option in ("secret_string", "secret_json", "secret_binary")}
    for value in ({"secret_json": DOCUMENT}, {"secret_json": [{"k": "abc"}, 12, 1.5, True, None]}, {"secret_string": PASSWORD},
                  {"secret_binary": "cHJvZA=="}, {"secret_json": json.dumps(DOCUMENT)}):
        params = dict(value)
        collected = ArgumentSpecValidator(spec).validate(params)._no_log_values
        assert ansible_value_texts(params) == collected, value


def test_what_ansible_alone_would_do_is_the_problem():
    """Without the rule (every leaf masked), the name, the ARN, tags and the description are mangled."""
    mangled = remove_values(described(), ansible_value_texts(PARAMS))
    assert mangled["name"] == "********/app/db"
    assert mangled["arn"].startswith("arn:aws:secretsmanager:********:")
    assert mangled["secret"]["tags"]["environment"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
