# -*- coding: utf-8 -*-
"""The pinned test environments (tools/pins.py, docs/contributing.md "Pinned test environments").

What a new release of a test dependency must not change: every venv the build creates is installed
from a lock under pins/, each lock pins every package with hashes, the matrix's oldest entry pins the
minimum of requirements.txt, and a lock whose inputs changed is refused before pip runs. Offline:
nothing here installs or resolves.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import matrix  # noqa: E402  pylint: disable=wrong-import-position
import pins  # noqa: E402  pylint: disable=wrong-import-position

# Every file of the build that creates a venv: they install only through tools/pins.py. (ansible-test's
# own sanity venvs get the pip and the requirements that ansible-test pins; tools/run_ansible_test.py's
# stand-in for get-pip.py installs that pip.)
BUILD_FILES = ["Makefile", ".ci/run", "tools/matrix.py", "tools/with_localstack.py"] + sorted(
    glob.glob(os.path.join(ROOT, "mk", "*.mk")) + glob.glob(os.path.join(ROOT, "bench", "*.py")))


def entries(path):
    """[(name, version, hashes)] of a lock, one per requirement (continuation lines joined)."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read().replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#") and not line.startswith(" "):
            match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)", line)
            assert match, "%s: not an exact pin: %s" % (os.path.basename(path), line)
            found.append((pins.normalise(match.group(1)), match.group(2), re.findall(r"--hash=sha256:([0-9a-f]{64})", line)))
    return found


def test_every_lock_pins_every_package_with_hashes_and_is_current():
    assert sorted(os.path.basename(path)[:-4] for path in glob.glob(os.path.join(ROOT, "pins", "*.txt"))) == sorted(pins.ENVIRONMENTS)
    for name in pins.ENVIRONMENTS:
        listed = entries(pins.lock_path(name))
        assert listed, name
        assert all(hashes for _name, _version, hashes in listed), name
        assert pins.stale_reason(name) is None, pins.stale_reason(name)


@pytest.mark.parametrize("name, core", [("py3.11-core2.19", "2.19."), ("py3.11-core2.16", "2.16."), ("py3.13-core2.21", "2.21."),
                                        ("py3.11-core2.19-demo", "2.19.")])
def test_each_lock_holds_the_ansible_core_its_name_says(name, core):
    assert pins.read_pins(pins.lock_path(name))["ansible-core"].startswith(core)


def test_the_oldest_matrix_entry_pins_the_minimum_that_requirements_txt_allows():
    with open(os.path.join(ROOT, "requirements.txt"), encoding="utf-8") as handle:
        minimum = dict(re.findall(r"^([a-z0-9-]+)>=([0-9.]+)", handle.read(), re.M))
    assert set(minimum) == {"botocore", "boto3"}
    oldest = pins.read_pins(pins.lock_path(matrix.ENTRIES["core2.16-py3.11"]["pins"]))
    assert {package: oldest[package] for package in minimum} == minimum
    newest = pins.read_pins(pins.lock_path("py3.11-core2.19"))
    assert newest["botocore"] != minimum["botocore"]  # the other locks take the newest release


def test_the_demo_installs_a_subset_of_the_test_venv_at_the_same_versions():
    demo = pins.read_pins(pins.lock_path("py3.11-core2.19-demo"))
    dev = pins.read_pins(pins.lock_path("py3.11-core2.19"))
    assert {"ansible-core", "botocore", "moto", "flask"} <= set(demo)
    assert {package: dev.get(package) for package in demo} == demo
    assert len(demo) < len(dev)


def test_every_venv_of_the_build_is_installed_through_pins_py():
    for path in BUILD_FILES:
        with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
            text = handle.read()
        assert not re.search(r"pip\"?,? +\"?install|pip install", text), "%s installs without a lock" % path
    with open(os.path.join(ROOT, "Makefile"), encoding="utf-8") as handle:
        makefile = handle.read()
    assert "$(PINS) install $(DEV_PINS) $(VENV_PYTHON)" in makefile and "$(PINS) install $(DEMO_PINS) $(VENV_PYTHON)" in makefile


