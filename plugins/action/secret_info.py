# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.seed.secretsmanager.plugins.module_utils._read import info_execute, info_module_spec
from ansible_collections.seed.secretsmanager.plugins.plugin_utils._inprocess import InProcessAction


class ActionModule(InProcessAction):
    MODULE = "seed.secretsmanager.secret_info"

    def _spec(self):
        return info_module_spec()

    def _execute(self, params, check_mode, diff, mask):
        return info_execute(params)
