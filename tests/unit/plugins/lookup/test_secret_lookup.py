# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secret lookup: LookupModule.run() against moto in-process.

The lookup's options come from its DOCUMENTATION merged with the connection fragment's PLUGINS
variant. ansible-core registers them when its plugin loader loads the plugin; plain pytest has no
collection loader, so the same loader method is called here with a fragment loader that serves the
collection's fragment class (ansible's own merge and config code still do the work).
AccessDeniedException needs IAM enforcement in moto: botocore's Stubber answers it instead.
"""

from __future__ import annotations

import base64
import json

import boto3
import botocore.client
import botocore.exceptions
import botocore.loaders
import botocore.session
import pytest
from botocore.stub import Stubber
from moto import mock_aws

import ansible.plugins.loader as plugin_loader
from ansible.errors import AnsibleError, AnsibleOptionsError
from ansible_collections.seed.secretsmanager.plugins.doc_fragments import connection
from ansible_collections.seed.secretsmanager.plugins.lookup import secret as lookup_secret
from ansible_collections.seed.secretsmanager.tests.unit.conftest import CREDENTIAL_SOURCE_WORDS

REGION = "us-east-1"
PLUGIN = "seed.secretsmanager.secret"
DOCUMENT = {
    "db": {"host": "db.example.org", "port": 5432, "ratio": 0.25, "tls": False, "replica": None, "password": "pw-9f8e7d"},
    "hosts": ["a", "b"],
    "a.b": {"c": "dotted key"},
}


class _FragmentLoader:
    def get(self, name, *args, **kwargs):
        if name != "seed.secretsmanager.connection":
            return None
        fragment = type("ModuleDocFragment", (connection.ModuleDocFragment,), {"ansible_name": name})
        return fragment


@pytest.fixture(scope="module", autouse=True)
def lookup_options():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plugin_loader, "fragment_loader", _FragmentLoader())
        plugin_loader.lookup_loader._load_config_defs(PLUGIN, lookup_secret, lookup_secret.__file__)


def new_lookup():
    lookup = lookup_secret.LookupModule()
    lookup._load_name = PLUGIN
    return lookup


def lookup(terms, variables=None, **options):
    return new_lookup().run(terms, variables=variables or {}, **options)


def lookup_error(terms, variables=None, **options):
    with pytest.raises(AnsibleError) as raised:
        lookup(terms, variables, **options)
    return str(raised.value)


@pytest.fixture
def sm(aws_env):
    with mock_aws():
        yield boto3.client("secretsmanager", region_name=REGION)


@pytest.fixture
def warnings(monkeypatch):
    seen = []
    monkeypatch.setattr(lookup_secret.display, "warning", lambda message, *args, **kwargs: seen.append(message))
    return seen


@pytest.fixture
def clients(monkeypatch):
    """The connection options of every client the lookup builds."""
    seen = []
    real = lookup_secret.secretsmanager_client

    def spy(params, reuse=False):
        seen.append(dict(params))
        return real(params, reuse=reuse)

    monkeypatch.setattr(lookup_secret, "secretsmanager_client", spy)
    return seen


# ---------------------------------------------------------------- values


def test_string_values_one_per_term_in_order(sm):
    sm.create_secret(Name="one", SecretString="first value")
    arn = sm.create_secret(Name="two", SecretString="second value")["ARN"]
    assert lookup(["one"]) == ["first value"]
    assert lookup(["two", "one", arn]) == ["second value", "first value", "second value"]


def test_a_json_value_without_key_is_its_text(sm):
    text = json.dumps(DOCUMENT)
    sm.create_secret(Name="doc", SecretString=text)
    assert lookup(["doc"]) == [text]


@pytest.mark.parametrize(
    "key, expected",
    [
        ("db", DOCUMENT["db"]),
        (["db"], DOCUMENT["db"]),
        ("db.host", "db.example.org"),
        (["db", "password"], "pw-9f8e7d"),
        ("db.port", 5432),
        (["db", "ratio"], 0.25),
        ("db.tls", False),
        (["db", "replica"], None),
        ("hosts", ["a", "b"]),
        ("hosts.1", "b"),
        (["hosts", 0], "a"),
        (["hosts", "-1"], "b"),
        (["a.b", "c"], "dotted key"),
    ],
)
def test_key_selects_and_keeps_the_json_type(sm, key, expected):
    sm.create_secret(Name="doc", SecretString=json.dumps(DOCUMENT))
    (value,) = lookup(["doc"], key=key)
    assert value == expected
    assert type(value) is type(expected)


def test_key_applies_to_every_term(sm):
    sm.create_secret(Name="east", SecretString=json.dumps({"db": {"port": 1}}))
    sm.create_secret(Name="west", SecretString=json.dumps({"db": {"port": 2}}))
    assert lookup(["east", "west"], key="db.port") == [1, 2]


@pytest.mark.parametrize("name", ["app.config", "a.b.c.d", "prod/app.v1/db.creds", ".leading.dot"])
def test_names_with_dots(sm, name):
    sm.create_secret(Name=name, SecretString=json.dumps({"user": "u", "nested.key": {"x": True}}))
    assert json.loads(lookup([name])[0]) == {"user": "u", "nested.key": {"x": True}}
    assert lookup([name], key="user") == ["u"]
    assert lookup([name], key=["nested.key", "x"]) == [True]


def test_binary_value_is_base64_text(sm):
    raw = bytes(range(256)) * 3
    sm.create_secret(Name="bin", SecretBinary=raw)
    (value,) = lookup(["bin"])
    assert isinstance(value, str)
    assert base64.b64decode(value, validate=True) == raw


def test_key_on_a_binary_value_fails_without_the_value(sm):
    sm.create_secret(Name="bin", SecretBinary=b'{"a": "binary-json-value"}')
    message = lookup_error(["bin"], key="a")
    assert "secret bin" in message
    assert "binary" in message
    assert "binary-json-value" not in message


def test_key_on_a_text_value_that_is_not_json(sm):
    sm.create_secret(Name="plain", SecretString="hunter2 plain text")
    message = lookup_error(["plain"], key="a")
    assert "secret plain" in message
    assert "not JSON" in message
    assert "hunter2" not in message


def test_missing_key_names_the_secret_and_path_never_the_value(sm):
    sm.create_secret(Name="doc", SecretString=json.dumps(DOCUMENT))
    message = lookup_error(["doc"], key="db.user")
    assert "secret doc" in message
    assert "db.user" in message
    assert "pw-9f8e7d" not in message
    assert "db.example.org" not in message


@pytest.mark.parametrize("key", ["db.user", ["hosts", "2"], "db.port.x", ["hosts", "first"]])
def test_a_missing_key_follows_on_missing(sm, warnings, key):
    """As amazon.aws.secretsmanager_secret does for nested=true: error, or warn and skip, or skip."""
    sm.create_secret(Name="doc", SecretString=json.dumps(DOCUMENT))
    sm.create_secret(Name="other", SecretString=json.dumps({"db": {"user": "u", "port": {"x": 1}}, "hosts": {"2": "c", "first": "a"}}))
    message = lookup_error(["doc"], key=key)
    assert "the value has no key" in message
    assert "on_missing=warn or on_missing=skip" in message
    assert lookup(["doc", "other"], key=key, on_missing="warn") == lookup(["other"], key=key)
    assert len(warnings) == 1 and warnings[0].startswith("secret doc: the value has no key ")
    assert "pw-9f8e7d" not in warnings[0]
    assert lookup(["doc", "other"], key=key, on_missing="skip") == lookup(["other"], key=key)
    assert lookup(["doc"], key=key, on_missing="skip") == []
    assert len(warnings) == 1
    # on_denied and on_deleted do not cover it
    assert "no key" in lookup_error(["doc"], key=key, on_denied="skip", on_deleted="skip")


@pytest.mark.parametrize("name, words", [("plain", "the value is not JSON"), ("bin", "the value is binary")])
def test_a_key_into_a_value_that_is_not_json_follows_on_missing(sm, warnings, name, words):
    """A value that is not JSON has no key at all: missing, as a JSON value without the key is."""
    sm.create_secret(Name="plain", SecretString="plain hunter2")
    sm.create_secret(Name="bin", SecretBinary=b"\x00\x01hunter2")
    message = lookup_error([name], key="a")
    assert message.startswith("secret %s: %s" % (name, words))
    assert message.endswith("(on_missing=warn or on_missing=skip goes on without it)")
    assert lookup([name], key="a", on_missing="skip") == []
    assert lookup([name], key="a", on_missing="warn") == []
    assert len(warnings) == 1 and warnings[0].startswith("secret %s: %s" % (name, words))
    # on_denied and on_deleted do not cover it
    assert words in lookup_error([name], key="a", on_denied="skip", on_deleted="skip")
    hidden = ("hunter2", base64.b64encode(b"\x00\x01hunter2").decode())
    assert not [text for text in warnings + [message] if any(value in text for value in hidden)]


def test_a_secret_without_a_current_value_follows_on_missing(aws_env, monkeypatch, warnings):
    """AWS answers a secret created without a value (or whose AWSCURRENT has none) with ResourceNotFoundException
    "...can't find the specified secret value for staging label: AWSCURRENT": the secret has no value, which is
    missing; a version asked by version_stage or version_id that AWS does not find stays an error."""
    no_value = "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"
    stubber, _built = _stubbed(monkeypatch)
    for _run in range(3):
        stubber.add_client_error("get_secret_value", "ResourceNotFoundException", no_value, 400,
                                 expected_params={"SecretId": "empty", "VersionStage": "AWSCURRENT"})
    stubber.add_client_error("get_secret_value", "ResourceNotFoundException", no_value.replace("AWSCURRENT", "AWSPENDING"), 400)
    with stubber:
        message = lookup_error(["empty"])
        assert message.startswith("secret empty: GetSecretValue failed: ResourceNotFoundException: ")
        assert message.endswith("(on_missing=warn or on_missing=skip goes on without it)")
        assert lookup(["empty"], on_missing="skip") == []
        assert lookup(["empty"], version_stage="AWSCURRENT", on_missing="warn") == []
        assert "AWSPENDING" in lookup_error(["empty"], version_stage="AWSPENDING", on_missing="skip")
        stubber.assert_no_pending_responses()
    assert len(warnings) == 1 and warnings[0].startswith("secret empty: GetSecretValue failed: ResourceNotFoundException")


@pytest.mark.parametrize("key", ["", "a..b", ["a", ""], 7, {"a": "b"}])
def test_bad_key_fails_before_any_call(sm, clients, key):
    message = lookup_error(["doc"], key=key)
    assert "key" in message
    assert clients == []


# ---------------------------------------------------------------- keywords

OPTIONS = ("access_key", "aws_ca_bundle", "aws_config", "debug_botocore_endpoint_logs", "endpoint_url", "key", "on_deleted", "on_denied",
           "on_missing", "path", "profile", "region", "secret_key", "session_token", "validate_certs", "version_id", "version_stage")


@pytest.mark.parametrize("keyword, close", [("keys", "key"), ("onmissing", "on_missing"), ("version", "version_id"), ("bypath", "path"), ("filters", None)])
def test_an_unknown_keyword_fails_before_any_call(sm, clients, keyword, close):
    """ansible-core drops a keyword that is no option: keys='db' returned the whole JSON value, password and all."""
    sm.create_secret(Name="doc", SecretString=json.dumps(DOCUMENT))
    with pytest.raises(AnsibleOptionsError) as raised:
        lookup(["doc"], **{keyword: "db"})
    message = str(raised.value)
    assert "has no option %s" % keyword in message
    assert ("(did you mean %s?)" % close in message) if close else ("did you mean" not in message)
    assert "its options are: %s" % ", ".join(OPTIONS) in message
    assert "pw-9f8e7d" not in message
    assert clients == []


def test_every_unknown_keyword_is_named(sm):
    message = lookup_error(["doc"], keys="db", regoin=REGION, key="db")
    assert "has no option keys (did you mean key?), regoin (did you mean region?)" in message


def test_aliases_and_the_core_wantlist_are_keywords(sm):
    """Aliases are options too; ansible-core 2.16-2.18 call run() with wantlist=True for a with_ loop."""
    sm.create_secret(Name="doc", SecretString=json.dumps(DOCUMENT))
    assert lookup(["doc"], key="db.port", aws_region=REGION, ec2_region=REGION, wantlist=True) == [5432]


# ---------------------------------------------------------------- versions


@pytest.fixture
def versions(sm):
    first = sm.create_secret(Name="ver", SecretString="version one")["VersionId"]
    second = sm.put_secret_value(SecretId="ver", SecretString="version two")["VersionId"]
    sm.put_secret_value(SecretId="ver", SecretString="version three", VersionStages=["AWSPENDING"])
    return first, second


def test_current_by_default(versions):
    assert lookup(["ver"]) == ["version two"]
    assert lookup(["ver"], version_stage="AWSCURRENT") == ["version two"]


def test_version_by_stage(versions):
    assert lookup(["ver"], version_stage="AWSPREVIOUS") == ["version one"]
    assert lookup(["ver"], version_stage="AWSPENDING") == ["version three"]


def test_version_by_id(versions):
    first, second = versions
    assert lookup(["ver"], version_id=first) == ["version one"]
    assert lookup(["ver"], version_id=second) == ["version two"]
    assert lookup(["ver"], version_id=second, version_stage="AWSCURRENT") == ["version two"]


def test_unknown_version_id_fails(versions):
    message = lookup_error(["ver"], version_id="0" * 32)
    assert "secret ver" in message
    assert "ResourceNotFoundException" in message


def test_a_missing_version_of_an_existing_secret_is_no_missing_secret(versions):
    message = lookup_error(["ver"], on_missing="skip", version_id="0" * 32)  # skip is for missing secrets only
    assert "ResourceNotFoundException" in message


def _stubbed(monkeypatch):
    client = botocore.session.Session().create_client(
        "secretsmanager", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    built = []

    def factory(params, reuse=False):
        built.append(params)
        return client

    monkeypatch.setattr(lookup_secret, "secretsmanager_client", factory)
    return Stubber(client), built


def _value_response(name, text):
    return {"ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:%s-AbCdEf" % name, "Name": name, "SecretString": text}


def test_an_arn_is_read_in_its_own_region(sm, clients, warnings):
    """Read in the region option's region, AWS answers not found (or access denied), which on_missing: skip
    turned into an empty result. The ARN's region wins, with a warning."""
    arn = boto3.client("secretsmanager", region_name="eu-west-1").create_secret(Name="over/there", SecretString="far value")["ARN"]
    assert lookup([arn], region=REGION, on_missing="skip") == ["far value"]
    assert [c["region"] for c in clients] == [REGION, "eu-west-1"]
    assert len(warnings) == 1 and "eu-west-1" in warnings[0] and REGION in warnings[0]
    assert "far value" not in warnings[0]


