#!/usr/bin/env python
"""Check the Markdown guides: links resolve, and playbook snippets use real options.

    ANSIBLE_COLLECTIONS_PATH=.build/collections python tools/check_docs.py README.md docs

1. Every relative link in the Markdown files ([text](path), [text](path#anchor)) names a
   file of the repository, and an anchor into a Markdown file names one of its headings
   (GitHub's heading ids). Links to other sites are not followed (no network).
2. Every YAML code block that parses as tasks or plays is read, and each task that calls a
   module of this collection may only use options (or aliases) that the module documents
   (read with ansible-doc --json), suboptions included. Snippets cannot drift from the
   modules unnoticed.

Run with a python that has PyYAML (the tools venv's); ansible-doc is taken from PATH.
"""

import json
import os
import re
import subprocess
import sys

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTION = "seed.secretsmanager"
LINK_RE = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE_RE = re.compile(r"^```(\w*)\s*$")
TASK_KEYWORDS = {
    "name", "register", "when", "loop", "loop_control", "vars", "tags", "check_mode", "diff", "no_log",
    "ignore_errors", "failed_when", "changed_when", "delegate_to", "become", "environment", "notify",
    "until", "retries", "delay", "module_defaults", "run_once", "args", "block", "rescue", "always",
    "throttle", "connection", "with_items", "any_errors_fatal", "collections",
}


def markdown_files(paths):
    for path in paths:
        if os.path.isdir(path):
            for folder, _dirs, files in os.walk(path):
                for name in sorted(files):
                    if name.endswith(".md"):
                        yield os.path.join(folder, name)
        elif path.endswith(".md"):
            yield path


def github_anchor(heading):
    """GitHub's id for a heading: lowercase, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*|__", "", heading.strip()).lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors_of(path):
    found, counts, in_code = set(), {}, False
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if FENCE_RE.match(line.strip()):
                in_code = not in_code
                continue
            match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
            if match and not in_code:
                anchor = github_anchor(match.group(1))
                if anchor in counts:
                    counts[anchor] += 1
                    anchor = "%s-%d" % (anchor, counts[anchor])
                else:
                    counts[anchor] = 0
                found.add(anchor)
            for explicit in re.findall(r'<a (?:id|name)="([^"]+)"', line):
                found.add(explicit)
    return found


def check_links(path):
    problems = []
    in_code = False
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if FENCE_RE.match(line.strip()):
                in_code = not in_code
            if in_code:
                continue
            for target in LINK_RE.findall(line):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                    continue
                file_part, _sep, anchor = target.partition("#")
                resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
                where = "%s:%d: %s" % (path, number, target)
                if not os.path.exists(resolved):
                    problems.append("%s: no such file %s" % (where, os.path.relpath(resolved, REPO_ROOT)))
                elif anchor and resolved.endswith(".md") and anchor not in anchors_of(resolved):
                    problems.append("%s: no heading with id #%s in %s" % (where, anchor, os.path.relpath(resolved, REPO_ROOT)))
    return problems


def yaml_blocks(path):
    block, start, language = None, 0, ""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            match = FENCE_RE.match(line.strip())
            if match and block is None:
                block, start, language = [], number, match.group(1)
            elif match and block is not None:
                if language in ("yaml", "yml"):
                    yield start, "".join(block)
                block = None
            elif block is not None:
                block.append(line)


def module_options(module):
    out = subprocess.run(["ansible-doc", "--json", "-t", "module", module], stdout=subprocess.PIPE, check=True).stdout
    doc = json.loads(out)[module]["doc"]
    return doc.get("options", {})


def allowed(options):
    names = {}
    for name, spec in options.items():
        for key in [name] + list(spec.get("aliases", [])):
            names[key] = spec
    return names


def check_args(args, options, where, problems):
    names = allowed(options)
    for key, value in args.items():
        if key not in names:
            problems.append("%s: unknown option %r" % (where, key))
            continue
        sub = names[key].get("suboptions")
        if sub and isinstance(value, dict):
            check_args(value, sub, "%s.%s" % (where, key), problems)
        elif sub and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    check_args(item, sub, "%s.%s[]" % (where, key), problems)


def tasks_in(data):
    """Tasks of a list of plays or tasks, blocks and handlers included."""
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return
    for item in data:
        if not isinstance(item, dict):
            continue
        for key in ("tasks", "pre_tasks", "post_tasks", "handlers", "block", "rescue", "always"):
            if isinstance(item.get(key), list):
                yield from tasks_in(item[key])
        yield item


def check_snippets(path, option_cache):
    problems = []
    for start, text in yaml_blocks(path):
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            problems.append("%s:%d: YAML block does not parse: %s" % (path, start, exc))
            continue
        for task in tasks_in(data):
            for key, args in task.items():
                if not key.startswith(COLLECTION + ".") or key in TASK_KEYWORDS:
                    continue
                if key not in option_cache:
                    option_cache[key] = module_options(key)
                if args is None:
                    continue
                if not isinstance(args, dict):
                    problems.append("%s:%d: %s takes a dict of options here" % (path, start, key))
                    continue
                check_args(args, option_cache[key], "%s:%d: %s" % (path, start, key), problems)
    return problems


def main(argv):
    paths = argv or ["README.md", "docs"]
    problems, option_cache, count = [], {}, 0
    for path in markdown_files(paths):
        count += 1
        problems += check_links(path)
        problems += check_snippets(path, option_cache)
    for problem in problems:
        print("check-docs: %s" % problem)
    if problems:
        print("check-docs: FAILED: %d problem(s) in %d Markdown file(s)" % (len(problems), count))
        return 1
    print("check-docs: %d Markdown file(s): links resolve; snippets use documented options of %s" % (
        count, ", ".join(sorted(option_cache)) or "no module"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
