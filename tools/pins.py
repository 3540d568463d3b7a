#!/usr/bin/env python
"""The pinned test environments: lock files under pins/, generated from the requirement files.

    python3 tools/pins.py compile [--upgrade] [ENV...]  # make pins (--upgrade: make update-pins)
    python3 tools/pins.py install ENV PYTHON            # install ENV's lock into PYTHON's venv
    python3 tools/pins.py check                         # every lock is current (make pins-check)
    python3 tools/pins.py versions                      # moto, botocore, boto3, ansible-core per lock
    python3 tools/pins.py list

A requirement file (requirements-dev.txt, ...) says what a venv needs, as ranges; its lock,
pins/ENV.txt, says exactly what is installed: every package at one version, with the sha256 of
every file PyPI has for it, so `pip install -r pins/ENV.txt` runs in pip's hash-checking mode and
installs the same files on every machine until the lock is regenerated on purpose. Each lock is for
one Python (its markers are evaluated for it) and, where it holds ansible-core, one ansible-core.

`compile` runs uv (`uv pip compile --generate-hashes`, installed from pins/uv-py3.11.txt into
.build/venv-pins): without --upgrade it keeps every version the lock already has that the inputs
still allow (edit an input, add a package: only that changes); with --upgrade it takes the newest
release of everything. The head of each lock records a digest of what it was generated from (the
input files with their includes, the overrides, the constraints, the Python); `install` and `check`
refuse a lock whose inputs changed since, naming the command that mends it. Installing needs only
the target Python's pip; uv is needed only to regenerate. Standard library only.
"""

import argparse
import hashlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PINS_DIR = os.path.join(REPO_ROOT, "pins")
WORK_DIR = os.path.join(REPO_ROOT, ".build", "pins")
UV_VENV = os.path.join(REPO_ROOT, ".build", "venv-pins")
RUNTIME_REQUIREMENTS = "requirements.txt"