def test_a_missing_arn_says_how_aws_read_it(sm):
    partial = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-prod01"
    message = lookup_error([partial])
    assert "ResourceNotFoundException" in message
    assert "full ARN" in message and "partial ARN" in message


def test_version_requests(aws_env, monkeypatch):
    stubber, _built = _stubbed(monkeypatch)
    stubber.add_response("get_secret_value", _value_response("x", "a"), {"SecretId": "x", "VersionStage": "AWSCURRENT"})
    stubber.add_response("get_secret_value", _value_response("x", "b"), {"SecretId": "x", "VersionId": "i" * 32})
    stubber.add_response("get_secret_value", _value_response("x", "c"), {"SecretId": "x", "VersionStage": "AWSPREVIOUS"})
    with stubber:
        assert lookup(["x"]) == ["a"]
        assert lookup(["x"], version_id="i" * 32) == ["b"]
        assert lookup(["x"], version_stage="AWSPREVIOUS") == ["c"]
        stubber.assert_no_pending_responses()


# ---------------------------------------------------------------- on_missing, on_denied, on_deleted


def test_missing_is_an_error_by_default(sm):
    message = lookup_error(["does/not/exist"])
    assert "does/not/exist" in message
    assert "ResourceNotFoundException" in message


def test_missing_warn_and_skip(sm, warnings):
    sm.create_secret(Name="here", SecretString="present value")
    assert lookup(["here", "gone/1", "here"], on_missing="warn") == ["present value", "present value"]
    assert len(warnings) == 1
    assert "gone/1" in warnings[0] and "ResourceNotFoundException" in warnings[0]
    assert "present value" not in warnings[0]
    assert lookup(["gone/2", "here"], on_missing="skip") == ["present value"]
    assert len(warnings) == 1
    # the other two settings do not cover a missing secret
    assert "gone/3" in lookup_error(["gone/3"], on_denied="skip", on_deleted="skip")


