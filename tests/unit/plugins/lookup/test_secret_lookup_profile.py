# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secret lookup with a profile and keys: the keys are the credentials, the profile gives the region.

What the PLUGINS connection fragment says of profile, for each place the lookup takes keys from:
keyword arguments, Ansible variables and the environment. The lookup runs with no terms, so it only
builds its client; a spy keeps that client to read its region and credentials. The same for
secretsmanager_client() itself and the modules: tests/unit/plugins/module_utils/test_connection_profile.py.
"""

from __future__ import annotations

import os

import pytest

import ansible.plugins.loader as plugin_loader
from ansible_collections.seed.secretsmanager.plugins.doc_fragments import connection
from ansible_collections.seed.secretsmanager.plugins.lookup import secret as lookup_secret
from ansible_collections.seed.secretsmanager.plugins.module_utils import _aws

PLUGIN = "seed.secretsmanager.secret"
PROFILE_KEY = "AKIAPROFILEAAAAAAAAA"
GIVEN_KEY = "AKIAGIVENBBBBBBBBBBB"


class _FragmentLoader:
    def get(self, name, *args, **kwargs):
        if name != "seed.secretsmanager.connection":
            return None
        return type("ModuleDocFragment", (connection.ModuleDocFragment,), {"ansible_name": name})


@pytest.fixture(scope="module", autouse=True)
def lookup_options():
    # The lookup's options as ansible-core loads them (see tests/unit/plugins/lookup/test_secret_lookup.py).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plugin_loader, "fragment_loader", _FragmentLoader())
        plugin_loader.lookup_loader._load_config_defs(PLUGIN, lookup_secret, lookup_secret.__file__)


@pytest.fixture(autouse=True)
def aws_files(monkeypatch, tmp_path):
    """Only the temporary AWS files count: no AWS_* variable of the test run, no client of another test."""
    for variable in [name for name in os.environ if name.startswith("AWS_")]:
        monkeypatch.delenv(variable)
    config, credentials = tmp_path / "config", tmp_path / "credentials"
    config.write_text("[profile deploy]\nregion = eu-central-1\n")
    credentials.write_text("[deploy]\naws_access_key_id = %s\naws_secret_access_key = profile-secret\n" % PROFILE_KEY)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setattr(_aws, "_CLIENTS", {})


@pytest.fixture
def built(monkeypatch):
    """The clients the lookup builds."""
    clients = []
    real = lookup_secret.secretsmanager_client

    def spy(params, reuse=False):
        clients.append(real(params, reuse=reuse))
        return clients[-1]

    monkeypatch.setattr(lookup_secret, "secretsmanager_client", spy)
    return clients


def run_lookup(variables=None, **options):
    lookup = lookup_secret.LookupModule()
    lookup._load_name = PLUGIN
    return lookup.run([], variables=variables or {}, **options)


def access_key(client) -> str:
    return client._request_signer._credentials.access_key


def test_profile_alone(built):
    assert run_lookup(profile="deploy") == []
    assert access_key(built[0]) == PROFILE_KEY
    assert built[0].meta.region_name == "eu-central-1"


@pytest.mark.parametrize("source", ["keywords", "variables", "environment"])
def test_keys_win_over_the_profile_which_still_gives_the_region(built, monkeypatch, source):
    options = {"profile": "deploy"}
    variables = {}
    if source == "keywords":
        options.update(access_key=GIVEN_KEY, secret_key="given-secret")
    elif source == "variables":
        variables.update(aws_access_key=GIVEN_KEY, aws_secret_key="given-secret")
    else:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", GIVEN_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "given-secret")
    assert run_lookup(variables, **options) == []
    assert len(built) == 1
    assert access_key(built[0]) == GIVEN_KEY, "keys from %s" % source
    assert built[0].meta.region_name == "eu-central-1", "keys from %s" % source
