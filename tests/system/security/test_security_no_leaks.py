# -*- coding: utf-8 -*-
"""No leaks: run every kind of task that handles a value with -vvv, on both execution paths, and
search every byte the run leaves (stdout, stderr, the log file, every result as a callback sees it,
every registered result) for every form of every value: none may appear."""

from __future__ import annotations

import base64
import json
import os
import re
import uuid

import pytest

from security_support import HERE, PATHS, ansible_env, client, find_leaks, run_ansible, tail

SCENARIO = os.path.join(HERE, "leak_scenario.yml")
CALLBACKS = os.path.join(HERE, "callback_plugins")
SHORT_MEMBER = "leak_pin_key"  # a JSON member whose value (417) is too short to search for alone


def scenario_values():
    run = uuid.uuid4().hex[:8]
    raw = b"\x00\xfe leak-canary-raw-%s \xff\x01" % run.encode()
    json_value = {
        "user": "leak-canary-json-user-" + run,
        "password": "leak-canary-json-pass-" + run,
        "account": 86420975,
        SHORT_MEMBER: 417,
        "tls": True,
    }
    return {
        "string_1": "leak-canary-string-one-" + run,
        "string_2": "leak-canary-string-two-" + run,
        "json_value": json_value,
        "json_value_text": json.dumps(dict(reversed(list(json_value.items()))), indent=1),
        "raw": raw,
        "binary_b64": base64.b64encode(raw).decode("ascii"),
        "template_user": "leak-canary-template-user-" + run,
        "failing_value": "leak-canary-failing-call-" + run,
        "bad_json_value": "leak-canary-bad-json-" + run,
    }


def searched_values(values):
    """Every value the run handled, in each of its forms (value_forms adds base64, hex, escapes)."""
    found = [values[k] for k in ("string_1", "string_2", "template_user", "failing_value", "bad_json_value", "binary_b64", "raw")]
    found.append(values["raw"].strip(b"\x00\x01\xfe\xff").strip())  # the printable middle of the bytes
    found += [values["json_value"]["user"], values["json_value"]["password"], str(values["json_value"]["account"])]
    found.append(json.dumps(values["json_value"], separators=(",", ":")))
    found.append(values["json_value_text"])
    return found


def short_member_shown(blob):
    """The JSON member too short to mask everywhere must not be shown next to its key either."""
    return re.search(rb"%s\W{1,6}417" % SHORT_MEMBER.encode(), blob) is not None


@pytest.mark.parametrize("path", sorted(PATHS))
def test_no_value_leaks_from_any_kind_of_run(moto, tmp_path, path):
    values = scenario_values()
    prefix = "leak/%s" % path
    values_file = tmp_path / "values.json"
    values_file.write_text(json.dumps(dict({k: v for k, v in values.items() if k != "raw"}, prefix=prefix)))
    results_file = tmp_path / "results.json"
    log_file = tmp_path / "ansible.log"
    dump_file = tmp_path / "callback.jsonl"
    env = ansible_env(
        moto.endpoint,
        ANSIBLE_LOG_PATH=str(log_file),
        ANSIBLE_CALLBACK_PLUGINS=CALLBACKS,
        ANSIBLE_CALLBACKS_ENABLED="result_dump",
        RESULT_DUMP_FILE=str(dump_file),
    )
    proc = run_ansible(
        SCENARIO,
        env,
        args=["-vvv"],
        extra_vars={"values_file": str(values_file), "results_file": str(results_file), "seed_secretsmanager_in_process": PATHS[path]},
        cwd=str(tmp_path),
    )
    assert proc.returncode == 0, tail(proc.stdout) + tail(proc.stderr)

    # The run did what the scenario says, on the path asked for: a silent run proves nothing.
    output = proc.stdout.decode("utf-8", "replace")
    marker = "runs in the controller process" if PATHS[path] else "runs as a module: turned off"
    assert output.count(marker) == 15
    results = json.loads(results_file.read_text())
    for name in ("string_create", "string_update", "json_create", "binary_create", "generated", "generated_json", "string_delete"):
        assert results[name]["changed"] is True and not results[name].get("failed"), name
    for name in ("string_unchanged", "json_unchanged", "binary_unchanged"):
        assert results[name]["changed"] is False and not results[name].get("failed"), name
    assert results["string_check"]["changed"] is True
    assert results["failing_call"]["failed"] is True and results["failing_call"]["error_code"] == "InvalidParameterException"
    for name in ("failing_json", "failing_window", "failing_argspec", "lookup_missing", "lookup_not_json"):
        assert results[name]["failed"] is True, name
    assert "ResourceNotFoundException" in results["lookup_missing"]["msg"]
    assert "not JSON" in results["lookup_not_json"]["msg"]
    assert results["string_create"]["diff"]["after"]["value"] == "set, new version"

    # The generated values, read back with boto3, are searched for too.
    sm = client(moto)
    generated = sm.get_secret_value(SecretId=prefix + "/generated")["SecretString"]
    generated_doc = sm.get_secret_value(SecretId=prefix + "/generated-json")["SecretString"]
    generated_member = json.loads(generated_doc)["password"]
    assert json.loads(generated_doc)["user"] == values["template_user"] and len(generated_member) == 40

    blobs = {
        "stdout": proc.stdout,
        "stderr": proc.stderr,
        "log file": log_file.read_bytes(),
        "callback results": dump_file.read_bytes(),
        "registered results": results_file.read_bytes(),
    }
    assert all(blobs[k] for k in ("stdout", "log file", "callback results", "registered results"))
    dumped = [json.loads(line) for line in blobs["callback results"].splitlines()]
    assert len([r for r in dumped if r["event"] in ("ok", "failed")]) == 18  # every task's result was searched
    leaks = find_leaks(blobs, searched_values(values) + [generated, generated_doc, generated_member])
    assert not leaks, "\n".join("%s shows %r (as %r)" % (where, value, form[:60]) for where, value, form in leaks[:20])
    assert not [where for where, blob in blobs.items() if short_member_shown(blob)], "a short JSON member is shown"