@pytest.fixture
def deleted(sm):
    sm.create_secret(Name="here", SecretString="kept value")
    sm.create_secret(Name="deleted", SecretString="deleted value")
    sm.delete_secret(SecretId="deleted", RecoveryWindowInDays=7)
    return sm


def test_deleted_is_an_error_by_default(deleted):
    message = lookup_error(["deleted"])
    assert "secret deleted" in message
    assert "InvalidRequestException" in message
    assert "deleted value" not in message
    assert message.endswith("(on_deleted=warn or on_deleted=skip goes on without it)")


def test_each_problem_error_names_the_option_that_decides(deleted, monkeypatch):
    assert lookup_error(["missing"]).endswith("(on_missing=warn or on_missing=skip goes on without it)")
    # the other errors have no such option
    assert "goes on without it" not in lookup_error(["here"], version_id="0" * 32)


def test_deleted_warn_and_skip(deleted, warnings):
    assert lookup(["deleted", "here"], on_deleted="warn") == ["kept value"]
    assert len(warnings) == 1
    assert "secret deleted" in warnings[0] and "InvalidRequestException" in warnings[0]
    assert lookup(["here", "deleted"], on_deleted="skip") == ["kept value"]
    assert len(warnings) == 1
    # the other two settings do not cover a deleted secret
    with pytest.raises(AnsibleError):
        lookup(["deleted"], on_missing="skip", on_denied="skip")


