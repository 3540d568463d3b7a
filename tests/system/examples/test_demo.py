# -*- coding: utf-8 -*-
"""make demo's script (demo/run.sh) passes against a moto server and says what each step proved."""

from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tools"))

from with_moto import aws_environment  # noqa: E402  pylint: disable=wrong-import-position

STEPS = ("check mode: would create it", "create: arn:", "rerun: unchanged after 1 call (DescribeSecret)",
         "update: the diff shows the value as 'set, new version'", "lookup: key 'password'", "secret_info: demo/app/database",
         "validation: name:", "demo: passed")


def test_demo_runs_every_step_in_order(moto):
    env = aws_environment(moto.endpoint)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["ANSIBLE_NOCOLOR"] = "True"
    proc = subprocess.run([os.path.join(ROOT, "demo", "run.sh")], env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=300, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    positions = [output.find(step) for step in STEPS]
    assert -1 not in positions, [step for step, at in zip(STEPS, positions) if at == -1]
    assert positions == sorted(positions), output
