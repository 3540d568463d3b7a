# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A profile together with explicit keys: what the connection fragment and docs/aws-credentials.md say.

secretsmanager_client() builds botocore.session.Session(profile=...) and passes the keys to
create_client. Then the keys are the credentials (the profile's own, and a role it would assume,
are not used), while the profile still gives its region and its endpoint_url when the options do
not. The modules read AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY into the access_key and
secret_key options, so keys from the environment win over a profile too; the lookup's case is in
tests/unit/plugins/lookup/test_secret_lookup_profile.py (ansible-test runs module_utils tests
without ansible-core's controller code, which the lookup needs).

No AWS call is made: the client is built and its region, endpoint and credentials are read.
"""

from __future__ import annotations

import os

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.seed.secretsmanager.plugins.module_utils import _aws
from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import secretsmanager_client
from ansible_collections.seed.secretsmanager.plugins.module_utils._connection import connection_argument_spec

PROFILE_KEY = "AKIAPROFILEAAAAAAAAA"
EXPLICIT_KEY = "AKIAEXPLICITBBBBBBBB"
ENVIRONMENT_KEY = "AKIAENVIRONMENTCCCCC"
PROFILE_ENDPOINT = "http://127.0.0.1:9911"

CONFIG = """\
[profile deploy]
region = eu-central-1
endpoint_url = %s

[profile assumer]
region = eu-west-3
role_arn = arn:aws:iam::123456789012:role/never-assumed
source_profile = deploy
""" % PROFILE_ENDPOINT

CREDENTIALS = """\
[deploy]
aws_access_key_id = %s
aws_secret_access_key = profile-secret
""" % PROFILE_KEY


@pytest.fixture(autouse=True)
def aws_files(monkeypatch, tmp_path):
    """Only the temporary AWS files count: no AWS_* variable of the test run, no client of another test."""
    for variable in [name for name in os.environ if name.startswith("AWS_")]:
        monkeypatch.delenv(variable)
    config, credentials = tmp_path / "config", tmp_path / "credentials"
    config.write_text(CONFIG)
    credentials.write_text(CREDENTIALS)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setattr(_aws, "_CLIENTS", {})


def access_key(client) -> str:
    return client._request_signer._credentials.access_key


def module_params(**options) -> dict:
    """The connection options as the modules get them: the argument spec's env fallbacks applied."""
    result = ArgumentSpecValidator(connection_argument_spec()).validate(options)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def test_profile_alone_gives_credentials_region_and_endpoint():
    client = secretsmanager_client({"profile": "deploy"})
    assert access_key(client) == PROFILE_KEY
    assert client.meta.region_name == "eu-central-1"
    assert client.meta.endpoint_url == PROFILE_ENDPOINT


def test_explicit_keys_win_over_the_profile_which_still_gives_region_and_endpoint():
    client = secretsmanager_client({"profile": "deploy", "access_key": EXPLICIT_KEY, "secret_key": "explicit-secret"})
    assert access_key(client) == EXPLICIT_KEY
    assert client.meta.region_name == "eu-central-1"
    assert client.meta.endpoint_url == PROFILE_ENDPOINT


def test_options_win_over_the_profile_settings():
    client = secretsmanager_client({
        "profile": "deploy", "access_key": EXPLICIT_KEY, "secret_key": "explicit-secret",
        "region": "ap-southeast-2", "endpoint_url": "http://127.0.0.1:9922",
    })
    assert client.meta.region_name == "ap-southeast-2"
    assert client.meta.endpoint_url == "http://127.0.0.1:9922"


def test_explicit_keys_skip_a_role_the_profile_would_assume():
    # Building the client would call STS to assume the role if the profile's credentials counted.
    client = secretsmanager_client({"profile": "assumer", "access_key": EXPLICIT_KEY, "secret_key": "explicit-secret"})
    assert access_key(client) == EXPLICIT_KEY
    assert client.meta.region_name == "eu-west-3"


def test_region_from_the_environment_wins_over_the_profile_in_modules(monkeypatch):
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    client = secretsmanager_client(module_params(profile="deploy", access_key=EXPLICIT_KEY, secret_key="explicit-secret"))
    assert client.meta.region_name == "us-west-2"


def test_keys_from_the_environment_win_over_the_profile_in_modules(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ENVIRONMENT_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "environment-secret")
    client = secretsmanager_client(module_params(profile="deploy"))
    assert access_key(client) == ENVIRONMENT_KEY
    assert client.meta.region_name == "eu-central-1"


def test_botocore_alone_prefers_the_profile_to_keys_in_the_environment(monkeypatch):
    # Why the options must keep reading the key variables: botocore drops its environment provider
    # when a Session is given a profile, so without the fallback the profile's keys would be used.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ENVIRONMENT_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "environment-secret")
    assert access_key(secretsmanager_client({"profile": "deploy"})) == PROFILE_KEY


def test_amazon_aws_environment_variables_come_after_botocore_names(monkeypatch):
    # amazon.aws's modules also read AWS_ACCESS_KEY, AWS_SECRET_KEY, AWS_DEFAULT_PROFILE and AWS_URL.
    monkeypatch.setenv("AWS_ACCESS_KEY", "AKIDLEGACY")
    monkeypatch.setenv("AWS_SECRET_KEY", "legacy-secret")
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "deploy")
    monkeypatch.setenv("AWS_URL", "http://127.0.0.1:8")
    monkeypatch.setenv("ANSIBLE_DEBUG_BOTOCORE_LOGS", "yes")
    params = module_params()
    assert [params[name] for name in ("access_key", "secret_key", "profile", "endpoint_url", "debug_botocore_endpoint_logs")] == [
        "AKIDLEGACY", "legacy-secret", "deploy", "http://127.0.0.1:8", True]
    client = secretsmanager_client(params)
    assert access_key(client) == "AKIDLEGACY"
    assert client.meta.endpoint_url == "http://127.0.0.1:8"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", EXPLICIT_KEY)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    params = module_params()
    assert (params["access_key"], params["endpoint_url"]) == (EXPLICIT_KEY, "http://127.0.0.1:9")
