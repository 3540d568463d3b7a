# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.seed.secretsmanager.plugins.module_utils._options import invocation_args, module_spec, unmaskable_values
from ansible_collections.seed.secretsmanager.plugins.module_utils._secret import execute
from ansible_collections.seed.secretsmanager.plugins.plugin_utils._inprocess import InProcessAction


class ActionModule(InProcessAction):
    MODULE = "seed.secretsmanager.secret"

    def _spec(self):
        return module_spec()

    def _unmaskable(self, params):
        return unmaskable_values(params)

    def _invocation_args(self, params):
        return invocation_args(params)

    def _execute(self, params, check_mode, diff, mask):
        return execute(params, check_mode=check_mode, diff=diff, mask=mask)
