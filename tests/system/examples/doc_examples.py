# -*- coding: utf-8 -*-
"""The examples of README.md and docs/*.md, read from the Markdown as a reader sees them.

Every fenced block is an example. What happens to it depends on its language and on the markers
(HTML comments, invisible on GitHub) written just before it:

    <!-- example: KIND [WORD ...] [key=value ...]
    optional body, up to the closing -->

Run by default, with no marker:
  - ```yaml: a playbook (a list of plays), a task list (run in a play on localhost), or a mapping of
    play keywords such as a `module_defaults:` fragment (run as a play with one secret_info task, which
    uses those defaults). A YAML block that is none of these fails the test until it is declared.
  - ```sh (bash, shell): the block runs as a bash script when one of its commands is ansible,
    ansible-playbook or ansible-doc; a shell block without one is listed as not run.
  - ```json: must parse (IAM policies, outputs).
Other languages (ini, diff, text, none) are listed as not run.

Markers (several may precede one block; only blank lines may come between them and the block):
  vars NAME         the YAML block is a vars file: saved as NAME, passed (-e @NAME) to every YAML
                    example of the page, and its values count as secret values for the leak check
                    (except keys ending in _version or _token).
  data              YAML or JSON that is not Ansible (a changelog fragment, an EE definition): it must
                    parse; listed as not run.
  save=NAME         (on any run block) also save the block's text as NAME, for a later command.
  file NAME         write the marker's body to NAME before the block runs (a policy, a base64 file).
  file NAME from=P  write the block saved as NAME in page P (its save= or vars marker).
  setup             the body is a YAML task list run before the block: in the same play for a task
                    list, as a play of its own before a playbook (facts carry over).
  endpoint=URL      URL in the block stands for the test endpoint and is replaced by it.
  replace OLD NEW   the test runs the block with NEW for OLD (a path outside the work directory).
  run               no change to the default; carries attributes: <!-- example: save=site.yml -->.
  skip reason=TEXT  not run; only for what cannot run against moto. Listed and counted.

The examples of one page run in order against one moto server, in one work directory that holds
the saved files and moto_setup.py (for setups: things moto lacks until they are created, such as a
Lambda function), with the variables a reader brings (READER_VARS below) and AWS profiles named
default, deploy, prod and reader. Every secret value any of them used must stay out of the output.
"""

from __future__ import annotations

import dataclasses
import glob
import json
import os
import re
import shlex

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
FENCE_RE = re.compile(r"^(\s*)```\s*([\w+-]*)\s*$")
MARKER_RE = re.compile(r"^\s*<!--\s*example:(.*)$")
ANSIBLE_COMMANDS = {"ansible", "ansible-playbook", "ansible-doc"}
PLAY_KEYWORDS = {
    "module_defaults", "vars", "vars_files", "environment", "collections", "connection", "gather_facts",
    "hosts", "name", "tasks", "pre_tasks", "post_tasks", "handlers", "roles", "become", "check_mode", "diff",
}


def pages():
    return ["README.md"] + sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "docs", "*.md")))


@dataclasses.dataclass
class Marker:
    kind: str
    words: list
    attrs: dict
    body: str
    line: int


@dataclasses.dataclass
class Block:
    page: str
    line: int
    lang: str
    text: str
    markers: list

    @property
    def where(self):
        return "%s:%d" % (self.page, self.line)

    def marker(self, kind):
        return next((m for m in self.markers if m.kind == kind), None)

    def attr(self, key):
        return next((m.attrs[key] for m in self.markers if key in m.attrs), None)

    @property
    def kind(self):
        """What the test does with the block: run-yaml, run-sh, vars, json, skip, or not-run."""
        if self.marker("skip"):
            return "skip"
        if self.marker("vars"):
            return "vars"
        if self.marker("data"):
            return "data"
        if self.lang in ("yaml", "yml"):
            return "run-yaml"
        if self.lang in ("sh", "bash", "shell"):
            return "run-sh" if ansible_commands(self.text) else "not-run"
        if self.lang == "json":
            return "json"
        return "not-run"

    def saved_name(self):
        if self.marker("vars"):
            return self.marker("vars").words[0]
        return self.attr("save")


