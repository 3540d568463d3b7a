# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secret module's DOCUMENTATION matches its argument spec, suboptions included.

generate_secret and rotation are raw in the argument spec (a non-dict value of a dict option with suboptions
crashes ansible-core 2.16-2.19's argument check), and _validate.py checks their suboptions against
GENERATE_SECRET_OPTIONS and ROTATION_OPTIONS. ansible-test's validate-modules compares documented suboptions
with the argument spec's only when the spec has them, so this test does it for those two.
"""

from __future__ import annotations

import pytest
import yaml

from ansible_collections.seed.secretsmanager.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.seed.secretsmanager.plugins.module_utils._options import GENERATE_SECRET_OPTIONS, ROTATION_OPTIONS, module_spec
from ansible_collections.seed.secretsmanager.plugins.modules import secret as secret_module

DOC = yaml.safe_load(secret_module.DOCUMENTATION)
CHECKED_BY_THE_MODULE = {"generate_secret": GENERATE_SECRET_OPTIONS, "rotation": ROTATION_OPTIONS}


def _documented():
    options = dict(DOC["options"])
    options.update(yaml.safe_load(ModuleDocFragment.MODULES)["options"])
    options.update(yaml.safe_load(ModuleDocFragment.SHARED)["options"])
    return options


def _differences(path, doc_options, spec_options):
    """Every way the documented options differ from the spec's: names, type, default, required, elements, aliases,
    choices, and the same for suboptions."""
    found = []
    if sorted(doc_options) != sorted(spec_options):
        found.append("%s: documented %s, spec %s" % (path or "options", sorted(doc_options), sorted(spec_options)))
    for name in sorted(set(doc_options) & set(spec_options)):
        doc, spec = doc_options[name], spec_options[name]
        where = (path + "." if path else "") + name
        for key, fallback in (("type", "str"), ("default", None), ("required", False), ("elements", None), ("aliases", []), ("choices", None)):
            if doc.get(key, fallback) != spec.get(key, fallback):
                found.append("%s: %s documented as %r, %r in the spec" % (where, key, doc.get(key, fallback), spec.get(key, fallback)))
        sub_spec = CHECKED_BY_THE_MODULE.get(where, spec.get("options"))
        if sub_spec or doc.get("suboptions"):
            found += _differences(where, doc.get("suboptions") or {}, sub_spec or {})
    return found


def test_documentation_matches_the_argument_spec_and_the_checked_suboptions():
    assert _differences("", _documented(), module_spec()["argument_spec"]) == []


@pytest.mark.parametrize("option", sorted(CHECKED_BY_THE_MODULE))
def test_options_checked_by_the_module_are_raw_in_spec_and_documentation(option):
    # raw in both places: validate-modules wants the documented type to be the spec's.
    assert module_spec()["argument_spec"][option]["type"] == "raw"
    assert "options" not in module_spec()["argument_spec"][option]
    assert DOC["options"][option]["type"] == "raw"
    assert DOC["options"][option]["suboptions"], "the suboptions stay documented"


def test_the_comparison_sees_a_difference_in_a_checked_suboption():
    # The test above would pass for nothing if _differences never looked into generate_secret's suboptions.
    doc = yaml.safe_load(secret_module.DOCUMENTATION)["options"]
    doc["generate_secret"]["suboptions"]["length"]["default"] = 64
    doc["rotation"]["suboptions"]["external_metadata"]["suboptions"]["key"]["required"] = False
    spec = module_spec()["argument_spec"]
    found = _differences("", {name: doc[name] for name in CHECKED_BY_THE_MODULE}, {name: spec[name] for name in CHECKED_BY_THE_MODULE})
    assert found == [
        "generate_secret.length: default documented as 64, 32 in the spec",
        "rotation.external_metadata.key: required documented as False, True in the spec",
    ]
