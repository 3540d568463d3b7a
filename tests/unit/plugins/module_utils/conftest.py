# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The client and Stubber fixtures of the module_utils tests that answer as AWS does."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

from ansible_collections.seed.secretsmanager.tests.unit.utils import stub_client


@pytest.fixture
def client():
    return stub_client()


@pytest.fixture
def stubber(client):
    stub = Stubber(client)
    stub.activate()
    yield stub
    stub.deactivate()
