# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark-only callback: how long each task took and how its loop items ended.

bench/run.py enables it (ANSIBLE_CALLBACKS_ENABLED=bench_timing) and reads the JSON
file named by BENCH_TIMING_FILE when the playbook has finished. A task's time runs
from the strategy announcing it to its final host result, in the controller's main
process: the worker's fork, templating, every loop item and the result's return.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: bench_timing
type: aggregate
short_description: Task durations and loop item outcomes for bench/run.py
description:
  - Writes one JSON record per task to the file in E(BENCH_TIMING_FILE). Not part of the collection.
requirements:
  - enabled in the configuration
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timing"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tasks = []
        self._current = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._current = {
            "name": task.get_name(),
            "start": time.perf_counter(),
            "end": None,
            "items": 0,
            "item_ends": [],
            "items_changed": 0,
            "items_failed": 0,
            "changed": None,
            "failed": False,
            "msg": None,
            "counts": None,
        }
        self._tasks.append(self._current)

    def _item(self, result, failed):
        if self._current is None:
            return
        self._current["items"] += 1
        self._current["item_ends"].append(time.perf_counter())
        if result._result.get("changed"):
            self._current["items_changed"] += 1
        if failed:
            self._current["items_failed"] += 1
            if self._current["msg"] is None:
                self._current["msg"] = str(result._result.get("msg", ""))[:500]

    def v2_runner_item_on_ok(self, result):
        self._item(result, failed=False)

    def v2_runner_item_on_failed(self, result):
        self._item(result, failed=True)

    def _done(self, result, failed):
        if self._current is None:
            return
        self._current["end"] = time.perf_counter()
        self._current["changed"] = bool(result._result.get("changed"))
        self._current["failed"] = failed
        # seed.secretsmanager.secrets reports what it did per outcome (names and values stay out).
        counts = result._result.get("counts")
        if isinstance(counts, dict):
            self._current["counts"] = {str(k): v for k, v in counts.items() if isinstance(v, int)}
        if failed and self._current["msg"] is None:
            self._current["msg"] = str(result._result.get("msg", ""))[:500]

    def v2_runner_on_ok(self, result):
        self._done(result, failed=False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._done(result, failed=True)

    def v2_runner_on_unreachable(self, result):
        self._done(result, failed=True)

    def v2_runner_on_skipped(self, result):
        self._done(result, failed=False)

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("BENCH_TIMING_FILE")
        if not path:
            return
        for task in self._tasks:
            task["seconds"] = None if task["end"] is None else task["end"] - task["start"]
            # From the task's start to each item's result: the first interval carries the
            # task's fixed costs (worker fork, imports), the others one item each.
            ends = [task["start"]] + task.pop("item_ends")
            task["item_seconds"] = [later - earlier for earlier, later in zip(ends, ends[1:])]
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"tasks": self._tasks}, handle, indent=1)