def test_deleted_without_recovery_is_missing(sm):
    sm.create_secret(Name="purged", SecretString="v")
    sm.delete_secret(SecretId="purged", ForceDeleteWithoutRecovery=True)
    assert lookup(["purged"], on_missing="skip") == []
    assert "ResourceNotFoundException" in lookup_error(["purged"], on_deleted="skip")


def test_a_missing_stage_is_recognised_from_the_aws_message(aws_env, monkeypatch):
    # moto answers a missing stage as a missing secret; AWS names the stage.
    stubber, _built = _stubbed(monkeypatch)
    stubber.add_client_error(
        "get_secret_value", "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: NOSUCHSTAGE", 400
    )
    with stubber:
        message = lookup_error(["x"], on_missing="skip", version_stage="NOSUCHSTAGE")
    assert "NOSUCHSTAGE" in message


def test_deleted_is_recognised_from_the_aws_message(aws_env, monkeypatch):
    stubber, _built = _stubbed(monkeypatch)
    stubber.add_client_error(
        "get_secret_value", "InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.", 400
    )
    stubber.add_client_error("get_secret_value", "InvalidRequestException", "Some other invalid request.", 400)
    with stubber:
        assert lookup(["x"], on_deleted="skip") == []
        # an InvalidRequestException that is not about deletion stays an error
        message = lookup_error(["x"], on_deleted="skip")
    assert "InvalidRequestException" in message


