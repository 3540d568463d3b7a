# -*- coding: utf-8 -*-
"""Which secret_json leaves the modules let Ansible's no_log masking skip, and why it matters."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.parameters import remove_values

from ansible_collections.seed.secretsmanager.plugins.module_utils._options import unmaskable_values

RESULT = {"actions": ["DescribeSecret", "CreateSecret"], "name": "prod/db", "arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"}


@pytest.mark.parametrize(
    "secret_json, unmasked",
    [
        ({"user": "app", "pool": ["a", "b"], "port": 543, "tls": True, "x": None}, {"app", "a", "b", "543", "True", "None"}),
        ({"pin": 4171, "password": "long-enough-to-mask"}, set()),
        ([{"k": "abc"}, "abcd"], {"abc"}),
        ({"same": "abc", "other": "abc"}, {"abc"}),
        ('{"a": "b"}', set()),  # a JSON string is masked whole by Ansible; nothing to unmask
        (None, set()),
    ],
)
def test_unmaskable_values(secret_json, unmasked):
    assert unmaskable_values({"secret_json": secret_json}) == unmasked


def test_short_leaves_no_longer_mangle_the_result():
    secret_json = {"username": "app", "pool": ["a", "b"], "password": "Sup3r-S3cret-Valu3-7c1d"}
    leaves = {"app", "a", "b", "Sup3r-S3cret-Valu3-7c1d"}  # what Ansible collects from a no_log dict
    mangled = remove_values(RESULT, leaves)
    assert mangled != RESULT  # the problem: 'a' is masked inside operation names and the ARN
    masked = remove_values(RESULT, leaves - unmaskable_values({"secret_json": secret_json}))
    assert masked == RESULT
    assert "Sup3r-S3cret-Valu3-7c1d" in leaves - unmaskable_values({"secret_json": secret_json})
