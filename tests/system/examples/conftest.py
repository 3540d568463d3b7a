# -*- coding: utf-8 -*-
"""The examples test's inventory: at the end of the run, every block of the docs that is not run
(skipped with a reason, or not an example: other languages, shell without an ansible command), counted."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from doc_examples import pages, read_page  # noqa: E402  pylint: disable=wrong-import-position


def pytest_terminal_summary(terminalreporter):
    counts, not_run = {}, []
    for page in pages():
        for block in read_page(page):
            counts[block.kind] = counts.get(block.kind, 0) + 1
            if block.kind == "skip":
                not_run.append("%s skipped: %s" % (block.where, block.marker("skip").attrs["reason"]))
            elif block.kind == "not-run":
                what = "shell without an ansible command" if block.lang in ("sh", "bash", "shell") else (block.lang or "plain") + " block"
                not_run.append("%s not run: %s" % (block.where, what))
    terminalreporter.section("examples of README.md and docs/*.md")
    terminalreporter.write_line(", ".join("%s %d" % item for item in sorted(counts.items())))
    for line in not_run:
        terminalreporter.write_line(line)
