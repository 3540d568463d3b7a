# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The connection options have one source: CONNECTION_TABLE in plugins/module_utils/_connection.py.

Ansible reads option documentation only from doc fragments, so plugins/doc_fragments/connection.py
writes the same options out by hand twice: MODULES (environment variables named with E() in the
descriptions, as the modules read them through the argument spec's fallback) and PLUGINS (the
lookup's `env:` entries). These tests fail when a name, type, alias, default, environment variable
or no_log setting differs between the table and either fragment, and when a plugin stops extending
its fragment. Each message names the option and the two sources that differ.
"""

from __future__ import annotations

import ast
import os
import re

import pytest
import yaml

from ansible_collections.seed.secretsmanager.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.seed.secretsmanager.plugins.module_utils._connection import CONNECTION_TABLE, connection_argument_spec

# tests/unit/plugins/module_utils -> the collection root (the checkout, or ansible-test's copy of it)
COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))

TABLE = {name: {"type": kind, "aliases": aliases, "env": env, "extra": extra} for name, kind, aliases, env, extra in CONNECTION_TABLE}
# The modules extend MODULES and SHARED, the lookup PLUGINS and SHARED (the options both read alike).
SHARED = yaml.safe_load(ModuleDocFragment.SHARED)["options"]
FRAGMENTS = {
    "MODULES": dict(yaml.safe_load(ModuleDocFragment.MODULES)["options"], **SHARED),
    "PLUGINS": dict(yaml.safe_load(ModuleDocFragment.PLUGINS)["options"], **SHARED),
}
AWS_VARIABLE = re.compile(r"\bAWS_[A-Z0-9_]+\b")


def description_text(option: dict) -> str:
    description = option.get("description") or []
    if isinstance(description, str):
        description = [description]
    return "\n".join(description)


def documentation(relative_path: str) -> dict:
    """A plugin's DOCUMENTATION, read from its source without importing (running) the plugin."""
    path = os.path.join(COLLECTION_ROOT, relative_path)
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), filename=path)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(target, ast.Name) and target.id == "DOCUMENTATION" for target in node.targets):
            return yaml.safe_load(ast.literal_eval(node.value))
    raise AssertionError("%s has no DOCUMENTATION" % relative_path)


def table_and_fragments():
    return [(variant, name) for variant in FRAGMENTS for name in TABLE]


@pytest.mark.parametrize("variant", sorted(FRAGMENTS))
def test_same_option_names(variant):
    documented = set(FRAGMENTS[variant])
    missing = sorted(set(TABLE) - documented)
    extra = sorted(documented - set(TABLE))
    assert not missing and not extra, (
        "CONNECTION_TABLE and the %s fragment list different options: not documented in %s: %s; in %s but not in the table: %s"
        % (variant, variant, missing, variant, extra)
    )


@pytest.mark.parametrize("variant, name", table_and_fragments())
def test_same_type(variant, name):
    option = FRAGMENTS[variant].get(name)
    if option is None:
        pytest.skip("%s is not in the %s fragment (test_same_option_names says so)" % (name, variant))
    assert option.get("type") == TABLE[name]["type"], (
        "option %r: type %r in CONNECTION_TABLE, %r in the %s fragment" % (name, TABLE[name]["type"], option.get("type"), variant)
    )


@pytest.mark.parametrize("variant, name", table_and_fragments())
def test_same_aliases(variant, name):
    # Ansible does not care about the order of aliases, so neither does this test.
    option = FRAGMENTS[variant].get(name)
    if option is None:
        pytest.skip("%s is not in the %s fragment (test_same_option_names says so)" % (name, variant))
    documented = set(option.get("aliases") or [])
    assert documented == set(TABLE[name]["aliases"]), (
        "option %r: aliases %s in CONNECTION_TABLE, %s in the %s fragment"
        % (name, sorted(TABLE[name]["aliases"]), sorted(documented), variant)
    )


@pytest.mark.parametrize("variant, name", table_and_fragments())
def test_same_default(variant, name):
    option = FRAGMENTS[variant].get(name)
    if option is None:
        pytest.skip("%s is not in the %s fragment (test_same_option_names says so)" % (name, variant))
    table_default = TABLE[name]["extra"].get("default")
    assert option.get("default") == table_default, (
        "option %r: default %r in CONNECTION_TABLE, %r in the %s fragment" % (name, table_default, option.get("default"), variant)
    )


def test_validate_certs_defaults_to_true():
    # Certificates are checked unless a task says otherwise: a default that must never drift to false.
    assert TABLE["validate_certs"]["extra"].get("default") is True, "option 'validate_certs': CONNECTION_TABLE's default is not true"
    for variant, options in FRAGMENTS.items():
        assert options.get("validate_certs", {}).get("default") is True, "option 'validate_certs': the %s fragment's default is not true" % variant


