# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secret lookup with the run's cache: LookupModule.run() against moto in-process, with a real cache server
for a fake run (a sleeping child process: a new child is a new run). Each call is counted where the lookup makes
it (Api's one call layer)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import boto3
import pytest
from moto import mock_aws

from ansible.errors import AnsibleError
from ansible_collections.seed.secretsmanager.plugins.lookup import secret as lookup_secret
from ansible_collections.seed.secretsmanager.plugins.module_utils import _aws
from ansible_collections.seed.secretsmanager.plugins.plugin_utils import _lookup_cache as lookup_cache
from ansible_collections.seed.secretsmanager.plugins.plugin_utils import _lookup_cache_protocol as protocol
from ansible_collections.seed.secretsmanager.tests.unit.plugins.lookup.test_secret_lookup import lookup, lookup_error, lookup_options  # noqa: F401

REGION = "us-east-1"
DB = {"user": "app", "password": "pw-5d4c3b"}
TOKEN = "tok-8a7b6c"


class FakeRun:
    """A process that stands for the ansible run; start() begins a new run, end() ends it."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.child = None
        self.start()

    def start(self):
        self.end()
        self.child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])  # pylint: disable=consider-using-with
        identity = (self.child.pid, protocol.process_start(self.child.pid))
        self.monkeypatch.setattr(lookup_cache, "run_identity", lambda: identity)

    def end(self):
        if self.child is not None:
            self.child.kill()
            self.child.wait()
            self.child = None


@pytest.fixture
def run(monkeypatch):
    base = tempfile.mkdtemp(prefix="lc-")
    monkeypatch.setenv("XDG_RUNTIME_DIR", base)
    fake = FakeRun(monkeypatch)
    try:
        yield fake
    finally:
        fake.end()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(name.endswith(".token") for _r, _d, files in os.walk(base) for name in files):
            time.sleep(0.05)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def sm(aws_env):
    with mock_aws():
        client = boto3.client("secretsmanager", region_name=REGION)
        client.create_secret(Name="prod/db", SecretString=json.dumps(DB))
        client.create_secret(Name="prod/api", SecretString=TOKEN)
        yield client


@pytest.fixture
def calls(monkeypatch):
    """Every AWS operation the lookup sends, in order."""
    seen = []
    real = _aws.Api._call_once

    def spy(self, operation, kwargs):
        seen.append(operation)
        return real(self, operation, kwargs)

    monkeypatch.setattr(_aws.Api, "_call_once", spy)
    return seen


def _uses(**options):
    """The same lookups a play makes on every host: two keys of one secret, one whole secret, several times."""
    out = []
    for _host in range(5):
        out.append(lookup(["prod/db"], key="password", **options))
        out.append(lookup(["prod/db"], key="user", **options))
        out.append(lookup(["prod/api"], **options))
    return out


EXPECTED = [["pw-5d4c3b"], ["app"], [TOKEN]] * 5


def test_each_secret_is_read_once_per_run(sm, run, calls):
    assert _uses() == EXPECTED
    assert calls == ["GetSecretValue", "GetSecretValue"]


def test_the_cache_builds_no_client_for_a_hit(sm, run, monkeypatch):
    assert lookup(["prod/api"]) == [TOKEN]
    built = []
    monkeypatch.setattr(lookup_secret, "secretsmanager_client", lambda *args, **kwargs: built.append(args))
    assert lookup(["prod/api"]) == [TOKEN]
    assert built == []


def test_a_batch_is_shared_with_single_lookups(sm, run, calls):
    assert lookup(["prod/db", "prod/api"]) == [json.dumps(DB), TOKEN]
    assert lookup(["prod/api"]) == [TOKEN] and lookup(["prod/db"], key="password") == ["pw-5d4c3b"]
    assert calls == ["BatchGetSecretValue"]


def test_a_value_changed_is_seen_by_the_next_run(sm, run, calls):
    assert lookup(["prod/api"]) == [TOKEN]
    sm.put_secret_value(SecretId="prod/api", SecretString="tok-new")
    assert lookup(["prod/api"]) == [TOKEN]  # the same run: the value it read first
    run.start()
    assert lookup(["prod/api"]) == ["tok-new"]
    assert calls == ["GetSecretValue", "GetSecretValue"]


@pytest.mark.parametrize("how", ["option", "variable", "environment"])
def test_the_cache_turned_off_reads_each_time(sm, run, calls, monkeypatch, how):
    options, variables = {}, {}
    if how == "option":
        options["cache"] = False
    elif how == "variable":
        variables["seed_secretsmanager_lookup_cache"] = False
    else:
        monkeypatch.setenv("SEED_SECRETSMANAGER_LOOKUP_CACHE", "false")
    for _use in range(3):
        assert lookup(["prod/api"], variables, **options) == [TOKEN]
    assert calls == ["GetSecretValue"] * 3


def test_cache_ttl_reads_again_after_it(sm, run, calls):
    assert lookup(["prod/api"], cache_ttl=1) == [TOKEN]
    assert lookup(["prod/api"], cache_ttl=1) == [TOKEN]
    assert calls == ["GetSecretValue"]
    time.sleep(1.2)
    assert lookup(["prod/api"], cache_ttl=1) == [TOKEN]
    assert calls == ["GetSecretValue"] * 2


@pytest.mark.parametrize("on_missing", ["error", "warn", "skip"])
def test_errors_and_on_missing_are_as_without_the_cache_and_read_each_time(sm, run, calls, monkeypatch, on_missing):
    seen = []
    monkeypatch.setattr(lookup_secret.display, "warning", lambda message, *args, **kwargs: seen.append(message))

    def outcome(**options):
        try:
            return lookup(["prod/nothing", "prod/api"], on_missing=on_missing, **options)
        except AnsibleError as e:
            return "error: %s" % e

    direct = [outcome(cache=False) for _use in range(2)]
    direct_calls, direct_warnings = list(calls), list(seen)
    del calls[:], seen[:]
    cached = [outcome() for _use in range(2)]
    assert cached == direct
    assert seen == direct_warnings
    assert len(calls) == len(direct_calls)  # a problem is never kept: read again each time


def test_a_key_the_value_lacks_is_missing_as_without_the_cache(sm, run):
    assert lookup(["prod/db"], key="password") == ["pw-5d4c3b"]
    message = lookup_error(["prod/db"], key="nothing")
    assert "prod/db" in message and "on_missing" in message and "pw-5d4c3b" not in message
    assert lookup(["prod/db"], key="nothing", on_missing="skip") == []


def _server_pid():
    for root, _dirs, files in os.walk(os.environ["XDG_RUNTIME_DIR"]):
        for name in files:
            if name.endswith(".token"):
                with open(os.path.join(root, name)) as handle:
                    return json.load(handle)["pid"]
    return None


def test_a_server_killed_mid_run_gives_the_same_values(sm, run, calls):
    assert lookup(["prod/api"]) == [TOKEN]
    os.kill(_server_pid(), signal.SIGKILL)
    time.sleep(0.2)
    assert _uses() == EXPECTED
    assert calls.count("GetSecretValue") <= 3


def test_an_unusable_socket_directory_reads_directly(sm, run, calls):
    path = os.path.join(os.environ["XDG_RUNTIME_DIR"], "%s%d" % (lookup_cache.DIRECTORY_PREFIX, os.getuid()))
    with open(path, "w"):
        pass
    assert _uses() == EXPECTED
    assert len(calls) == 15


@pytest.mark.parametrize("garbage", [{"values": "x", "warnings": []}, ["not", "a", "dict"], {"values": [1]}])
def test_a_garbage_answer_reads_directly(sm, run, calls, monkeypatch, garbage):
    monkeypatch.setattr(lookup_cache.Session, "peek", lambda self, identity, ttl=0: garbage)
    assert lookup(["prod/api"]) == [TOKEN]
    assert lookup(["prod/db"], key="user") == ["app"]
    assert calls == ["GetSecretValue", "GetSecretValue"]


def test_a_garbled_value_reads_directly(sm, run, calls, monkeypatch):
    real = lookup_cache.Session.answers

    def garble(self, message, count, timeout=lookup_cache.REQUEST_TIMEOUT):
        answers = real(self, message, count, timeout)
        return [["hit", {"not": "a value"}] if answer[0] == "hit" else answer for answer in answers]

    assert lookup(["prod/api"]) == [TOKEN]
    monkeypatch.setattr(lookup_cache.Session, "peek", lambda self, identity, ttl=0: None)  # past the whole answers
    monkeypatch.setattr(lookup_cache.Session, "answers", garble)
    assert lookup(["prod/api"]) == [TOKEN]
    assert calls == ["GetSecretValue", "GetSecretValue"]


def test_outside_of_an_ansible_run_the_lookup_reads_each_time(sm, calls):
    assert lookup(["prod/api"]) == [TOKEN] and lookup(["prod/api"]) == [TOKEN]
    assert calls == ["GetSecretValue"] * 2
