# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Make `ansible_collections.seed.secretsmanager` importable under plain pytest.

ansible-test units sets the path up itself; then the first import below works and
nothing is changed. Under plain pytest, look for a directory that holds
ansible_collections/seed/secretsmanager: above this file (a checkout placed at
.../ansible_collections/seed/secretsmanager), above the shell's working directory (pytest
resolves symlinks, so a checkout reached through a symlinked ansible_collections tree is
only seen there), in ANSIBLE_COLLECTIONS_PATH (the Makefile points it at .build/collections),
and last in .build/collections, which tools/collection_path.sh links to the checkout.
"""

from __future__ import annotations

import os
import sys


def _importable():
    try:
        import ansible_collections.seed.secretsmanager.plugins.module_utils._secret  # noqa: F401  pylint: disable=unused-import
    except ImportError:
        return False
    return True


def _above(path):
    """The parent of the ansible_collections directory that path lies in, if any."""
    parts = os.path.abspath(path).split(os.sep)
    for index in range(len(parts) - 3, 0, -1):
        if parts[index] == "ansible_collections" and parts[index + 1:index + 3] == ["seed", "secretsmanager"]:
            return os.sep.join(parts[:index]) or os.sep
    return None


def _candidates():
    # tests/unit -> the collection root
    root = os.path.dirname(os.path.dirname(os.path.abspath(os.path.dirname(__file__))))
    yield _above(root)
    yield _above(os.environ.get("PWD") or os.getcwd())
    for variable in ("ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS"):
        for entry in (os.environ.get(variable) or "").split(os.pathsep):
            if entry:
                yield os.path.abspath(os.path.expanduser(entry))
    yield os.path.join(root, ".build", "collections")


def _fix_path():
    if _importable():
        return
    for parent in _candidates():
        if not parent or not os.path.isdir(os.path.join(parent, "ansible_collections", "seed", "secretsmanager")):
            continue
        sys.path.insert(0, parent)
        for module in [m for m in sys.modules if m == "ansible_collections" or m.startswith("ansible_collections.")]:
            del sys.modules[module]
        if _importable():
            return
        sys.path.remove(parent)


_fix_path()

import botocore.loaders  # noqa: E402  pylint: disable=wrong-import-position
import botocore.session  # noqa: E402  pylint: disable=wrong-import-position
import pytest  # noqa: E402  pylint: disable=wrong-import-position

from ansible_collections.seed.secretsmanager.plugins.module_utils import _aws  # noqa: E402  pylint: disable=wrong-import-position

REGION = "us-east-1"
_LOADER = botocore.loaders.create_loader()


@pytest.fixture
def aws_env(monkeypatch):
    """A clean AWS environment: no endpoint (moto runs in-process), dummy credentials, one region."""
    for variable in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_PROFILE", "AWS_SESSION_TOKEN",
                     "AWS_SECURITY_TOKEN", "AWS_CA_BUNDLE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    # Clients are shared per set of connection options; never carry one over from another test.
    monkeypatch.setattr(_aws, "_CLIENTS", {})
    # Every botocore Session loads its JSON data files again (~0.1 s); share one loader between them.
    monkeypatch.setattr(botocore.session, "create_loader", lambda *args, **kwargs: _LOADER)


# The words every credential error must carry: where credentials come from (_aws.CREDENTIAL_SOURCES).
CREDENTIAL_SOURCE_WORDS = ("access_key", "secret_key", "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "~/.aws/credentials", "~/.aws/config",
                           "AWS_SHARED_CREDENTIALS_FILE", "instance role")


@pytest.fixture
def no_credentials(aws_env, monkeypatch, tmp_path):
    """aws_env without any credentials: no AWS_* keys, empty shared files, no instance metadata (no IMDS wait)."""
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE",
                     "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE",
                     "AWS_ROLE_ARN"):
        monkeypatch.delenv(variable, raising=False)
    for variable, name in (("AWS_SHARED_CREDENTIALS_FILE", "credentials"), ("AWS_CONFIG_FILE", "config")):
        path = tmp_path / name
        path.write_text("")
        monkeypatch.setenv(variable, str(path))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return tmp_path
