# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The AWS layer: the botocore client, the single place that calls AWS, and the error table.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.
"""

from __future__ import annotations

import functools
import html
import random
import re
import time
from typing import Any, Iterable

from ansible_collections.seed.secretsmanager.plugins.module_utils._connection import CONNECTION_OPTIONS
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import TaskError, ValidationError

try:
    import botocore  # noqa: F401  pylint: disable=unused-import
except ImportError:
    HAS_BOTOCORE = False
else:
    HAS_BOTOCORE = True

COLLECTION_VERSION = "0.1.0"

# Retries: botocore's standard mode (throttling, 5xx and connection errors, with backoff).
# botocore's own default is 3 attempts; secrets are often written in loops that hit the
# API's rate limits, so allow a few more. Anything in aws_config.retries wins.
# In botocore's Config, max_attempts counts the retries after the first attempt and
# total_max_attempts counts every attempt: 5 attempts is total_max_attempts 5.
DEFAULT_RETRIES = {"mode": "standard", "total_max_attempts": 5}
THROTTLE_FIRST_DELAY = 1.0  # seconds; Api.throttle_patience
THROTTLE_MAX_DELAY = 20.0
ATTEMPT_KEYS = ("max_attempts", "total_max_attempts")


# ---------------------------------------------------------------- the error table
# What an AWS error means, from its code; a message pattern only where AWS gives one code to
# several meanings. Every caller (the secret module, secret_info, the lookup) asks error_kind(),
# never the message text.
NOT_FOUND = "not_found"  # the secret does not exist
VERSION_NOT_FOUND = "version_not_found"  # the secret exists, the version id or staging label does not
SCHEDULED_FOR_DELETION = "scheduled_for_deletion"  # the secret exists and is scheduled for deletion
DELETED = "deleted"  # another refusal because of a deletion (right after a force delete: "was deleted")
EXISTS = "exists"  # a secret with this name exists
TOKEN_CONFLICT = "token_conflict"  # the ClientRequestToken is a version with another value
ACCESS_DENIED = "access_denied"
THROTTLED = "throttled"  # retried by botocore; reaching the caller means the retries ran out
PROPAGATING = "propagating"  # may settle: a principal or a Lambda permission not yet visible
LIMIT_EXCEEDED = "limit_exceeded"  # a quota such as the number of versions: not throttling, never settles
INVALID_INPUT = "invalid_input"  # AWS or botocore refused a parameter
CREDENTIALS = "credentials"  # no credentials found, or AWS did not accept them (unknown, wrong, expired)
OTHER = "other"
KINDS = (NOT_FOUND, VERSION_NOT_FOUND, SCHEDULED_FOR_DELETION, DELETED, EXISTS, TOKEN_CONFLICT, ACCESS_DENIED,
         THROTTLED, PROPAGATING, LIMIT_EXCEEDED, INVALID_INPUT, CREDENTIALS, OTHER)

# The credential errors: botocore's own (raised before anything is sent: nothing found, half a key pair, a
# profile's credential_process or SSO token that fails), and AWS's answers to credentials it does not accept,
# as Secrets Manager's JSON protocol names them (UnrecognizedClientException, InvalidSignatureException,
# ExpiredTokenException) and as the query protocol names them (moto's IAM enforcement answers these).
CREDENTIAL_CODES = (
    "NoCredentialsError", "PartialCredentialsError", "CredentialRetrievalError", "NoAuthTokenError", "TokenRetrievalError",
    "SSOTokenLoadError", "UnauthorizedSSOTokenError",
    "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException", "IncompleteSignatureException",
    "MissingAuthenticationTokenException",
    "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "IncompleteSignature", "MissingAuthenticationToken",
    "AuthFailure",
)

# (code, operations or None for any, message pattern or None, kind): the first row that matches wins.
ERROR_TABLE = (
    # "Secrets Manager can't find the specified secret value for VersionId/staging label": same code as a missing secret.
    ("ResourceNotFoundException", None, re.compile(r"secret value", re.I), VERSION_NOT_FOUND),
    # A rotation function that does not exist, named by its ARN (moto; AWS answers AccessDeniedException): not the secret.
    ("ResourceNotFoundException", ("RotateSecret",), re.compile(r"arn:[^:\s]+:lambda:", re.I), OTHER),
    ("ResourceNotFoundException", None, None, NOT_FOUND),
    # "...because a secret with this name is already scheduled for deletion", "...currently marked deleted",
    # "...because it was marked for deletion".
    ("InvalidRequestException", None, re.compile(r"scheduled for deletion|marked for deletion|marked deleted", re.I), SCHEDULED_FOR_DELETION),
    ("InvalidRequestException", None, re.compile(r"delet", re.I), DELETED),
    # PutSecretValue answers ResourceExistsException only for a token that is a version with other data;
    # CreateSecret for that too (the message names ClientRequestToken), and otherwise for a name in use.
    ("ResourceExistsException", ("PutSecretValue",), None, TOKEN_CONFLICT),
    ("ResourceExistsException", ("CreateSecret",), re.compile(r"ClientRequestToken"), TOKEN_CONFLICT),
    ("ResourceExistsException", None, None, EXISTS),
    # RotateSecret right after the Lambda's resource policy was changed, and a policy naming a principal
    # created moments ago: both may settle (see docs/iam.md).
    ("AccessDeniedException", ("RotateSecret",), re.compile(r"cannot invoke the specified Lambda", re.I), PROPAGATING),
    ("MalformedPolicyDocumentException", ("PutResourcePolicy",), re.compile(r"principal", re.I), PROPAGATING),
    ("AccessDeniedException", None, None, ACCESS_DENIED),
    ("UnauthorizedOperation", None, None, ACCESS_DENIED),
    ("ThrottlingException", None, None, THROTTLED),
    ("Throttling", None, None, THROTTLED),
    ("TooManyRequestsException", None, None, THROTTLED),
    ("RequestLimitExceeded", None, None, THROTTLED),
    ("LimitExceededException", None, None, LIMIT_EXCEEDED),
    ("InvalidParameterException", None, None, INVALID_INPUT),
    ("MalformedPolicyDocumentException", None, None, INVALID_INPUT),
    ("ValidationException", None, None, INVALID_INPUT),
    ("ParamValidationError", None, None, INVALID_INPUT),
) + tuple((code, None, None, CREDENTIALS) for code in CREDENTIAL_CODES)

# Where botocore looks for credentials, said once for every credential error (botocore's own text names none).
CREDENTIAL_SOURCES = (
    "AWS credentials come from the access_key and secret_key options (with session_token for temporary ones), "
    "the environment variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, "
    "a profile (the profile option or AWS_PROFILE, else 'default') in the shared files ~/.aws/credentials and ~/.aws/config "
    "(or the files AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE name), or a container or EC2 instance role"
)

# botocore's name of a credential provider (Credentials.method) -> what a user calls it.
CREDENTIAL_METHODS = {
    "explicit": "the access_key and secret_key options",
    "env": "the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    "shared-credentials-file": "the shared credentials file (~/.aws/credentials or AWS_SHARED_CREDENTIALS_FILE)",
    "config-file": "the config file (~/.aws/config or AWS_CONFIG_FILE)",
    "custom-process": "the profile's credential_process",
    "assume-role": "a role the profile assumes",
    "assume-role-with-web-identity": "a web identity role",
    "sso": "the profile's SSO login",
    "container-role": "the container's role",
    "iam-role": "the EC2 instance role",
}


def credential_help(client: Any = None) -> str:
    """What to add to a credential error: where credentials come from and, when the client had some, which
    source gave them (botocore's provider name; never the keys themselves)."""
    method = None
    try:
        method = client._request_signer._credentials.method  # pylint: disable=protected-access
    except AttributeError:
        pass
    used = "The credentials used came from %s. " % CREDENTIAL_METHODS.get(method, method) if method else ""
    return "%s%s." % (used, CREDENTIAL_SOURCES)


def error_kind(code: str | None, message: str, operation: str | None = None) -> str:
    """The kind of an AWS error (one of KINDS), from ERROR_TABLE."""
    for row_code, operations, pattern, kind in ERROR_TABLE:
        if code != row_code or (operations is not None and operation not in operations):
            continue
        if pattern is None or pattern.search(message or ""):
            return kind
    return OTHER


class AwsError(TaskError):
    """An AWS call failed. code is AWS's error code, kind what it means (one of KINDS, from ERROR_TABLE),
    request_id AWS's id of the failed request (what AWS support asks for), when AWS answered."""

    def __init__(self, message: str, code: str | None = None, operation: str | None = None, kind: str = OTHER, option: str | None = None,
                 request_id: str | None = None) -> None:
        super().__init__(message, code=code, operation=operation, option=option)
        self.kind = kind
        self.request_id = request_id

    def to_result(self) -> dict:
        result = super().to_result()
        if self.request_id:
            result["request_id"] = self.request_id
        return result


def redact(text: object, sensitive: Iterable[str | None]) -> str:
    """Remove every sensitive string (and botocore's 'value: ...' echo) from a message."""
    text = re.sub(r"value: .*?, type: ", "value: <redacted>, type: ", str(text), flags=re.S)
    for value in sorted((s for s in sensitive if s), key=len, reverse=True):
        text = text.replace(value, "<redacted>")
    return text


def client_config_key(params: dict) -> tuple:
    """A hashable key of the options that shape a client, so equal tasks can share one."""
    items = []
    for name in CONNECTION_OPTIONS:
        value = params.get(name)
        if isinstance(value, dict):
            value = repr(sorted(value.items()))
        items.append((name, value))
    return tuple(items)


def retry_config(retries: dict | None) -> dict:
    """botocore's retries option: the defaults, with what aws_config.retries gives on top. A number of
    attempts given in either form replaces the default one (total_max_attempts would win over max_attempts)."""
    if retries is None:
        retries = {}
    if not isinstance(retries, dict):
        raise ValidationError("aws_config", "retries must be a dict such as {mode: standard, total_max_attempts: 5}, not %s" % type(retries).__name__)
    config = dict(DEFAULT_RETRIES)
    if any(key in retries for key in ATTEMPT_KEYS):
        for key in ATTEMPT_KEYS:
            config.pop(key, None)
    config.update(retries)
    return config


_CLIENTS = {}


def secretsmanager_client(params: dict, reuse: bool = False) -> Any:
    """Build (or, with reuse, share) a botocore Secrets Manager client from the connection options."""
    key = client_config_key(params) if reuse else None
    if key is not None and key in _CLIENTS:
        return _CLIENTS[key]

    import botocore.config
    import botocore.exceptions
    import botocore.session

    if bool(params.get("access_key")) != bool(params.get("secret_key")):
        raise ValidationError("access_key", "access_key and secret_key must be given together")

    config_options = dict(params.get("aws_config") or {})
    retries = retry_config(config_options.pop("retries", None))
    user_agent = "seed.secretsmanager/%s" % COLLECTION_VERSION
    try:
        config = botocore.config.Config(retries=retries, user_agent_extra=user_agent, **config_options)
    except (TypeError, ValueError, botocore.exceptions.BotoCoreError) as e:
        raise ValidationError("aws_config", "not accepted by botocore's Config: %s" % e)

    verify = params.get("aws_ca_bundle") or params.get("validate_certs", True)
    try:
        session = botocore.session.Session(profile=params.get("profile") or None)
        client = session.create_client(
            "secretsmanager",
            region_name=params.get("region") or None,
            endpoint_url=params.get("endpoint_url") or None,
            verify=verify,
            aws_access_key_id=params.get("access_key") or None,
            aws_secret_access_key=params.get("secret_key") or None,
            aws_session_token=params.get("session_token") or None,
            config=config,
        )
    except botocore.exceptions.NoRegionError:
        raise ValidationError("region", "no region given: set the region option or AWS_REGION, or a region in the profile")
    except botocore.exceptions.ProfileNotFound as e:
        raise ValidationError("profile", str(e))
    except botocore.exceptions.InvalidRegionError as e:
        region = e.kwargs.get("region_name", params.get("region"))
        raise ValidationError("region", "%r is not a region name (such as us-east-1)" % region)
    except ValueError as e:
        # botocore says "Invalid endpoint: URL", naming neither the option nor what is wrong with it.
        if params.get("endpoint_url") and str(e).startswith("Invalid endpoint"):
            example = "https://secretsmanager.us-east-1.amazonaws.com"
            raise ValidationError("endpoint_url", "%r is not a valid endpoint URL (such as %s)" % (params["endpoint_url"], example))
        raise AwsError("cannot create the Secrets Manager client: %s" % redact(e, [params.get("secret_key"), params.get("session_token")]))
    except botocore.exceptions.BotoCoreError as e:
        text = "cannot create the Secrets Manager client: %s" % redact(e, [params.get("secret_key"), params.get("session_token")])
        code = type(e).__name__
        if error_kind(code, text) == CREDENTIALS:
            # A profile's half key pair, credential_process or SSO token fails here, before any call.
            raise AwsError("%s. %s" % (text.rstrip("."), credential_help()), code=code, kind=CREDENTIALS)
        raise AwsError(text)

    # botocore's standard and adaptive modes retry LimitExceededException as throttling; for Secrets Manager it
    # means a quota (versions per secret, secrets per account) that no retry can fix. Ours answers first.
    client.meta.events.register_first("needs-retry.%s" % client.meta.service_model.service_id.hyphenize(),
                                      functools.partial(no_retry_of_quotas, client),
                                      unique_id="seed-secretsmanager-no-retry-of-quotas")
    if key is not None:
        _CLIENTS[key] = client
    return client


def no_retry_of_quotas(client: Any, response: Any = None, operation: Any = None, **_kwargs: Any) -> None:
    """A needs-retry handler: raise LimitExceededException at once, as botocore raises it after its last attempt;
    anything else is left to botocore (None). Raised, not answered False: a handler's False stops the retries only
    in newer botocore, while older releases allowed by requirements.txt (1.34.0 among them) read every answer but
    None as "retry after that many seconds" and retried a quota forever."""
    parsed = response[1] if isinstance(response, tuple) and len(response) > 1 else None
    code = (parsed.get("Error") or {}).get("Code") if isinstance(parsed, dict) else None
    if code == "LimitExceededException" and operation is not None:
        raise client.exceptions.from_code(code)(parsed, operation.name)


# The operations the collection calls that change nothing: a task whose calls were all of these has changed
# nothing, whatever failed. (Only operations the code calls: docs/iam.md's test reads every name quoted here.)
READ_OPERATIONS = frozenset(("DescribeSecret", "GetSecretValue", "BatchGetSecretValue", "GetResourcePolicy", "ListSecretVersionIds", "ListSecrets",
                             "GetRandomPassword"))


class Api:
    """Every AWS call goes through here: call accounting, error translation, redaction.

    Besides actions (every call made), it keeps what a failed task must still report: written, the
    writes AWS accepted, and arn, the secret's ARN as the first answer that carried one gave it.
    wait_timeout, clock and sleep serve the callers that wait for a state to settle (tests replace them)."""

    client_factory = None  # region -> a client built from the same connection options (see in_region)
    # Throttling that outlasts botocore's own retries fails at once unless throttle_patience (seconds) is above 0:
    # then it is sent again, with a delay doubling from THROTTLE_FIRST_DELAY up to THROTTLE_MAX_DELAY, until that
    # many seconds have passed since the first attempt. Each attempt is one entry in actions.
    throttle_patience = 0.0

    def __init__(self, client: Any, sensitive: Iterable[str] = ()) -> None:
        self.client = client
        self.actions = []
        self.written = []
        self.arn = None
        self.sensitive = list(sensitive)
        self.answered = {}  # operation -> the HTTP Date header (AWS's clock) of its latest answer
        self.wait_timeout = 0
        self.clock = time.monotonic
        self.sleep = time.sleep

    def call(self, operation: str, **kwargs) -> dict:
        started = self.clock()
        delay = THROTTLE_FIRST_DELAY
        while True:
            try:
                return self._call_once(operation, kwargs)
            except AwsError as e:
                if e.kind != THROTTLED or self.clock() - started >= self.throttle_patience:
                    raise
            self.sleep(delay * random.uniform(0.5, 1.0))
            delay = min(delay * 2, THROTTLE_MAX_DELAY)

    def _call_once(self, operation, kwargs):
        import botocore.exceptions

        self.actions.append(operation)
        method = getattr(self.client, _snake(operation))
        request_id = None
        try:
            response = method(**kwargs)
        except botocore.exceptions.ClientError as e:
            code, message = client_error_parts(e, operation)
            text = "%s failed: %s: %s" % (operation, code, message)
            request_id = (e.response.get("ResponseMetadata") or {}).get("RequestId")
            self.answered[operation] = ((e.response.get("ResponseMetadata") or {}).get("HTTPHeaders") or {}).get("date")
        except botocore.exceptions.ParamValidationError as e:
            code, message = "ParamValidationError", str(e)
            text = "%s failed: botocore rejected the request: %s" % (operation, message)
        except botocore.exceptions.BotoCoreError as e:
            code, message = type(e).__name__, str(e)
            text = "%s failed: %s" % (operation, message)
        else:
            if operation not in READ_OPERATIONS:
                self.written.append(operation)
            self.answered[operation] = ((response.get("ResponseMetadata") or {}).get("HTTPHeaders") or {}).get("date")
            if self.arn is None and isinstance(response, dict) and str(response.get("ARN", "")).startswith("arn:"):
                self.arn = response["ARN"]
            return response
        kind = error_kind(code, message, operation)
        text = redact(text, self.sensitive)
        if kind == CREDENTIALS:
            # After redaction: the help is the collection's own text, never a value.
            text = "%s. %s" % (text.rstrip("."), credential_help(self.client))
        raise AwsError(text, code=code, operation=operation, kind=kind, request_id=request_id)


def resource_actions(actions: Iterable[str]) -> list:
    """The IAM actions of the calls made (the operations in Api.actions), each once, in the order first made:
    amazon.aws's resource_actions (debug_botocore_endpoint_logs), e.g. ["secretsmanager:DescribeSecret"]."""
    return list(dict.fromkeys("secretsmanager:%s" % operation for operation in actions))


def describe(api: Api, secret_id: str) -> dict | None:
    """DescribeSecret, or None when the secret does not exist."""
    try:
        return api.call("DescribeSecret", SecretId=secret_id)
    except AwsError as e:
        if e.kind == NOT_FOUND:
            return None
        raise


DENIED_CODES = ("AccessDeniedException", "AccessDenied")
_XML_ERROR = re.compile(r"<Code>\s*([^<]+?)\s*</Code>(?:.*?<Message>\s*(.*?)\s*</Message>)?", re.S)


def client_error_parts(error: Exception, operation: str) -> tuple:
    """The error code and message of a ClientError, a denial always as AccessDeniedException naming the IAM action."""
    details = error.response.get("Error", {})
    code = details.get("Code") or "Unknown"
    message = details.get("Message") or str(error)
    # An XML ErrorResponse in answer to this JSON API (moto's IAM enforcement, some proxies): botocore
    # then gives the HTTP status as the code and the whole document as the message.
    match = _XML_ERROR.search(message) if code.isdigit() and message.lstrip().startswith("<") else None
    if match:
        code = match.group(1)
        message = html.unescape(match.group(2) or "") or message
    if code in DENIED_CODES:
        code = "AccessDeniedException"
        action = "secretsmanager:%s" % operation
        if action not in message:
            # AWS names the action in most denials, but not all (a KMS key policy, an SCP, a VPC endpoint policy).
            message = "%s (%s needs the IAM action %s%s)" % (
                message, operation, action, ", and KMS permissions on the secret's key" if "kms" in message.lower() else ""
            )
    return code, message


def entry_error(operation: str, code: str | None, message: str | None, action: str) -> AwsError:
    """One secret's failure inside a batch answer (BatchGetSecretValue's Errors: SecretId, ErrorCode, Message) as the
    AwsError the single call would have raised: the same kinds, a denial naming the IAM action that decides it
    (action: the operation whose permission AWS checks for each secret, GetSecretValue for a batch read)."""
    code = code or "Unknown"
    message = message or ""
    if code in DENIED_CODES:
        code = "AccessDeniedException"
        if "secretsmanager:%s" % action not in message:
            message = "%s (%s needs the IAM action secretsmanager:%s for each secret%s)" % (
                message, operation, action, ", and KMS permissions on the secret's key" if "kms" in message.lower() else ""
            )
    text = "%s failed for this secret: %s: %s" % (operation, code, message)
    return AwsError(text, code=code, operation=operation, kind=error_kind(code, message, action))


def _snake(operation: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()
