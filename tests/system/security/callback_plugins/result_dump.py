# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Test-only callback: every task result, as any callback sees it, as JSON lines.

ansible-core 2.19 has no JSON callback of its own (ansible.posix.json is not installed here);
the leak tests enable this one (ANSIBLE_CALLBACKS_ENABLED=result_dump) and search its file.
"""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: result_dump
type: aggregate
short_description: Every task result as JSON lines, for the leak tests
description:
  - Appends one JSON object per result, item result and diff to the file in E(RESULT_DUMP_FILE).
    Not part of the collection.
requirements:
  - enabled in the configuration
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "result_dump"
    CALLBACK_NEEDS_ENABLED = True

    def _write(self, event, result, payload=None):
        path = os.environ.get("RESULT_DUMP_FILE")
        if not path:
            return
        record = {"event": event}
        if result is not None:
            record["task"] = result.task_name
            record["result"] = result.result
            record["warnings"] = [str(w) for w in getattr(result, "warnings", None) or []]
            if getattr(result, "exception", None) is not None:
                record["exception"] = str(result.exception)
        if payload is not None:
            record["payload"] = payload
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")

    def v2_runner_on_ok(self, result):
        self._write("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write("failed", result)

    def v2_runner_on_skipped(self, result):
        self._write("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._write("unreachable", result)

    def v2_runner_item_on_ok(self, result):
        self._write("item_ok", result)

    def v2_runner_item_on_failed(self, result):
        self._write("item_failed", result)

    def v2_runner_item_on_skipped(self, result):
        self._write("item_skipped", result)

    def v2_on_file_diff(self, result):
        self._write("diff", result)
