# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""validate(params): every documented constraint is checked before any AWS call, the error names
the option and the constraint, and never carries the value."""

from __future__ import annotations

import base64
import json

import pytest

from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import AwsError
from ansible_collections.seed.secretsmanager.plugins.module_utils import _validate
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import TaskError, ValidationError
from ansible_collections.seed.secretsmanager.plugins.module_utils._model import BinaryValue, GeneratedValue, JsonValue, TextValue

# Distinctive values: if any of them shows up in an error message, the value leaked.
SECRET = "Sup3r-S3cret-Valu3-7c1d"
MEMBER = "Js0n-Memb3r-Valu3-44ab"
RAW = "Bin4ry-Raw-Valu3-90fe"
LEAKS = (SECRET, MEMBER, RAW, base64.b64encode(RAW.encode()).decode())

TOKEN = "0f0e0d0c-0b0a-4909-8807-060504030201"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:rotate"
NEW_TOKEN = "33333333-3333-4333-8333-333333333333"  # what execute() would hand in when no token is given


def validate(params, new_token=NEW_TOKEN):
    return _validate.validate(params, new_token=new_token)


def _repeat(text, size):
    """text repeated to at least size bytes (UTF-8), cut at a character boundary."""
    out = text * (size // len(text.encode("utf-8")) + 2)
    while len(out.encode("utf-8")) > size:
        out = out[:-1]
    return out


def _string_of_bytes(size, unit="é"):
    """A string of exactly `size` UTF-8 bytes made of SECRET and multi-byte characters."""
    out = _repeat(SECRET + unit * 10, size)
    while len(out.encode("utf-8")) < size:
        out += "x"
    assert len(out.encode("utf-8")) == size
    return out


def _b64_of(size):
    raw = (RAW.encode() * (size // len(RAW) + 1))[:size]
    return base64.b64encode(raw).decode()


BIG_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "s%05d" % i, "Effect": "Deny", "Action": "x:y", "Resource": "*"} for i in range(400)],
}

# (id, params, option, words the message must contain besides the option)
INVALID = [
    ("name-space", {"name": "bad name"}, "name", ["may contain only", "/_+=.@-"]),
    ("name-non-ascii", {"name": "caf\u00e9"}, "name", ["may contain only"]),
    ("name-513", {"name": "a" * 513}, "name", ["1 to 512", "got 513"]),
    ("name-empty", {"name": ""}, "name", ["1 to 512"]),
    ("name-missing", {}, "name", ["required"]),
    ("name-arn-bad-account", {"name": "arn:aws:secretsmanager:us-east-1:1234:secret:app"}, "name", ["ARN"]),
    ("name-arn-other-service", {"name": "arn:aws:s3:::bucket"}, "name", ["ARN", "secretsmanager"]),
    ("name-arn-too-long", {"name": "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + "a" * 2000}, "name", ["ARN"]),
    ("state-unknown", {"state": "gone"}, "state", ["present or absent"]),
    ("token-31", {"secret_string": SECRET, "client_request_token": "t" * 31}, "client_request_token", ["32 to 64", "got 31"]),
    ("token-65", {"secret_string": SECRET, "client_request_token": "t" * 65}, "client_request_token", ["32 to 64", "got 65"]),
    ("token-without-value", {"client_request_token": TOKEN}, "client_request_token", ["secret_string", "generate_secret"]),
    ("description-2049", {"description": "d" * 2049}, "description", ["0 to 2048", "got 2049"]),
    ("kms-2049", {"kms_key_id": "k" * 2049}, "kms_key_id", ["0 to 2048", "got 2049"]),
    ("type-257", {"type": "t" * 257}, "type", ["0 to 256", "got 257"]),
    ("string-empty", {"secret_string": ""}, "secret_string", ["1 to 65536 bytes", "got 0"]),
    ("string-65537-ascii", {"secret_string": _repeat(SECRET, 65537)}, "secret_string", ["65536 bytes"]),
    # 32769 characters but 65538 bytes: the limit is in bytes.
    ("string-multibyte-bytes", {"secret_string": "\u00e9" * 32769}, "secret_string", ["65536 bytes", "got 65538"]),
    ("string-65537-mixed", {"secret_string": _string_of_bytes(65537)}, "secret_string", ["65536 bytes", "got 65537"]),
    ("binary-not-base64", {"secret_binary": RAW + "!!"}, "secret_binary", ["base64"]),
    ("binary-urlsafe", {"secret_binary": "-_-_" + RAW}, "secret_binary", ["base64"]),
    ("binary-missing-padding", {"secret_binary": base64.b64encode(RAW.encode()[:-1]).decode().rstrip("=")}, "secret_binary", ["base64"]),
    ("binary-empty", {"secret_binary": ""}, "secret_binary", ["1 to 65536 bytes", "got 0"]),
    ("binary-65537", {"secret_binary": _b64_of(65537)}, "secret_binary", ["1 to 65536 bytes", "got 65537"]),
    ("json-invalid", {"secret_json": '{"password": "%s",}' % MEMBER}, "secret_json", ["not valid JSON", "line 1"]),
    ("json-scalar-string", {"secret_json": json.dumps(MEMBER)}, "secret_json", ["JSON object or array"]),
    ("json-scalar-number", {"secret_json": "1"}, "secret_json", ["JSON object or array"]),
    ("json-int-type", {"secret_json": 42}, "secret_json", ["dict, a list or a JSON string", "int"]),
    ("json-too-big", {"secret_json": {"password": _repeat(MEMBER, 65530)}}, "secret_json", ["65536 bytes"]),
    ("string-and-json", {"secret_string": SECRET, "secret_json": {"p": MEMBER}}, "secret_json", ["mutually exclusive", "secret_string"]),
    ("string-and-binary", {"secret_string": SECRET, "secret_binary": base64.b64encode(RAW.encode()).decode()},
     "secret_binary", ["mutually exclusive", "secret_string"]),
    ("generate-and-string", {"secret_string": SECRET, "generate_secret": {}}, "generate_secret", ["mutually exclusive", "secret_string"]),
    ("generate-and-binary", {"secret_binary": base64.b64encode(RAW.encode()).decode(), "generate_secret": {}},
     "generate_secret", ["mutually exclusive", "secret_binary"]),
    ("generate-template-no-key", {"secret_json": {"user": MEMBER}, "generate_secret": {}}, "generate_secret.key", ["required", "template"]),
    ("generate-key-in-template", {"secret_json": {"password": MEMBER}, "generate_secret": {"key": "password"}},
     "generate_secret.key", ["template already has"]),
    ("generate-template-list", {"secret_json": [MEMBER], "generate_secret": {"key": "k"}}, "secret_json", ["JSON object", "template"]),
    ("generate-length-0", {"generate_secret": {"length": 0}}, "generate_secret.length", ["1 to 4096", "got 0"]),
    ("generate-length-4097", {"generate_secret": {"length": 4097}}, "generate_secret.length", ["1 to 4096"]),
    ("generate-nothing-left", {"generate_secret": {"exclude_numbers": True, "exclude_punctuation": True, "exclude_uppercase": True,
                                                   "exclude_lowercase": True}}, "generate_secret", ["nothing is left"]),
    ("tags-51", {"tags": {"k%d" % i: "v" for i in range(51)}}, "tags", ["at most 50", "got 51"]),
    ("tag-key-129", {"tags": {"k" * 129: "v"}}, "tags", ["1 to 128"]),
    ("tag-key-empty", {"tags": {"": "v"}}, "tags", ["1 to 128"]),
    ("tag-value-257", {"tags": {"team": "v" * 257}}, "tags", ["at most 256", "got 257", "team"]),
    ("tag-aws-prefix", {"tags": {"aws:owner": "x"}}, "tags", ["aws:", "reserves", "aws:owner"]),
    ("tag-aws-prefix-upper", {"tags": {"AWS:owner": "x"}}, "tags", ["aws:", "AWS:owner"]),
    ("tag-aws-prefix-mixed", {"tags": {"Aws:Owner": "x"}}, "tags", ["aws:", "Aws:Owner"]),
    ("tag-value-dict", {"tags": {"team": {"a": "b"}}}, "tags", ["must be a string", "dict", "team"]),
    ("tag-value-list", {"tags": {"team": ["a"]}}, "tags", ["must be a string", "list", "team"]),
    ("replica-upper", {"replica_regions": [{"region": "EU-WEST-1"}]}, "replica_regions[0].region", ["not a region name", "EU-WEST-1"]),
    ("replica-no-number", {"replica_regions": [{"region": "eu-west"}]}, "replica_regions[0].region", ["not a region name"]),
    ("replica-empty", {"replica_regions": [{"region": ""}]}, "replica_regions[0].region", ["not a region name"]),
    ("replica-duplicate", {"replica_regions": [{"region": "eu-west-1"}, {"region": "us-west-2"}, {"region": "eu-west-1"}]},
     "replica_regions[2].region", ["listed twice", "eu-west-1"]),
    ("replica-kms-2049", {"replica_regions": [{"region": "eu-west-1", "kms_key_id": "k" * 2049}]}, "replica_regions[0].kms_key_id",
     ["0 to 2048"]),
    ("rotation-days-0", {"rotation": {"automatically_after_days": 0}}, "rotation.automatically_after_days", ["1 to 1000", "got 0"]),
    ("rotation-days-1001", {"rotation": {"automatically_after_days": 1001}}, "rotation.automatically_after_days", ["1 to 1000", "got 1001"]),
    ("rotation-duration-no-unit", {"rotation": {"lambda_arn": LAMBDA, "duration": "3"}}, "rotation.duration", ["hours", "[0-9]+h"]),
    ("rotation-duration-long", {"rotation": {"lambda_arn": LAMBDA, "duration": "1000h"}}, "rotation.duration", ["hours"]),
    ("rotation-duration-minutes", {"rotation": {"lambda_arn": LAMBDA, "duration": "3m"}}, "rotation.duration", ["hours"]),
    ("rotation-schedule-bad-chars", {"rotation": {"schedule_expression": "rate(1 day);"}}, "rotation.schedule_expression", ["rate()", "cron()"]),
    ("rotation-schedule-empty", {"rotation": {"schedule_expression": ""}}, "rotation.schedule_expression", ["1 to 256"]),
    ("rotation-schedule-257", {"rotation": {"schedule_expression": "rate(%s)" % ("1" * 251)}}, "rotation.schedule_expression", ["256"]),
    ("rotation-both-rules", {"rotation": {"automatically_after_days": 30, "schedule_expression": "rate(10 days)"}}, "rotation",
     ["automatically_after_days", "schedule_expression", "mutually exclusive"]),
    ("rotation-nothing", {"rotation": {"enabled": True}}, "rotation", ["lambda_arn", "automatically_after_days"]),
    ("rotation-lambda-2049", {"rotation": {"lambda_arn": "a" * 2049}}, "rotation.lambda_arn", ["2048"]),
    # RotateSecret's ExternalSecretRotationMetadata items: Key 1-256, Value 1-2048 (botocore's service model,
    # ExternalSecretRotationMetadataItemKeyType/ValueType); ExternalSecretRotationRoleArn 20-2048 (RoleARNType).
    ("rotation-external-key-empty", {"rotation": {"automatically_after_days": 5, "external_metadata": [{"key": "", "value": "v"}]}},
     "rotation.external_metadata[0].key", ["1 to 256"]),
    ("rotation-external-key-257", {"rotation": {"automatically_after_days": 5, "external_metadata": [{"key": "k" * 257, "value": "v"}]}},
     "rotation.external_metadata[0].key", ["1 to 256", "got 257"]),
    ("rotation-external-value-empty", {"rotation": {"automatically_after_days": 5, "external_metadata": [{"key": "k", "value": ""}]}},
     "rotation.external_metadata[0].value", ["1 to 2048"]),
    ("rotation-external-value-2049", {"rotation": {"automatically_after_days": 5,
                                                   "external_metadata": [{"key": "a", "value": "v"}, {"key": "k", "value": "v" * 2049}]}},
     "rotation.external_metadata[1].value", ["1 to 2048"]),
    ("rotation-external-key-twice", {"rotation": {"automatically_after_days": 5,
                                                  "external_metadata": [{"key": "k", "value": "1"}, {"key": "k", "value": "2"}]}},
     "rotation.external_metadata[1].key", ["listed twice"]),
    ("rotation-external-item-not-dict", {"rotation": {"automatically_after_days": 5, "external_metadata": ["k=v"]}},
     "rotation.external_metadata[0]", ["key and value", "str"]),
    ("rotation-external-role-short", {"rotation": {"automatically_after_days": 5, "external_role_arn": "arn:aws:iam::1:r"}},
     "rotation.external_role_arn", ["20 to 2048"]),
    ("rotation-external-role-not-arn", {"rotation": {"automatically_after_days": 5, "external_role_arn": "role/rotate-external-secret"}},
     "rotation.external_role_arn", ["ARN of an IAM role"]),
    ("recovery-6", {"state": "absent", "recovery_window_in_days": 6}, "recovery_window_in_days", ["7 to 30", "got 6"]),
    ("recovery-31", {"state": "absent", "recovery_window_in_days": 31}, "recovery_window_in_days", ["7 to 30", "got 31"]),
    ("wait-timeout-negative", {"wait_timeout": -1}, "wait_timeout", ["0 or more", "got -1"]),
    ("force-and-window", {"state": "absent", "recovery_window_in_days": 7, "force_delete_without_recovery": True},
     "force_delete_without_recovery", ["recovery_window_in_days", "cannot be combined"]),
    ("policy-invalid-json", {"resource_policy": '{"Version": "2012-10-17",'}, "resource_policy", ["not valid JSON"]),
    ("policy-list-text", {"resource_policy": '[{"Effect": "Allow"}]'}, "resource_policy", ["JSON object"]),
    ("policy-list", {"resource_policy": [{"Effect": "Allow"}]}, "resource_policy", ["JSON object"]),
    ("policy-scalar", {"resource_policy": "42"}, "resource_policy", ["JSON object"]),
    ("policy-too-long", {"resource_policy": BIG_POLICY}, "resource_policy", ["1 to 20480 characters"]),
]


@pytest.mark.parametrize("params, option, words", [pytest.param(p, o, w, id=i) for i, p, o, w in INVALID])
def test_invalid_input_names_option_and_constraint(params, option, words):
    params = dict(params)
    if "name" not in params and option != "name":
        params["name"] = "app/db"
    if not any(o in params for o in ("secret_string", "secret_json", "secret_binary", "generate_secret", "client_request_token")):
        params["secret_string"] = SECRET

    with pytest.raises(ValidationError) as caught:
        validate(params)

    error = caught.value
    assert error.option == option
    assert error.code == "ValidationError"
    assert error.message.startswith(option + ": ")
    assert str(error) == error.message
    for word in words:
        assert word in error.message, (word, error.message)
    for value in LEAKS:
        assert value not in error.message
    result = json.dumps(error.to_result())
    for value in LEAKS:
        assert value not in result
    assert json.loads(result)["option"] == option


def test_at_least_thirty_invalid_cases():
    assert len(INVALID) >= 30
    assert len({case[0] for case in INVALID}) == len(INVALID)


def test_validation_error_is_a_task_error_and_not_an_aws_error():
    # The core turns every TaskError into a failed result; input errors are not AWS errors.
    with pytest.raises(TaskError) as caught:
        validate({"name": "bad name"})
    assert isinstance(caught.value, ValidationError)
    assert not isinstance(caught.value, AwsError)


def test_invalid_json_message_does_not_quote_the_document():
    document = '{"password": "%s" "user": "%s"}' % (MEMBER, SECRET)
    with pytest.raises(ValidationError) as caught:
        validate({"name": "app/db", "secret_json": document})
    assert MEMBER not in caught.value.message and SECRET not in caught.value.message
    assert "secret_json" in caught.value.message


# ---------------------------------------------------------------- valid input


def test_secret_json_dict_is_sent_as_compact_json_in_given_order():
    desired = validate({"name": "app/db", "secret_json": {"user": "app", "password": MEMBER, "port": 5432, "tls": True}})
    assert isinstance(desired.value, JsonValue)
    assert desired.value.text == '{"user":"app","password":"%s","port":5432,"tls":true}' % MEMBER
    assert desired.value.document == {"user": "app", "password": MEMBER, "port": 5432, "tls": True}


def test_secret_json_text_is_parsed_and_compacted_keeping_non_ascii():
    desired = validate({"name": "app/db", "secret_json": '{\n  "p\u00e4ss" : "w\u00f6rd",\n  "list": [1, 2]\n}'})
    assert desired.value.text == '{"p\u00e4ss":"w\u00f6rd","list":[1,2]}'


def test_secret_json_list_is_accepted():
    desired = validate({"name": "app/db", "secret_json": ["a", 1]})
    assert desired.value.text == '["a",1]'


def test_secret_binary_is_decoded_and_whitespace_ignored():
    raw = bytes(range(256)) * 3
    text = base64.b64encode(raw).decode()
    wrapped = "\n".join(text[i:i + 76] for i in range(0, len(text), 76))
    desired = validate({"name": "app/db", "secret_binary": wrapped})
    assert desired.value == BinaryValue(raw)


def test_value_limits_are_inclusive_and_counted_in_bytes():
    text = _string_of_bytes(65536)
    assert len(text) < 65536  # multi-byte characters: fewer characters than bytes
    assert validate({"name": "app/db", "secret_string": text}).value.text == text
    raw = validate({"name": "app/db", "secret_binary": _b64_of(65536)}).value.data
    assert len(raw) == 65536
    assert validate({"name": "app/db", "secret_string": "x"}).value == TextValue("x")


def test_other_limits_are_inclusive():
    desired = validate(
        {
            "name": "a" * 512,
            "secret_string": SECRET,
            "client_request_token": "t" * 64,
            "description": "d" * 2048,
            "kms_key_id": "k" * 2048,
            "type": "t" * 256,
            "tags": dict([("k" * 128, "v" * 256)] + [("k%d" % i, "") for i in range(49)]),
            "rotation": {"lambda_arn": LAMBDA, "automatically_after_days": 1000, "duration": "24h"},
        }
    )
    assert len(desired.tags) == 50
    assert desired.rotation.automatically_after_days == 1000
    assert validate({"name": "app/db", "secret_string": SECRET, "client_request_token": "t" * 32}).token == "t" * 32
    assert validate({"name": "app/db", "rotation": {"automatically_after_days": 1}}).rotation.automatically_after_days == 1
    assert validate({"name": "app/db", "state": "absent", "recovery_window_in_days": 7}).recovery_window_in_days == 7
    assert validate({"name": "app/db"}).wait_timeout == 120
    assert validate({"name": "app/db", "wait_timeout": 0}).wait_timeout == 0
    assert validate({"name": "app/db", "state": "absent", "recovery_window_in_days": 30}).recovery_window_in_days == 30


def test_tags_are_stringified():
    desired = validate({"name": "app/db", "tags": {"count": 3, "on": True, "off": False, "ratio": 1.5, "empty": None, "text": "x", 7: "seven"}})
    assert desired.tags == {"count": "3", "on": "true", "off": "false", "ratio": "1.5", "empty": "", "text": "x", "7": "seven"}


def test_a_tag_key_containing_aws_later_is_allowed():
    assert validate({"name": "app/db", "tags": {"team:aws:x": "1"}}).tags == {"team:aws:x": "1"}


@pytest.mark.parametrize(
    "name, warns",
    [
        ("app/db-AbC123", True),
        ("prod-abcdef", True),
        ("prod-abcde", False),
        ("prod_abcdef", False),
        ("prod-abcdefg", False),
        ("prod-abc.ef", False),
    ],
)
def test_warning_for_a_name_ending_like_an_arn_suffix(name, warns):
    desired = validate({"name": name})
    if warns:
        assert len(desired.warnings) == 1
        assert name in desired.warnings[0]
        assert "suffix" in desired.warnings[0]
    else:
        assert desired.warnings == ()


def test_the_callers_token_is_used_when_none_is_given():
    # validate is pure: the caller (execute) makes the uuid4, see test_secret_module.py.
    desired = validate({"name": "app/db", "secret_string": SECRET}, new_token=TOKEN)
    assert desired.token_given is False
    assert desired.token == TOKEN
    assert validate({"name": "app/db", "secret_string": SECRET}, new_token=TOKEN) == desired


def test_given_token_is_kept():
    desired = validate({"name": "app/db", "secret_string": SECRET, "client_request_token": TOKEN}, new_token="ignored" * 6)
    assert desired.token_given is True
    assert desired.token == TOKEN


def test_token_with_generate_secret_is_accepted():
    desired = validate({"name": "app/db", "generate_secret": {"length": 20}, "client_request_token": TOKEN})
    assert isinstance(desired.value, GeneratedValue)
    assert desired.value.request == {"PasswordLength": 20}


def test_generate_secret_request_and_template():
    desired = validate(
        {
            "name": "app/db",
            "secret_json": {"user": "app"},
            "generate_secret": {"key": "password", "length": 40, "exclude_punctuation": True, "exclude_characters": "abc",
                                "require_each_included_type": True},
        }
    )
    value = desired.value
    assert isinstance(value, GeneratedValue)
    assert value.template == {"user": "app"}
    assert value.key == "password"
    # require_each_included_type: true is GetRandomPassword's default, so it is not sent.
    assert value.request == {"PasswordLength": 40, "ExcludeCharacters": "abc", "ExcludePunctuation": True}


def test_generate_secret_key_without_template_makes_an_object():
    value = validate({"name": "app/db", "generate_secret": {"key": "password"}}).value
    assert value.template == {} and value.key == "password"
    alone = validate({"name": "app/db", "generate_secret": {}}).value
    assert alone.template is None and alone.key is None


def test_sensitive_lists_every_form_of_the_value():
    desired = validate({"name": "app/db", "secret_json": {"user": "app", "nested": {"password": MEMBER}}})
    assert desired.value.text in desired.sensitive
    # The members are masked by the front door's rule (test_secret_masking.py), not redacted one by one here,
    # where a member such as a region would mangle the ARN in AWS's messages.
    assert MEMBER not in desired.sensitive
    assert SECRET in validate({"name": "app/db", "secret_string": SECRET}).sensitive
    encoded = base64.b64encode(RAW.encode()).decode()
    assert encoded in validate({"name": "app/db", "secret_binary": encoded}).sensitive


@pytest.mark.parametrize("policy", ["", {}])
def test_empty_policy_means_remove(policy):
    assert validate({"name": "app/db", "resource_policy": policy}).policy == {}


def test_policy_text_is_parsed():
    desired = validate({"name": "app/db", "resource_policy": '{"Version": "2012-10-17", "Statement": []}', "block_public_policy": True})
    assert desired.policy == {"Version": "2012-10-17", "Statement": []}
    assert desired.block_public_policy is True


def test_arn_name_and_defaults():
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf"
    desired = validate({"name": arn})
    assert desired.is_arn is True
    assert desired.warnings == ()  # an ARN's suffix is expected
    assert desired.name == arn
    plain = validate({"name": "app/db"})
    assert plain.is_arn is False
    assert (plain.state, plain.value, plain.tags, plain.replicas, plain.policy, plain.rotation) == (
        "present", None, None, None, None, None)
    assert (plain.purge_tags, plain.purge_replica_regions, plain.overwrite, plain.restore) == (True, True, True, True)
    assert (plain.recovery_window_in_days, plain.force_delete_without_recovery) == (30, False)


def test_force_delete_with_the_default_window_is_accepted():
    desired = validate({"name": "app/db", "state": "absent", "force_delete_without_recovery": True, "recovery_window_in_days": 30})
    assert desired.force_delete_without_recovery is True


def test_replicas_become_a_region_map():
    desired = validate({"name": "app/db", "replica_regions": [{"region": "us-west-2", "kms_key_id": "alias/r"}, {"region": "eu-west-1"}]})
    assert desired.replicas == {"us-west-2": "alias/r", "eu-west-1": None}
    assert validate({"name": "app/db", "replica_regions": []}).replicas == {}


def test_validate_does_not_change_its_input():
    params = {"name": "app/db", "secret_json": {"b": 1, "a": 2}, "tags": {"n": 1}, "rotation": {"automatically_after_days": 5}}
    snapshot = json.dumps(params, sort_keys=True)
    validate(params)
    assert json.dumps(params, sort_keys=True) == snapshot


# ---------------------------------------------------------------- replica regions against botocore's endpoint data

AWS_REGIONS = ("aws", ("eu-west-1", "us-east-1", "us-west-2"))  # what execute() hands in: (partition, its regions)


def test_a_region_botocore_does_not_know_fails_naming_the_partition():
    with pytest.raises(ValidationError) as caught:
        _validate.validate({"name": "app/db", "replica_regions": [{"region": "mars-1"}]}, new_token=NEW_TOKEN, known_regions=AWS_REGIONS)
    error = caught.value
    assert error.option == "replica_regions[0].region"
    assert "mars-1" in error.message and "partition aws" in error.message and "allow_unknown_regions" in error.message


def test_allow_unknown_regions_accepts_with_a_warning():
    desired = _validate.validate({"name": "app/db", "replica_regions": [{"region": "mars-1"}, {"region": "eu-west-1"}],
                                  "allow_unknown_regions": True}, new_token=NEW_TOKEN, known_regions=AWS_REGIONS)
    assert desired.replicas == {"mars-1": None, "eu-west-1": None}
    assert desired.allow_unknown_regions is True
    assert [w for w in desired.warnings if "mars-1" in w and "allow_unknown_regions" in w]


def test_known_regions_pass_and_no_list_means_the_pattern_only():
    params = {"name": "app/db", "replica_regions": [{"region": "eu-west-1"}]}
    assert _validate.validate(params, new_token=NEW_TOKEN, known_regions=AWS_REGIONS).warnings == ()
    # No partition known (a test endpoint's own region name): only the pattern is checked.
    assert _validate.validate({"name": "app/db", "replica_regions": [{"region": "mars-1"}]}, new_token=NEW_TOKEN).replicas == {"mars-1": None}


def test_partition_regions_come_from_botocore():
    from ansible_collections.seed.secretsmanager.plugins.module_utils._regions import partition_regions

    partition, regions = partition_regions("us-east-1")
    assert partition == "aws" and "eu-west-1" in regions and "mars-1" not in regions
    assert partition_regions("cn-north-1")[0] == "aws-cn"
    assert partition_regions("mars-1") is None and partition_regions(None) is None


def test_external_rotation_is_kept_in_order():
    rotation = {"automatically_after_days": 5, "external_role_arn": "arn:aws:iam::123456789012:role/r",
                "external_metadata": [{"key": "b", "value": "2"}, {"key": "a", "value": "1"}]}
    desired = validate({"name": "app/db", "rotation": rotation})
    assert desired.rotation.external_metadata == (("b", "2"), ("a", "1"))
    assert desired.rotation.external_role_arn == "arn:aws:iam::123456789012:role/r"
    assert validate({"name": "app/db", "rotation": {"automatically_after_days": 5, "external_metadata": []}}).rotation.external_metadata == ()


# generate_secret and rotation are raw in the argument spec: validate() applies their suboptions as AnsibleModule
# did (conversions of the texts a template gives on ansible-core 2.16-2.18, defaults for missing or null values).
def test_generate_secret_suboptions_convert_as_the_argument_spec_did():
    generate = {"length": "20", "exclude_numbers": "yes", "include_space": None, "require_each_included_type": "False"}
    value = validate({"name": "app/db", "generate_secret": generate}).value
    assert value.request == {"PasswordLength": 20, "ExcludeNumbers": True, "RequireEachIncludedType": False}
    as_text = validate({"name": "app/db", "generate_secret": '{"length": 24, "key": "password"}'}).value
    assert as_text.request == {"PasswordLength": 24} and as_text.key == "password"
    defaults = validate({"name": "app/db", "generate_secret": {"length": None}}).value
    assert defaults.request == {"PasswordLength": 32}


def test_rotation_suboptions_convert_as_the_argument_spec_did():
    rotation = validate({"name": "app/db", "secret_string": SECRET,
                         "rotation": {"automatically_after_days": "7", "enabled": "true", "lambda_arn": LAMBDA, "rotate_immediately": None,
                                      "external_metadata": [{"key": "k", "value": 5}]}}).rotation
    assert rotation.automatically_after_days == 7 and rotation.enabled is True and rotation.rotate_immediately is False
    assert rotation.external_metadata == (("k", "5"),)
    # enabled: null is the default (true), not a falsy "off".
    assert validate({"name": "app/db", "secret_string": SECRET, "rotation": {"enabled": None, "automatically_after_days": 7}}).rotation.enabled is True


@pytest.mark.parametrize("option, value, words", [
    ("generate_secret.length", True, ["whole number", "bool"]),
    ("generate_secret.length", 20.5, ["whole number", "float"]),
    ("generate_secret.key", ["password"], ["must be a string", "list"]),
    ("generate_secret.exclude_characters", True, ["must be a string", "bool"]),
    ("generate_secret.include_space", 2, ["boolean"]),
])
def test_generate_secret_suboption_types(option, value, words):
    with pytest.raises(ValidationError) as caught:
        validate({"name": "app/db", "generate_secret": {option.split(".")[1]: value}})
    assert caught.value.option == option
    assert [word for word in words if word not in caught.value.message] == [], caught.value.message


def test_a_token_that_is_not_text_says_to_quote_it():
    for params in ({"client_request_token": 42}, {"client_request_token": True}, {"client_request_token": 4.2e31}):
        with pytest.raises(ValidationError) as caught:
            validate(dict(params, name="app/db", secret_string=SECRET))
        assert caught.value.option == "client_request_token"
        assert "must be a string" in caught.value.message and "quote" in caught.value.message
    with pytest.raises(ValidationError) as caught:
        validate({"name": "app/db", "secret_string": SECRET, "client_request_token": 42})
    assert "leading zeros" in caught.value.message
