#!/usr/bin/env python
"""Run ansible-test on the other ends of the supported version range.

    python3 tools/matrix.py [--entry NAME]... [--suite SUITE]... [--list]

`make test` covers the default: .venv, the default python3 and the newest ansible-core
it allows. Each entry here is another (Python, ansible-core) pair with its own venv
(.build/matrix/NAME/venv, installed from the entry's lock under pins/: requirements-dev.txt
with the entry's ansible-core, see tools/pins.py) and its own copy of the collection for ansible-test
(.build/matrix/NAME/ansible_collections/seed/secretsmanager), so entries never share
state with .venv, with `make test` or with each other. The suites run through
tools/run_ansible_test.py under the entry's interpreter, as `make test` runs them.

Every suite of every entry runs even when an earlier one fails; the summary names the
failures and the time each took. Standard library only.
"""

import argparse
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MATRIX_ROOT = os.path.join(REPO_ROOT, ".build", "matrix")
SUITES = ("sanity", "units", "integration")

# requires_ansible in meta/runtime.yml is ">=2.16.0": its oldest release (with the oldest botocore
# and boto3 that requirements.txt allows), and the newest release on the newest Python it supports
# as a controller. Each names its lock in tools/pins.py; bump both with the range.
ENTRIES = {
    "core2.16-py3.11": {"python": "3.11", "pins": "py3.11-core2.16"},
    "core2.21-py3.13": {"python": "3.13", "pins": "py3.13-core2.21"},
}

# Runs tools/run_ansible_test.py under the entry's python with the copy moved to the
# entry's directory (its COPY_ROOT is where ansible-test runs; everything else stays).
RUNNER = (
    "import sys; sys.path.insert(0, sys.argv[1]); import run_ansible_test as r; "
    "r.COPY_ROOT = sys.argv[2]; sys.exit(r.main(sys.argv[3:]))"
)


def log(message):
    print("matrix: %s" % message, flush=True)


def find_python(version):
    """An interpreter for X.Y: pythonX.Y from PATH when it runs, else one from pyenv's versions."""
    name = "python%s" % version
    candidates = []
    found = shutil.which(name)
    if found:
        candidates.append(found)
    # pyenv's shim for a version that is installed but not selected fails; the binary works.
    installed = []
    for pyenv_root in _pyenv_roots():
        installed += glob.glob(os.path.join(pyenv_root, "versions", version + ".*", "bin", name))
    candidates += sorted(installed, key=_version_key, reverse=True)
    for candidate in candidates:
        try:
            out = subprocess.run(
                [candidate, "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True, timeout=60,
            ).stdout.decode().strip()
        except (OSError, subprocess.SubprocessError):
            continue
        if out == version:
            return candidate
    return None


def _pyenv_roots():
    """Where pyenv keeps its versions: $PYENV_ROOT, ~/.pyenv, a shims folder or pyenv on PATH.

    The last two find it when HOME is not the user's who installed pyenv (a CI job
    with an empty HOME, sudo) but pyenv is on PATH.
    """
    roots = [os.environ.get("PYENV_ROOT"), os.path.expanduser("~/.pyenv")]
    # PYENV_ROOT/shims on PATH (how pyenv is usually set up) names the root too.
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if os.path.basename(entry.rstrip(os.sep)) == "shims":
            roots.append(os.path.dirname(entry.rstrip(os.sep)))
    pyenv = shutil.which("pyenv")
    if pyenv:
        # pyenv's own layout: PYENV_ROOT/bin/pyenv, a link to PYENV_ROOT/libexec/pyenv.
        roots.append(os.path.dirname(os.path.dirname(os.path.realpath(pyenv))))
    unique = []
    for root in roots:
        if root and root not in unique:
            unique.append(root)
    return unique


def _version_key(path):
    match = re.search(r"versions/([0-9.]+)/", path)
    return tuple(int(part) for part in match.group(1).split(".")) if match else ()


def prepare_venv(name, entry):
    """Create or refresh .build/matrix/NAME/venv from the entry's lock; return its python."""
    # tools/pins.py imports this file for find_python(): imported here, when a venv is made.
    import pins  # pylint: disable=import-outside-toplevel

    venv = os.path.join(MATRIX_ROOT, name, "venv")
    venv_python = os.path.join(venv, "bin", "python")
    with open(pins.lock_path(entry["pins"]), "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()[:16]
    stamp = os.path.join(venv, ".installed-" + digest)
    if os.path.exists(stamp):
        return venv_python
    python = find_python(entry["python"])
    if python is None:
        raise RuntimeError("no python%s found (on PATH or in pyenv's versions)" % entry["python"])
    if not os.path.exists(venv_python):
        log("%s: creating %s with %s" % (name, os.path.relpath(venv, REPO_ROOT), python))
        subprocess.run([python, "-m", "venv", venv], check=True)
    log("%s: installing %s" % (name, os.path.relpath(pins.lock_path(entry["pins"]), REPO_ROOT)))
    try:
        pins.install(entry["pins"], venv_python, quiet=True)
    except pins.PinError as exc:
        raise RuntimeError(str(exc)) from exc
    for old in glob.glob(os.path.join(venv, ".installed-*")):
        os.remove(old)
    open(stamp, "w").close()
    return venv_python


def run_suite(name, venv_python, suite, extra):
    copy_root = os.path.join(MATRIX_ROOT, name, "ansible_collections", "seed", "secretsmanager")
    cmd = [venv_python, "-c", RUNNER, os.path.join(REPO_ROOT, "tools"), copy_root, suite] + extra
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(venv_python) + os.pathsep + env.get("PATH", "")
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(cmd, cwd=REPO_ROOT, env=env, check=False).returncode


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entry", action="append", choices=sorted(ENTRIES), help="only this entry (repeatable)")
    parser.add_argument("--suite", action="append", choices=SUITES, help="only this suite (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the entries and exit")
    parser.add_argument("ansible_test_args", nargs="*", help="passed on to ansible-test (after --)")
    args = parser.parse_args(argv)

    if args.list:
        for name, entry in ENTRIES.items():
            print("%-18s python%s  pins/%s.txt" % (name, entry["python"], entry["pins"]))
        return 0

    results = []
    for name in args.entry or list(ENTRIES):
        entry = ENTRIES[name]
        started = time.monotonic()
        try:
            venv_python = prepare_venv(name, entry)
        except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
            log("%s: cannot prepare the venv: %s" % (name, exc))
            results.append((name, "venv", 1, time.monotonic() - started))
            continue
        results.append((name, "venv", 0, time.monotonic() - started))
        for suite in args.suite or SUITES:
            log("%s: %s" % (name, suite))
            started = time.monotonic()
            code = run_suite(name, venv_python, suite, args.ansible_test_args)
            results.append((name, suite, code, time.monotonic() - started))

    print("\nmatrix summary:")
    for name, suite, code, seconds in results:
        print("  %-18s %-12s %-6s %6.0fs" % (name, suite, "ok" if code == 0 else "FAILED", seconds))
    failed = ["%s/%s" % (name, suite) for name, suite, code, _seconds in results if code]
    if failed:
        print("test-matrix: FAILED: %s" % " ".join(failed), file=sys.stderr)
    print("test-matrix: %d passed, %d failed" % (len(results) - len(failed), len(failed)), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
