# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The AWS layer's error table: what each AWS error means, decided in one place from its code (and a
message pattern only where AWS gives one code to several meanings). The messages below are AWS's own
texts for these cases (as botocore's ClientError carries them)."""

from __future__ import annotations

import pytest

from botocore.exceptions import ClientError

from ansible_collections.seed.secretsmanager.plugins.module_utils import _aws
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import TaskError, ValidationError

CASES = [
    ("ResourceNotFoundException", "Secrets Manager can't find the specified secret.", "DescribeSecret", _aws.NOT_FOUND),
    ("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS", "GetSecretValue",
     _aws.VERSION_NOT_FOUND),
    ("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for VersionId: 0123", "GetSecretValue",
     _aws.VERSION_NOT_FOUND),
    # moto's answer to a rotation function that does not exist (AWS: AccessDeniedException): not a missing secret.
    ("ResourceNotFoundException", "Resource not found for ARN 'arn:aws:lambda:us-east-1:123456789012:function:missing'.", "RotateSecret",
     _aws.OTHER),
    ("InvalidRequestException", "You can't create this secret because a secret with this name is already scheduled for deletion.",
     "CreateSecret", _aws.SCHEDULED_FOR_DELETION),
    ("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.", "GetSecretValue",
     _aws.SCHEDULED_FOR_DELETION),
    ("InvalidRequestException", "You tried to perform the operation on a secret that's currently marked deleted.", "DeleteSecret",
     _aws.SCHEDULED_FOR_DELETION),
    ("InvalidRequestException", "You can't create this secret because a secret with this name was deleted.", "CreateSecret", _aws.DELETED),
    ("InvalidRequestException", "Something else is wrong.", "CreateSecret", _aws.OTHER),
    ("ResourceExistsException", "You can't use ClientRequestToken abc because that value is already in use for a version of secret x.",
     "PutSecretValue", _aws.TOKEN_CONFLICT),
    ("ResourceExistsException", "You can't use ClientRequestToken abc because that value is already in use for a version of secret x.",
     "CreateSecret", _aws.TOKEN_CONFLICT),
    ("ResourceExistsException", "The operation failed because the secret app/db already exists.", "CreateSecret", _aws.EXISTS),
    ("AccessDeniedException", "User: arn:aws:iam::123456789012:user/u is not authorized to perform: secretsmanager:GetSecretValue",
     "GetSecretValue", _aws.ACCESS_DENIED),
    ("AccessDeniedException", "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants "
     "access to the principal secretsmanager.amazonaws.com.", "RotateSecret", _aws.PROPAGATING),
    ("AccessDeniedException", "Secrets Manager cannot invoke the specified Lambda function.", "GetSecretValue", _aws.ACCESS_DENIED),
    ("MalformedPolicyDocumentException", "This resource policy contains an unsupported principal.", "PutResourcePolicy", _aws.PROPAGATING),
    ("MalformedPolicyDocumentException", "This resource policy contains a syntax error.", "PutResourcePolicy", _aws.INVALID_INPUT),
    ("UnauthorizedOperation", "You are not authorized to perform this operation.", "ListSecrets", _aws.ACCESS_DENIED),
    ("ThrottlingException", "Rate exceeded", "PutSecretValue", _aws.THROTTLED),
    ("LimitExceededException", "You have exceeded the maximum number of versions of a secret.", "PutSecretValue", _aws.LIMIT_EXCEEDED),
    ("InvalidParameterException", "You provided an invalid value for a parameter.", "CreateSecret", _aws.INVALID_INPUT),
    ("ParamValidationError", "Parameter validation failed", "CreateSecret", _aws.INVALID_INPUT),
    ("InternalServiceError", "An error occurred on the server side.", "CreateSecret", _aws.OTHER),
    # Credentials: botocore's own errors (raised before anything is sent) and AWS's answers to keys it does not accept.
    ("NoCredentialsError", "Unable to locate credentials", "GetSecretValue", _aws.CREDENTIALS),
    ("PartialCredentialsError", "Partial credentials found in shared-credentials-file, missing: aws_secret_access_key", None,
     _aws.CREDENTIALS),
    ("UnrecognizedClientException", "The security token included in the request is invalid.", "GetSecretValue", _aws.CREDENTIALS),
    ("InvalidSignatureException", "The request signature we calculated does not match the signature you provided.", "ListSecrets",
     _aws.CREDENTIALS),
    ("ExpiredTokenException", "The security token included in the request is expired", "CreateSecret", _aws.CREDENTIALS),
    ("InvalidClientTokenId", "The security token included in the request is invalid.", "GetSecretValue", _aws.CREDENTIALS),
]


@pytest.mark.parametrize("code, message, operation, kind", CASES)
def test_error_kind(code, message, operation, kind):
    assert _aws.error_kind(code, message, operation) == kind


def test_every_kind_is_reachable_from_the_table():
    assert {row[3] for row in _aws.ERROR_TABLE} | {_aws.OTHER} == set(_aws.KINDS)
    assert {case[3] for case in CASES} == set(_aws.KINDS)


class _Client:
    """A client whose one operation raises the ClientError it is given."""

    def __init__(self, error):
        self.error = error

    def describe_secret(self, **kwargs):
        raise self.error


@pytest.mark.parametrize(
    "response, code, kind",
    [
        ({"Error": {"Code": "ResourceNotFoundException", "Message": "Secrets Manager can't find the specified secret."}},
         "ResourceNotFoundException", _aws.NOT_FOUND),
        # moto's IAM enforcement answers XML with status 403; the code is read from the document.
        ({"Error": {"Code": "403", "Message": "<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>"}},
         "AccessDeniedException", _aws.ACCESS_DENIED),
    ],
)
def test_api_call_gives_the_code_and_kind(response, code, kind):
    api = _aws.Api(_Client(ClientError(response, "DescribeSecret")))
    with pytest.raises(_aws.AwsError) as caught:
        api.call("DescribeSecret", SecretId="x")
    assert (caught.value.code, caught.value.kind, caught.value.operation) == (code, kind, "DescribeSecret")
    assert isinstance(caught.value, TaskError) and not isinstance(caught.value, ValidationError)


def test_describe_is_none_only_for_a_missing_secret():
    missing = ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "Secrets Manager can't find the specified secret."}},
                          "DescribeSecret")
    assert _aws.describe(_aws.Api(_Client(missing)), "x") is None
    denied = ClientError({"Error": {"Code": "AccessDeniedException", "Message": "not authorized"}}, "DescribeSecret")
    with pytest.raises(_aws.AwsError) as caught:
        _aws.describe(_aws.Api(_Client(denied)), "x")
    assert caught.value.kind == _aws.ACCESS_DENIED


