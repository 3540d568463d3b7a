# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The connection options: the one table the modules' argument spec is built from.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

The documentation of these options lives in plugins/doc_fragments/connection.py (MODULES for the
modules, PLUGINS for the lookup), as Ansible needs it there. A unit test
(tests/unit/plugins/module_utils/test_connection_options.py) reads both fragments and fails when
a name, type, alias, default or environment variable there differs from this table.
"""

from __future__ import annotations

try:
    from ansible.module_utils.basic import env_fallback
except ImportError:  # pragma: no cover - the core also runs without Ansible
    env_fallback = None

# name: (type, aliases, environment variables in the order the modules read them, extra settings)
# The names, aliases and environment variables include all of amazon.aws's common options (its doc fragments
# amazon.aws.common and amazon.aws.region), so that one set of module_defaults serves both collections; the
# environment variables that only amazon.aws reads (AWS_ACCESS_KEY, AWS_SECRET_KEY, AWS_DEFAULT_PROFILE, AWS_URL)
# come after botocore's own.
CONNECTION_TABLE = (
    ("region", "str", ("aws_region", "ec2_region"), ("AWS_REGION", "AWS_DEFAULT_REGION"), {}),
    ("profile", "str", ("aws_profile",), ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"), {}),
    ("access_key", "str", ("aws_access_key_id", "aws_access_key", "ec2_access_key"), ("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY"), {"no_log": False}),
    ("secret_key", "str", ("aws_secret_access_key", "aws_secret_key", "ec2_secret_key"), ("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY"), {"no_log": True}),
    ("session_token", "str", ("aws_session_token",), ("AWS_SESSION_TOKEN",), {"no_log": True}),
    ("endpoint_url", "str", ("aws_endpoint_url", "ec2_url"), ("AWS_ENDPOINT_URL", "AWS_URL"), {}),
    ("validate_certs", "bool", (), (), {"default": True}),
    ("aws_ca_bundle", "path", (), ("AWS_CA_BUNDLE",), {}),
    ("aws_config", "dict", (), (), {}),
    # amazon.aws's switch for the IAM actions of the calls made (resource_actions in a module's result).
    ("debug_botocore_endpoint_logs", "bool", (), ("ANSIBLE_DEBUG_BOTOCORE_LOGS",), {"default": False}),
)

CONNECTION_OPTIONS = tuple(row[0] for row in CONNECTION_TABLE)


def connection_argument_spec() -> dict:
    """The connection options as an AnsibleModule argument spec (a new dict on every call)."""
    spec = {}
    for name, kind, aliases, env, extra in CONNECTION_TABLE:
        option = dict(type=kind, **extra)
        if aliases:
            option["aliases"] = list(aliases)
        if env and env_fallback is not None:
            option["fallback"] = (env_fallback, list(env))
        spec[name] = option
    return spec
