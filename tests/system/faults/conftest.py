# -*- coding: utf-8 -*-
"""Fixtures of the fault-injection tests: a fault proxy in front of a moto server, and a boto3 client
straight at moto to check what was really stored.

One moto server serves the whole directory and is reset before each test: starting one per test
costs more than most of these tests' task runs.
"""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fault_proxy import FaultProxy  # noqa: E402  pylint: disable=wrong-import-position
from secret_task import _system_conftest, direct_client, reset_moto  # noqa: E402  pylint: disable=wrong-import-position

# Held requests and replies wait this long: past the read timeout the delay tests set (1 s).
HOLD = 2


@pytest.fixture(scope="session")
def shared_moto(tmp_path_factory):
    start_server = _system_conftest().start_server
    server = start_server(str(tmp_path_factory.mktemp("faults") / "moto.log"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def proxy(shared_moto):
    """A FaultProxy in front of the (freshly reset) moto server; stopped at the end of the test."""
    reset_moto(shared_moto.endpoint)
    server = FaultProxy(shared_moto.endpoint, delay=HOLD)
    try:
        yield server
    finally:
        try:
            server.wait_idle()  # a held request must not land in the next test's moto state
        finally:
            server.stop()


@pytest.fixture
def direct(proxy, shared_moto):
    """A boto3 client straight at moto, not through the proxy (after the reset of the proxy fixture)."""
    return direct_client(shared_moto.endpoint)