DENIED = "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: secretsmanager:GetSecretValue"


@pytest.mark.parametrize("on_denied", [None, "error"])
def test_denied_is_an_error_by_default(aws_env, monkeypatch, on_denied):
    stubber, _built = _stubbed(monkeypatch)
    stubber.add_client_error("get_secret_value", "AccessDeniedException", DENIED, 400)
    options = {"on_denied": on_denied} if on_denied else {}
    with stubber:
        message = lookup_error(["locked"], on_missing="skip", on_deleted="skip", **options)
    assert "locked" in message
    assert "AccessDeniedException" in message


def test_denied_warn_and_skip(aws_env, monkeypatch, warnings):
    # A policy that allows GetSecretValue on some secrets and not secretsmanager:BatchGetSecretValue: the batch
    # of the two terms is denied, then each is read on its own (the batch's own answers: test_secret_lookup_batch.py).
    batch_denied = DENIED.replace("GetSecretValue", "BatchGetSecretValue") + " because no identity-based policy allows the action"
    stubber, _built = _stubbed(monkeypatch)
    for _run in range(2):
        stubber.add_client_error("batch_get_secret_value", "AccessDeniedException", batch_denied, 400, expected_params={"SecretIdList": ["locked", "open"]})
        stubber.add_client_error("get_secret_value", "AccessDeniedException", DENIED, 400)
        stubber.add_response("get_secret_value", _value_response("open", "open value"))
    with stubber:
        assert lookup(["locked", "open"], on_denied="warn") == ["open value"]
        assert len(warnings) == 1
        assert "locked" in warnings[0] and "AccessDeniedException" in warnings[0]
        assert lookup(["locked", "open"], on_denied="skip") == ["open value"]
        assert len(warnings) == 1
        stubber.assert_no_pending_responses()


