# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Validation: the module's arguments checked against the API's documented constraints.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

Pure: no AWS call, no randomness (the caller hands in the token to use when none is given), and
the arguments are never changed. A failure is a ValidationError naming the option and the
constraint, and never quotes a value.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import ValidationError
from ansible_collections.seed.secretsmanager.plugins.module_utils._model import (
    VALUE_MAX_BYTES,
    BinaryValue,
    DesiredSecret,
    GeneratedValue,
    JsonValue,
    Rotation,
    TextValue,
    compact_json,
)
from ansible_collections.seed.secretsmanager.plugins.module_utils._options import GENERATE_SECRET_OPTIONS, ROTATION_OPTIONS, VALUE_OPTIONS
from ansible_collections.seed.secretsmanager.plugins.module_utils._suboptions import suboptions, type_name

# \Z, not $: $ also matches before a final newline, which let "app/db\n" or "eu-west-1\n" through.
# [0-9], not \d: \d matches every Unicode digit.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9/_+=.@-]{1,512}\Z")
ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}\Z")
SUFFIX_LIKE = re.compile(r"-[A-Za-z0-9]{6}$")
REGION_PATTERN = re.compile(r"^([a-z]+-)+[0-9]+\Z")
DURATION_PATTERN = re.compile(r"^[0-9]+h\Z")
SCHEDULE_PATTERN = re.compile(r"^[0-9A-Za-z()#?*\-/, ]+\Z")


def validate(params: dict, new_token: str, known_regions: tuple | None = None) -> DesiredSecret:
    """Check every option against the API's documented constraints; return the desired state.

    new_token is the version id to use when client_request_token is not given (the caller makes a
    uuid4). known_regions, when given, is (partition, the regions botocore's endpoint data lists for it):
    a replica region outside them fails unless allow_unknown_regions is set. Raises ValidationError
    naming the option and the constraint. Makes no AWS call.
    """
    warnings = []
    name = params.get("name")
    if not isinstance(name, str) or not name:
        raise ValidationError("name", "is required and must be 1 to 512 characters")
    is_arn = name.startswith("arn:")
    if is_arn:
        if not ARN_PATTERN.match(name) or len(name) > 2048:
            raise ValidationError("name", "is not a Secrets Manager secret ARN (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME)")
    else:
        _length("name", name, 512, 1)
        if not NAME_PATTERN.match(name):
            raise ValidationError("name", "may contain only ASCII letters, digits and the characters /_+=.@- (got %r)" % name)
        if SUFFIX_LIKE.search(name):
            warnings.append(
                "name %r ends in a hyphen and six characters, which AWS may confuse with the random suffix of an ARN "
                "in partial-ARN lookups" % name
            )
    state = params.get("state") or "present"
    if state not in ("present", "absent"):
        raise ValidationError("state", "must be present or absent")

    value, sensitive = _validate_value(params)

    token = params.get("client_request_token")
    if token is not None:
        _token_text(token)
        _length("client_request_token", token, 64, 32)
        if value is None:
            raise ValidationError(
                "client_request_token", "names the version of a value: give secret_string, secret_json, secret_binary or generate_secret with it"
            )

    for option, maximum in (("description", 2048), ("kms_key_id", 2048), ("type", 256)):
        if params.get(option) is not None:
            _length(option, params[option], maximum)

    tags = _validate_tags(params["tags"]) if params.get("tags") is not None else None
    replicas = params.get("replica_regions")
    allow_unknown = _flag(params, "allow_unknown_regions", False)
    replicas = _validate_replicas(replicas, known_regions, allow_unknown, warnings) if replicas is not None else None
    policy = _validate_policy(params.get("resource_policy"))
    rotation = _validate_rotation(suboptions("rotation", params.get("rotation"), ROTATION_OPTIONS))
    window = params.get("recovery_window_in_days", 30)
    force = bool(params.get("force_delete_without_recovery"))
    if window is not None and not 7 <= window <= 30:
        raise ValidationError("recovery_window_in_days", "must be 7 to 30 days (got %d)" % window)
    if force and params.get("recovery_window_in_days") not in (None, 30):
        raise ValidationError("force_delete_without_recovery", "cannot be combined with recovery_window_in_days")
    wait_timeout = params.get("wait_timeout")
    wait_timeout = 120 if wait_timeout is None else wait_timeout
    if not isinstance(wait_timeout, int) or isinstance(wait_timeout, bool) or wait_timeout < 0:
        raise ValidationError("wait_timeout", "must be a whole number of seconds, 0 or more (got %r)" % (wait_timeout,))

    return DesiredSecret(
        name=name,
        is_arn=is_arn,
        state=state,
        token=token if token is not None else new_token,
        token_given=token is not None,
        value=value,
        description=params.get("description"),
        kms_key_id=params.get("kms_key_id"),
        type=params.get("type"),
        tags=tags,
        purge_tags=_flag(params, "purge_tags", True),
        replicas=replicas,
        purge_replica_regions=_flag(params, "purge_replica_regions", True),
        allow_unknown_regions=allow_unknown,
        force_overwrite_replica_secret=params.get("force_overwrite_replica_secret"),
        policy=policy,
        block_public_policy=params.get("block_public_policy"),
        rotation=rotation,
        recovery_window_in_days=window or 30,
        force_delete_without_recovery=force,
        restore=_flag(params, "restore", True),
        overwrite=_flag(params, "overwrite", True),
        wait_timeout=wait_timeout,
        warnings=tuple(warnings),
        sensitive=tuple(s for s in sensitive if s),
    )


