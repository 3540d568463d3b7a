# -*- coding: utf-8 -*-
"""At -v a task that runs as a module, when the user could run it in the controller process, says why, once
per task (not per loop item) and with the fix; a task that runs in-process says nothing at -v.

The unit tests (tests/unit/plugins/plugin_utils/test_inprocess.py) cover each reason; this one checks that
the message reaches ansible-playbook's output from the worker, with the explicit localhost of an inventory.
"""

from __future__ import annotations

import importlib.util
import os

import pytest

# By path: every folder of tests/system has a conftest.py, and "from conftest import" takes whichever came last.
_SPEC = importlib.util.spec_from_file_location("system_conftest", os.path.join(os.path.dirname(os.path.abspath(__file__)), "conftest.py"))
_CONFTEST = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_CONFTEST)
BIN, run_playbook = _CONFTEST.BIN, _CONFTEST.run_playbook

PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Three items
      seed.secretsmanager.secret_info:
        name: "missing/{{ item }}"
      loop: [1, 2, 3]
"""
REASON = ("seed.secretsmanager.secret_info runs as a module, a new process for every task and loop item: the host's python "
          "(%s) is not the controller's; set ansible_python_interpreter: \"{{ ansible_playbook_python }}\" for the host "
          "(it needs botocore) to run it in the controller process.")
IN_PROCESS = "seed.secretsmanager.secret_info runs in the controller process"
# An explicit localhost whose interpreter is left to discovery runs in-process (the controller's python has
# botocore). Discovery's fallback list names the venv's python3 (it has botocore), so that a module run
# would work too; the third inventory sets that python3, which is not the controller's python by path.
EXPLICIT = "localhost ansible_connection=local ansible_interpreter_python_fallback='[\"%s\"]'" % os.path.join(BIN, "python3")
OTHER = "localhost ansible_connection=local ansible_python_interpreter=%s" % os.path.join(BIN, "python3")


@pytest.mark.parametrize("inventory, verbosity, expected, in_process", [
    (OTHER, "-v", 1, 0),
    (OTHER, None, 0, 0),  # -v only
    (EXPLICIT, "-vvv", 0, 3),  # discovered: in-process, every item, nothing to explain
    (EXPLICIT + ' ansible_python_interpreter="{{ ansible_playbook_python }}"', "-vvv", 0, 3),
])
def test_the_reason_is_shown_once_per_task_at_v(moto, tmp_path, inventory, verbosity, expected, in_process):
    path = tmp_path / "inventory.ini"
    path.write_text(inventory + "\n")
    args = ["-i", str(path)] + ([verbosity] if verbosity else [])
    done = run_playbook(PLAYBOOK, moto.endpoint, args=args)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "ok=1" in done.stdout
    assert done.stdout.count(REASON % os.path.join(BIN, "python3")) == expected
    assert (done.stdout + done.stderr).count("runs as a module") == expected
    assert (done.stdout + done.stderr).count(IN_PROCESS) == in_process