def _marker(lines, line):
    head, _sep, rest = lines[0].partition("-->")
    words, attrs = [], {}
    tokens = shlex.split(MARKER_RE.match(head).group(1))
    if not tokens:
        raise ValueError("line %d: a marker names its kind: <!-- example: KIND ... -->" % line)
    if "=" in tokens[0]:  # only attributes: <!-- example: save=site.yml -->
        tokens.insert(0, "run")
    for token in tokens[1:]:
        key, sep, value = token.partition("=")
        if sep:
            attrs[key] = value
        else:
            words.append(token)
    body = "".join(lines[1:])
    body = body[: body.rindex("-->")] if "-->" in body else body
    return Marker(tokens[0], words, attrs, body, line)


def read_page(page):
    """The page's fenced blocks, each with the markers written before it."""
    with open(os.path.join(ROOT, page), encoding="utf-8") as handle:
        lines = handle.readlines()
    blocks, pending, index = [], [], 0
    while index < len(lines):
        line = lines[index]
        marker = MARKER_RE.match(line)
        fence = FENCE_RE.match(line)
        if marker:
            start, chunk = index, [line]
            while "-->" not in chunk[-1] and index + 1 < len(lines):
                index += 1
                chunk.append(lines[index])
            pending.append(_marker(chunk, start + 1))
        elif fence:
            indent, lang, start, body = fence.group(1), fence.group(2), index + 1, []
            index += 1
            while index < len(lines) and not FENCE_RE.match(lines[index]):
                text = lines[index]
                body.append(text[len(indent):] if text.startswith(indent) else text.lstrip())
                index += 1
            blocks.append(Block(page, start, lang, "".join(body), pending))
            pending = []
        elif line.strip() and pending:
            raise ValueError("%s:%d: the marker of line %d is not followed by a code block" % (page, index + 1, pending[0].line))
        index += 1
    if pending:
        raise ValueError("%s: the marker of line %d is not followed by a code block" % (page, pending[0].line))
    return blocks


def ansible_commands(script):
    """The commands of a shell script (continuations joined) that run ansible, ansible-playbook or ansible-doc."""
    found = []
    for command in script.replace("\\\n", " ").splitlines():
        words = command.split("#")[0].split()
        while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
            words.pop(0)
        if words and words[0] in ANSIBLE_COMMANDS:
            found.append(command.strip())
    return found


def saved_files(page):
    """{name: text} of the blocks a page saves (save= or vars), without running anything."""
    return {block.saved_name(): block.text for block in read_page(page) if block.saved_name()}


def yaml_shape(data):
    """playbook, tasks or play-keys; None for anything else."""
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        if all("hosts" in item or "import_playbook" in item for item in data):
            return "playbook"
        return "tasks"
    if isinstance(data, dict) and data and set(data) <= PLAY_KEYWORDS:
        return "play-keys"
    return None


def playbook_of(block, endpoint):
    """The playbook (as YAML text) that runs a run-yaml block, its setup included."""
    text = block.text
    for marker in block.markers:
        if marker.kind == "replace":
            text = text.replace(marker.words[0], marker.words[1])
    url = block.attr("endpoint")
    if url:
        text = text.replace(url, endpoint)
    data = yaml.safe_load(text)
    shape = yaml_shape(data)
    if shape is None:
        raise ValueError(
            "%s: a YAML block that is not a playbook, a task list or play keywords; declare it "
            "(<!-- example: vars NAME --> or <!-- example: skip reason=... -->)" % block.where)
    setup = [yaml.safe_load(m.body) or [] for m in block.markers if m.kind == "setup"]
    setup = [task for tasks in setup for task in tasks]
    play = {"name": "example %s" % block.where, "hosts": "localhost", "gather_facts": False}
    if shape == "playbook":
        plays = ([dict(play, name="setup of %s" % block.where, tasks=setup)] if setup else []) + data
        return yaml.safe_dump(plays, sort_keys=False), shape
    if shape == "tasks":
        return yaml.safe_dump([dict(play, tasks=setup + data)], sort_keys=False), shape
    probe = {"name": "A call that uses these play keywords", "seed.secretsmanager.secret_info": {"name": "example/probe"}}
    return yaml.safe_dump([{**play, **data, "tasks": setup + [probe]}], sort_keys=False), shape


def check_json(block):
    json.loads(block.text)
