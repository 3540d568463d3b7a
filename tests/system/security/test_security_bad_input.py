# -*- coding: utf-8 -*-
"""Bad input: every case of bad_inputs.yml fails with a message that names the option and the
constraint, before any AWS request, and leaves nothing behind; on both execution paths."""

from __future__ import annotations

import json
import os

import pytest
import yaml

from security_support import HERE, PATHS, all_secrets, ansible_env, client, run_ansible, settle_requests, tail

CORPUS = os.path.join(HERE, "bad_inputs.yml")

WORKERS = 4  # local hosts that share the corpus: one playbook run, four module runs at a time
PLAYBOOK = """\
- name: Bad input, one loop per worker
  hosts: workers
  gather_facts: false
  vars_files:
    - {corpus}
  tasks:
    - name: Each case
      seed.secretsmanager.secret: "{{{{ {{'name': 'bad-input/' ~ item.id}} | combine(item.args) }}}}"
      loop: "{{{{ bad_input_cases[worker::{workers}] }}}}"
      loop_control:
        label: "{{{{ item.id }}}}"
      ignore_errors: true
      register: bad

    - name: Keep the results
      ansible.builtin.copy:
        content: "{{{{ bad.results | map('dict2items') | map('rejectattr', 'key', 'eq', 'invocation') | map('items2dict') | list | to_json }}}}"
        dest: "{{{{ results_dir }}}}/{{{{ inventory_hostname }}}}.json"
        mode: "0600"
"""


def inventory(path):
    """WORKERS hosts that all run on the controller with its own python, as localhost would."""
    lines = ["[workers]"] + ["worker%d worker=%d" % (i, i) for i in range(WORKERS)]
    lines += ["[workers:vars]", "ansible_connection=local", "ansible_python_interpreter={{ ansible_playbook_python }}"]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def load_corpus():
    with open(CORPUS, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_corpus_is_well_formed():
    corpus = load_corpus()
    cases = corpus["bad_input_cases"]
    assert len(cases) >= 30
    ids = [case["id"] for case in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    for case in cases:
        assert {"id", "args", "option", "words"} <= set(case) <= {"id", "args", "option", "words", "checked_by"}, case["id"]
        assert case.get("checked_by", "module") in ("module", "ansible-core"), case["id"]
        assert case["option"] and case["words"], case["id"]


@pytest.mark.parametrize("path", sorted(PATHS))
def test_bad_input_fails_early_and_names_the_option(moto, tmp_path, path):
    corpus = load_corpus()
    cases = corpus["bad_input_cases"]
    canary = corpus["bad_input_canary"]
    playbook = tmp_path / "bad_input.yml"
    playbook.write_text(PLAYBOOK.format(corpus=CORPUS, workers=WORKERS))
    results_dir = tmp_path / "results"
    results_dir.mkdir()

    proc = run_ansible(
        str(playbook),
        ansible_env(moto.endpoint),
        args=["-vvv", "-i", inventory(tmp_path / "inventory.ini"), "--forks", str(WORKERS)],
        extra_vars={"results_dir": str(results_dir), "seed_secretsmanager_in_process": PATHS[path]},
        cwd=str(tmp_path),
    )
    assert proc.returncode == 0, tail(proc.stdout) + tail(proc.stderr)
    output = proc.stdout.decode("utf-8", "replace")
    marker = "runs in the controller process" if PATHS[path] else "runs as a module: turned off"
    assert output.count(marker) == len(cases), "not every case ran on the %s path" % path

    results = {}
    for worker in range(WORKERS):
        for result in json.loads((results_dir / ("worker%d.json" % worker)).read_text()):
            results[result["item"]["id"]] = result
    assert sorted(results) == sorted(case["id"] for case in cases)
    problems = []
    for case in cases:
        result = results[case["id"]]
        msg = str(result.get("msg", ""))
        lowered = msg.lower()
        wrong = []
        if result.get("failed") is not True:
            wrong.append("did not fail")
        if result.get("changed"):
            wrong.append("reports a change")
        if case["option"].lower() not in lowered:
            wrong.append("does not name %s" % case["option"])
        # The collection's own errors say which option in `option`; only the cases marked checked_by: ansible-core
        # are left to ansible-core's argument check, whose text names the option but whose result has no `option`.
        if case.get("checked_by") == "ansible-core":
            if "option" in result:
                wrong.append("has option %s, but the case says ansible-core checks it" % result["option"])
        elif result.get("option") != case["option"]:
            wrong.append("blames %s" % result.get("option"))
        wrong += ["lacks %r" % word for word in case["words"] if str(word).lower() not in lowered]
        if result.get("actions"):
            wrong.append("called AWS: %s" % result["actions"])
        if canary in msg:
            wrong.append("repeats the value")
        # The collection's own messages (they carry `option`) say dict, not _AnsibleTaggedDict. ansible-core's
        # argument check in the controller process still does ("<class '..._AnsibleTaggedList'>").
        if result.get("option") and "_AnsibleTagged" in msg:
            wrong.append("names an internal type of ansible-core")
        if wrong:
            problems.append("%s: %s\n    msg: %s" % (case["id"], "; ".join(wrong), msg[:300]))
    assert not problems, "%d of %d cases wrong:\n%s" % (len(problems), len(cases), "\n".join(problems))

    # Not one request reached the server ...
    assert settle_requests(moto, 0) == 0
    # ... and nothing was made. Listing is one request, which the count must see: the count works.
    assert all_secrets(client(moto)) == []
    assert settle_requests(moto, 1) == 1
