#!/usr/bin/env python
"""Compare the results of the scenario run in-process and as a module, after normalizing what
must differ between two runs (names, random ARN suffixes, dates, generated version ids)."""

from __future__ import annotations

import json
import re
import sys

IGNORED = {"_ansible_no_log", "deprecations"}


def normalize(value, prefix):
    if isinstance(value, dict):
        return {normalize(k, prefix): normalize(v, prefix) for k, v in value.items() if k not in IGNORED}
    if isinstance(value, list):
        return [normalize(v, prefix) for v in value]
    if isinstance(value, str):
        value = value.replace(prefix, "<prefix>")
        value = re.sub(r"(secret:[^\s\"']*?)-[A-Za-z0-9]{6}\b", r"\1-<suffix>", value)
        value = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?", "<date>", value)
        value = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", value)
    return value


def main():
    in_process_file, in_process_prefix, module_file, module_prefix = sys.argv[1:5]
    with open(in_process_file) as f:
        in_process = normalize(json.load(f), in_process_prefix)
    with open(module_file) as f:
        module = normalize(json.load(f), module_prefix)
    differences = 0
    for key in sorted(set(in_process) | set(module)):
        if in_process.get(key) != module.get(key):
            differences += 1
            print("DIFFERENT %s\n  in-process: %s\n  module:     %s" % (
                key, json.dumps(in_process.get(key), sort_keys=True), json.dumps(module.get(key), sort_keys=True)))
    if differences or len(in_process) < 16:
        print("%d of %d results differ" % (differences, len(in_process)))
        return 1
    print("all %d results are equal on both execution paths" % len(in_process))
    return 0


if __name__ == "__main__":
    sys.exit(main())