def _flag(params, option, default):
    """A bool option; not given (or None, as the argument spec never passes) means its default."""
    value = params.get(option)
    return default if value is None else value


def _length(option, text, maximum, minimum=0, unit="characters"):
    size = len(text.encode("utf-8")) if unit == "bytes" else len(text)
    if size < minimum or size > maximum:
        raise ValidationError(option, "must be %d to %d %s long (got %d)" % (minimum, maximum, unit, size))


def _token_text(token):
    """client_request_token must come as text. YAML reads unquoted digits as a number (and drops leading zeros:
    00000000000000000000000000000042 is 42), so a number here is not the token the user wrote."""
    if isinstance(token, str):
        return
    hint = "YAML reads unquoted digits as a number and drops their leading zeros" if isinstance(token, (int, float)) else "it is a version id"
    raise ValidationError(
        "client_request_token", "must be a string, not %s: %s, so quote the token (client_request_token: \"...\", "
        "or version_id: \"...\")" % (type_name(token), hint)
    )


def _parse_json_option(option, raw):
    if isinstance(raw, (dict, list)):
        data = raw
    elif not isinstance(raw, str):
        raise ValidationError(option, "must be a dict, a list or a JSON string, not %s" % type_name(raw))
    else:
        try:
            data = json.loads(raw)
        except ValueError as e:
            # JSONDecodeError's msg/lineno/colno never quote the document itself.
            where = " at line %d column %d" % (e.lineno, e.colno) if hasattr(e, "lineno") else ""
            raise ValidationError(option, "is not valid JSON (%s%s)" % (getattr(e, "msg", "parse error"), where))
    # Python's json reads and writes NaN and Infinity (YAML too: .nan, .inf), which JSON does not have:
    # they would be stored as text no JSON parser elsewhere accepts.
    try:
        json.dumps(data, allow_nan=False)
    except ValueError:
        raise ValidationError(option, "holds NaN or Infinity, which are not JSON")
    except TypeError as e:
        raise ValidationError(option, "holds a value that is not JSON (%s)" % e)
    return data


