# -*- coding: utf-8 -*-
"""Fixtures of the race tests. They share the helpers and the fault proxy of tests/system/faults: the
proxy's gates line up the requests of concurrent runs, so that the race happens on every test run."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "faults"))

from fault_proxy import FaultProxy  # noqa: E402  pylint: disable=wrong-import-position
from secret_task import direct_client  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture
def proxy(moto):
    """A FaultProxy in front of this test's moto server."""
    server = FaultProxy(moto.endpoint)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def direct(moto):
    """A boto3 client straight at moto, not through the proxy."""
    return direct_client(moto.endpoint)
