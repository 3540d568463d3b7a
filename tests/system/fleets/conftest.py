# -*- coding: utf-8 -*-
"""Fixtures of the fleet tests (seed.secretsmanager.secrets, issue 18): a fault proxy in front of a moto
server that can replay an earlier ListSecrets answer, a boto3 client straight at moto to check what the
endpoint really holds, and a runner of one secrets task on one execution path.

ListSecrets "might not reflect changes from the last five minutes" (AWS API reference). A test makes the
listing stale as a careful user would meet it: a first run (or a check-mode run) records moto's answer, the
test changes moto's state as another team would, and the next run gets the recorded answer again.

One moto server serves the whole directory and is reset before each test, as in tests/system/faults.
"""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "faults"))

from fault_proxy import FaultProxy  # noqa: E402  pylint: disable=wrong-import-position
from secret_task import _system_conftest, direct_client, reset_moto, run_task  # noqa: E402  pylint: disable=wrong-import-position

MODULE = "seed.secretsmanager.secrets"
STALE = "stale"  # the proxy's replay answer: moto's recorded reply to an equal earlier request
REPLAYS = 50  # ListSecrets requests of one run that get the recorded answer (one page each)
# The operations that change nothing; any other request that reaches the proxy is a write.
READS = frozenset(("DescribeSecret", "GetSecretValue", "BatchGetSecretValue", "GetResourcePolicy", "ListSecretVersionIds", "ListSecrets"))


@pytest.fixture(scope="session")
def shared_moto(tmp_path_factory):
    start_server = _system_conftest().start_server
    server = start_server(str(tmp_path_factory.mktemp("fleets") / "moto.log"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def proxy(shared_moto):
    """A FaultProxy in front of the (freshly reset) moto server, with the replay answer STALE named."""
    reset_moto(shared_moto.endpoint)
    server = FaultProxy(shared_moto.endpoint)
    server.replay(STALE)
    try:
        yield server
    finally:
        try:
            server.wait_idle()
        finally:
            server.stop()


@pytest.fixture
def direct(proxy, shared_moto):
    """A boto3 client straight at moto, not through the proxy (after the reset of the proxy fixture)."""
    return direct_client(shared_moto.endpoint)


class FleetRunner:
    """Runs secrets tasks through the proxy on one execution path and keeps every run's output, so that a
    test can check that no value it used ever appeared in any of them."""

    def __init__(self, proxy, in_process):
        self.proxy = proxy
        self.in_process = in_process
        self.outputs = []

    def run(self, args, stale=False, check_mode=False, faults=None):
        """One secrets task; (rc, result, output). stale: every ListSecrets request gets moto's answer to an
        equal earlier request (and the test fails when none was replayed, so a stale run is really stale).
        faults: more of the proxy's script. The proxy's `seen` holds this run's requests afterwards."""
        script = dict(faults or {})
        if stale:
            script["ListSecrets"] = [STALE] * REPLAYS
        self.proxy.script(script)
        replayed = len(self.proxy.replayed)
        rc, result, output = run_task(self.proxy.endpoint, args, in_process=self.in_process, module=MODULE, check_mode=check_mode)
        self.proxy.wait_idle()
        self.outputs.append(output)
        if stale:
            assert len(self.proxy.replayed) > replayed, "no ListSecrets answer was replayed: the run read a fresh listing\n%s" % output
        return rc, result, output

    def writes(self):
        """The write requests of the last run that reached the proxy: {operation: [request document, ...]}."""
        return {operation: self.proxy.documents(operation) for operation in self.proxy.counts() if operation not in READS}

    def naming(self, operation, *secrets):
        """The requests of this operation in the last run whose SecretId names one of the secrets: by name, by
        ARN, or by a partial ARN. secrets are DescribeSecret answers (or dicts with Name and ARN)."""
        found = []
        for document in self.proxy.documents(operation):
            secret_id = (document or {}).get("SecretId") or ""
            for secret in secrets:
                arn = secret["ARN"]
                partial = secret_id.startswith("arn:") and arn.startswith(secret_id) and len(arn) - len(secret_id) == 7
                if secret_id in (secret["Name"], arn) or partial:
                    found.append(document)
        return found

    @staticmethod
    def warnings(result, output):
        """The run's warnings: those left in the result, and those the callback printed ([WARNING]: ...)."""
        return list(result.get("warnings") or []) + [line for line in output.splitlines() if "[WARNING]" in line]

    def assert_no_value_shown(self, *values):
        """No value appears in the output of any run of the test (stdout and stderr, the results included)."""
        for value in values:
            assert value, "an empty value proves nothing"
            for output in self.outputs:
                assert value not in output, "a secret value appeared in the task output:\n%s" % output


@pytest.fixture
def fleet(proxy, in_process):
    """A FleetRunner on the execution path of the test's `in_process` parameter."""
    return FleetRunner(proxy, in_process)
