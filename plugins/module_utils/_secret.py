# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The domain of one secret: validate -> read current -> plan -> apply or predict.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

Nothing here knows AnsibleModule. Values (the secret string, JSON or bytes and any
generated password) leave this file only inside the requests sent to AWS: results,
diffs, warnings and errors carry version ids and states, never a value.
"""

from __future__ import annotations

import base64
import binascii
import copy
import datetime
import json
import re
import uuid

from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import Api, AwsError, describe, secretsmanager_client
from ansible_collections.seed.secretsmanager.plugins.module_utils._connection import connection_argument_spec
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import PlanError, TaskError, ValidationError

# \Z, not $: $ also matches before a final newline, which let "app/db\n" or "eu-west-1\n" through.
# [0-9], not \d: \d matches every Unicode digit.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9/_+=.@-]{1,512}\Z")
ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}\Z")
SUFFIX_LIKE = re.compile(r"-[A-Za-z0-9]{6}$")
REGION_PATTERN = re.compile(r"^([a-z]+-)+[0-9]+\Z")
DURATION_PATTERN = re.compile(r"^[0-9]+h\Z")
SCHEDULE_PATTERN = re.compile(r"^[0-9A-Za-z()#?*\-/, ]+\Z")
VALUE_MAX_BYTES = 65536
CURRENT = "AWSCURRENT"
PREVIOUS = "AWSPREVIOUS"
DEFAULT_KMS_ALIAS = "alias/aws/secretsmanager"
NEW_VERSION = "(new version)"  # stands for a version id check mode cannot know


def argument_spec():
    """The options of the secret module, beside the connection options."""
    return dict(
        name=dict(type="str", required=True, aliases=["secret_id"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        # raw, checked in _secret_text: type=str would store {a: b}, [a], yes or 1.10 as the Python text
        # "{'a': 'b'}", "['a']", "True" or "1.1" without a word.
        secret_string=dict(type="raw", no_log=True),
        secret_json=dict(type="raw", no_log=True),
        secret_binary=dict(type="str", no_log=True),
        generate_secret=dict(
            type="dict",
            no_log=False,
            options=dict(
                length=dict(type="int", default=32),
                exclude_characters=dict(type="str"),
                exclude_numbers=dict(type="bool", default=False),
                exclude_punctuation=dict(type="bool", default=False),
                exclude_uppercase=dict(type="bool", default=False),
                exclude_lowercase=dict(type="bool", default=False),
                include_space=dict(type="bool", default=False),
                require_each_included_type=dict(type="bool", default=True),
                key=dict(type="str", no_log=False),
            ),
        ),
        client_request_token=dict(type="str", aliases=["version_id"], no_log=False),
        overwrite=dict(type="bool", default=True),
        description=dict(type="str"),
        kms_key_id=dict(type="str"),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
        replica_regions=dict(
            type="list",
            elements="dict",
            options=dict(region=dict(type="str", required=True), kms_key_id=dict(type="str")),
        ),
        purge_replica_regions=dict(type="bool", default=True),
        force_overwrite_replica_secret=dict(type="bool"),
        type=dict(type="str"),
        resource_policy=dict(type="raw"),
        block_public_policy=dict(type="bool"),
        rotation=dict(
            type="dict",
            options=dict(
                enabled=dict(type="bool", default=True),
                lambda_arn=dict(type="str"),
                automatically_after_days=dict(type="int"),
                schedule_expression=dict(type="str"),
                duration=dict(type="str"),
                rotate_immediately=dict(type="bool", default=False),
            ),
            mutually_exclusive=[["automatically_after_days", "schedule_expression"]],
        ),
        recovery_window_in_days=dict(type="int", default=30),
        force_delete_without_recovery=dict(type="bool", default=False),
        restore=dict(type="bool", default=True),
    )


VALUE_OPTIONS = ("secret_string", "secret_json", "secret_binary")
MUTUALLY_EXCLUSIVE = [
    list(VALUE_OPTIONS),
    ["secret_string", "generate_secret"],
    ["secret_binary", "generate_secret"],
]


def module_spec():
    """Everything the front doors (module, action plugin) need to check arguments the same way."""
    spec = connection_argument_spec()
    spec.update(argument_spec())
    return {"argument_spec": spec, "mutually_exclusive": MUTUALLY_EXCLUSIVE}


def invocation_args(params):
    """The arguments as a result's invocation shows them (at -vvv, and to every callback), values hidden whole.

    Left to Ansible, secret_json would be masked leaf by leaf, and unmaskable_values lets short numbers and
    booleans through: the invocation would show e.g. {"pin": 417}. Hiding the value options here also keeps
    them out of the result before Ansible's masking runs.
    """
    shown = dict(params)
    for option in VALUE_OPTIONS:
        if shown.get(option) is not None:
            shown[option] = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    return shown


def unmaskable_values(params):
    """Texts Ansible need not mask. It masks every leaf of a no_log dict, so each 'a', '1' or 'true' inside
    secret_json turns the same letters everywhere in the output (operation names, regions, ARNs, dates)
    into '********'. Leaves of up to three characters, and booleans and nulls, are no secret worth that:
    they are left unmasked. Longer strings and numbers (PINs) stay masked. The core never puts a value
    in any output, so this masking is a second line of defence only."""
    data = params.get("secret_json")
    kept, short = set(), set()
    stack = [data] if isinstance(data, (dict, list)) else []
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif item is None or isinstance(item, bool) or len(str(item)) <= 3:
            short.add(str(item))
        else:
            kept.add(str(item))
    return short - kept


def execute(params, check_mode=False, diff=False, mask=None):
    """The whole task from validated arguments to its result; a failure is a result with failed=True.

    mask, when given, receives each generated value so the caller masks it in anything it prints.
    """
    actions = []
    warnings = []
    try:
        desired = validate(params)
        warnings = desired["warnings"]
        api = Api(secretsmanager_client(params, reuse=True))
        actions = api.actions
        result = run(api, desired, check_mode=check_mode, on_generated=mask)
    except TaskError as e:
        result = dict(e.to_result(), failed=True, changed=False, actions=actions, warnings=warnings)
    if not diff or result.get("failed"):
        result.pop("diff", None)
    return result


# ---------------------------------------------------------------- validation


def _length(option, text, maximum, minimum=0, unit="characters"):
    size = len(text.encode("utf-8")) if unit == "bytes" else len(text)
    if size < minimum or size > maximum:
        raise ValidationError(option, "must be %d to %d %s long (got %d)" % (minimum, maximum, unit, size))


def type_name(value):
    """The YAML/JSON kind of a value for messages. In the controller process ansible-core 2.19 hands over
    its own subclasses (_AnsibleTaggedDict, _AnsibleTaggedStr...), whose names mean nothing to a user."""
    for kind in (bool, int, float, str, dict, list):
        if isinstance(value, kind):
            return kind.__name__
    return type(value).__name__


def _compact_json(data):
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def canonical_json(data):
    """A text form where equal JSON documents are equal strings (key order, spacing and true/1 matter as JSON says)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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