def _secret_text(value):
    """secret_string as text: a string, or an integer as its decimal digits. Anything else is refused,
    since its text is not what the user wrote (YAML reads unquoted yes as a bool, 1.10 as the float 1.1)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    hint = "give a dict or list as secret_json" if isinstance(value, (dict, list)) else "quote the value"
    raise ValidationError("secret_string", "must be a string, not %s: %s" % (type_name(value), hint))


def _validate_value(params):
    """The value the task gives (or None), and the texts that must never be shown."""
    given = [option for option in VALUE_OPTIONS if params.get(option) is not None]
    if len(given) > 1:
        raise ValidationError(
            given[1], "%s and %s are mutually exclusive: give one of %s" % (given[0], given[1], ", ".join(VALUE_OPTIONS))
        )
    if params.get("generate_secret") is not None and given and given[0] != "secret_json":
        raise ValidationError(
            "generate_secret", "%s and generate_secret are mutually exclusive (generate_secret takes a secret_json template only)" % given[0]
        )
    generate = suboptions("generate_secret", params.get("generate_secret"), GENERATE_SECRET_OPTIONS)

    sensitive = []
    template = None
    if given == ["secret_string"]:
        text = _secret_text(params["secret_string"])
        _length("secret_string", text, VALUE_MAX_BYTES, 1, "bytes")
        sensitive.append(text)
        return TextValue(text), sensitive
    if given == ["secret_json"]:
        data = _parse_json_option("secret_json", params["secret_json"])
        # Not the members one by one: the front door masks them by masked_texts (_options.py), which knows
        # which of them the task's other options and AWS's identifiers also hold. Redacted here, a member
        # such as a region or an environment would mangle the ARN or the name in AWS's error messages.
        # The document itself is in sensitive whole, as sent (below), or rendered from the template (_apply.py).
        if generate is None:
            if not isinstance(data, (dict, list)):
                raise ValidationError("secret_json", "must be a JSON object or array")
            text = compact_json(data)
            _length("secret_json", text, VALUE_MAX_BYTES, 1, "bytes")
            sensitive.insert(0, text)
            return JsonValue(text, data), sensitive
        if not isinstance(data, dict):
            raise ValidationError("secret_json", "must be a JSON object when it is the template of generate_secret")
        template = data
    elif given == ["secret_binary"]:
        text = params["secret_binary"]
        try:
            raw = base64.b64decode("".join(text.split()), validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError("secret_binary", "must be base64 text (A-Z, a-z, 0-9, +, / and = padding)")
        if not 1 <= len(raw) <= VALUE_MAX_BYTES:
            raise ValidationError("secret_binary", "must decode to 1 to %d bytes (got %d)" % (VALUE_MAX_BYTES, len(raw)))
        sensitive.append(text)
        return BinaryValue(raw), sensitive
    elif generate is None:
        return None, sensitive

    request = _generate_request(generate)
    key = generate.get("key")
    if template is not None and not key:
        raise ValidationError("generate_secret.key", "is required when secret_json is given as the template of generate_secret")
    if key is not None:
        _length("generate_secret.key", key, 1024, 1)
        if template is None:
            template = {}
        if key in template:
            raise ValidationError("generate_secret.key", "names a key the secret_json template already has")
    return GeneratedValue(request=request, template=template, key=key), sensitive


def _generate_request(generate):
    length = generate.get("length", 32)
    if not 1 <= length <= 4096:
        raise ValidationError("generate_secret.length", "must be 1 to 4096 (got %d)" % length)
    request = {"PasswordLength": length}
    if generate.get("exclude_characters"):
        _length("generate_secret.exclude_characters", generate["exclude_characters"], 4096)
        request["ExcludeCharacters"] = generate["exclude_characters"]
    flags = (
        ("exclude_numbers", "ExcludeNumbers"),
        ("exclude_punctuation", "ExcludePunctuation"),
        ("exclude_uppercase", "ExcludeUppercase"),
        ("exclude_lowercase", "ExcludeLowercase"),
        ("include_space", "IncludeSpace"),
        ("require_each_included_type", "RequireEachIncludedType"),
    )
    # Only the switches that differ from GetRandomPassword's own defaults (the suboptions' defaults) are sent.
    for option, field_name in flags:
        if generate.get(option) is not None and generate[option] != GENERATE_SECRET_OPTIONS[option]["default"]:
            request[field_name] = bool(generate[option])
    excluded = ("ExcludeNumbers", "ExcludePunctuation", "ExcludeUppercase", "ExcludeLowercase")
    if all(request.get(field_name) for field_name in excluded) and not request.get("IncludeSpace"):
        raise ValidationError("generate_secret", "excludes every kind of character: nothing is left to generate from")
    return request


def _validate_tags(tags):
    if len(tags) > 50:
        raise ValidationError("tags", "at most 50 tags are allowed (got %d)" % len(tags))
    clean = {}
    for key, value in tags.items():
        key = str(key)
        if not 1 <= len(key) <= 128:
            raise ValidationError("tags", "tag key %r must be 1 to 128 characters long" % key[:140])
        if key.lower().startswith("aws:"):
            raise ValidationError("tags", "tag key %r uses the prefix 'aws:', which AWS reserves" % key)
        if isinstance(value, (dict, list)):
            raise ValidationError("tags", "the value of tag %r must be a string, not %s" % (key, type_name(value)))
        value = "" if value is None else value
        value = str(value).lower() if isinstance(value, bool) else str(value)
        if len(value) > 256:
            raise ValidationError("tags", "the value of tag %r must be at most 256 characters long (got %d)" % (key, len(value)))
        clean[key] = value
    return clean


def _validate_replicas(replicas, known_regions=None, allow_unknown=False, warnings=None):
    seen = {}
    for index, replica in enumerate(replicas):
        option = "replica_regions[%d]" % index
        region = replica.get("region") or ""
        if not REGION_PATTERN.match(region) or len(region) > 128:
            raise ValidationError(option + ".region", "%r is not a region name (pattern ^([a-z]+-)+\\d+$, e.g. eu-west-1)" % region)
        if region in seen:
            raise ValidationError(option + ".region", "%r is listed twice" % region)
        if known_regions and region not in known_regions[1]:
            partition = known_regions[0]
            if not allow_unknown:
                raise ValidationError(
                    option + ".region",
                    "%r is not a region of partition %s that botocore knows (%s); if it is a new region, upgrade botocore "
                    "or set allow_unknown_regions: true" % (region, partition, ", ".join(sorted(known_regions[1]))),
                )
            warnings.append(
                "replica region %r is not a region of partition %s that botocore knows: sent as given (allow_unknown_regions)" % (region, partition)
            )
        kms = replica.get("kms_key_id")
        if kms is not None:
            _length(option + ".kms_key_id", kms, 2048)
        seen[region] = kms or None
    return seen


def _validate_rotation(rotation):
    if rotation is None:
        return None
    rotation = dict(rotation)
    if rotation.get("lambda_arn") is not None:
        _length("rotation.lambda_arn", rotation["lambda_arn"], 2048)
    days = rotation.get("automatically_after_days")
    if days is not None and not 1 <= days <= 1000:
        raise ValidationError("rotation.automatically_after_days", "must be 1 to 1000 (got %d)" % days)
    if days is not None and rotation.get("schedule_expression") is not None:
        raise ValidationError("rotation", "automatically_after_days and schedule_expression are mutually exclusive: give one")
    expression = rotation.get("schedule_expression")
    if expression is not None and (not 1 <= len(expression) <= 256 or not SCHEDULE_PATTERN.match(expression)):
        raise ValidationError("rotation.schedule_expression", "must be a rate() or cron() expression of 1 to 256 characters")
    duration = rotation.get("duration")
    if duration is not None and (not 2 <= len(duration) <= 3 or not DURATION_PATTERN.match(duration)):
        raise ValidationError("rotation.duration", "must be a number of hours such as 3h (2 to 3 characters, pattern [0-9]+h)")
    metadata = _validate_external_metadata(rotation.get("external_metadata"))
    role = rotation.get("external_role_arn")
    if role is not None:
        _length("rotation.external_role_arn", role, 2048, 20)
        if not role.startswith("arn:"):
            raise ValidationError("rotation.external_role_arn", "must be the ARN of an IAM role (arn:PARTITION:iam::ACCOUNT:role/NAME)")
    if rotation.get("enabled", True) and days is None and expression is None and rotation.get("lambda_arn") is None:
        raise ValidationError("rotation", "enabling rotation needs lambda_arn, automatically_after_days or schedule_expression")
    return Rotation(
        enabled=_flag(rotation, "enabled", True),
        lambda_arn=rotation.get("lambda_arn"),
        automatically_after_days=days,
        schedule_expression=expression,
        duration=duration,
        rotate_immediately=bool(rotation.get("rotate_immediately")),
        external_metadata=metadata,
        external_role_arn=role,
    )


def _validate_external_metadata(items):
    """rotation.external_metadata as ((key, value), ...): RotateSecret's ExternalSecretRotationMetadata, each
    Key 1-256 and Value 1-2048 characters (botocore's service model). [] clears it."""
    if items is None:
        return None
    pairs = []
    for index, item in enumerate(items):
        option = "rotation.external_metadata[%d]" % index
        if not isinstance(item, dict):
            raise ValidationError(option, "must be a dict with key and value, not %s" % type_name(item))
        key, value = item.get("key"), item.get("value")
        if not isinstance(key, str) or not isinstance(value, str):
            raise ValidationError(option, "needs key and value, both strings")
        _length(option + ".key", key, 256, 1)
        _length(option + ".value", value, 2048, 1)
        if key in dict(pairs):
            raise ValidationError(option + ".key", "%r is listed twice" % key)
        pairs.append((key, value))
    return tuple(pairs)


def _validate_policy(policy):
    """The resource policy as a parsed document; {} (from "" or {}) removes it; None leaves it."""
    if policy is None:
        return None
    if policy in ("", {}):
        return {}
    parsed = _parse_json_option("resource_policy", policy)
    if not isinstance(parsed, dict):
        raise ValidationError("resource_policy", "must be a JSON object (a policy document)")
    _length("resource_policy", compact_json(parsed), 20480, 1)
    return parsed