@pytest.mark.parametrize("name", sorted(TABLE))
def test_modules_description_names_the_environment_variables(name):
    option = FRAGMENTS["MODULES"].get(name)
    assert option is not None, "option %r of CONNECTION_TABLE is in neither the MODULES nor the SHARED fragment" % name
    text = description_text(option)
    unnamed = [variable for variable in TABLE[name]["env"] if "E(%s)" % variable not in text]
    assert not unnamed, (
        "option %r: CONNECTION_TABLE reads %s, but the MODULES fragment's description does not name %s with E()"
        % (name, list(TABLE[name]["env"]), unnamed)
    )
    others = sorted(set(AWS_VARIABLE.findall(text)) - set(TABLE[name]["env"]))
    assert not others, (
        "option %r: the MODULES fragment's description names %s, which CONNECTION_TABLE does not read for it (it reads %s)"
        % (name, others, list(TABLE[name]["env"]))
    )


@pytest.mark.parametrize("name", sorted(TABLE))
def test_plugins_env_entries(name):
    # The lookup takes the last variable that is set, the modules the first one: the order differs
    # on purpose (see the fragment), so only the set is compared.
    option = FRAGMENTS["PLUGINS"].get(name)
    assert option is not None, "option %r of CONNECTION_TABLE is in neither the PLUGINS nor the SHARED fragment" % name
    documented = {entry["name"] for entry in option.get("env") or []}
    assert documented == set(TABLE[name]["env"]), (
        "option %r: environment variables %s in CONNECTION_TABLE, %s in the PLUGINS fragment's env"
        % (name, sorted(TABLE[name]["env"]), sorted(documented))
    )


def test_no_log_options():
    no_log = sorted(name for name, row in TABLE.items() if row["extra"].get("no_log") is True)
    assert no_log == ["secret_key", "session_token"], "CONNECTION_TABLE marks %s no_log=True, expected secret_key and session_token" % no_log
    # Its name has "key" in it, so AnsibleModule would warn about a missing no_log; an access key id is
    # not a secret, and hiding it would hide which credentials a task used.
    access_key = TABLE["access_key"]["extra"]
    assert "no_log" in access_key and access_key["no_log"] is False, "CONNECTION_TABLE: access_key must say no_log=False explicitly"


@pytest.mark.parametrize("name", sorted(TABLE))
def test_argument_spec_follows_the_table(name):
    option = connection_argument_spec()[name]
    row = TABLE[name]
    assert option["type"] == row["type"], "option %r: type differs between CONNECTION_TABLE and connection_argument_spec()" % name
    assert option.get("aliases", []) == list(row["aliases"]), "option %r: aliases differ between CONNECTION_TABLE and connection_argument_spec()" % name
    fallback = option.get("fallback")
    assert (list(fallback[1]) if fallback else []) == list(row["env"]), (
        "option %r: environment variables differ between CONNECTION_TABLE and connection_argument_spec()'s fallback" % name
    )
    for key, value in row["extra"].items():
        assert key in option and option[key] == value, "option %r: %s differs between CONNECTION_TABLE and connection_argument_spec()" % (name, key)


def test_lookup_extends_the_plugins_fragment():
    fragments = documentation("plugins/lookup/secret.py").get("extends_documentation_fragment") or []
    assert "seed.secretsmanager.connection.plugins" in fragments, (
        "plugins/lookup/secret.py does not extend seed.secretsmanager.connection.plugins (it extends %s)" % fragments
    )
    assert "seed.secretsmanager.connection.modules" not in fragments, "plugins/lookup/secret.py extends the MODULES fragment"
    assert "seed.secretsmanager.connection.shared" in fragments, "plugins/lookup/secret.py does not extend seed.secretsmanager.connection.shared"


@pytest.mark.parametrize("path", ["plugins/modules/secret.py", "plugins/modules/secret_info.py"])
def test_modules_extend_the_modules_fragment(path):
    fragments = documentation(path).get("extends_documentation_fragment") or []
    assert "seed.secretsmanager.connection.modules" in fragments, (
        "%s does not extend seed.secretsmanager.connection.modules (it extends %s)" % (path, fragments)
    )
    assert "seed.secretsmanager.connection.plugins" not in fragments, "%s extends the PLUGINS fragment" % path
    assert "seed.secretsmanager.connection.shared" in fragments, "%s does not extend seed.secretsmanager.connection.shared" % path


def test_shared_options_are_in_no_variant():
    # Ansible refuses a fragment that documents an option twice.
    for variant in ("MODULES", "PLUGINS"):
        twice = set(SHARED) & set(yaml.safe_load(getattr(ModuleDocFragment, variant))["options"])
        assert not twice, "%s is documented in both SHARED and %s" % (sorted(twice), variant)
