# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Connection options, the botocore client and the single place that calls AWS.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.
"""

from __future__ import annotations

import re

try:
    from ansible.module_utils.basic import env_fallback
except ImportError:  # pragma: no cover - the core also runs without Ansible
    env_fallback = None

COLLECTION_VERSION = "0.1.0"

# Retries: botocore's standard mode (throttling, 5xx and connection errors, with backoff).
# botocore's own default is 3 attempts; secrets are often written in loops that hit the
# API's rate limits, so allow a few more. Anything in aws_config.retries wins.
DEFAULT_RETRIES = {"mode": "standard", "max_attempts": 5}


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
    retries = dict(DEFAULT_RETRIES)
    retries.update(config_options.pop("retries", None) or {})
    user_agent = "seed.secretsmanager/%s" % COLLECTION_VERSION
    try:
        config = botocore.config.Config(retries=retries, user_agent_extra=user_agent, **config_options)
    except TypeError as e:
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
    except (botocore.exceptions.BotoCoreError, ValueError) as e:
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
            error = e.response.get("Error", {})
            code = error.get("Code") or "Unknown"
            message = error.get("Message") or str(e)
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


def _snake(operation):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()
