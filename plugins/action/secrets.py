# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.seed.secretsmanager.plugins.module_utils._front_fleet import run_secrets, secrets_module_kwargs
from ansible_collections.seed.secretsmanager.plugins.plugin_utils._inprocess import action_plugin

ActionModule = action_plugin("seed.secretsmanager.secrets", secrets_module_kwargs, run_secrets)
