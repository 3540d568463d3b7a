# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The options of the secret module: its argument spec, and which of its texts Ansible masks.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

Both front doors (the module, and the action plugin that runs the core in the controller's
worker process) check arguments against module_spec(), show invocation_args() and mask what
masked_texts() gives (docs/check-and-diff.md, "What is masked").
"""

from __future__ import annotations

import json
import re
from typing import Iterable

from ansible_collections.seed.secretsmanager.plugins.module_utils._connection import connection_argument_spec


def _list_of(options, **settings):
    """A list option whose elements are dicts with these suboptions."""
    return dict(type="list", elements="dict", options=options, **settings)


def argument_spec() -> dict:
    """The options of the secret module, beside the connection options."""
    return dict(
        name=dict(type="str", required=True, aliases=["secret_id"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        # raw, checked in _validate.py: type=str would store {a: b}, [a], yes or 1.10 as the Python text
        # "{'a': 'b'}", "['a']", "True" or "1.1" without a word.
        secret_string=dict(type="raw", no_log=True),
        secret_json=dict(type="raw", no_log=True),
        secret_binary=dict(type="str", no_log=True),
        # raw, checked in _validate.py against GENERATE_SECRET_OPTIONS: with type=dict and suboptions, a value that
        # is not a dict (generate_secret: true) crashes ansible-core 2.16-2.19's argument check (ansible/ansible#81631).
        generate_secret=dict(type="raw", no_log=False),
        # raw, checked in _validate.py: type=str would turn an unquoted 00000000000000000000000000000042, which YAML
        # reads as the number 42, into the text "42" without a word.
        client_request_token=dict(type="raw", aliases=["version_id"], no_log=False),
        overwrite=dict(type="bool", default=True),
        description=dict(type="str"),
        kms_key_id=dict(type="str"),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
        replica_regions=_list_of(dict(region=dict(type="str", required=True), kms_key_id=dict(type="str"))),
        purge_replica_regions=dict(type="bool", default=True),
        allow_unknown_regions=dict(type="bool", default=False),
        force_overwrite_replica_secret=dict(type="bool"),
        type=dict(type="str"),
        resource_policy=dict(type="raw"),
        block_public_policy=dict(type="bool"),
        # raw for the reason of generate_secret; checked in _validate.py against ROTATION_OPTIONS.
        rotation=dict(type="raw"),
        recovery_window_in_days=dict(type="int", default=30),
        force_delete_without_recovery=dict(type="bool", default=False),
        restore=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=120),
    )


VALUE_OPTIONS = ("secret_string", "secret_json", "secret_binary")

# The suboptions of the two dict options that the argument spec takes as raw (see argument_spec()), in the argument
# spec's own form. _validate.py applies them as AnsibleModule would (types, defaults, unknown keys, required) and names
# the option in its error; the module's DOCUMENTATION documents them, and a unit test ties the two together.
# None of them is no_log: the argument spec gave them none, and generate_secret.key is a JSON key, not a secret.
GENERATE_SECRET_OPTIONS = dict(
    length=dict(type="int", default=32),
    exclude_characters=dict(type="str"),
    exclude_numbers=dict(type="bool", default=False),
    exclude_punctuation=dict(type="bool", default=False),
    exclude_uppercase=dict(type="bool", default=False),
    exclude_lowercase=dict(type="bool", default=False),
    include_space=dict(type="bool", default=False),
    require_each_included_type=dict(type="bool", default=True),
    key=dict(type="str"),
)
ROTATION_OPTIONS = dict(
    enabled=dict(type="bool", default=True),
    lambda_arn=dict(type="str"),
    automatically_after_days=dict(type="int"),
    schedule_expression=dict(type="str"),
    duration=dict(type="str"),
    rotate_immediately=dict(type="bool", default=False),
    external_metadata=_list_of(dict(key=dict(type="str", required=True), value=dict(type="str", required=True))),
    external_role_arn=dict(type="str"),
)
# Which options exclude each other is checked in _validate.py, not by the argument spec: its message names no
# option in the collection's way (no `option` in the result), and Ansible's masking of the value options mangled it
# ("secret_string|secret_json|secret_********inary").
MUTUALLY_EXCLUSIVE = []


def module_spec() -> dict:
    """Everything the front doors (module, action plugin) need to check arguments the same way."""
    spec = connection_argument_spec()
    spec.update(argument_spec())
    return {"argument_spec": spec, "mutually_exclusive": MUTUALLY_EXCLUSIVE}


def invocation_args(params: dict) -> dict:
    """The arguments as a result's invocation shows them (at -vvv, and to every callback), values hidden whole.

    Left to Ansible, secret_json would be masked leaf by leaf, and masked_texts lets short leaves and leaves
    found in the task's other options through: the invocation would show e.g. {"pin": 417}. Hiding the value
    options here also keeps them out of the result before any masking runs.
    """
    shown = dict(params)
    for option in VALUE_OPTIONS:
        if shown.get(option) is not None:
            shown[option] = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    return shown


# The result keys that hold the secret's identifiers and metadata as AWS holds them (or as the task predicts
# them from its own options). The core builds them from DescribeSecret-shaped data, operation names and the
# task's non-secret options; no value ever reaches them, so a secret_json leaf found there is no secret.
IDENTIFIER_KEYS = ("name", "arn", "version_id", "secret", "actions", "diff")
# A leaf this short is no secret worth masking: as a substring it would turn letters and digits of every
# message, date and number into ********.
SHORT_LEAF = 3
# An ARN inside a message (an AWS error names the secret, a policy or a principal by ARN) is AWS's identifier.
ARN = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9]*:[A-Za-z0-9/_+=.@:!-]+")


def _texts(data: object, keys: bool = True) -> set:
    """Every string and number in data (dict keys too when keys), as the text Ansible's masking compares."""
    found, stack = set(), [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
            if keys:
                stack.extend(item)
        elif isinstance(item, (list, tuple, set)):
            stack.extend(item)
        elif isinstance(item, str):
            found.add(item)
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            found.add(str(item))
    found.discard("")
    return found


def value_texts(params: dict) -> tuple:
    """(whole, leaves): each value option as given and secret_json as sent to AWS; secret_json's leaves."""
    whole, leaves = set(), set()
    for option in VALUE_OPTIONS:
        given = params.get(option)
        if given is None:
            continue
        data = given
        if isinstance(given, (str, int, float)) and not isinstance(given, bool):
            whole.add(str(given))
        if option == "secret_json" and isinstance(given, str):
            try:
                data = json.loads(given)
            except ValueError:
                continue  # refused by validation; masked whole
        if option == "secret_json" and isinstance(data, (dict, list)):
            whole.add(json.dumps(data, separators=(",", ":"), ensure_ascii=False))  # _model.compact_json
            whole.add(json.dumps(data))
            leaves |= _texts(data, keys=False)
        elif not isinstance(given, str):
            leaves |= _texts(given, keys=False)  # a refused value of another type: masked as Ansible would
    whole.discard("")
    return whole, leaves - whole


def _option_texts(spec: dict, params: dict) -> tuple:
    """(public, hidden): the texts of the options that are not no_log, and of the no_log ones that hold no value."""
    public, hidden = set(), set()
    for name, settings in spec.items():
        given = params.get(name)
        if given is None or name in VALUE_OPTIONS:
            continue
        if settings.get("no_log"):
            hidden |= _texts(given)
        elif settings.get("options") and isinstance(given, (dict, list)):
            for item in given if isinstance(given, list) else [given]:
                inner = _option_texts(settings["options"], item) if isinstance(item, dict) else (_texts(item), set())
                public |= inner[0]
                hidden |= inner[1]
        else:
            public |= _texts(given)
    return public, hidden


def public_texts(params: dict, result: dict | None = None) -> set:
    """Texts nothing needs to hide: the task's options that are not no_log, the result's identifiers and
    metadata (IDENTIFIER_KEYS), and the ARNs in any of the result's messages."""
    public = _option_texts(module_spec()["argument_spec"], params)[0]
    if result:
        public |= _texts([result.get(key) for key in IDENTIFIER_KEYS])
        for text in _texts(result, keys=False):
            public.update(ARN.findall(text))
    return public


def masked_texts(params: dict, result: dict | None = None, generated: Iterable[str] = ()) -> set:
    """What the secret task masks in everything it returns, on both execution paths (docs/check-and-diff.md).

    Always: each value option as given, secret_json as sent to AWS, every generated value, and the no_log
    options that are not values (secret_key, session_token). A secret_json leaf only when it is longer than
    SHORT_LEAF and found in no public text (public_texts): a leaf such as a region, an environment or a user
    name that also appears in the name, an ARN, a tag or a description would otherwise turn those into
    ********, and the playbook could no longer use them. The core never puts a value in a result, so this
    masking is the second line of defence; whole values are masked even inside identifiers.
    """
    whole, leaves = value_texts(params)
    public = public_texts(params, result)
    hidden = _option_texts(module_spec()["argument_spec"], params)[1]
    secret_leaves = {leaf for leaf in leaves if len(leaf) > SHORT_LEAF and not any(leaf in text for text in public)}
    return whole | set(generated) | hidden | secret_leaves


def ansible_value_texts(params: dict) -> set:
    """The texts Ansible itself collects from the value options (every string and number, as for any no_log
    option); masked_texts decides which of them stay masked."""
    return _texts([params.get(option) for option in VALUE_OPTIONS], keys=False)


# ---------------------------------------------------------------- the secrets module (a fleet)

FLEET_CONCURRENCY = 10  # parallel AWS calls at most; botocore's connection pool holds 10 by default
FLEET_RATE_LIMIT = 50.0  # requests per second per AWS quota: each write quota of Secrets Manager is 50 per second


def item_spec() -> dict:
    """The options of one item of the secrets module (and of its defaults): the secret module's options, each
    raw and without a default. _fleet.py merges the defaults under the item and then checks every option as the
    secret module does, naming the item; a default filled in here would hide which options the item gave.
    no_log stays, so Ansible masks the value options wherever it prints the arguments (an early failure too)."""
    spec = {}
    for name, settings in argument_spec().items():
        # no_log said for every option: a raw option whose name has "secret" in it would otherwise be taken as one.
        item = {"type": "raw", "no_log": bool(settings.get("no_log"))}
        if "aliases" in settings:
            item["aliases"] = settings["aliases"]
        spec[name] = item
    return spec


def fleet_argument_spec() -> dict:
    """The options of the secrets module, beside the connection options."""
    defaults = item_spec()
    del defaults["name"]
    return dict(
        # Not no_log itself: its value options are (item_spec), so the names and metadata stay readable.
        secrets=dict(type="list", elements="dict", required=True, no_log=False, options=item_spec()),
        defaults=dict(type="dict", options=defaults),
        path=dict(type="str"),
        purge=dict(type="bool", default=False),
        purge_recovery_window_in_days=dict(type="int"),
        purge_force_delete_without_recovery=dict(type="bool", default=False),
        concurrency=dict(type="int", default=FLEET_CONCURRENCY),
        rate_limit=dict(type="float", default=FLEET_RATE_LIMIT),
    )


def fleet_module_spec() -> dict:
    """The secrets module's argument spec, for both front doors."""
    spec = connection_argument_spec()
    spec.update(fleet_argument_spec())
    return {"argument_spec": spec}


def fleet_parts(params: dict) -> list:
    """The items of a secrets task and its defaults: every dict that holds the secret module's options."""
    parts = [item for item in params.get("secrets") or [] if isinstance(item, dict)]
    if isinstance(params.get("defaults"), dict):
        parts.append(params["defaults"])
    return parts


def fleet_invocation_args(params: dict) -> dict:
    """The secrets task's arguments as its invocation shows them: the value options of every item hidden whole."""
    shown = dict(params)
    if isinstance(params.get("secrets"), list):
        shown["secrets"] = [invocation_args(item) if isinstance(item, dict) else item for item in params["secrets"]]
    if isinstance(params.get("defaults"), dict):
        shown["defaults"] = invocation_args(params["defaults"])
    return shown


# The keys of a secrets task's result (and of each entry of its results) that hold identifiers, as IDENTIFIER_KEYS.
FLEET_IDENTIFIER_KEYS = ("deleted", "purged", "diff", "actions", "counts")
FLEET_ITEM_IDENTIFIER_KEYS = ("name", "arn", "version_id", "actions")


def fleet_masked_texts(params: dict, result: dict | None = None, generated: Iterable[str] = ()) -> set:
    """masked_texts for a secrets task: the same rule over every item and the defaults. A secret_json leaf stays
    masked unless it is found in a public text of any item (a leaf of one item in another item's name is that
    name, not a secret), so identifiers come back as AWS holds them."""
    whole, leaves = set(), set()
    for part in fleet_parts(params):
        part_whole, part_leaves = value_texts(part)
        whole |= part_whole
        leaves |= part_leaves
    public, hidden = _option_texts(fleet_module_spec()["argument_spec"], params)
    if result:
        public |= _texts([[entry.get(key) for key in FLEET_ITEM_IDENTIFIER_KEYS] for entry in result.get("results") or []])
        public |= _texts([result.get(key) for key in FLEET_IDENTIFIER_KEYS])
        for text in _texts(result, keys=False):
            public.update(ARN.findall(text))
    secret_leaves = {leaf for leaf in leaves - whole if len(leaf) > SHORT_LEAF and not any(leaf in text for text in public)}
    return whole | set(generated) | hidden | secret_leaves


def fleet_ansible_value_texts(params: dict) -> set:
    """The texts Ansible itself collects from the value options of the items and the defaults."""
    return set().union(*(ansible_value_texts(part) for part in fleet_parts(params))) if fleet_parts(params) else set()
