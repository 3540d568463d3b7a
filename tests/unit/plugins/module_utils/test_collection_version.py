# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""COLLECTION_VERSION in plugins/module_utils/_aws.py (sent in the user agent) is galaxy.yml's version.

galaxy.yml is read relative to this file, so the test reads the collection it belongs to: the
checkout under plain pytest, the copy under ansible-test units (tools/run_ansible_test.py).
"""

from __future__ import annotations

import os

import yaml

from ansible_collections.seed.secretsmanager.plugins.module_utils import _aws

# tests/unit/plugins/module_utils -> the collection root
GALAXY_YML = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "galaxy.yml"))


def test_collection_version_is_galaxy_version():
    assert os.path.isfile(GALAXY_YML), "%s not found: the collection root is not where this test expects it" % GALAXY_YML
    with open(GALAXY_YML, encoding="utf-8") as handle:
        galaxy = yaml.safe_load(handle)
    assert str(galaxy["version"]) == _aws.COLLECTION_VERSION, (
        "plugins/module_utils/_aws.py COLLECTION_VERSION is %r, galaxy.yml's version is %r: bump both together"
        % (_aws.COLLECTION_VERSION, galaxy["version"])
    )
