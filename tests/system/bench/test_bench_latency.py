# -*- coding: utf-8 -*-
"""The benchmark's own code, exercised in make test: bench/run.py's latency mode at a tiny size, and the
latency proxy it starts (tests/system/faults/fault_proxy.py run as a process, stopped by its PID).

The figures are not checked (a test is no benchmark); what is: every scenario ran, the API calls were
counted per operation at the proxy, the report has its table and its targets, and the rows of
seed.secretsmanager.secrets say "not available" when the module is not there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "bench"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "system", "faults"))

import latency  # noqa: E402  pylint: disable=wrong-import-position
from secret_task import direct_client  # noqa: E402  pylint: disable=wrong-import-position
from with_moto import start_server  # noqa: E402  pylint: disable=wrong-import-position

N = 5


def test_the_latency_proxy_delays_and_counts_every_request_and_stops_by_its_pid(tmp_path):
    server = start_server(str(tmp_path / "moto.log"))
    try:
        proxy = latency.LatencyProxy(server.endpoint, 0.2, str(tmp_path / "proxy.log"))
        try:
            assert proxy.endpoint.startswith("http://127.0.0.1:")
            # Signed by botocore, as the modules' requests are: moto picks the service of a POST to / from
            # the Authorization header's credential scope, and moto 5.2.6 sends an unsigned one to S3.
            client = direct_client(proxy.endpoint)
            for _attempt in range(2):
                start = time.perf_counter()
                answer = client.list_secrets()
                assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200  # moto's answer, relayed
                assert answer["SecretList"] == []
                assert time.perf_counter() - start >= 0.2
            assert proxy.counts() == {"ListSecrets": 2}  # the counts request itself is not counted
        finally:
            proxy.stop()
        assert proxy.proc.returncode is not None
        with pytest.raises(ProcessLookupError):
            os.kill(proxy.pid, 0)
    finally:
        server.stop()


def test_latency_mode_runs_every_scenario_and_reports_the_targets(tmp_path):
    report = tmp_path / "performance.md"
    env = dict(os.environ, SEED_BENCH_BUILD_DIR=str(tmp_path / "build"), SEED_BENCH_RESULTS_DIR=str(tmp_path / "results"))
    done = subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "run.py"), "--latency-only", "--quick", "--no-incumbent", "--no-chart",
         "--latency-n", str(N), "--lookup-n", str(N), "--latency", "0.005", "--report", str(report)],
        capture_output=True, text=True, env=env, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    samples = json.loads((tmp_path / "results" / "quick.json").read_text())["latency_samples"]
    ran = {(s["impl"], s["scenario"]): s for s in samples if not s.get("status")}
    assert set(ran) == {
        ("loop", "create"), ("loop", "unchanged"), ("loop", "unchanged_notoken"), ("loop", "update10"), ("loop", "check1"),
        ("lookup", "lookup_batched"), ("lookup", "lookup_single"),
        ("loop", "explicit_setup"), ("explicit", "unchanged"), ("explicit_fixed", "unchanged"),
    } | ({("secrets", s) for s in latency.SCENARIOS} if latency.secrets_module_available() else set())
    # Counted at the proxy, per operation: what the loop is documented to cost per item.
    assert ran[("loop", "create")]["ops"] == {"DescribeSecret": N, "CreateSecret": N}
    assert ran[("loop", "unchanged")]["ops"] == {"DescribeSecret": N}
    assert ran[("loop", "unchanged_notoken")]["ops"] == {"DescribeSecret": N, "GetSecretValue": N}
    assert ran[("loop", "update10")]["changed"] == 1
    assert ran[("loop", "check1")]["changed"] == 1 and "PutSecretValue" not in ran[("loop", "check1")]["ops"]
    assert ran[("explicit", "unchanged")]["ops"] == ran[("explicit_fixed", "unchanged")]["ops"] == {"DescribeSecret": N}
    text = report.read_text()
    assert "## Against AWS-like latency" in text and "### Latency targets" in text
    assert "| %d | rerun unchanged, tokens | `secret` loop, explicit localhost (interpreter discovered) |" % N in text
    if not latency.secrets_module_available():
        assert "| %d | create N | `secrets` (one task) | not available |" % N in text
        assert "not available | n/a |" in text
    assert "lookup of %d values: at most" % N in text
    assert "latency targets:" in done.stderr
