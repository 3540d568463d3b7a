# -*- coding: utf-8 -*-
"""Every example of README.md and docs/*.md runs as written against a moto server (make system).

The examples are read from the Markdown files (doc_examples.py says how, and how a block that is not
a playbook is declared), so an example that stops working, or starts printing a secret value, fails
this test. The examples of one page run in order in one work directory against one moto server.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys

import boto3
import pytest
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from doc_examples import ROOT, ansible_commands, check_json, pages, playbook_of, read_page, saved_files  # noqa: E402

# tests/system/conftest.py by path: every conftest.py is the module `conftest` (no __init__.py files).
_spec = importlib.util.spec_from_file_location("seed_system_conftest", os.path.join(ROOT, "tests", "system", "conftest.py"))
_system = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_system)
ansible_env = _system.ansible_env

BIN = os.path.dirname(sys.executable)
REGION = "eu-west-1"

# What a reader brings to the examples from their own vault. The ones that are secret values must never
# appear in the output; the *_version ones are version ids (client_request_token), not secret.
READER_VARS = {
    "vault_db_password": "Vdb-7f3kQz9Lw2pXn4",
    "vault_api_token": "Vapi-Rt8mN2vB6cXq1z",
    "vault_api_token_version": "a6f4c8e2-1b3d-4f5a-9c7e-0d2b4a6c8e10",
    "new_api_token": "Vnew-Hs5jK8wP3dLm7y",
    "new_api_token_version": "b7e5d9f3-2c4e-4a6b-8d0f-1e3c5b7d9f21",
    "db_credentials": {"username": "app", "password": "Vcred-Qw9eR4tY7uI2o"},
    "db_credentials_version": "c8f6e0a4-3d5f-4b7c-9e1a-2f4d6c8e0a32",
    "initial_value": "Vinit-Zx3cV6bN9mA1s",
    "change_window_open": True,
}
PROFILES = ("default", "deploy", "prod", "reader")

# Blocks that cannot run against moto, by page; a new skip must be added here too, so it is seen in review.
EXPECTED_SKIPS = {"docs/migrating-from-community-aws.md": 1, "docs/module-defaults.md": 1}


def secret_leaves(value, key=""):
    """The strings of a value that are secret: every leaf of a vars file but the version ids."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from secret_leaves(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from secret_leaves(item, key)
    elif isinstance(value, str) and len(value) >= 6 and not key.endswith(("_version", "_token")):
        yield value


def stored_values(endpoint):
    """Every value moto holds now (generated ones included): whole strings and the secret-looking JSON keys."""
    found = set()
    for region in (REGION, "us-east-1"):
        client = boto3.client("secretsmanager", endpoint_url=endpoint, region_name=region,
                              aws_access_key_id="testing", aws_secret_access_key="testing")
        for page in client.get_paginator("list_secrets").paginate(IncludePlannedDeletion=True):
            for secret in page["SecretList"]:
                try:
                    text = client.get_secret_value(SecretId=secret["ARN"]).get("SecretString")
                except client.exceptions.ClientError:
                    continue
                if not text:
                    continue
                found.add(text)
                try:
                    data = json.loads(text)
                except ValueError:
                    continue
                if isinstance(data, dict):
                    found.update(v for k, v in data.items() if isinstance(v, str) and len(v) >= 6
                                 and any(w in k.lower() for w in ("password", "token", "secret", "key")))
    return {value for value in found if len(value) >= 6}


