#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: secret_info
short_description: Read AWS Secrets Manager secrets' metadata, never their values
version_added: 0.1.0
description:
  - Describes one secret (O(name)), the secrets that O(filters) select, or all secrets.
  - Needs C(secretsmanager:DescribeSecret) for O(name), C(secretsmanager:ListSecrets) otherwise, and
    C(secretsmanager:GetResourcePolicy) with O(include_policy). Never reads a value.
author:
  - Seed (@seed)
options:
  name:
    description:
      - The name or ARN of one secret. A missing secret gives an empty list, not a failure.
      - An ARN is read in its own region. The module warns when O(region) names another region.
    type: str
    aliases: [secret_id]
  filters:
    description:
      - ListSecrets filters. Each value is a string or a list of up to 10 strings; a value that starts
        with C(!) negates it, as ListSecrets does.
    type: dict
    suboptions:
      name: {type: raw, description: Secrets whose name starts with this.}
      description: {type: raw, description: Secrets whose description starts with this.}
      tag_key: {type: raw, description: Secrets with a tag key that starts with this.}
      tag_value: {type: raw, description: Secrets with a tag value that starts with this.}
      primary_region: {type: raw, description: Secrets whose primary region is this.}
      owning_service: {type: raw, description: Secrets managed by this service.}
      all: {type: raw, description: Secrets with this in any of the fields above.}
  include_planned_deletion:
    description: Also return secrets scheduled for deletion.
    type: bool
    default: false
  include_policy:
    description:
      - Add each secret's resource policy, as a dict, under C(resource_policy) (an empty dict when it has none).
      - Not for secrets scheduled for deletion or replicas of a secret in another region, which get no
        C(resource_policy) key.
    type: bool
    default: false
  max_results:
    description: Return at most this many secrets. All pages are read when not given.
    type: int
extends_documentation_fragment: [seed.secretsmanager.connection.modules, seed.secretsmanager.connection.shared,
                                 seed.secretsmanager.attributes, seed.secretsmanager.attributes.info]
"""

EXAMPLES = r"""
- name: One secret's metadata
  seed.secretsmanager.secret_info:
    name: prod/app/db
  register: db

- name: Every secret of the payments team, with its policy
  seed.secretsmanager.secret_info:
    filters:
      tag_key: team
      tag_value: payments
    include_policy: true

- name: Secrets whose rotation is off
  seed.secretsmanager.secret_info:
  register: all_secrets

- ansible.builtin.debug:
    msg: "{{ all_secrets.secrets | rejectattr('rotation_enabled', 'defined') | map(attribute='name') }}"
"""

RETURN = r"""
secrets:
  description:
    - The secrets as DescribeSecret (with O(name)) or ListSecrets show them, in snake_case. Never a value.
    - C(replication_status) is there only with O(name), since ListSecrets does not show replicas.
  returned: always
  type: list
  elements: dict
  sample:
    - arn: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/app/db-AbCdEf
      name: prod/app/db
      description: Database credentials
      tags: {"team": "payments"}
      version_ids_to_stages: {"6f1c2f0e-9a57-4b59-9d0e-1a2b3c4d5e6f": ["AWSCURRENT"]}
      replication_status: []
      created_date: "2026-11-27T10:00:00+00:00"
actions:
  description: The AWS operations performed, in order.
  returned: always
  type: list
  elements: str
  sample: [ListSecrets, ListSecrets]
resource_actions:
  description:
    - The IAM actions of the calls made (RV(actions)), each once, in the order first made, as amazon.aws's modules return
      them with O(debug_botocore_endpoint_logs).
  returned: when O(debug_botocore_endpoint_logs=true)
  type: list
  elements: str
  sample: [secretsmanager:ListSecrets]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.seed.secretsmanager.plugins.module_utils._front import run_secret_info, secret_info_module_kwargs


def main():
    run_secret_info(AnsibleModule(**secret_info_module_kwargs()))


if __name__ == "__main__":
    main()