def test_denied_when_the_client_raises(sm, monkeypatch):
    """The same through a real client whose call raises ClientError, as IAM enforcement would make it (the
    batch of several terms: tests/unit/plugins/lookup/test_secret_lookup_batch.py)."""
    sm.create_secret(Name="open", SecretString="open value")
    real_call = botocore.client.BaseClient._make_api_call

    def make_api_call(client, operation_name, params):
        if operation_name == "GetSecretValue" and params.get("SecretId") == "locked":
            raise botocore.exceptions.ClientError({"Error": {"Code": "AccessDeniedException", "Message": DENIED}}, operation_name)
        return real_call(client, operation_name, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", make_api_call)
    assert lookup(["locked"], on_denied="skip") == []
    assert lookup(["open"], on_denied="skip") == ["open value"]
    message = lookup_error(["locked"])
    assert message.startswith("secret locked: ")
    assert "AccessDeniedException" in message
    assert "open value" not in message


@pytest.mark.parametrize("option", ["on_missing", "on_denied", "on_deleted"])
def test_on_options_take_only_their_choices(sm, option):
    with pytest.raises(AnsibleError):
        lookup(["x"], **{option: "ignore"})


def test_earlier_values_do_not_change_later_errors(sm, warnings):
    """A value read for one term must not be masked out of the next term's AWS error: the error code
    and the deletion it reports have to stay readable (short values such as 'e' or '1' are common)."""
    sm.create_secret(Name="flag", SecretString="e")
    sm.create_secret(Name="count", SecretString="1")
    sm.create_secret(Name="deleted", SecretString="v")
    sm.delete_secret(SecretId="deleted", RecoveryWindowInDays=7)
    assert lookup(["flag", "count", "deleted"], on_deleted="skip") == ["e", "1"]
    assert lookup(["flag", "deleted"], on_deleted="warn") == ["e"]
    assert "InvalidRequestException" in warnings[0]
    message = lookup_error(["flag", "missing-secret-1"])
    assert "ResourceNotFoundException" in message
    assert "missing-secret-1" in message


@pytest.mark.parametrize("term", ["secret", "Manager", "find", "deleted"])
def test_errors_name_the_term_even_when_aws_text_contains_it(sm, term):
    """AWS's message may happen to contain the term ("can't find the specified secret"): with several
    terms, the error must still say which one failed."""
    sm.create_secret(Name="other", SecretString="v")
    message = lookup_error(["other", term])
    assert message.startswith("secret %s: " % term)
    assert "ResourceNotFoundException" in message


# ---------------------------------------------------------------- connection options


def test_connection_from_variables(sm, clients, monkeypatch):
    sm.create_secret(Name="conn", SecretString="connected")
    for variable in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(variable)
    variables = {"aws_region": REGION, "aws_access_key": "AKIDFROMVARS", "aws_secret_key": "secret-from-vars", "aws_session_token": "token-from-vars"}
    assert lookup(["conn"], variables) == ["connected"]
    assert clients[-1]["region"] == REGION
    assert clients[-1]["access_key"] == "AKIDFROMVARS"
    assert clients[-1]["secret_key"] == "secret-from-vars"
    assert clients[-1]["session_token"] == "token-from-vars"
    assert clients[-1]["endpoint_url"] is None


def test_endpoint_from_variables_is_used(sm, clients):
    # Nothing listens on port 9: a lookup that uses the endpoint fails to connect, fast.
    variables = {"aws_endpoint_url": "http://127.0.0.1:9"}
    message = lookup_error(["x"], variables, aws_config={"retries": {"total_max_attempts": 1}, "connect_timeout": 1})
    assert clients[-1]["endpoint_url"] == "http://127.0.0.1:9"
    assert "127.0.0.1:9" in message


def test_connection_from_environment(aws_env, monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_REGION", "eu-north-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_PROFILE", "from-env")
    plugin = new_lookup()
    plugin.set_options(var_options={}, direct={})
    assert plugin.get_option("endpoint_url") == "http://127.0.0.1:9"
    assert plugin.get_option("profile") == "from-env"
    assert plugin.get_option("region") == "eu-north-1"
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-south-1")
    plugin.set_options(var_options={}, direct={})
    assert plugin.get_option("region") == "eu-south-1"
    # both set: AWS_REGION wins, as in the modules (their fallback lists it first)
    monkeypatch.setenv("AWS_REGION", "eu-north-1")
    plugin.set_options(var_options={}, direct={})
    assert plugin.get_option("region") == "eu-north-1"
    # variables win over the environment
    plugin.set_options(var_options={"aws_region": "ap-south-1"}, direct={})
    assert plugin.get_option("region") == "ap-south-1"


def test_keyword_options_win_over_variables(sm, clients):
    sm.create_secret(Name="conn", SecretString="connected")
    variables = {"aws_region": "eu-west-3", "aws_endpoint_url": "http://127.0.0.1:9"}
    assert lookup(["conn"], variables, region=REGION, endpoint_url="") == ["connected"]
    assert clients[-1]["region"] == REGION


def test_connection_option_aliases(sm, clients):
    sm.create_secret(Name="conn", SecretString="connected")
    assert lookup(["conn"], aws_region=REGION, aws_access_key_id="AKIDALIAS", aws_secret_access_key="s") == ["connected"]
    assert clients[-1]["access_key"] == "AKIDALIAS"
    assert clients[-1]["region"] == REGION


def test_no_region_fails(sm, monkeypatch):
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    message = lookup_error(["x"])
    # every way this lookup reads a region: the keyword and its aliases, the variable, the environment, the profile
    assert message == (
        "region: no region given: the lookup reads it from the keyword region or aws_region or ec2_region, the variable "
        "aws_region or the environment variable AWS_DEFAULT_REGION or AWS_REGION, or the profile's region in the config file"
    )


def test_a_region_that_is_no_region_name_is_not_reported_as_missing(sm):
    message = lookup_error(["x"], region="not a region")
    assert message == "region: 'not a region' is not a region name (such as us-east-1)"


def test_the_region_sources_named_are_the_ones_read(sm, monkeypatch, clients):
    """Each source the message names gives the lookup its region."""
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    sm.create_secret(Name="x", SecretString="v")
    for keyword in ("region", "aws_region", "ec2_region"):
        assert lookup(["x"], **{keyword: REGION}) == ["v"]
    assert lookup(["x"], {"aws_region": REGION}) == ["v"]
    for variable in ("AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.setenv(variable, REGION)
        assert lookup(["x"]) == ["v"]
        monkeypatch.delenv(variable)


# ---------------------------------------------------------------- credentials


def test_no_credentials_says_where_they_come_from(no_credentials):
    message = lookup_error(["app/db"], endpoint_url="http://127.0.0.1:9", on_denied="skip", on_missing="skip")
    assert message.startswith("secret app/db: GetSecretValue failed: Unable to locate credentials. ")
    for word in CREDENTIAL_SOURCE_WORDS:
        assert word in message, word
    assert message.endswith("The lookup also reads them from the variables aws_access_key, aws_secret_key, aws_session_token, aws_profile.")


@pytest.mark.parametrize("code", ["UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException"])
def test_refused_credentials_say_where_they_came_from(aws_env, monkeypatch, code):
    stubber, _built = _stubbed(monkeypatch)
    stubber.add_client_error("get_secret_value", code, "The security token included in the request is invalid.", 400)
    with stubber:
        message = lookup_error(["app/db"], on_denied="skip", on_missing="skip")
    assert code in message
    assert "The credentials used came from the access_key and secret_key options." in message
    for word in CREDENTIAL_SOURCE_WORDS:
        assert word in message, word


def test_client_built_once_per_call(sm, clients, monkeypatch):
    for name in ("c1", "c2", "c3"):
        sm.create_secret(Name=name, SecretString=name)
    created = []
    real_create = botocore.session.Session.create_client

    def create_client(self, *args, **kwargs):
        created.append(args)
        return real_create(self, *args, **kwargs)

    monkeypatch.setattr(botocore.session.Session, "create_client", create_client)
    assert lookup(["c1", "c2", "c3", "c1"]) == ["c1", "c2", "c3", "c1"]
    assert len(clients) == 1
    assert len(created) == 1
    # a second call asks again, and builds at most one more (the core may share a client between calls)
    assert lookup(["c1", "c2"]) == ["c1", "c2"]
    assert len(clients) == 2
    assert len(created) in (1, 2)


def test_empty_terms(sm, clients):
    assert lookup([]) == []


# ---------------------------------------------------------------- amazon.aws's common options


@pytest.fixture
def shown(monkeypatch):
    seen = []
    monkeypatch.setattr(lookup_secret.display, "display", lambda message, *args, **kwargs: seen.append(message))
    return seen


def test_debug_botocore_endpoint_logs_shows_the_iam_actions(sm, shown):
    sm.create_secret(Name="one", SecretString="first value")
    sm.create_secret(Name="two", SecretString="second value")
    assert lookup(["one", "two"], debug_botocore_endpoint_logs=True) == ["first value", "second value"]
    assert shown == ["seed.secretsmanager.secret lookup: resource_actions: secretsmanager:BatchGetSecretValue"]
    del shown[:]
    assert lookup(["one"], debug_botocore_endpoint_logs=True) == ["first value"]
    assert shown == ["seed.secretsmanager.secret lookup: resource_actions: secretsmanager:GetSecretValue"]
    del shown[:]
    assert lookup(["one"]) == ["first value"]
    assert shown == []


def test_debug_botocore_endpoint_logs_shows_the_iam_actions_of_a_failed_lookup(sm, shown, monkeypatch):
    monkeypatch.setenv("ANSIBLE_DEBUG_BOTOCORE_LOGS", "true")
    assert "missing" in lookup_error(["missing"])
    assert shown == ["seed.secretsmanager.secret lookup: resource_actions: secretsmanager:GetSecretValue"]


def test_amazon_aws_environment_variables(aws_env, monkeypatch):
    # amazon.aws also reads these; the botocore names win when both are set.
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY", "AKIDLEGACY")
    monkeypatch.setenv("AWS_SECRET_KEY", "legacy-secret")
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "legacy-profile")
    monkeypatch.setenv("AWS_URL", "http://127.0.0.1:8")
    plugin = new_lookup()
    plugin.set_options(var_options={}, direct={})
    assert [plugin.get_option(name) for name in ("access_key", "secret_key", "profile", "endpoint_url")] == [
        "AKIDLEGACY", "legacy-secret", "legacy-profile", "http://127.0.0.1:8"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDMODERN")
    monkeypatch.setenv("AWS_PROFILE", "modern-profile")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    plugin.set_options(var_options={}, direct={})
    assert [plugin.get_option(name) for name in ("access_key", "profile", "endpoint_url")] == ["AKIDMODERN", "modern-profile", "http://127.0.0.1:9"]
