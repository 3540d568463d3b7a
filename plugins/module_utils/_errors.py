# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The errors that fail a task, shared by every layer.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

TaskError is the base; each kind of failure has its own class, so that a caller tells bad input
from a refused AWS call by its class, never by its text:

- ValidationError: the input breaks a documented constraint, found before any AWS call;
- PlanError: the wanted state cannot be reached from the current one, found before any write;
- AwsError (in _aws.py): an AWS call failed; it carries AWS's code and the kind of failure.
"""

from __future__ import annotations


class TaskError(Exception):
    """Something that fails the task; to_result() gives the keys of the failed task's result."""

    def __init__(self, message: str, code: str | None = None, operation: str | None = None, option: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.operation = operation
        self.option = option

    def to_result(self) -> dict:
        result = {"msg": self.message}
        if self.code:
            result["error_code"] = self.code
        if self.operation:
            result["operation"] = self.operation
        if self.option:
            result["option"] = self.option
        return result


class ValidationError(TaskError):
    """Bad input, found before any AWS call. The message starts with the option's name."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__("%s: %s" % (option, message), code="ValidationError", option=option)


class PlanError(TaskError):
    """The wanted state cannot be reached from the current one (found before any write)."""

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message, code="PlanError", option=option)
