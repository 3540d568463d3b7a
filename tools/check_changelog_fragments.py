#!/usr/bin/env python
"""Fail when the collection changed since the last release and no changelog fragment says so.

    python tools/check_changelog_fragments.py

The last release is the last commit that changed changelogs/changelog.yaml (written by
`antsibull-changelog release`, which also removes the fragments it used). Any change
after it to what users get (plugins/, meta/, requirements.txt, bindep.txt), committed or
not, needs at least one fragment in changelogs/fragments/. A change with nothing to tell
users takes a fragment with a `trivial` section, which the changelog does not show.

Where git or the history is missing (an unpacked tarball, a shallow clone that does not
reach the release), there is nothing to compare with: the check says so and passes.
Standard library only.
"""

import os
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHANGES_FILE = "changelogs/changelog.yaml"
FRAGMENTS = "changelogs/fragments"
USER_FACING = ("plugins/", "meta/", "requirements.txt", "bindep.txt")


def git(*args):
    result = subprocess.run(["git"] + list(args), cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    if result.returncode:
        return None
    return result.stdout.decode("utf-8", "replace")


def main():
    release = git("log", "-1", "--format=%H", "--", CHANGES_FILE)
    if not release or not release.strip():
        print("changelog fragments: %s has no commit in this history: nothing to compare with" % CHANGES_FILE)
        return 0
    release = release.strip()
    changed = set((git("diff", "--name-only", release) or "").split("\n"))
    changed |= set((git("ls-files", "--others", "--exclude-standard") or "").split("\n"))
    changed.discard("")
    user_facing = sorted(path for path in changed if path.startswith(USER_FACING))
    fragments = sorted(
        name for name in os.listdir(os.path.join(REPO_ROOT, FRAGMENTS))
        if name.endswith((".yml", ".yaml"))
    ) if os.path.isdir(os.path.join(REPO_ROOT, FRAGMENTS)) else []
    if user_facing and not fragments:
        print("changelog fragments: FAILED: these files changed since the release recorded in %s (%s)" % (CHANGES_FILE, release[:12]))
        for path in user_facing:
            print("  %s" % path)
        print("but %s/ holds no fragment. Add one (see docs/contributing.md), for example\n"
              "  %s/short-name.yml:\n"
              "    bugfixes:\n"
              "      - secret - what was wrong and what it does now.\n"
              "(use a `trivial` section for a change users do not need to hear about)." % (FRAGMENTS, FRAGMENTS))
        return 1
    print("changelog fragments: %d user-facing file(s) changed since %s, %d fragment(s)" % (len(user_facing), release[:12], len(fragments)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
