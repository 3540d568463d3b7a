# -*- coding: utf-8 -*-
"""Helpers of the security system tests (bad input, leaks, least privilege).

Not a conftest.py on purpose: without __init__.py files every conftest.py is imported as the
module `conftest`, so a second one here would shadow tests/system/conftest.py for any test that
does `from conftest import ...`. The shared helpers are loaded from that file by path instead.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import re
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SYSTEM = os.path.dirname(HERE)

_spec = importlib.util.spec_from_file_location("seed_system_conftest", os.path.join(SYSTEM, "conftest.py"))
system = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(system)

ansible_env = system.ansible_env
BIN = system.BIN
REGION = "us-east-1"
PATHS = {"in_process": True, "module": False}  # seed_secretsmanager_in_process for each execution path

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def served_requests(server):
    """AWS requests the server has answered, read from its log.

    MotoServer.requests (tools/with_moto.py) misses every answer that is not 2xx: werkzeug colours
    those lines, and the escape code sits between `HTTP/1.1` and the closing quote it looks for.
    A 404 DescribeSecret or a 403 denial would not be counted, so count here with the colours off.
    """
    with open(server.log_path, encoding="utf-8", errors="replace") as handle:
        lines = [_ANSI.sub("", line) for line in handle]
    return sum(1 for line in lines if 'HTTP/1.1"' in line and "/moto-api" not in line)


def settle_requests(server, expected_at_least, timeout=10.0):
    """The request count once the log has caught up with at least expected_at_least requests
    (the server writes a line before it answers; a thread copies it to the log file)."""
    deadline = time.monotonic() + timeout
    count = served_requests(server)
    while count < expected_at_least and time.monotonic() < deadline:
        time.sleep(0.05)
        count = served_requests(server)
    time.sleep(0.2)  # nothing more should come; give a straggler the chance to show up
    return served_requests(server)


def client(server, service="secretsmanager", access_key="testing", secret_key="testing"):
    import boto3

    return boto3.client(
        service,
        endpoint_url=server.endpoint,
        region_name=REGION,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
    )


def all_secrets(sm):
    """Every secret the server holds, planned deletions included."""
    names = []
    for page in sm.get_paginator("list_secrets").paginate(IncludePlannedDeletion=True):
        names += [entry["Name"] for entry in page["SecretList"]]
    return names


def run_ansible(playbook, env, args=(), extra_vars=None, cwd=None, timeout=300):
    """ansible-playbook with bytes output (a raw binary leak must not break the decoding)."""
    cmd = [os.path.join(BIN, "ansible-playbook"), playbook]
    if extra_vars:
        cmd += ["-e", json.dumps(extra_vars)]
    cmd += list(args)
    return subprocess.run(cmd, env=env, capture_output=True, timeout=timeout, cwd=cwd or HERE, check=False)


def tail(data, size=4000):
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return text[-size:]


def value_forms(value):
    """The byte strings a secret value could show up as: itself, UTF-8, base64, hex, JSON-escaped."""
    raw = value if isinstance(value, bytes) else value.encode("utf-8")
    forms = {raw, base64.b64encode(raw), raw.hex().encode("ascii")}
    if isinstance(value, str):
        forms.add(json.dumps(value).encode("ascii")[1:-1])  # as it sits inside a JSON document
        forms.add(repr(value).encode("utf-8")[1:-1])
    else:
        forms.add(repr(value).encode("ascii")[2:-1])  # b'...' with escapes
        forms.add(json.dumps(value.decode("latin-1")).encode("ascii")[1:-1])  # bytes shown as JSON text
    return forms


def find_leaks(blobs, values):
    """[(where, value, form)] for every form of every value found in any blob."""
    hits = []
    for where, blob in blobs.items():
        for value in values:
            for form in value_forms(value):
                if form and form in blob:
                    hits.append((where, value, form))
    return hits


DOCS_IAM = os.path.join(os.path.dirname(os.path.dirname(SYSTEM)), "docs", "iam.md")


def iam_doc_policies():
    """The JSON blocks of docs/iam.md, each under the heading (### ...) it follows: {heading: [document, ...]}."""
    with open(DOCS_IAM, encoding="utf-8") as handle:
        text = handle.read()
    found = {}
    heading = None
    for match in re.finditer(r"^### ([^\n]+)$|^```json\n(.*?)^```", text, re.M | re.S):
        if match.group(1):
            heading = match.group(1).strip()
        else:
            found.setdefault(heading, []).append(json.loads(match.group(2)))
    return found


def policy_actions(document):
    """Every action an Allow statement of a policy (or a single statement) grants."""
    statements = document.get("Statement", [document])
    actions = set()
    for statement in statements if isinstance(statements, list) else [statements]:
        if statement.get("Effect") == "Allow":
            granted = statement["Action"]
            actions.update([granted] if isinstance(granted, str) else granted)
    return actions
