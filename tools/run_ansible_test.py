#!/usr/bin/env python
"""Run ansible-test on a fresh copy of this collection.

    .venv/bin/python tools/run_ansible_test.py sanity      [ANSIBLE-TEST ARGS...]
    .venv/bin/python tools/run_ansible_test.py units       [ANSIBLE-TEST ARGS...]
    .venv/bin/python tools/run_ansible_test.py integration [ANSIBLE-TEST ARGS...]
    .venv/bin/python tools/run_ansible_test.py --endpoint localstack integration [ARGS...]

ansible-test only runs from a directory ending in ansible_collections/NAMESPACE/NAME,
so this copies the files git would see (tracked plus untracked-but-not-ignored) to
.build/ansible_collections/seed/secretsmanager and runs ansible-test there with
--python set to this interpreter's version. units and integration run --local (the
requirements are already in .venv); integration runs under tools/with_moto.py,
which writes tests/integration/integration_config.yml into the copy.

--endpoint localstack runs integration under tools/with_localstack.py instead (LocalStack
from .build/venv-localstack, see mk/localstack.mk), in a copy of its own
(.build/localstack/ansible_collections/seed/secretsmanager) so that its tests/output
never mixes with the moto runs'. ansible-test itself still runs with this interpreter.
The targets see which endpoint they run against in sm_endpoint_kind (moto | localstack).

Sanity builds its own virtual environments and asks for pip's bootstrap script
from a download host that is not reachable from here. ansible-test uses a cached
copy first, so one is written (see write_pip_bootstrap) that installs pip from the
interpreter's own ensurepip wheel and then upgrades it from the package index.

Standard library only.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMESPACE, NAME = "seed", "secretsmanager"
COPY_ROOT = os.path.join(REPO_ROOT, ".build", "ansible_collections", NAMESPACE, NAME)
KEEP_IN_COPY = os.path.join("tests", "output")  # ansible-test's results, kept between runs
PYTHON_VERSION = "%d.%d" % sys.version_info[:2]

BOOTSTRAP_MARKER = "# seed.secretsmanager pip bootstrap"
BOOTSTRAP_SCRIPT = BOOTSTRAP_MARKER + '''
"""Stand-in for get-pip.py, written by tools/run_ansible_test.py.

ansible-test runs this as `python get_pip.py --disable-pip-version-check pip==X.Y
--no-setuptools --no-wheel` inside a venv made with --without-pip. Install the pip
wheel bundled with the interpreter (ensurepip, no network), then let that pip
install what was asked for. --no-setuptools/--no-wheel are get-pip options, not pip
ones: drop them, and honour --no-setuptools by removing the setuptools that
ensurepip brings along on older Pythons.
"""
import importlib.util
import subprocess
import sys

GET_PIP_ONLY = ("--no-setuptools", "--no-wheel")


def run(*args):
    code = subprocess.call([sys.executable] + list(args))
    if code:
        sys.exit(code)


def main():
    argv = sys.argv[1:]
    had_setuptools = importlib.util.find_spec("setuptools") is not None
    run("-m", "ensurepip")
    run("-m", "pip", "install", *[arg for arg in argv if arg not in GET_PIP_ONLY])
    if "--no-setuptools" in argv and not had_setuptools:
        run("-m", "pip", "uninstall", "--disable-pip-version-check", "--yes", "--quiet", "setuptools")


if __name__ == "__main__":
    main()
'''


def die(message):
    print("run_ansible_test: %s" % message, file=sys.stderr)
    sys.exit(2)


def ansible_test_root():
    spec = importlib.util.find_spec("ansible_test")
    if spec is None or not spec.submodule_search_locations:
        die("ansible_test is not importable from %s; run `make venv` first" % sys.executable)
    return list(spec.submodule_search_locations)[0]


def bootstrap_pip_version():
    """The pip version ansible-test bootstraps its venvs with (get_venv_packages)."""
    path = os.path.join(ansible_test_root(), "_internal", "python_requirements.py")
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    match = re.search(r"\bpip\s*=\s*['\"]([0-9][0-9A-Za-z.]*)['\"]", source)
    if not match:
        die("cannot find the bootstrap pip version in %s" % path)
    return match.group(1)


def write_pip_bootstrap():
    """Put the pip bootstrap script where ansible-test looks before downloading it."""
    version = bootstrap_pip_version()
    path = os.path.expanduser("~/.ansible/test/cache/get_pip_%s.py" % version.replace(".", "_"))
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            current = handle.read()
        if current == BOOTSTRAP_SCRIPT or not current.startswith(BOOTSTRAP_MARKER):
            return path  # ours and up to date, or a real get-pip.py: leave it
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(BOOTSTRAP_SCRIPT)
    os.replace(tmp, path)
    return path


def collection_files():
    """Tracked and untracked-but-not-ignored files, as git sees them."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO_ROOT, check=True, stdout=subprocess.PIPE,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        die("git ls-files failed in %s: %s" % (REPO_ROOT, exc))
    names = sorted({name for name in out.decode("utf-8").split("\0") if name})
    # A deleted-but-still-tracked file is listed too; copy only what exists.
    return [name for name in names if os.path.lexists(os.path.join(REPO_ROOT, name))]