@pytest.fixture
def repo_copy(tmp_path, monkeypatch):
    """The requirement files and locks in a temporary tree, with pins.py pointed at it."""
    for name in ["requirements.txt", "requirements-pins.txt", "tests/unit/requirements.txt", "bench"] + [
            os.path.relpath(path, ROOT) for path in glob.glob(os.path.join(ROOT, "requirements-*.txt"))]:
        source, target = os.path.join(ROOT, name), tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if os.path.isdir(source) else shutil.copy)(source, target)
    shutil.copytree(os.path.join(ROOT, "pins"), tmp_path / "pins")
    monkeypatch.setattr(pins, "REPO_ROOT", str(tmp_path))
    monkeypatch.setattr(pins, "PINS_DIR", str(tmp_path / "pins"))
    return tmp_path


def test_an_edited_requirement_makes_every_lock_built_on_it_stale_and_install_refuses_before_pip(repo_copy):
    assert [name for name in pins.ENVIRONMENTS if pins.stale_reason(name)] == []
    with open(repo_copy / "requirements.txt", "a", encoding="utf-8") as handle:
        handle.write("jmespath>=1.0\n")
    stale = [name for name in pins.ENVIRONMENTS if pins.stale_reason(name)]
    # requirements.txt is included by requirements-dev.txt and requirements-demo.txt; the 2.16 lock also
    # takes its minimum from it. The tools, LocalStack, bench and uv locks do not read it.
    assert stale == ["py3.11-core2.19", "py3.11-core2.19-demo", "py3.11-core2.16", "py3.13-core2.21"]
    with pytest.raises(pins.PinError, match=r"pins/py3.11-core2.19.txt was generated from other inputs .* run `make pins`"):
        pins.install("py3.11-core2.19", str(repo_copy / "no-such-python"))  # refused before the python is run
    assert pins.main(["check"]) == 1


def test_a_new_minimum_in_requirements_txt_makes_the_oldest_entry_stale(repo_copy):
    text = (repo_copy / "requirements.txt").read_text(encoding="utf-8")
    (repo_copy / "requirements.txt").write_text(text.replace("botocore>=1.34.0", "botocore>=1.35.0"), encoding="utf-8")
    assert pins.minimum_constraints()[0] == "botocore==1.35.0"
    assert pins.stale_reason("py3.11-core2.16")


def test_a_lock_is_installed_only_into_the_python_it_was_made_for():
    other = next(name for name, env in pins.ENVIRONMENTS.items() if env.python != "%d.%d" % sys.version_info[:2])
    with pytest.raises(pins.PinError, match=r"is for Python %s; .* is %d\.%d" % (re.escape(pins.ENVIRONMENTS[other].python), *sys.version_info[:2])):
        pins.install(other, sys.executable)


@pytest.mark.parametrize("route", ["PYENV_ROOT", "HOME", "shims on PATH", "pyenv on PATH"])
def test_find_python_finds_an_unselected_pyenv_version_by_every_route(tmp_path, monkeypatch, route):
    # A pyenv tree whose only 3.99 is a version folder (its shim would fail): found however the
    # environment points at the tree, including a CI job with an empty HOME and pyenv on PATH.
    root = tmp_path / "pyenv"
    binary = root / "versions" / "3.99.1" / "bin" / "python3.99"
    binary.parent.mkdir(parents=True)
    binary.write_text("#!/bin/sh\necho 3.99\n")
    binary.chmod(0o755)
    (root / "shims").mkdir()
    (root / "libexec").mkdir()
    (root / "libexec" / "pyenv").write_text("#!/bin/sh\n")
    (root / "libexec" / "pyenv").chmod(0o755)
    (root / "bin").mkdir()
    os.symlink(root / "libexec" / "pyenv", root / "bin" / "pyenv")
    empty = tmp_path / "empty-home"
    empty.mkdir()
    monkeypatch.delenv("PYENV_ROOT", raising=False)
    monkeypatch.setenv("HOME", str(empty))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert matrix.find_python("3.99") is None
    if route == "PYENV_ROOT":
        monkeypatch.setenv("PYENV_ROOT", str(root))
    elif route == "HOME":
        os.rename(root, empty / ".pyenv")
        binary = empty / ".pyenv" / "versions" / "3.99.1" / "bin" / "python3.99"
    elif route == "shims on PATH":
        monkeypatch.setenv("PATH", "/usr/bin:/bin:%s" % (root / "shims"))
    else:
        monkeypatch.setenv("PATH", "/usr/bin:/bin:%s" % (root / "bin"))
    assert matrix.find_python("3.99") == str(binary)
