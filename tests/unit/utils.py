# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers the unit tests share."""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from unittest import mock

import botocore.session
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


def _stub_session():
    """One botocore session for the Stubber tests, blind to the caller's AWS configuration, with the service
    model loaded at import: ansible-test runs each test in a fork, which inherits it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    with mock.patch.dict(os.environ, env, clear=True):
        session = botocore.session.Session()
        session.create_client("secretsmanager", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    return session


STUB_SESSION = _stub_session()


def stub_client(region="us-east-1"):
    """A Secrets Manager client with dummy credentials, for botocore's Stubber."""
    return STUB_SESSION.create_client("secretsmanager", region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")


# The secret the Stubber tests describe, and the desired state as execute() makes it.
STUB_NAME = "app/db"
STUB_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf"
STUB_V1 = "11111111-1111-4111-8111-111111111111"


def validate_as_execute(params):
    """validate() with a fresh uuid4 for the token when none is given, as execute() calls it."""
    from ansible_collections.seed.secretsmanager.plugins.module_utils._validate import validate

    return validate(params, new_token=str(uuid.uuid4()))


def described(**fields):
    """A DescribeSecret answer for STUB_NAME with a current version STUB_V1, and these fields."""
    answer = {"ARN": STUB_ARN, "Name": STUB_NAME, "VersionIdsToStages": {STUB_V1: ["AWSCURRENT"]}}
    answer.update(fields)
    return answer
