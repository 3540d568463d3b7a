# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The attributes every module shares, and the note on where it runs (every module has an action plugin
    # that runs it in-process when that is equivalent); each module adds WRITER or INFO for its check and diff
    # modes (extends_documentation_fragment: seed.secretsmanager.attributes and seed.secretsmanager.attributes.writer).
    DOCUMENTATION = r"""
notes:
  - The task runs inside the controller's worker process, with no module process per task or loop item, when that gives
    the same result as a module. That is, a local connection whose python is the controller's own or is left to
    discovery (no C(ansible_python_interpreter), or an C(auto) mode), botocore on the controller, and no C(become), task
    C(environment) or C(async). Otherwise it runs as a module, with the same result, slower. The implicit localhost and
    an inventory's C(localhost ansible_connection=local) qualify. A host whose C(ansible_python_interpreter) (or the
    C(interpreter_python) setting) names another python runs the module with that python. With C(-v) a task says why it
    ran as a module. See docs/performance.md in the collection.
attributes:
  action_group:
    description: Use C(group/seed.secretsmanager.secretsmanager) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - seed.secretsmanager.secretsmanager
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: aws
  idempotent:
    description: When run twice in a row outside check mode with the same arguments, the second run reports no change.
    support: full
"""

    WRITER = r"""
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - Check mode reads (DescribeSecret, and the value or policy only when they are compared) and never writes.
      - The prediction is exact, except for a secret scheduled for deletion, whose value cannot be read before it is restored.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details:
      - The diff shows metadata and the state of the value (set or not, its version id), never the value.
"""

    INFO = r"""
attributes:
  check_mode: {support: full, details: [The module only reads.],
               description: Can run in check_mode and return changed status prediction without modifying target.}
  diff_mode: {support: N/A, details: [The module only reads.],
              description: "Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode."}
"""