class Page:
    """The work directory of one page's run: saved files, vars files, the environment."""

    def __init__(self, page, work, endpoint):
        self.page, self.work, self.endpoint = page, work, endpoint
        self.secrets = set(secret_leaves(READER_VARS))
        self.vars_files = [b.saved_name() for b in read_page(page) if b.kind == "vars"]
        with open(os.path.join(work, "reader_vars.json"), "w") as handle:
            json.dump(READER_VARS, handle)
        # What a checkout has after `make demo`, for the commands that use it.
        os.symlink(os.path.dirname(BIN), os.path.join(work, ".venv"))
        os.symlink(os.path.join(os.path.dirname(os.path.abspath(__file__)), "moto_setup.py"), os.path.join(work, "moto_setup.py"))
        os.makedirs(os.path.join(work, ".build"))
        os.symlink(os.path.join(ROOT, ".build", "collections"), os.path.join(work, ".build", "collections"))
        config = "".join("[%s]\nregion = %s\n" % ("default" if p == "default" else "profile " + p, REGION) for p in PROFILES)
        credentials = "".join("[%s]\naws_access_key_id = testing\naws_secret_access_key = testing\n" % p for p in PROFILES)
        self.write(".aws/config", config)
        self.write(".aws/credentials", credentials)
        self.env = ansible_env(
            endpoint, AWS_REGION=REGION, AWS_DEFAULT_REGION=REGION,
            AWS_CONFIG_FILE=os.path.join(work, ".aws/config"),
            AWS_SHARED_CREDENTIALS_FILE=os.path.join(work, ".aws/credentials"),
            ANSIBLE_RETRY_FILES_ENABLED="False",
        )

    def write(self, name, text):
        path = os.path.join(self.work, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text)

    def prepare(self, block):
        for marker in block.markers:
            if marker.kind == "file":
                name = marker.words[0]
                text = saved_files(marker.attrs["from"])[name] if "from" in marker.attrs else marker.body.lstrip("\n")
                self.write(name, text)
        if block.saved_name():
            self.write(block.saved_name(), block.text)

    def run(self, block):
        """Run one block; return (ok, what was run, output)."""
        self.prepare(block)
        for vars_file in self.vars_files:  # all of the page's vars files exist before its first example
            if not os.path.exists(os.path.join(self.work, vars_file)):
                self.write(vars_file, saved_files(self.page)[vars_file])
        if block.kind == "vars":
            data = yaml.safe_load(block.text)
            assert isinstance(data, dict), "%s: a vars file is a mapping" % block.where
            self.secrets.update(secret_leaves(data))
            return True, "vars file %s" % block.saved_name(), ""
        if block.kind == "json" or (block.kind == "data" and block.lang == "json"):
            check_json(block)
            return True, "JSON parses", ""
        if block.kind == "data":
            yaml.safe_load(block.text)
            return True, "YAML parses", ""
        if block.kind == "run-yaml":
            text, shape = playbook_of(block, self.endpoint)
            name = "example_%d.yml" % block.line
            self.write(name, text)
            command = [os.path.join(BIN, "ansible-playbook"), name, "--diff", "-e", "@reader_vars.json"]
            for vars_file in self.vars_files:
                command += ["-e", "@" + vars_file]
            what = "%s as a %s" % (" ".join(command[1:]), shape)
        else:
            command = ["bash", "-euo", "pipefail", "-c", block.text]
            what = "the shell block: " + "; ".join(c for c in block.text.splitlines() if c.strip())
        proc = subprocess.run(command, stdin=subprocess.DEVNULL, cwd=self.work, env=self.env, capture_output=True, text=True, timeout=300, check=False)
        return proc.returncode == 0, what, proc.stdout + proc.stderr


def runnable_pages():
    return [page for page in pages() if any(b.kind not in ("skip", "not-run") for b in read_page(page))]


@pytest.mark.parametrize("page", runnable_pages())
def test_examples_run(page, moto, tmp_path):
    """Each example of the page runs as written and prints no secret value."""
    work = tmp_path / "work"
    work.mkdir()
    state = Page(page, str(work), moto.endpoint)
    problems, outputs = [], []
    for block in read_page(page):
        if block.kind in ("skip", "not-run"):
            continue
        ok, what, output = state.run(block)
        outputs.append((block, output))
        if not ok:
            problems.append("%s: failed: %s\n%s" % (block.where, what, output[-4000:]))
    secrets = state.secrets | stored_values(moto.endpoint)
    for block, output in outputs:
        leaked = sorted(value for value in secrets if value in output)
        if leaked:
            problems.append("%s: the output shows %d secret value(s) (not repeated here)" % (block.where, len(leaked)))
    assert not problems, "\n\n".join(problems)


