# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Connection options, the botocore client and the single place that calls AWS.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.
"""

from __future__ import annotations

import html
import re

try:
    from ansible.module_utils.basic import env_fallback
except ImportError:  # pragma: no cover - the core also runs without Ansible
    env_fallback = None

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
ATTEMPT_KEYS = ("max_attempts", "total_max_attempts")


def _env(*names):
    return (env_fallback, list(names)) if env_fallback else None


def connection_argument_spec():
    """The connection options, key for key as in doc_fragments/connection.py (MODULES)."""
    spec = dict(
        region=dict(type="str", aliases=["aws_region", "ec2_region"], fallback=_env("AWS_REGION", "AWS_DEFAULT_REGION")),
        profile=dict(type="str", aliases=["aws_profile"], fallback=_env("AWS_PROFILE")),
        access_key=dict(
            type="str", aliases=["aws_access_key_id", "aws_access_key", "ec2_access_key"], no_log=False, fallback=_env("AWS_ACCESS_KEY_ID")
        ),
        secret_key=dict(
            type="str", aliases=["aws_secret_access_key", "aws_secret_key", "ec2_secret_key"], no_log=True, fallback=_env("AWS_SECRET_ACCESS_KEY")
        ),
        session_token=dict(type="str", aliases=["aws_session_token"], no_log=True, fallback=_env("AWS_SESSION_TOKEN")),
        endpoint_url=dict(type="str", aliases=["aws_endpoint_url", "ec2_url"], fallback=_env("AWS_ENDPOINT_URL")),
        validate_certs=dict(type="bool", default=True),
        aws_ca_bundle=dict(type="path", fallback=_env("AWS_CA_BUNDLE")),
        aws_config=dict(type="dict"),
    )
    for option in spec.values():
        if option.get("fallback") is None:
            option.pop("fallback", None)
    return spec


CONNECTION_OPTIONS = tuple(connection_argument_spec())


class AwsError(Exception):
    """The one error the core raises: an AWS operation failed, or the input was rejected."""

    def __init__(self, message, code=None, operation=None, option=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.operation = operation
        self.option = option

    def to_result(self):
        result = {"msg": self.message}
        if self.code:
            result["error_code"] = self.code
        if self.operation:
            result["operation"] = self.operation
        if self.option:
            result["option"] = self.option
        return result


class ValidationError(AwsError):
    """Bad input, found before any AWS call."""

    def __init__(self, option, message):
        super().__init__("%s: %s" % (option, message), code="ValidationError", option=option)


def redact(text, sensitive):
    """Remove every sensitive string (and botocore's 'value: ...' echo) from a message."""
    text = re.sub(r"value: .*?, type: ", "value: <redacted>, type: ", str(text), flags=re.S)
    for value in sorted((s for s in sensitive if s), key=len, reverse=True):
        text = text.replace(value, "<redacted>")
    return text


def client_config_key(params):
    """A hashable key of the options that shape a client, so equal tasks can share one."""
    items = []
    for name in CONNECTION_OPTIONS:
        value = params.get(name)
        if isinstance(value, dict):
            value = repr(sorted(value.items()))
        items.append((name, value))
    return tuple(items)


def retry_config(retries):
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


def secretsmanager_client(params, reuse=False):
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
        raise AwsError("cannot create the Secrets Manager client: %s" % redact(e, [params.get("secret_key"), params.get("session_token")]))

    if key is not None:
        _CLIENTS[key] = client
    return client


class Api:
    """Every AWS call goes through here: call accounting, error translation, redaction."""

    def __init__(self, client, sensitive=()):
        self.client = client
        self.actions = []
        self.sensitive = list(sensitive)

    def call(self, operation, **kwargs):
        import botocore.exceptions

        self.actions.append(operation)
        method = getattr(self.client, _snake(operation))
        try:
            return method(**kwargs)
        except botocore.exceptions.ClientError as e:
            code, message = client_error_parts(e, operation)
            raise AwsError(
                redact("%s failed: %s: %s" % (operation, code, message), self.sensitive),
                code=code,
                operation=operation,
            )
        except botocore.exceptions.ParamValidationError as e:
            raise AwsError(
                redact("%s failed: botocore rejected the request: %s" % (operation, e), self.sensitive),
                code="ParamValidationError",
                operation=operation,
            )
        except botocore.exceptions.BotoCoreError as e:
            raise AwsError(
                redact("%s failed: %s" % (operation, e), self.sensitive),
                code=type(e).__name__,
                operation=operation,
            )


DENIED_CODES = ("AccessDeniedException", "AccessDenied")
_XML_ERROR = re.compile(r"<Code>\s*([^<]+?)\s*</Code>(?:.*?<Message>\s*(.*?)\s*</Message>)?", re.S)


def client_error_parts(error, operation):
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


def _snake(operation):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()