INCLUDE_LINE = re.compile(r"^\s*(-r|--requirement|-c|--constraint)[\s=]+(\S+)\s*$")
PIN_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")
MINIMUM_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*>=\s*([0-9][^\s,;#]*)")
DIGEST_LINE = re.compile(r"^# inputs-sha256: ([0-9a-f]{64})$", re.M)
REPORTED = ("ansible-core", "botocore", "boto3", "moto")


@dataclass(frozen=True)
class Env:
    """One venv's lock: pins/NAME.txt."""

    python: str
    inputs: tuple
    purpose: str
    overrides: tuple = ()
    # Install the oldest botocore/boto3 that requirements.txt allows (its tested minimum).
    minimum: bool = False
    # Take the versions of this other lock for every package both hold (the demo is a subset of .venv).
    same_as: str = ""


ENVIRONMENTS = {
    "py3.11-core2.19": Env(
        "3.11", ("requirements-dev.txt",),
        ".venv: make test (the newest ansible-core for Python 3.11), make bench"),
    "py3.11-core2.19-demo": Env(
        "3.11", ("requirements-demo.txt",),
        ".venv for make demo alone (the same versions as py3.11-core2.19, fewer packages)",
        same_as="py3.11-core2.19"),
    "py3.11-core2.16": Env(
        "3.11", ("requirements-dev.txt",),
        "make test-matrix: the oldest ansible-core, with the oldest botocore and boto3 of requirements.txt",
        overrides=("ansible-core==2.16.*",), minimum=True),
    "py3.13-core2.21": Env(
        "3.13", ("requirements-dev.txt",),
        "make test-matrix: the newest ansible-core on the newest Python",
        overrides=("ansible-core==2.21.*",)),
    "tools-py3.11": Env(
        "3.11", ("requirements-docs.txt", "requirements-lint.txt"),
        ".build/venv-tools: make docs, docs-check, changelog, lint, ee-check"),
    "localstack-py3.13": Env(
        "3.13", ("requirements-localstack.txt",),
        ".build/venv-localstack: make test-localstack"),
    "bench-incumbent-py3.11": Env(
        "3.11", ("bench/requirements-incumbent.txt",),
        ".build/bench/incumbent: make bench (community.aws from the ansible package)"),
    "bench-plot-py3.11": Env(
        "3.11", ("bench/requirements-plot.txt",),
        ".build/bench/plot: make bench (the charts)"),
    "uv-py3.11": Env(
        "3.11", ("requirements-pins.txt",),
        ".build/venv-pins: uv, which make pins and make update-pins run"),
}


class PinError(RuntimeError):
    pass


def log(message):
    print("pins: %s" % message, flush=True)


def lock_path(name):
    return os.path.join(PINS_DIR, name + ".txt")


def _rel(path):
    return os.path.relpath(path, REPO_ROOT)


def input_files(path, seen=None):
    """path and every file it includes (-r, -c), each once, in reading order."""
    seen = [] if seen is None else seen
    path = os.path.normpath(os.path.join(REPO_ROOT, path))
    if path in seen:
        return seen
    seen.append(path)
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            include = INCLUDE_LINE.match(line)
            if include:
                input_files(os.path.join(os.path.dirname(path), include.group(2)), seen)
    return seen


def minimum_constraints():
    """`botocore==1.34.0` for each `botocore>=1.34.0` of requirements.txt: what users may install."""
    with open(os.path.join(REPO_ROOT, RUNTIME_REQUIREMENTS), encoding="utf-8") as handle:
        return ["%s==%s" % match.groups() for match in map(MINIMUM_LINE.match, handle) if match]


def read_pins(path):
    """{normalised name: version} of a lock."""
    pins = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            match = PIN_LINE.match(line)
            if match:
                pins[normalise(match.group(1))] = match.group(3)
    return pins


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def constraints(env):
    lines = minimum_constraints() if env.minimum else []
    if env.same_as:
        lines += ["%s==%s" % item for item in sorted(read_pins(lock_path(env.same_as)).items())]
    return lines


def digest(name):
    """What the lock of NAME is generated from, as one sha256."""
    env = ENVIRONMENTS[name]
    sha = hashlib.sha256()
    sha.update(("python %s\n" % env.python).encode())
    files = []
    for entry in env.inputs:
        files += [path for path in input_files(entry) if path not in files]
    for path in files:
        sha.update(("file %s\n" % _rel(path)).encode())
        with open(path, "rb") as handle:
            sha.update(handle.read())
    for line in env.overrides:
        sha.update(("override %s\n" % line).encode())
    for line in constraints(env):
        sha.update(("constraint %s\n" % line).encode())
    return sha.hexdigest()


def recorded_digest(name):
    path = lock_path(name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        match = DIGEST_LINE.search(handle.read(4096))
    return match.group(1) if match else None


def stale_reason(name):
    """Why pins/NAME.txt cannot be installed as it is, or None."""
    recorded = recorded_digest(name)
    if recorded is None:
        return "%s is missing or has no inputs-sha256 line" % _rel(lock_path(name))
    if recorded != digest(name):
        env = ENVIRONMENTS[name]
        return "%s was generated from other inputs than %s have now" % (
            _rel(lock_path(name)), ", ".join(env.inputs + ((env.same_as + "'s lock",) if env.same_as else ())))
    return None


# --------------------------------------------------------------------------- compile


def find_python(version):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import matrix  # pylint: disable=import-outside-toplevel

    return matrix.find_python(version)


def uv_binary():
    """uv from .build/venv-pins, installed from its own lock (so the generator is pinned too)."""
    uv = os.path.join(UV_VENV, "bin", "uv")
    stamp = os.path.join(UV_VENV, ".installed-" + (recorded_digest("uv-py3.11") or "none")[:16])
    if not os.path.exists(stamp):
        python = find_python("3.11")
        if python is None:
            raise PinError("no python3.11 found for %s" % _rel(UV_VENV))
        if not os.path.exists(os.path.join(UV_VENV, "bin", "python")):
            subprocess.run([python, "-m", "venv", UV_VENV], check=True)
        install("uv-py3.11", os.path.join(UV_VENV, "bin", "python"), quiet=True)
        open(stamp, "w").close()
    return uv


def compile_lock(name, upgrade):
    env = ENVIRONMENTS[name]
    python = find_python(env.python)
    if python is None:
        raise PinError("%s: no python%s found (on PATH or in pyenv's versions)" % (name, env.python))
    os.makedirs(WORK_DIR, exist_ok=True)
    output = os.path.join(WORK_DIR, name + ".txt")
    # uv keeps the versions of an existing output file (unless --upgrade): start from the lock.
    if os.path.exists(lock_path(name)):
        with open(lock_path(name), encoding="utf-8") as src, open(output, "w", encoding="utf-8") as dst:
            dst.write(src.read())
    elif os.path.exists(output):
        os.remove(output)
    cmd = [uv_binary(), "pip", "compile", "--no-config", "--quiet", "--generate-hashes", "--no-header",
           "--python", python, "--output-file", _rel(output)]
    cmd += ["--upgrade"] if upgrade else []
    for kind, lines in (("overrides", env.overrides), ("constraints", constraints(env))):
        if lines:
            path = os.path.join(WORK_DIR, "%s.%s.txt" % (name, kind))
            with open(path, "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines) + "\n")
            cmd += ["--" + kind[:-1], _rel(path)]
    cmd += list(env.inputs)
    log("%s: uv %s" % (name, " ".join(_rel(part) if part.startswith(REPO_ROOT) else part for part in cmd[1:])))
    done = subprocess.run(cmd, cwd=REPO_ROOT, check=False, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        raise PinError("%s: uv pip compile failed:\n%s" % (name, done.stderr.strip()))
    with open(output, encoding="utf-8") as handle:
        body = handle.read()
    header = [
        "# %s: %s" % (_rel(lock_path(name)), env.purpose),
        "# Generated by tools/pins.py for Python %s from %s%s%s. Do not edit: `make pins`" % (
            env.python, ", ".join(env.inputs),
            "".join(" with %s" % line for line in env.overrides),
            " and the minimum of %s (%s)" % (RUNTIME_REQUIREMENTS, ", ".join(minimum_constraints())) if env.minimum else ""),
        "# regenerates it after an input changed, `make update-pins` takes the newest releases (docs/contributing.md).",
        "# inputs-sha256: %s" % digest(name),
    ]
    with open(lock_path(name), "w", encoding="utf-8") as handle:
        handle.write("\n".join(header) + "\n" + body)


# --------------------------------------------------------------------------- install


def python_version(python):
    out = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    return out.strip()


def install(name, python, quiet=False):
    """pip install the lock of NAME into the venv of python, in hash-checking mode."""
    env = ENVIRONMENTS[name]
    reason = stale_reason(name)
    if reason:
        raise PinError("%s: run `make pins` and commit pins/ (docs/contributing.md, \"Pinned test environments\")" % reason)
    found = python_version(python)
    if found != env.python:
        raise PinError("%s is for Python %s; %s is %s (PYTHON=python%s make ... picks another interpreter)" % (
            _rel(lock_path(name)), env.python, python, found, env.python))
    cmd = [python, "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off",
           "--require-hashes", "-r", lock_path(name)]
    cmd += ["--quiet"] if quiet else []
    subprocess.run(cmd, check=True)


# --------------------------------------------------------------------------- main


def versions_table(names):
    rows = ["| lock | Python | %s |" % " | ".join(REPORTED), "|---|---|%s" % ("---|" * len(REPORTED))]
    for name in names:
        pins = read_pins(lock_path(name)) if os.path.exists(lock_path(name)) else {}
        rows.append("| %s | %s | %s |" % (name, ENVIRONMENTS[name].python,
                                          " | ".join(pins.get(package, "-") for package in REPORTED)))
    return "\n".join(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    comp = sub.add_parser("compile", help="regenerate locks (all, or the ones named)")
    comp.add_argument("--upgrade", action="store_true", help="take the newest releases the inputs allow")
    comp.add_argument("names", nargs="*", metavar="ENV", help="one of: %s" % ", ".join(ENVIRONMENTS))
    inst = sub.add_parser("install", help="install a lock into a venv")
    inst.add_argument("name", choices=sorted(ENVIRONMENTS), metavar="ENV")
    inst.add_argument("python", help="the venv's python")
    inst.add_argument("--quiet", action="store_true", help="pip's --quiet")
    sub.add_parser("check", help="fail when a lock is older than its inputs")
    sub.add_parser("versions", help="the pinned ansible-core, botocore, boto3 and moto of each lock")
    sub.add_parser("list", help="the locks and what each is for")
    args = parser.parse_args(argv)

    try:
        if args.command == "compile":
            names = args.names or list(ENVIRONMENTS)
            unknown = sorted(set(names) - set(ENVIRONMENTS))
            if unknown:
                parser.error("unknown ENV %s (one of: %s)" % (", ".join(unknown), ", ".join(ENVIRONMENTS)))
            # A lock that others take versions from is generated first.
            for name in sorted(names, key=lambda item: bool(ENVIRONMENTS[item].same_as)):
                compile_lock(name, args.upgrade)
            log("regenerated %d lock(s); the pinned versions:" % len(names))
            print(versions_table(names))
        elif args.command == "install":
            install(args.name, args.python, quiet=args.quiet)
        elif args.command == "check":
            stale = [reason for reason in map(stale_reason, ENVIRONMENTS) if reason]
            for reason in stale:
                print("pins-check: %s: run `make pins`" % reason, file=sys.stderr)
            if stale:
                return 1
            print("pins-check: passed (%d locks current with their inputs)" % len(ENVIRONMENTS))
        elif args.command == "versions":
            print(versions_table(list(ENVIRONMENTS)))
        else:
            for name, env in ENVIRONMENTS.items():
                print("%-24s python%s  %s" % (name, env.python, env.purpose))
    except (PinError, subprocess.CalledProcessError) as exc:
        print("pins: %s" % exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