def test_not_run_blocks_are_declared():
    """Blocks that are not run are listed (conftest prints them) and the skips are the expected ones."""
    skips = {}
    for page in pages():
        for block in read_page(page):
            if block.kind == "skip":
                assert block.marker("skip").attrs.get("reason"), "%s: a skip needs reason=..." % block.where
                skips[page] = skips.get(page, 0) + 1
            if block.kind == "run-yaml":
                playbook_of(block, "http://127.0.0.1:1")  # a YAML block of unknown shape fails here
    assert skips == EXPECTED_SKIPS


def tasks_of(data):
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict):
            for key in ("tasks", "pre_tasks", "post_tasks", "block", "rescue", "always"):
                yield from tasks_of(item.get(key))
            yield item


def test_examples_keep_values_out_of_sight():
    """What a run at default verbosity cannot show: an ad-hoc example takes its value from a variable
    (ansible-core prints -a as written when the task fails), and a fact that holds a looked-up value is
    set with no_log (ansible-playbook -v prints facts)."""
    problems = []
    for page in pages():
        for block in read_page(page):
            if block.kind == "run-sh":
                for command in ansible_commands(block.text):
                    for option in re.findall(r"\b(secret_string|secret_json|secret_binary)=(\S*)", command):
                        if not option[1].startswith("{{"):
                            problems.append("%s: %s= written on the command line; use a variable (-e @vars.yml)" % (block.where, option[0]))
            if block.kind == "run-yaml":
                for task in tasks_of(yaml.safe_load(block.text)):
                    facts = task.get("ansible.builtin.set_fact") or task.get("set_fact")
                    if isinstance(facts, dict) and "seed.secretsmanager.secret" in json.dumps(facts) and not task.get("no_log"):
                        problems.append("%s: set_fact of a looked-up value without no_log: true" % block.where)
    assert not problems, "\n".join(problems)


def module_examples(module):
    """The EXAMPLES of plugins/modules/MODULE.py, as a task list."""
    import ast

    with open(os.path.join(ROOT, "plugins", "modules", module + ".py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "EXAMPLES" for t in node.targets):
            return yaml.safe_load(node.value.value)
    raise AssertionError("no EXAMPLES in %s" % module)


def test_secret_info_examples_find_rotation_off(moto, tmp_path):
    """secret_info's examples run, and "rotation is off" lists secrets that never rotated and those
    whose rotation was cancelled (rotation_enabled false), not those that rotate."""
    work = tmp_path / "work"
    work.mkdir()
    state = Page("README.md", str(work), moto.endpoint)
    function = "arn:aws:lambda:%s:123456789012:function:rotate-db" % REGION
    rotation = {"lambda_arn": function, "automatically_after_days": 30}
    setup = [
        {"ansible.builtin.command": "{{ ansible_playbook_python }} moto_setup.py lambda rotate-db", "changed_when": True},
        {"seed.secretsmanager.secret": {"name": "example/rotates", "secret_string": "{{ initial_value }}", "rotation": rotation}},
        {"seed.secretsmanager.secret": {"name": "example/cancelled", "secret_string": "{{ initial_value }}", "rotation": rotation}},
        {"seed.secretsmanager.secret": {"name": "example/cancelled", "rotation": {"enabled": False}}},
        {"seed.secretsmanager.secret": {"name": "example/never", "secret_string": "{{ initial_value }}"}},
    ]
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": setup + module_examples("secret_info")}]
    state.write("play.yml", yaml.safe_dump(play, sort_keys=False))
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "play.yml", "-e", "@reader_vars.json"], stdin=subprocess.DEVNULL,
                          cwd=str(work), env=state.env, capture_output=True, text=True, timeout=300, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    listed = set(re.findall(r'"msg": "(example/[a-z]+)"', output))
    assert listed == {"example/cancelled", "example/never"}, output
    assert READER_VARS["initial_value"] not in output
