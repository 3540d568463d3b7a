# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers the unit tests share."""

from __future__ import annotations

import contextlib
import json

from ansible.module_utils import basic

try:  # ansible-core 2.19+: setting basic._ANSIBLE_ARGS no longer works there
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # older ansible-core
    patch_module_args = None


@contextlib.contextmanager
def module_args(args):
    """Hand args to the next AnsibleModule, whichever way this ansible-core supports."""
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    args = dict({"_ansible_remote_tmp": "/tmp", "_ansible_keep_remote_files": False}, **args)
    saved = basic._ANSIBLE_ARGS
    basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode("utf-8")
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = saved
