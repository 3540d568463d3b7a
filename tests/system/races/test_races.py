# -*- coding: utf-8 -*-
"""Eight ansible-playbook runs of the same secret task, started at once.

The proxy's gates line the runs' requests up, so that every path of the race happens on every run of
the test, whatever the scheduler does: half of the runs find no secret and send CreateSecret, held
until all of them have sent it and then let through together; the other half find the secret only
after those creates were answered. What was stored is read from moto straight.
"""

from __future__ import annotations

import threading
import time

from secret_task import run_tasks_at_once, secret_names, versions

RUNS = 8
HALF = RUNS // 2
NAME = "app/raced"
TOKEN = "22222222-2222-4222-8222-222222222222"
VALUE = "the one value"


def line_up(proxy):
    """Requests 1-4 of DescribeSecret pass; CreateSecret 1-4 wait until all four arrived, then go
    together; DescribeSecret 5-8 wait until those four creates were answered. Returns a join()."""
    proxy.gate("creates", parties=HALF)
    proxy.gate("made")
    proxy.script({"DescribeSecret": ["pass"] * HALF + ["hold:made"] * HALF, "CreateSecret": ["hold:creates"] * HALF})

    def open_when_made(timeout=120):
        deadline = time.monotonic() + timeout
        while proxy.completed("CreateSecret") < HALF and time.monotonic() < deadline:
            time.sleep(0.02)
        proxy.open("made")

    watcher = threading.Thread(target=open_when_made, daemon=True)
    watcher.start()

    def join():
        watcher.join()
        assert not proxy.gate_timed_out("creates") and not proxy.gate_timed_out("made"), proxy.seen
        assert proxy.attempts("CreateSecret") == HALF, proxy.seen

    return join


def actions_of(outcomes):
    return sorted(tuple(result["actions"]) for _rc, result, _output in outcomes)


def test_same_token(proxy, direct):
    join = line_up(proxy)
    task = {"name": NAME, "secret_string": VALUE, "client_request_token": TOKEN}
    outcomes = run_tasks_at_once(proxy.endpoint, [task] * RUNS)
    join()
    assert proxy.tokens("CreateSecret") == [TOKEN] * HALF

    for rc, result, output in outcomes:
        assert rc == 0, output
        assert "msg" not in result, output
        assert result["version_id"] == TOKEN, output
        assert result["secret"]["version_ids_to_stages"] == {TOKEN: ["AWSCURRENT"]}, output
        # A CreateSecret with a token AWS already holds for this value succeeds as if it had written it:
        # the four runs that sent it cannot tell who came first and all report changed, as the module
        # documents. The runs that found the version current report unchanged, without reading the value.
        assert result["changed"] is ("CreateSecret" in result["actions"]), output
    assert actions_of(outcomes) == [("DescribeSecret",)] * HALF + [("DescribeSecret", "CreateSecret")] * HALF

    assert secret_names(direct) == [NAME]
    assert versions(direct, NAME) == {TOKEN: ["AWSCURRENT"]}
    assert direct.get_secret_value(SecretId=NAME)["SecretString"] == VALUE


def test_different_values_without_token(proxy, direct):
    """Through the module (AnsiballZ) path this time: the core is the same, the process is not."""
    join = line_up(proxy)
    values = ["value of run %d" % i for i in range(RUNS)]
    outcomes = run_tasks_at_once(proxy.endpoint, [{"name": NAME, "secret_string": value} for value in values], in_process=False)
    join()

    reported = {}
    for value, (rc, result, output) in zip(values, outcomes):
        assert rc == 0, output
        assert "msg" not in result, output
        assert result["changed"] is True, output  # each run's value differs from all the others
        reported[result["version_id"]] = value
    # One run made the secret; three lost the create, read the winner's secret and wrote their value as a
    # new version; four found the secret made and wrote theirs.
    assert actions_of(outcomes) == sorted(
        [("DescribeSecret", "CreateSecret")]
        + [("DescribeSecret", "CreateSecret", "DescribeSecret", "GetSecretValue", "PutSecretValue")] * (HALF - 1)
        + [("DescribeSecret", "GetSecretValue", "PutSecretValue")] * HALF
    )
    assert len(reported) == RUNS, "two runs reported one version id: %s" % reported

    assert secret_names(direct) == [NAME]
    stored = versions(direct, NAME)
    assert sorted(stored) == sorted(reported), "a version no run reported, or a reported one missing"
    current = [version for version, stages in stored.items() if "AWSCURRENT" in stages]
    assert len(current) == 1, stored
    for version, value in reported.items():
        assert direct.get_secret_value(SecretId=NAME, VersionId=version)["SecretString"] == value
    assert direct.get_secret_value(SecretId=NAME)["SecretString"] == reported[current[0]]