def test_a_failed_call_carries_aws_request_id():
    error = ClientError({"Error": {"Code": "InternalServiceError", "Message": "x"},
                         "ResponseMetadata": {"RequestId": "5e2b6f0c-1111-4a4a-9b9b-0123456789ab", "HTTPStatusCode": 500}}, "DescribeSecret")
    with pytest.raises(_aws.AwsError) as caught:
        _aws.Api(_Client(error)).call("DescribeSecret", SecretId="x")
    assert caught.value.request_id == "5e2b6f0c-1111-4a4a-9b9b-0123456789ab"
    assert caught.value.to_result()["request_id"] == "5e2b6f0c-1111-4a4a-9b9b-0123456789ab"


class _Raw:
    """The raw body botocore reads from an HTTP response."""

    def __init__(self, body):
        self.body = body

    def stream(self, **_kwargs):
        yield self.body

    def read(self, *_args, **_kwargs):
        return self.body


@pytest.mark.parametrize("code, sends", [
    # botocore's standard mode lists LimitExceededException among its throttling codes (botocore/retries/standard.py,
    # ThrottledRetryableChecker); for Secrets Manager it is a quota ("You have exceeded the quota of versions"), not a rate.
    ("LimitExceededException", 1),
    ("ThrottlingException", 3),  # real throttling is still retried
])
def test_botocore_never_retries_a_quota(monkeypatch, code, sends):
    import botocore.awsrequest

    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    client = _aws.secretsmanager_client({"region": "us-east-1", "access_key": "testing", "secret_key": "testing",
                                         "aws_config": {"retries": {"mode": "standard", "total_max_attempts": 3}}})
    sent = []

    def answer(request, **_kwargs):
        sent.append(request)
        body = ('{"__type": "%s", "message": "You have exceeded the quota."}' % code).encode()
        return botocore.awsrequest.AWSResponse(request.url, 400, {"Content-Type": "application/x-amz-json-1.1"}, _Raw(body))

    client.meta.events.register("before-send.secrets-manager", answer)
    monkeypatch.setattr("time.sleep", lambda _seconds: None)
    with pytest.raises(_aws.AwsError) as caught:
        _aws.Api(client).call("PutSecretValue", SecretId="app/db", SecretString="x", ClientRequestToken="t" * 32)
    assert caught.value.code == code
    assert len(sent) == sends


@pytest.mark.parametrize("code, message, kind", [
    ("ResourceNotFoundException", "Secrets Manager can't find the specified secret.", _aws.NOT_FOUND),
    ("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.", _aws.SCHEDULED_FOR_DELETION),
    ("AccessDeniedException", "User: arn:aws:iam::123456789012:user/u is not authorized to perform: secretsmanager:GetSecretValue", _aws.ACCESS_DENIED),
    ("DecryptionFailure", "Secrets Manager can't decrypt the protected secret text using the provided KMS key.", _aws.OTHER),
    (None, None, _aws.OTHER),
])
def test_a_secret_failing_inside_a_batch_means_what_it_means_alone(code, message, kind):
    """BatchGetSecretValue's Errors entries (SecretId, ErrorCode, Message): the same kinds as GetSecretValue's errors."""
    error = _aws.entry_error("BatchGetSecretValue", code, message, "GetSecretValue")
    assert (error.kind, error.code, error.operation) == (kind, code or "Unknown", "BatchGetSecretValue")
    assert error.message.startswith("BatchGetSecretValue failed for this secret: %s: " % (code or "Unknown"))


def test_a_denial_inside_a_batch_names_the_action_aws_checks_for_each_secret():
    # A KMS key policy's denial names no Secrets Manager action; moto's IAM enforcement says AccessDenied.
    error = _aws.entry_error("BatchGetSecretValue", "AccessDenied", "Access to KMS is not allowed", "GetSecretValue")
    assert error.code == "AccessDeniedException" and error.kind == _aws.ACCESS_DENIED
    assert error.message.endswith(
        "Access to KMS is not allowed (BatchGetSecretValue needs the IAM action secretsmanager:GetSecretValue for each secret, "
        "and KMS permissions on the secret's key)"
    )
