# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The shape of module_utils (docs/architecture.md): which layer may import which, and type hints
on every public function. Read from the source files, so a new import or function is checked too."""

from __future__ import annotations

import ast
import os

import pytest

MODULE_UTILS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "plugins", "module_utils")
PREFIX = "ansible_collections.seed.secretsmanager.plugins.module_utils."

# The layers that call nothing and never import the AWS layer (or anything that does).
PURE = {"_errors", "_model", "_options", "_connection", "_validate", "_plan", "_predict", "_result", "_fleet_validate", "_fleet_result", "_suboptions"}
AWS = {"_aws", "_apply", "_secret", "_read", "_front", "_front_secret", "_front_fleet", "_front_info", "_fleet", "_fleet_read", "_pacing", "_purge", "_regions"}
# Each file and the collection files it may import.
ALLOWED = {
    "_errors": set(),
    "_connection": set(),
    "_model": set(),
    "_options": {"_connection"},
    "_suboptions": {"_errors"},
    "_validate": {"_errors", "_model", "_options", "_suboptions"},
    "_plan": {"_errors", "_model"},
    "_predict": {"_model"},
    "_result": {"_model"},
    "_aws": {"_connection", "_errors"},
    "_apply": {"_aws", "_errors", "_model", "_plan", "_predict", "_regions", "_result"},
    "_secret": {"_apply", "_aws", "_errors", "_model", "_regions", "_validate"},
    # Regions and the SDK's service model: on top of the AWS layer.
    "_regions": {"_aws", "_errors"},
    # The read side (secret_info, the lookup): the AWS layer and the result layer only.
    "_read": {"_aws", "_connection", "_errors", "_regions", "_result"},
    # The secrets module: many secret tasks (validate, read_more/run) read in bulk and run in parallel.
    "_fleet": {"_apply", "_aws", "_errors", "_fleet_read", "_fleet_result", "_fleet_validate", "_model", "_pacing", "_plan", "_purge", "_regions", "_secret",
               "_validate"},
    "_purge": {"_apply", "_aws", "_errors", "_fleet_validate", "_model", "_validate"},
    "_fleet_validate": {"_errors", "_model", "_options", "_suboptions", "_validate"},
    "_fleet_read": {"_apply", "_aws", "_fleet_validate"},
    "_fleet_result": {"_fleet_validate", "_model"},
    "_pacing": set(),
    # What a module does with the core's result, for the module and the in-process action alike.
    # What a module does with the core's result, for the module and the in-process action alike: the end of a
    # task, and one front door a module, each importing only the layers its module runs.
    "_front": {"_aws"},
    "_front_secret": {"_aws", "_front", "_options", "_secret"},
    "_front_fleet": {"_aws", "_fleet", "_front", "_options"},
    "_front_info": {"_aws", "_front", "_read"},
}

# What each module ships and imports (its whole chain of collection imports): a module runs only its own
# layers, every import is paid on every module run (STYLE.md). The secret module carries no fleet and no read
# side, secret_info no planner and no fleet.
MODULES = os.path.join(MODULE_UTILS, "..", "modules")
NEVER_IN_CHAIN = {
    "secret": {"_fleet", "_fleet_read", "_fleet_result", "_fleet_validate", "_pacing", "_purge", "_read", "_front_fleet", "_front_info"},
    "secret_info": {"_fleet", "_fleet_read", "_fleet_result", "_fleet_validate", "_pacing", "_purge", "_apply", "_plan", "_predict", "_validate",
                    "_secret", "_front_fleet", "_front_secret"},
    "secrets": {"_read", "_front_secret", "_front_info"},
}


def _files():
    return sorted(name[:-3] for name in os.listdir(MODULE_UTILS) if name.endswith(".py") and name != "__init__.py")


def _tree(name):
    with open(os.path.join(MODULE_UTILS, name + ".py"), encoding="utf-8") as source:
        return ast.parse(source.read())


def _imports(name):
    found = set()
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX):
            found.add(node.module[len(PREFIX):])
        elif isinstance(node, ast.ImportFrom) and node.module == PREFIX.rstrip("."):
            found.update(alias.name for alias in node.names)
    return found


def _chain(roots):
    """The collection's module_utils files that importing roots imports, transitively."""
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_imports(name))
    return seen


@pytest.mark.parametrize("module", sorted(NEVER_IN_CHAIN))
def test_a_module_imports_only_the_layers_it_runs(module):
    with open(os.path.join(MODULES, module + ".py"), encoding="utf-8") as source:
        tree = ast.parse(source.read())
    roots = {node.module[len(PREFIX):] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX)}
    assert roots, module
    chain = _chain(roots)
    assert not chain & NEVER_IN_CHAIN[module], "%s imports %s" % (module, sorted(chain & NEVER_IN_CHAIN[module]))


def test_every_file_has_a_place():
    assert set(_files()) == set(ALLOWED), "a new module_utils file needs its place in ALLOWED and docs/architecture.md"


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_imports_follow_the_layers(name):
    assert _imports(name) <= ALLOWED[name], "%s imports %s" % (name, sorted(_imports(name) - ALLOWED[name]))


@pytest.mark.parametrize("name", sorted(PURE))
def test_pure_layers_never_import_botocore_or_the_aws_layer(name):
    assert not _imports(name) & AWS
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.Import):
            assert not any(alias.name.startswith("botocore") for alias in node.names), name
        if isinstance(node, ast.ImportFrom):
            assert not (node.module or "").startswith("botocore"), name


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_public_functions_have_type_hints(name):
    missing = []
    for node in ast.walk(_tree(name)):
        if not isinstance(node, ast.ClassDef):
            continue
        for item in node.body:
            if isinstance(item, ast.FunctionDef) and not item.name.startswith("_") or getattr(item, "name", "") == "__init__":
                missing += _unhinted(item, node.name + ".")
    for node in _tree(name).body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            missing += _unhinted(node)
    assert not missing, "%s: no type hints on %s" % (name, ", ".join(missing))


def _unhinted(function, prefix=""):
    args = function.args
    params = [a for a in args.posonlyargs + args.args + args.kwonlyargs if a.arg not in ("self", "cls")]
    if function.returns is None or any(a.annotation is None for a in params):
        return [prefix + function.name]
    return []
