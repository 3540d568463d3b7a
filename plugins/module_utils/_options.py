# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The options of the secret module: its argument spec, and which of its texts Ansible masks.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

Both front doors (the module, and the action plugin that runs the core in the controller's
worker process) check arguments against module_spec() and show invocation_args().
"""

from __future__ import annotations

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

    Left to Ansible, secret_json would be masked leaf by leaf, and unmaskable_values lets short numbers and
    booleans through: the invocation would show e.g. {"pin": 417}. Hiding the value options here also keeps
    them out of the result before Ansible's masking runs.
    """
    shown = dict(params)
    for option in VALUE_OPTIONS:
        if shown.get(option) is not None:
            shown[option] = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    return shown


def unmaskable_values(params: dict) -> set:
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