def refresh_copy():
    """Make COPY_ROOT hold exactly the collection's files (plus ansible-test's output)."""
    if os.path.isdir(COPY_ROOT):
        for entry in os.listdir(COPY_ROOT):
            path = os.path.join(COPY_ROOT, entry)
            if entry == "tests" and os.path.isdir(path) and not os.path.islink(path):
                for sub in os.listdir(path):
                    if os.path.join("tests", sub) != KEEP_IN_COPY:
                        _remove(os.path.join(path, sub))
            else:
                _remove(path)
    os.makedirs(COPY_ROOT, exist_ok=True)
    for name in collection_files():
        source, target = os.path.join(REPO_ROOT, name), os.path.join(COPY_ROOT, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    # ansible-test lists content with git from the nearest directory holding .git, walking
    # up. Without a repository of its own the copy would be read through this checkout's
    # git, which ignores .build/, and every sanity target would be skipped. An empty
    # repository here makes it list the copy's files (untracked, minus .gitignore).
    subprocess.run(["git", "-c", "init.defaultBranch=main", "init", "--quiet", COPY_ROOT], check=True)


def _remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.remove(path)


ENDPOINT_WRAPPERS = {"moto": "with_moto.py", "localstack": "with_localstack.py"}


def main(argv):
    global COPY_ROOT
    endpoint = "moto"
    if argv[:1] == ["--endpoint"] and len(argv) > 1:
        endpoint, argv = argv[1], argv[2:]
        if endpoint not in ENDPOINT_WRAPPERS:
            die("--endpoint must be one of %s" % ", ".join(sorted(ENDPOINT_WRAPPERS)))
        if endpoint != "moto":
            COPY_ROOT = os.path.join(REPO_ROOT, ".build", endpoint, "ansible_collections", NAMESPACE, NAME)
    if not argv or argv[0] not in ("sanity", "units", "integration"):
        die("usage: %s sanity|units|integration [ANSIBLE-TEST ARGS...]" % os.path.basename(__file__))
    command, extra = argv[0], argv[1:]

    refresh_copy()
    write_pip_bootstrap()

    targets = os.path.join(COPY_ROOT, "tests", "integration", "targets")
    if command == "integration" and not (os.path.isdir(targets) and os.listdir(targets)):
        # ansible-test fails ("Cannot run integration tests without ...") when there is none.
        print("run_ansible_test: no integration targets in tests/integration/targets: nothing to run")
        return 0

    bin_dir = os.path.dirname(sys.executable)
    ansible_test = os.path.join(bin_dir, "ansible-test")
    if not os.path.exists(ansible_test):
        die("%s not found; run `make venv` first" % ansible_test)

    cmd = [ansible_test, command, "--python", PYTHON_VERSION]
    if command in ("units", "integration"):
        cmd.append("--local")
    cmd += ["--color", "no"] if not sys.stdout.isatty() else []
    cmd += extra
    if command == "integration":
        config = os.path.join(COPY_ROOT, "tests", "integration", "integration_config.yml")
        cmd = [sys.executable, os.path.join(REPO_ROOT, "tools", ENDPOINT_WRAPPERS[endpoint]),
               "--integration-config", config, "--"] + cmd

    env = dict(os.environ)
    # The venv first, so that ansible-test's own look-ups of python3.X find this interpreter.
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    print("run_ansible_test: (cd %s && %s)" % (os.path.relpath(COPY_ROOT, REPO_ROOT), " ".join(cmd)), flush=True)
    # exec, not a child process: signals and the exit code go straight to ansible-test
    # (or to with_moto.py, which stops the moto server on the way out).
    os.chdir(COPY_ROOT)
    os.execve(cmd[0], cmd, env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