def _json_leaf_strings(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from _json_leaf_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _json_leaf_strings(value)
    elif isinstance(data, str):
        yield data


def _secret_text(value):
    """secret_string as text: a string, or an integer as its decimal digits. Anything else is refused,
    since its text is not what the user wrote (YAML reads unquoted yes as a bool, 1.10 as the float 1.1)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    hint = "give a dict or list as secret_json" if isinstance(value, (dict, list)) else "quote the value"
    raise ValidationError("secret_string", "must be a string, not %s: %s" % (type_name(value), hint))


def _validate_value(params, desired):
    given = [option for option in VALUE_OPTIONS if params.get(option) is not None]
    generate = params.get("generate_secret")
    if len(given) > 1:
        raise ValidationError(given[1], "only one of %s may be given (got %s)" % (", ".join(VALUE_OPTIONS), " and ".join(given)))
    if generate is not None and given and given[0] != "secret_json":
        raise ValidationError("generate_secret", "cannot be combined with %s (only a secret_json template)" % given[0])

    value = None
    sensitive = []
    if given == ["secret_string"]:
        text = _secret_text(params["secret_string"])
        _length("secret_string", text, VALUE_MAX_BYTES, 1, "bytes")
        value = {"kind": "string", "string": text}
        sensitive.append(text)
    elif given == ["secret_json"]:
        data = _parse_json_option("secret_json", params["secret_json"])
        if generate is None:
            if not isinstance(data, (dict, list)):
                raise ValidationError("secret_json", "must be a JSON object or array")
            text = _compact_json(data)
            _length("secret_json", text, VALUE_MAX_BYTES, 1, "bytes")
            value = {"kind": "json", "string": text, "json": data}
            sensitive.append(text)
        else:
            if not isinstance(data, dict):
                raise ValidationError("secret_json", "must be a JSON object when it is the template of generate_secret")
            value = {"kind": "generate", "template": data}
        sensitive.extend(_json_leaf_strings(data))
    elif given == ["secret_binary"]:
        text = params["secret_binary"]
        try:
            raw = base64.b64decode("".join(text.split()), validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError("secret_binary", "must be base64 text (A-Z, a-z, 0-9, +, / and = padding)")
        if not 1 <= len(raw) <= VALUE_MAX_BYTES:
            raise ValidationError("secret_binary", "must decode to 1 to %d bytes (got %d)" % (VALUE_MAX_BYTES, len(raw)))
        value = {"kind": "binary", "binary": raw}
        sensitive.append(text)
    elif generate is not None:
        value = {"kind": "generate", "template": None}

    if value is not None and value["kind"] == "generate":
        value["request"] = _generate_request(generate)
        key = generate.get("key")
        if value["template"] is not None and not key:
            raise ValidationError("generate_secret.key", "is required when secret_json is given as the template of generate_secret")
        if key is not None:
            _length("generate_secret.key", key, 1024, 1)
            if value["template"] is None:
                value["template"] = {}
            if key in value["template"]:
                raise ValidationError("generate_secret.key", "names a key the secret_json template already has")
        value["key"] = key
    desired["value"] = value
    desired["sensitive"] = [s for s in sensitive if s]


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
    for option, field in flags:
        if generate.get(option) is not None:
            request[field] = bool(generate[option])
    excluded = ("ExcludeNumbers", "ExcludePunctuation", "ExcludeUppercase", "ExcludeLowercase")
    if all(request.get(field) for field in excluded) and not request.get("IncludeSpace"):
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


def _validate_replicas(replicas):
    seen = {}
    for index, replica in enumerate(replicas):
        option = "replica_regions[%d]" % index
        region = replica.get("region") or ""
        if not REGION_PATTERN.match(region) or len(region) > 128:
            raise ValidationError(option + ".region", "%r is not a region name (pattern ^([a-z]+-)+\\d+$, e.g. eu-west-1)" % region)
        if region in seen:
            raise ValidationError(option + ".region", "%r is listed twice" % region)
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
        raise ValidationError("rotation", "automatically_after_days and schedule_expression are mutually exclusive")
    expression = rotation.get("schedule_expression")
    if expression is not None and (not 1 <= len(expression) <= 256 or not SCHEDULE_PATTERN.match(expression)):
        raise ValidationError("rotation.schedule_expression", "must be a rate() or cron() expression of 1 to 256 characters")
    duration = rotation.get("duration")
    if duration is not None and (not 2 <= len(duration) <= 3 or not DURATION_PATTERN.match(duration)):
        raise ValidationError("rotation.duration", "must be a number of hours such as 3h (2 to 3 characters, pattern [0-9]+h)")
    if rotation.get("enabled", True) and days is None and expression is None and rotation.get("lambda_arn") is None:
        raise ValidationError("rotation", "enabling rotation needs lambda_arn, automatically_after_days or schedule_expression")
    return rotation


def validate(params, new_token=None):
    """Check every option against the API's documented constraints; return the desired state.

    Raises ValidationError naming the option and the constraint. Makes no AWS call.
    """
    desired = {"warnings": []}
    name = params.get("name")
    if not isinstance(name, str) or not name:
        raise ValidationError("name", "is required and must be 1 to 512 characters")
    desired["is_arn"] = name.startswith("arn:")
    if desired["is_arn"]:
        if not ARN_PATTERN.match(name) or len(name) > 2048:
            raise ValidationError("name", "is not a Secrets Manager secret ARN (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME)")
    else:
        _length("name", name, 512, 1)
        if not NAME_PATTERN.match(name):
            raise ValidationError("name", "may contain only ASCII letters, digits and the characters /_+=.@- (got %r)" % name)
        if SUFFIX_LIKE.search(name):
            desired["warnings"].append(
                "name %r ends in a hyphen and six characters, which AWS may confuse with the random suffix of an ARN "
                "in partial-ARN lookups" % name
            )
    desired["name"] = name
    desired["state"] = params.get("state") or "present"
    if desired["state"] not in ("present", "absent"):
        raise ValidationError("state", "must be present or absent")

    _validate_value(params, desired)

    token = params.get("client_request_token")
    if token is not None:
        _length("client_request_token", token, 64, 32)
        if desired["value"] is None:
            raise ValidationError(
                "client_request_token", "names the version of a value: give secret_string, secret_json, secret_binary or generate_secret with it"
            )
    desired["token_given"] = token is not None
    desired["token"] = token if token is not None else (new_token or str(uuid.uuid4()))

    for option, maximum in (("description", 2048), ("kms_key_id", 2048), ("type", 256)):
        if params.get(option) is not None:
            _length(option, params[option], maximum)
        desired[option] = params.get(option)

    desired["tags"] = _validate_tags(params["tags"]) if params.get("tags") is not None else None
    desired["purge_tags"] = params.get("purge_tags", True)
    replicas = params.get("replica_regions")
    desired["replicas"] = _validate_replicas(replicas) if replicas is not None else None
    desired["purge_replica_regions"] = params.get("purge_replica_regions", True)
    desired["force_overwrite_replica_secret"] = params.get("force_overwrite_replica_secret")

    policy = params.get("resource_policy")
    if policy is None:
        desired["policy"] = None
    elif policy in ("", {}):
        desired["policy"] = {}
    else:
        parsed = _parse_json_option("resource_policy", policy)
        if not isinstance(parsed, dict):
            raise ValidationError("resource_policy", "must be a JSON object (a policy document)")
        _length("resource_policy", _compact_json(parsed), 20480, 1)
        desired["policy"] = parsed
    desired["block_public_policy"] = params.get("block_public_policy")

    desired["rotation"] = _validate_rotation(params.get("rotation"))

    window = params.get("recovery_window_in_days", 30)
    force = bool(params.get("force_delete_without_recovery"))
    if window is not None and not 7 <= window <= 30:
        raise ValidationError("recovery_window_in_days", "must be 7 to 30 days (got %d)" % window)
    if force and params.get("recovery_window_in_days") not in (None, 30):
        raise ValidationError("force_delete_without_recovery", "cannot be combined with recovery_window_in_days")
    desired["recovery_window_in_days"] = window or 30
    desired["force_delete_without_recovery"] = force
    desired["restore"] = params.get("restore", True)
    desired["overwrite"] = params.get("overwrite", True)
    if desired["is_arn"] and desired["state"] == "present" and params.get("restore") is None:
        desired["restore"] = True
    return desired


# ---------------------------------------------------------------- reading


def current_version(secret):
    for version, stages in (secret or {}).get("VersionIdsToStages", {}).items():
        if CURRENT in stages:
            return version
    return None


def _needs_value(secret, desired):
    value = desired["value"]
    return (
        desired["state"] == "present"
        and value is not None
        and value["kind"] != "generate"
        and desired["overwrite"]
        and not desired["token_given"]
        and not secret.get("DeletedDate")
        and current_version(secret) is not None
    )


def read(api, desired):
    """Read what the plan needs: the description, and the value or policy only when they are compared."""
    secret = describe(api, desired["name"])
    current = {"secret": secret, "value": None, "policy": None}
    if secret is None or desired["state"] == "absent":
        return current
    if _needs_value(secret, desired):
        response = api.call("GetSecretValue", SecretId=secret["ARN"], VersionStage=CURRENT)
        if "SecretString" in response:
            current["value"] = {"kind": "string", "string": response["SecretString"]}
        elif "SecretBinary" in response:
            current["value"] = {"kind": "binary", "binary": response["SecretBinary"]}
    if desired["policy"] is not None and not secret.get("DeletedDate"):
        response = api.call("GetResourcePolicy", SecretId=secret["ARN"])
        if response.get("ResourcePolicy"):
            current["policy"] = json.loads(response["ResourcePolicy"])
    return current


# ---------------------------------------------------------------- planning


def normalize_policy(document):
    """Policies are equal when they say the same: key order, spacing, one-element lists and list order don't count."""
    if isinstance(document, dict):
        return {key: normalize_policy(value) for key, value in document.items()}
    if isinstance(document, list):
        items = [normalize_policy(item) for item in document]
        if len(items) == 1:
            return items[0]
        return sorted(items, key=canonical_json)
    return document


def policies_equal(left, right):
    return canonical_json(normalize_policy(left or {})) == canonical_json(normalize_policy(right or {}))


def kms_keys_equal(wanted, current):
    """Compare a KMS key as given by the user with the one AWS shows.

    Equal: the same text; the default key given as '' or alias/aws/secretsmanager while AWS shows none;
    a key id or alias given while AWS shows its ARN (or the other way round). A key id and an alias of
    that key cannot be matched without reading KMS, and count as different.
    """
    wanted = wanted or DEFAULT_KMS_ALIAS
    current = current or DEFAULT_KMS_ALIAS
    if wanted == current:
        return True
    for a, b in ((wanted, current), (current, wanted)):
        if a.startswith("arn:") and ":" in a and a.split(":", 5)[-1] in (b, "key/" + b):
            return True
    return False


def values_equal(wanted, current):
    if current is None:
        return False
    if wanted["kind"] == "binary":
        return current["kind"] == "binary" and current["binary"] == wanted["binary"]
    if current["kind"] != "string":
        return False
    if wanted["kind"] == "json":
        try:
            return canonical_json(json.loads(current["string"])) == canonical_json(wanted["json"])
        except ValueError:
            return False
    return current["string"] == wanted["string"]


def _value_fields(value):
    """Request fields for a value; a generated one is filled in at apply time."""
    if value["kind"] == "binary":
        return {"SecretBinary": value["binary"]}
    if value["kind"] == "generate":
        return {"SecretString": Generated(value["template"], value["key"])}
    return {"SecretString": value["string"]}


class Generated:
    """Stands for a value GetRandomPassword will return, placed in a JSON template or alone."""

    def __init__(self, template, key):
        self.template = template
        self.key = key

    def render(self, password):
        if self.key is None:
            return password
        document = dict(self.template or {})
        document[self.key] = password
        return _compact_json(document)

    def __repr__(self):
        return "<generated>"

    def __eq__(self, other):
        return isinstance(other, Generated) and (self.template, self.key) == (other.template, other.key)


def _plan_value(secret, current_value, desired):
    value = desired["value"]
    if value is None:
        return []
    version = current_version(secret)
    name = secret["Name"]
    if version is not None and (value["kind"] == "generate" or not desired["overwrite"]):
        return []
    if desired["token_given"]:
        stages = secret.get("VersionIdsToStages", {}).get(desired["token"])
        if stages is not None:
            if CURRENT in stages:
                return []
            raise PlanError(
                "client_request_token %s is version %s of secret %s with stages %s, not AWSCURRENT: a version's value "
                "cannot change; give a new token to write a new version" % (desired["token"], desired["token"], name, ", ".join(stages) or "none"),
                option="client_request_token",
            )
    elif version is not None and values_equal(value, current_value):
        return []
    ops = []
    if value["kind"] == "generate":
        ops.append(("GetRandomPassword", dict(value["request"])))
    fields = _value_fields(value)
    ops.append(("PutSecretValue", dict(SecretId=secret["ARN"], ClientRequestToken=desired["token"], **fields)))
    return ops


def _plan_create(desired):
    if desired["is_arn"]:
        raise PlanError("secret %s does not exist, and a secret cannot be created from an ARN: give its name" % desired["name"], option="name")
    request = {"Name": desired["name"], "ClientRequestToken": desired["token"]}
    if desired["description"] is not None:
        request["Description"] = desired["description"]
    if desired["kms_key_id"]:
        request["KmsKeyId"] = desired["kms_key_id"]
    if desired["tags"]:
        request["Tags"] = [{"Key": k, "Value": v} for k, v in desired["tags"].items()]
    if desired["replicas"]:
        request["AddReplicaRegions"] = _replica_request(desired["replicas"], desired["replicas"])
    if desired["force_overwrite_replica_secret"] is not None:
        request["ForceOverwriteReplicaSecret"] = desired["force_overwrite_replica_secret"]
    if desired["type"]:
        request["Type"] = desired["type"]
    ops = []
    value = desired["value"]
    if value is not None:
        if value["kind"] == "generate":
            ops.append(("GetRandomPassword", dict(value["request"])))
        request.update(_value_fields(value))
    ops.append(("CreateSecret", request))
    target = {"Name": desired["name"], "ARN": None}
    if desired["policy"]:
        ops.append(_put_policy(target, desired))
    if desired["rotation"] and desired["rotation"].get("enabled", True):
        ops.append(_rotate(target, desired["rotation"]))
    return ops


def _replica_request(regions, replicas):
    request = []
    for region in sorted(regions):
        entry = {"Region": region}
        if replicas.get(region):
            entry["KmsKeyId"] = replicas[region]
        request.append(entry)
    return request


def _put_policy(secret, desired):
    request = {"SecretId": secret["ARN"], "ResourcePolicy": _compact_json(desired["policy"])}
    if desired["block_public_policy"] is not None:
        request["BlockPublicPolicy"] = desired["block_public_policy"]
    return ("PutResourcePolicy", request)


def _rotate(secret, rotation):
    request = {"SecretId": secret["ARN"], "RotateImmediately": bool(rotation.get("rotate_immediately"))}
    if rotation.get("lambda_arn"):
        request["RotationLambdaARN"] = rotation["lambda_arn"]
    rules = {}
    if rotation.get("automatically_after_days") is not None:
        rules["AutomaticallyAfterDays"] = rotation["automatically_after_days"]
    if rotation.get("schedule_expression") is not None:
        rules["ScheduleExpression"] = rotation["schedule_expression"]
    if rotation.get("duration") is not None:
        rules["Duration"] = rotation["duration"]
    if rules:
        request["RotationRules"] = rules
    return ("RotateSecret", request)


def _plan_metadata(secret, desired):
    ops = []
    update = {}
    if desired["description"] is not None and desired["description"] != secret.get("Description", ""):
        update["Description"] = desired["description"]
    if desired["kms_key_id"] is not None and not kms_keys_equal(desired["kms_key_id"], secret.get("KmsKeyId")):
        update["KmsKeyId"] = desired["kms_key_id"]
    if desired["type"] is not None and desired["type"] != secret.get("Type", ""):
        update["Type"] = desired["type"]
    if update:
        ops.append(("UpdateSecret", dict(SecretId=secret["ARN"], **update)))
    return ops


def _plan_tags(secret, desired):
    if desired["tags"] is None:
        return []
    current = tags_dict(secret.get("Tags"))
    ops = []
    if desired["purge_tags"]:
        remove = sorted(k for k in current if k not in desired["tags"] and not k.lower().startswith("aws:"))
        if remove:
            ops.append(("UntagResource", {"SecretId": secret["ARN"], "TagKeys": remove}))
    add = [{"Key": k, "Value": v} for k, v in sorted(desired["tags"].items()) if current.get(k) != v]
    if add:
        ops.append(("TagResource", {"SecretId": secret["ARN"], "Tags": add}))
    return ops


def replicas_dict(secret):
    return {r["Region"]: r.get("KmsKeyId") for r in (secret or {}).get("ReplicationStatus") or []}


def _plan_replicas(secret, desired):
    wanted = desired["replicas"]
    if wanted is None:
        return []
    current = replicas_dict(secret)
    changed_key = sorted(r for r in wanted if r in current and wanted[r] and not kms_keys_equal(wanted[r], current[r]))
    remove = set(changed_key)
    if desired["purge_replica_regions"]:
        remove.update(r for r in current if r not in wanted)
    add = sorted(set(r for r in wanted if r not in current) | set(changed_key))
    ops = []
    if remove:
        ops.append(("RemoveRegionsFromReplication", {"SecretId": secret["ARN"], "RemoveReplicaRegions": sorted(remove)}))
    if add:
        request = {"SecretId": secret["ARN"], "AddReplicaRegions": _replica_request(add, wanted)}
        if desired["force_overwrite_replica_secret"] is not None:
            request["ForceOverwriteReplicaSecret"] = desired["force_overwrite_replica_secret"]
        ops.append(("ReplicateSecretToRegions", request))
    return ops


def _plan_policy(secret, current_policy, desired):
    if desired["policy"] is None:
        return []
    if not desired["policy"]:
        return [("DeleteResourcePolicy", {"SecretId": secret["ARN"]})] if current_policy else []
    if current_policy and policies_equal(desired["policy"], current_policy):
        return []
    return [_put_policy(secret, desired)]


def _plan_rotation(secret, desired):
    rotation = desired["rotation"]
    if rotation is None:
        return []
    enabled = bool(secret.get("RotationEnabled"))
    if not rotation.get("enabled", True):
        return [("CancelRotateSecret", {"SecretId": secret["ARN"]})] if enabled else []
    rules = secret.get("RotationRules") or {}
    differs = (
        not enabled
        or (rotation.get("lambda_arn") is not None and rotation["lambda_arn"] != secret.get("RotationLambdaARN"))
        or (rotation.get("automatically_after_days") is not None and rotation["automatically_after_days"] != rules.get("AutomaticallyAfterDays"))
        or (rotation.get("schedule_expression") is not None and rotation["schedule_expression"] != rules.get("ScheduleExpression"))
        or (rotation.get("duration") is not None and rotation["duration"] != rules.get("Duration"))
    )
    return [_rotate(secret, rotation)] if differs else []


def plan(current, desired):
    """The ordered operations that take the current state to the desired one.

    A pure function of (current, desired): check mode shows it, a real run applies it. A secret
    scheduled for deletion plans RestoreSecret followed by the rest as if it were restored; the
    value of such a secret cannot be read before the restore, so the real run reads and plans
    again after RestoreSecret.
    """
    secret = current["secret"]
    if desired["state"] == "absent":
        return _plan_absent(secret, desired)
    if secret is None:
        return _plan_create(desired)
    ops = []
    if secret.get("DeletedDate"):
        if not desired["restore"]:
            raise PlanError(_scheduled_for_deletion(secret["Name"]), option="restore")
        ops.append(("RestoreSecret", {"SecretId": secret["ARN"]}))
    ops += _plan_metadata(secret, desired)
    ops += _plan_value(secret, current["value"], desired)
    ops += _plan_tags(secret, desired)
    ops += _plan_replicas(secret, desired)
    ops += _plan_policy(secret, current["policy"], desired)
    ops += _plan_rotation(secret, desired)
    return ops


def _plan_absent(secret, desired):
    if secret is None:
        return []
    ops = []
    if secret.get("DeletedDate"):
        if desired["force_delete_without_recovery"]:
            ops.append(("DeleteSecret", {"SecretId": secret["ARN"], "ForceDeleteWithoutRecovery": True}))
        return ops
    replicas = sorted(replicas_dict(secret))
    if replicas:
        ops.append(("RemoveRegionsFromReplication", {"SecretId": secret["ARN"], "RemoveReplicaRegions": replicas}))
    if desired["force_delete_without_recovery"]:
        ops.append(("DeleteSecret", {"SecretId": secret["ARN"], "ForceDeleteWithoutRecovery": True}))
    else:
        ops.append(("DeleteSecret", {"SecretId": secret["ARN"], "RecoveryWindowInDays": desired["recovery_window_in_days"]}))
    return ops


# ---------------------------------------------------------------- predicting the result


def tags_dict(tags):
    return {t["Key"]: t.get("Value", "") for t in tags or []}


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def predict(current, ops, responses=None):
    """The secret (DescribeSecret shape) and policy after the operations, from their requests and,
    after a real run, their responses."""
    secret = copy.deepcopy(current["secret"]) if current["secret"] else None
    policy = copy.deepcopy(current["policy"])
    responses = responses or [None] * len(ops)
    for (operation, request), response in zip(ops, responses):
        response = response or {}
        if operation == "CreateSecret":
            secret = {"ARN": response.get("ARN"), "Name": request["Name"], "VersionIdsToStages": {}}
            for field in ("Description", "KmsKeyId", "Tags", "Type"):
                if field in request:
                    secret[field] = request[field]
            if "SecretString" in request or "SecretBinary" in request:
                secret["VersionIdsToStages"][response.get("VersionId") or request["ClientRequestToken"]] = [CURRENT]
            if request.get("AddReplicaRegions"):
                secret["ReplicationStatus"] = response.get("ReplicationStatus") or [
                    dict(r, Status="InProgress") for r in request["AddReplicaRegions"]
                ]
        elif operation == "UpdateSecret":
            for field in ("Description", "KmsKeyId", "Type"):
                if field in request:
                    secret[field] = request[field]
        elif operation == "PutSecretValue":
            _promote(secret, response.get("VersionId") or request["ClientRequestToken"])
        elif operation == "TagResource":
            tags = tags_dict(secret.get("Tags"))
            tags.update(tags_dict(request["Tags"]))
            secret["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        elif operation == "UntagResource":
            secret["Tags"] = [t for t in secret.get("Tags") or [] if t["Key"] not in request["TagKeys"]]
        elif operation == "RemoveRegionsFromReplication":
            secret["ReplicationStatus"] = [r for r in secret.get("ReplicationStatus") or [] if r["Region"] not in request["RemoveReplicaRegions"]]
        elif operation == "ReplicateSecretToRegions":
            added = response.get("ReplicationStatus") or [dict(r, Status="InProgress") for r in request["AddReplicaRegions"]]
            secret["ReplicationStatus"] = (secret.get("ReplicationStatus") or []) + added
        elif operation == "PutResourcePolicy":
            policy = json.loads(request["ResourcePolicy"])
        elif operation == "DeleteResourcePolicy":
            policy = None
        elif operation == "RotateSecret":
            secret["RotationEnabled"] = True
            if "RotationLambdaARN" in request:
                secret["RotationLambdaARN"] = request["RotationLambdaARN"]
            if "RotationRules" in request:
                secret["RotationRules"] = dict(request["RotationRules"])
        elif operation == "CancelRotateSecret":
            secret["RotationEnabled"] = False
        elif operation == "RestoreSecret":
            secret.pop("DeletedDate", None)
        elif operation == "DeleteSecret":
            if request.get("ForceDeleteWithoutRecovery"):
                secret["DeletedDate"] = response.get("DeletionDate") or _utcnow()
            else:
                window = datetime.timedelta(days=request["RecoveryWindowInDays"])
                secret["DeletedDate"] = response.get("DeletionDate") or _utcnow() + window
    return secret, policy


def _promote(secret, version):
    stages = secret.setdefault("VersionIdsToStages", {})
    for version_id, labels in list(stages.items()):
        labels = [label for label in labels if label != PREVIOUS]
        if CURRENT in labels:
            labels = [label for label in labels if label != CURRENT] + [PREVIOUS]
        if labels:
            stages[version_id] = labels
        else:
            del stages[version_id]
    stages[version] = [CURRENT]


# ---------------------------------------------------------------- results


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc).isoformat()
    return value


SNAKE_FIELDS = (
    ("ARN", "arn"), ("Name", "name"), ("Description", "description"), ("KmsKeyId", "kms_key_id"), ("Type", "type"),
    ("RotationEnabled", "rotation_enabled"), ("RotationLambdaARN", "rotation_lambda_arn"), ("OwningService", "owning_service"),
    ("PrimaryRegion", "primary_region"),
)
ROTATION_RULE_FIELDS = (
    ("AutomaticallyAfterDays", "automatically_after_days"),
    ("ScheduleExpression", "schedule_expression"),
    ("Duration", "duration"),
)
DATE_FIELDS = (
    ("CreatedDate", "created_date"), ("LastChangedDate", "last_changed_date"), ("LastAccessedDate", "last_accessed_date"),
    ("LastRotatedDate", "last_rotated_date"), ("NextRotationDate", "next_rotation_date"), ("DeletedDate", "deleted_date"),
)


def secret_result(secret):
    """DescribeSecret in snake_case, tags as a dict. DescribeSecret carries no value, so neither does this."""
    if secret is None:
        return {}
    result = {snake: secret[camel] for camel, snake in SNAKE_FIELDS if secret.get(camel) is not None}
    result.update({snake: _date(secret[camel]) for camel, snake in DATE_FIELDS if secret.get(camel)})
    result["tags"] = tags_dict(secret.get("Tags"))
    rules = secret.get("RotationRules") or {}
    if rules:
        result["rotation_rules"] = {
            snake: rules[camel]
            for camel, snake in ROTATION_RULE_FIELDS
            if camel in rules
        }
    result["version_ids_to_stages"] = dict(secret.get("VersionIdsToStages") or {})
    result["replication_status"] = [
        {
            snake: _date(replica[camel]) if camel == "LastAccessedDate" else replica[camel]
            for camel, snake in (("Region", "region"), ("KmsKeyId", "kms_key_id"), ("Status", "status"),
                                 ("StatusMessage", "status_message"), ("LastAccessedDate", "last_accessed_date"))
            if camel in replica
        }
        for replica in secret.get("ReplicationStatus") or []
    ]
    return result


def diff_view(secret, policy, desired, value_note):
    """What diff mode shows: metadata and the state of the value, never the value."""
    if secret is None:
        return {"state": "absent"}
    view = {
        "state": "scheduled for deletion" if secret.get("DeletedDate") else "present",
        "name": secret.get("Name"),
        "description": secret.get("Description", ""),
        "kms_key_id": secret.get("KmsKeyId") or DEFAULT_KMS_ALIAS,
        "tags": tags_dict(secret.get("Tags")),
        "replica_regions": [{"region": r, "kms_key_id": k} for r, k in sorted(replicas_dict(secret).items())],
        "rotation": {
            "enabled": bool(secret.get("RotationEnabled")),
            "lambda_arn": secret.get("RotationLambdaARN"),
            "rules": secret_result(secret).get("rotation_rules", {}),
        },
        "value": value_note,
        "version_id": current_version(secret),
    }
    if secret.get("Type"):
        view["type"] = secret["Type"]
    if desired["policy"] is not None:
        view["resource_policy"] = policy or {}
    return view


# ---------------------------------------------------------------- running


def run(api, desired, check_mode=False, on_generated=None):
    """Converge one secret; return the result (changed, arn, name, version_id, secret, actions, diff).

    Check mode reads, plans and predicts; it never writes. on_generated, when given, is called with
    each generated value before it is sent, so a caller (AnsibleModule) can add it to what it masks.
    """
    api.sensitive.extend(desired["sensitive"])
    before = read(api, desired)
    if check_mode:
        ops = plan(before, desired)
        after_secret, after_policy = predict(before, ops)
        actions = api.actions + [operation for operation, _request in ops]
        value_written = _writes_value(ops)
    else:
        current, ops, responses = _converge(api, before, desired, on_generated)
        after_secret, after_policy = predict(current, ops, responses)
        actions = list(api.actions)
        value_written = _writes_value(ops)
    return _result(desired, before, after_secret, after_policy, ops, actions, value_written, check_mode)


def _converge(api, current, desired, on_generated):
    """Apply the plan. A restore is applied alone and followed by a fresh read and plan (a deleted
    secret's value cannot be read); a create that lost a race to another run is planned again
    against the secret that run made. Returns (the state planned from, ops applied, responses)."""
    restored = []
    for _attempt in range(3):
        ops = plan(current, desired)
        if ops and ops[0][0] == "RestoreSecret":
            _apply(api, ops[:1], on_generated)
            restored = ops[:1]
            current = read(api, desired)
            continue
        try:
            responses = _apply(api, ops, on_generated)
        except AwsError as e:
            if e.operation != "CreateSecret" or e.option == "client_request_token":
                raise
            if e.code == "InvalidRequestException" and "scheduled for deletion" in e.message:
                raise PlanError(_scheduled_for_deletion(desired["name"]), option="restore")
            if e.code != "ResourceExistsException":
                raise
            current = read(api, desired)
            if current["secret"] is None:
                raise
            continue
        return current, restored + ops, [{}] * len(restored) + responses
    raise AwsError("secret %s did not settle after a restore or a concurrent create; run the task again" % desired["name"])


def _scheduled_for_deletion(name):
    return (
        "secret %s is scheduled for deletion; set restore: true to restore it, or wait until the recovery window "
        "ends (or delete it with state: absent and force_delete_without_recovery: true) and create it again" % name
    )


def _writes_value(ops):
    return any(op in ("CreateSecret", "PutSecretValue") and ("SecretString" in request or "SecretBinary" in request) for op, request in ops)


def _result(desired, before, after_secret, after_policy, ops, actions, value_written, check_mode):
    before_secret = before["secret"]
    known_secret = after_secret or before_secret or {}
    version_after = current_version(after_secret)
    if check_mode and value_written and not desired["token_given"]:
        # The real run picks its own uuid4: show no id rather than one that will never exist.
        version_after = None
        stages = after_secret["VersionIdsToStages"]
        stages[NEW_VERSION] = stages.pop(desired["token"])
    present = desired["state"] == "present"
    result = {
        "changed": bool(ops),
        "name": known_secret.get("Name") or desired["name"],
        "arn": known_secret.get("ARN"),
        "version_id": version_after if present else None,
        "secret": secret_result(after_secret),
        "actions": actions,
        "warnings": list(desired["warnings"]),
    }
    if not present and after_secret and after_secret.get("DeletedDate"):
        result["deletion_date"] = _date(after_secret["DeletedDate"])
    if desired["policy"] is not None and present:
        result["resource_policy"] = after_policy or {}

    before_note = "set" if current_version(before_secret) else "not set"
    if not present:
        after_note = before_note
    elif value_written:
        after_note = "set, new version"
    else:
        after_note = "set" if version_after else "not set"
    after_view = diff_view(after_secret, after_policy, desired, after_note)
    if present and after_secret and value_written and version_after is None:
        after_view["version_id"] = NEW_VERSION
    result["diff"] = {"before": diff_view(before_secret, before["policy"], desired, before_note), "after": after_view}
    return result


def _apply(api, ops, on_generated):
    responses = []
    generated = None
    for operation, request in ops:
        if operation == "GetRandomPassword":
            generated = api.call(operation, **request)["RandomPassword"]
            api.sensitive.append(generated)
            if on_generated:
                on_generated(generated)
            responses.append({})
            continue
        request = dict(request)
        if isinstance(request.get("SecretString"), Generated):
            request["SecretString"] = request["SecretString"].render(generated)
            api.sensitive.append(request["SecretString"])
        if "SecretId" in request and request["SecretId"] is None:
            request["SecretId"] = next(r["ARN"] for r in responses if r and r.get("ARN"))
        responses.append(_call_write(api, operation, request))
    return responses


def _call_write(api, operation, request):
    try:
        return api.call(operation, **request)
    except AwsError as e:
        token_in_use = operation == "PutSecretValue" or "ClientRequestToken" in e.message
        if operation in ("PutSecretValue", "CreateSecret") and e.code == "ResourceExistsException" and token_in_use:
            # A create that lost a race with the same token but another value lands here too: AWS said the
            # values differ, so the token being current afterwards must not pass for "unchanged".
            raise AwsError(
                "%s failed: client_request_token %s is already a version of this secret with a different "
                "value, and a version cannot change: give a new token (AWS said: %s)" % (operation, request["ClientRequestToken"], e.message),
                code=e.code,
                operation=operation,
                option="client_request_token",
            )
        if operation == "DeleteSecret" and e.code in ("InvalidRequestException", "ResourceNotFoundException"):
            response = _deleted_meanwhile(api, request)
            if response is not None:
                return response
        raise


def _deleted_meanwhile(api, request):
    """A DeleteSecret that failed because the secret is already deleted as asked: botocore retried a request
    whose reply was lost (AWS had applied it, the retry finds the secret scheduled for deletion), or another
    run deleted it. The response to use when the secret is now in the state the request asked for, else None."""
    secret = describe(api, request["SecretId"])
    if secret is None:
        return {"ARN": request["SecretId"]}
    if secret.get("DeletedDate") and not request.get("ForceDeleteWithoutRecovery"):
        return {"ARN": secret["ARN"], "Name": secret["Name"], "DeletionDate": secret["DeletedDate"]}
    return None
