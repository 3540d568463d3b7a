# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Credential errors: whatever botocore or AWS says (NoCredentialsError, PartialCredentialsError,
UnrecognizedClientException, ...), the error says where credentials come from, and which source gave
the ones AWS refused. Made in the AWS layer, so the modules and the lookup all give it.

moto refuses an unknown access key and a wrong secret key only with IAM enforcement on
(set_initial_no_auth_action_count), and answers them with the query protocol's names
(InvalidClientTokenId, SignatureDoesNotMatch); AWS's JSON answers come from botocore's Stubber.
"""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws
from moto.core import set_initial_no_auth_action_count

from ansible_collections.seed.secretsmanager.plugins.module_utils import _aws
from ansible_collections.seed.secretsmanager.tests.unit.conftest import CREDENTIAL_SOURCE_WORDS

NOWHERE = "http://127.0.0.1:9"  # nothing listens: a request that was sent would fail to connect instead


def assert_says_where_credentials_come_from(message):
    for word in CREDENTIAL_SOURCE_WORDS:
        assert word in message, word


def test_no_credentials(no_credentials):
    api = _aws.Api(_aws.secretsmanager_client({"region": "us-east-1", "endpoint_url": NOWHERE}))
    with pytest.raises(_aws.AwsError) as caught:
        api.call("GetSecretValue", SecretId="app/db")
    error = caught.value
    assert (error.code, error.kind, error.operation) == ("NoCredentialsError", _aws.CREDENTIALS, "GetSecretValue")
    assert error.message.startswith("GetSecretValue failed: Unable to locate credentials. ")
    assert_says_where_credentials_come_from(error.message)
    assert "came from" not in error.message  # there were none to name


def test_half_a_key_pair_in_a_profile(no_credentials):
    (no_credentials / "credentials").write_text("[half]\naws_access_key_id = AKIAHALF\n")
    with pytest.raises(_aws.AwsError) as caught:
        _aws.secretsmanager_client({"region": "us-east-1", "endpoint_url": NOWHERE, "profile": "half"})
    assert (caught.value.code, caught.value.kind) == ("PartialCredentialsError", _aws.CREDENTIALS)
    assert "aws_secret_access_key" in caught.value.message  # botocore names what is missing
    assert_says_where_credentials_come_from(caught.value.message)


def test_a_credential_process_that_fails(no_credentials):
    (no_credentials / "config").write_text("[profile broken]\ncredential_process = false\n")
    with pytest.raises(_aws.AwsError) as caught:
        _aws.secretsmanager_client({"region": "us-east-1", "endpoint_url": NOWHERE, "profile": "broken"})
    assert (caught.value.code, caught.value.kind) == ("CredentialRetrievalError", _aws.CREDENTIALS)
    assert_says_where_credentials_come_from(caught.value.message)


def _enforced_call(credentials, env_keys=None, monkeypatch=None):
    """GetSecretValue through moto with IAM enforcement on, after making one user with a real key pair."""
    outcome = {}

    @set_initial_no_auth_action_count(2)  # the two IAM calls below are not checked; every later one is
    def run():
        iam = boto3.client("iam", region_name="us-east-1")
        iam.create_user(UserName="reader")
        real = iam.create_access_key(UserName="reader")["AccessKey"]
        params = {"region": "us-east-1"}
        access_key, secret_key = credentials(real)
        if env_keys:
            monkeypatch.setenv("AWS_ACCESS_KEY_ID", access_key)
            monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret_key)
        else:
            params.update(access_key=access_key, secret_key=secret_key)
        api = _aws.Api(_aws.secretsmanager_client(params))
        try:
            api.call("GetSecretValue", SecretId="app/db")
        except _aws.AwsError as e:
            outcome["error"] = e

    with mock_aws():
        run()
    return outcome["error"]


@pytest.mark.parametrize("credentials, code", [
    (lambda real: ("AKIAUNKNOWN000000000", "wrong-secret-key-1"), "InvalidClientTokenId"),
    (lambda real: (real["AccessKeyId"], "wrong-secret-key-2"), "SignatureDoesNotMatch"),
])
def test_moto_refuses_the_keys_given_as_options(aws_env, credentials, code):
    error = _enforced_call(credentials)
    assert (error.code, error.kind) == (code, _aws.CREDENTIALS)
    assert "The credentials used came from the access_key and secret_key options." in error.message
    assert_says_where_credentials_come_from(error.message)
    assert "wrong-secret-key" not in error.message


def test_moto_refuses_the_keys_from_the_environment(aws_env, monkeypatch):
    error = _enforced_call(lambda real: ("AKIAUNKNOWN000000000", "wrong-secret-key-3"), env_keys=True, monkeypatch=monkeypatch)
    assert (error.code, error.kind) == ("InvalidClientTokenId", _aws.CREDENTIALS)
    assert "The credentials used came from the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY." in error.message


# Secrets Manager's own answers (JSON protocol), as AWS gives them for an unknown key, a wrong secret key and
# expired temporary credentials.
AWS_ANSWERS = [
    ("UnrecognizedClientException", "The security token included in the request is invalid."),
    ("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. "
                                  "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."),
    ("ExpiredTokenException", "The security token included in the request is expired"),
]


@pytest.mark.parametrize("code, text", AWS_ANSWERS)
def test_aws_refusals(client, stubber, code, text):
    stubber.add_client_error("describe_secret", code, text, 400)
    with pytest.raises(_aws.AwsError) as caught:
        _aws.describe(_aws.Api(client), "app/db")
    error = caught.value
    assert (error.code, error.kind) == (code, _aws.CREDENTIALS)
    assert error.message.startswith("DescribeSecret failed: %s: %s" % (code, text.rstrip(".")))
    assert "The credentials used came from the access_key and secret_key options." in error.message
    assert_says_where_credentials_come_from(error.message)


def test_the_help_is_never_redacted(client, stubber):
    """A value that happens to be a word of the help (here 'profile') is redacted from AWS's text only."""
    stubber.add_client_error("get_secret_value", "UnrecognizedClientException", "The security token profile is invalid.", 400)
    with pytest.raises(_aws.AwsError) as caught:
        _aws.Api(client, sensitive=["profile"]).call("GetSecretValue", SecretId="app/db")
    assert "The security token <redacted> is invalid." in caught.value.message
    assert _aws.CREDENTIAL_SOURCES in caught.value.message
