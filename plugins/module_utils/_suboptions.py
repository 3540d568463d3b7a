# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Options checked and converted as AnsibleModule does it: a dict option against its suboptions (generate_secret,
rotation, an item of the secrets module), each value to its type. Pure.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.
"""

from __future__ import annotations

import ast
import json
import re

from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import ValidationError


def type_name(value: object) -> str:
    """The YAML/JSON kind of a value for messages. In the controller process ansible-core 2.19 hands over
    its own subclasses (_AnsibleTaggedDict, _AnsibleTaggedStr...), whose names mean nothing to a user."""
    for kind in (bool, int, float, str, dict, list):
        if isinstance(value, kind):
            return kind.__name__
    return type(value).__name__


def suboptions(option: str, value: object, spec: dict) -> dict | None:
    """A dict option (generate_secret, rotation) checked against its suboptions (_options.py), as AnsibleModule checks
    suboptions: unknown keys refused, each value converted to its type, a default where one is missing or null.

    The argument spec takes these options as raw, so a value that is not a dict reaches this function (ansible-core
    2.16-2.19 crash on it with type=dict and suboptions). None (not given) stays None."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().startswith("{"):
        # A dict that a template on older ansible-core turned into text, as AnsibleModule's dict type reads it.
        try:
            value = json.loads(value)
        except ValueError:
            try:
                value = ast.literal_eval(value)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                pass
    names = ", ".join(list(spec)[:-1]) + " and " + list(spec)[-1]
    if not isinstance(value, dict):
        example = {"generate_secret": ", such as {length: 32} ({} for the defaults)", "rotation": ", such as {lambda_arn: ARN, automatically_after_days: 30}"}
        hint = "; {enabled: false} cancels rotation" if option == "rotation" and value is False else ""
        raise ValidationError(option, "must be a dict of its options%s, not %s%s" % (example.get(option, " (%s)" % names), type_name(value), hint))
    unknown = sorted(str(key) for key in value if key not in spec)
    if unknown:
        raise ValidationError("%s.%s" % (option, unknown[0]), "unsupported parameter: the options of %s are %s" % (option, names))
    checked = {}
    for name, settings in spec.items():
        path = "%s.%s" % (option, name)
        item = value.get(name)
        if item is None:
            if settings.get("required"):
                raise ValidationError(path, "is required")
            checked[name] = settings.get("default")
        elif settings["type"] == "list":
            if not isinstance(item, list):
                raise ValidationError(path, "must be a list, not %s" % type_name(item))
            checked[name] = [suboptions("%s[%d]" % (path, index), element, settings["options"]) for index, element in enumerate(item)]
        else:
            checked[name] = _typed(path, item, settings["type"])
    return checked


# The texts AnsibleModule takes as booleans (ansible.module_utils.parsing.convert_bool), lowercased.
TRUE_TEXTS = ("y", "yes", "on", "1", "true", "t")
FALSE_TEXTS = ("n", "no", "off", "0", "false", "f")


def _typed(path, value, kind):
    """A suboption's value as its type, converted where AnsibleModule converts without loss (a template on
    ansible-core 2.16-2.18 gives text: "20", "true"); anything else fails naming the suboption."""
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = value.lower() if isinstance(value, str) else value
        if text in TRUE_TEXTS or (isinstance(value, (int, float)) and value == 1):
            return True
        if text in FALSE_TEXTS or (isinstance(value, (int, float)) and value == 0):
            return False
        raise ValidationError(path, "must be a boolean (true or false), not %s" % type_name(value))
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.match(r"^\s*[-+]?[0-9]+\s*\Z", value):
            return int(value)
        raise ValidationError(path, "must be a whole number (int), not %s" % type_name(value))
    # str: a number is taken as its digits (as AnsibleModule does); a bool, dict or list is not what the user wrote.
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ValidationError(path, "must be a string, not %s: quote the value" % type_name(value))
