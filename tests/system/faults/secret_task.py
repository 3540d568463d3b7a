# -*- coding: utf-8 -*-
"""Helpers of the fault, race and fleet tests: run one task (of the secret module, or another module of
the collection) with ansible-playbook and read its result, and read what moto really stored with a boto3
client straight at moto.

The shared helpers of tests/system/conftest.py are loaded by path: pytest imports every conftest.py
of a directory without __init__.py as the module `conftest`, so `import conftest` would find
whichever was imported last.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
import threading
import urllib.request

SYSTEM_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _system_conftest():
    name = "_seed_system_conftest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, os.path.join(SYSTEM_DIR, "conftest.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


ansible_env = _system_conftest().ansible_env
run_playbook = _system_conftest().run_playbook

REGION = "us-east-1"
_RESULT = re.compile(r"^(?P<host>\S+) \| (?P<status>SUCCESS|CHANGED|FAILED!|UNREACHABLE!) => (?P<json>\{.*?^\})$", re.M | re.S)


def direct_client(endpoint):
    """A boto3 client straight at moto with no retries: the test's own reads and set-up."""
    import boto3
    import botocore.config

    return boto3.client(
        "secretsmanager",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )


def versions(client, name):
    """{version id: sorted stages} of every version of the secret, deprecated ones included."""
    found, kwargs = {}, {"SecretId": name, "IncludeDeprecated": True}
    while True:
        page = client.list_secret_version_ids(**kwargs)
        for version in page["Versions"]:
            found[version["VersionId"]] = sorted(version.get("VersionStages") or [])
        if not page.get("NextToken"):
            return found
        kwargs["NextToken"] = page["NextToken"]


def current_version(client, name):
    return next(v for v, stages in versions(client, name).items() if "AWSCURRENT" in stages)


def secret_names(client):
    """Names of every secret moto holds, those scheduled for deletion included."""
    names, kwargs = [], {"IncludePlannedDeletion": True}
    while True:
        page = client.list_secrets(**kwargs)
        names += [secret["Name"] for secret in page["SecretList"]]
        if not page.get("NextToken"):
            return sorted(names)
        kwargs["NextToken"] = page["NextToken"]


def playbook(task_args, module="seed.secretsmanager.secret", check_mode=False, diff=False):
    """One task of module (the secret module unless told) with these arguments. JSON is YAML, and the tests'
    values hold nothing Jinja would template, so the arguments go into the playbook as they are (no templated
    args dict). check_mode and diff are the task's keywords of those names."""
    task = {"name": "secret", module: task_args}
    if check_mode:
        task["check_mode"] = True
    if diff:
        task["diff"] = True
    return "- hosts: localhost\n  gather_facts: false\n  tasks:\n    - %s\n" % json.dumps(task)


def run_task(endpoint, task_args, in_process=True, timeout=180, module="seed.secretsmanager.secret", check_mode=False, diff=False):
    """Run one task (the secret module unless module names another of the collection's) against endpoint;
    return (rc, result, output); result["_status"] is SUCCESS, CHANGED or FAILED! as the callback printed it.

    The minimal callback prints a task's whole result as JSON, so no extra task is needed to read it.
    in_process False makes the action plugin run the module as a module (AnsiballZ, a new process).
    """
    args = dict(task_args, endpoint_url=endpoint)
    environment = ansible_env(endpoint, ANSIBLE_STDOUT_CALLBACK="minimal", SEED_SECRETSMANAGER_IN_PROCESS=in_process)
    completed = run_playbook(playbook(args, module=module, check_mode=check_mode, diff=diff), endpoint, env=environment, timeout=timeout)
    output = "rc=%s\n%s\n%s" % (completed.returncode, completed.stdout, completed.stderr)
    results = []
    for match in _RESULT.finditer(completed.stdout):
        result = json.loads(match.group("json"))
        result["_status"] = match.group("status")  # the callback drops 'failed' from what it prints
        results.append(result)
    assert len(results) == 1, "expected the result of one task, got %d:\n%s" % (len(results), output)
    return completed.returncode, results[0], output


def reset_moto(endpoint):
    """Forget every resource of the moto server: tests can share one server and still start empty."""
    request = urllib.request.Request(endpoint + "/moto-api/reset", data=b"", method="POST")
    urllib.request.urlopen(request, timeout=30).close()


def run_tasks_at_once(endpoint, all_task_args, in_process=True, timeout=180):
    """Start one ansible-playbook per task at the same moment; return their (rc, result, output) in order."""
    outcomes = [None] * len(all_task_args)
    start = threading.Barrier(len(all_task_args))

    def one(index):
        start.wait()
        try:
            outcomes[index] = run_task(endpoint, all_task_args[index], in_process=in_process, timeout=timeout)
        except BaseException as e:  # pylint: disable=broad-except  # reported by the caller
            outcomes[index] = e

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(all_task_args))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return outcomes
