# -*- coding: utf-8 -*-
"""Shared fixtures of the system tests: moto servers the tests start themselves, and
ansible-playbook runs against them from the checkout (make system)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))

from with_moto import aws_environment, start_server  # noqa: E402  pylint: disable=wrong-import-position

BIN = os.path.dirname(sys.executable)


@pytest.fixture
def moto(tmp_path):
    """A fresh moto server of this test's own; .endpoint, .requests (count so far), .log_path."""
    server = start_server(str(tmp_path / "moto.log"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def moto_factory(tmp_path):
    """Start moto servers with extra environment (e.g. IAM enforcement); all stopped at the end."""
    servers = []

    def start(**extra_env):
        server = start_server(str(tmp_path / ("moto-%d.log" % len(servers))), extra_env={k: str(v) for k, v in extra_env.items()})
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


def ansible_env(endpoint, **extra):
    """Environment for ansible-playbook: the checkout's collection, the endpoint, no noise."""
    collections = subprocess.check_output([os.path.join(ROOT, "tools", "collection_path.sh")], text=True).strip()
    env = aws_environment(endpoint)
    env.update(
        ANSIBLE_COLLECTIONS_PATH=collections,
        ANSIBLE_LOCALHOST_WARNING="False",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
        ANSIBLE_DEPRECATION_WARNINGS="False",
        ANSIBLE_NOCOLOR="True",
        ANSIBLE_INVENTORY="/dev/null",
        PATH=BIN + os.pathsep + env.get("PATH", ""),
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_playbook(playbook, endpoint, extra_vars=None, args=(), env=None, timeout=600):
    """Run a playbook given as text (or a path) against endpoint; return the CompletedProcess.

    extra_vars are passed as one JSON -e argument. The output is captured as text.
    """
    with tempfile.TemporaryDirectory() as work:
        path = playbook
        if "\n" in playbook:
            path = os.path.join(work, "playbook.yml")
            with open(path, "w") as f:
                f.write(playbook)
        cmd = [os.path.join(BIN, "ansible-playbook"), path]
        if extra_vars:
            cmd += ["-e", json.dumps(extra_vars)]
        cmd += list(args)
        return subprocess.run(cmd, env=env or ansible_env(endpoint), capture_output=True, text=True, timeout=timeout, cwd=work, check=False)
