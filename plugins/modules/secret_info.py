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

- name: Every secret
  seed.secretsmanager.secret_info:
  register: all_secrets

# rotation_enabled is absent on a secret that never rotated and false on one whose rotation was cancelled.
- name: Secrets whose rotation is off
  ansible.builtin.debug:
    msg: "{{ item.name }}"
  loop: "{{ all_secrets.secrets }}"
  loop_control:
    label: "{{ item.name }}"
  when: not (item.rotation_enabled | default(false))
"""

RETURN = r"""
secrets:
  description:
    - The secrets as DescribeSecret (with O(name)) or ListSecrets show them, in snake_case. Never a value.
    - The same keys as the secret module's RV(seed.secretsmanager.secret#module:secret), plus RV(secrets[].resource_policy).
  returned: on success
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
  contains:
    arn:
      description: The ARN.
      returned: always
      type: str
      sample: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/app/db-AbCdEf
    name:
      description: The name.
      returned: always
      type: str
      sample: prod/app/db
    description:
      description: The description.
      returned: when the secret has one
      type: str
      sample: Database credentials
    kms_key_id:
      description: The KMS key, when it is not the AWS managed one.
      returned: when set
      type: str
      sample: alias/payments
    type:
      description: The type of a secret held by a partner.
      returned: when set
      type: str
      sample: ExampleVault
    owning_service:
      description: The service that created and manages the secret.
      returned: when a service owns the secret
      type: str
      sample: rds
    primary_region:
      description: The region of the primary secret (another region than the ARN's marks a replica).
      returned: when AWS shows it
      type: str
      sample: us-east-1
    tags:
      description: Tags as a dict.
      returned: always
      type: dict
      sample: {"team": "payments"}
    version_ids_to_stages:
      description: Version ids and their staging labels.
      returned: always
      type: dict
      sample: {"6f1c2f0e-9a57-4b59-9d0e-1a2b3c4d5e6f": ["AWSCURRENT"]}
    replication_status:
      description: The replicas, one per region. Only with O(name), since ListSecrets does not show replicas.
      returned: with O(name)
      type: list
      elements: dict
      sample: [{"region": "eu-west-1", "kms_key_id": "alias/aws/secretsmanager", "status": "InSync"}]
      contains:
        region: {description: The replica's region., returned: always, type: str, sample: eu-west-1}
        kms_key_id: {description: The replica's KMS key., returned: when AWS shows it, type: str, sample: alias/aws/secretsmanager}
        status: {description: "V(InProgress), V(InSync) or V(Failed).", returned: always, type: str, sample: InSync}
        status_message:
          description: AWS's message about the replication, for a failed replica the reason.
          returned: when AWS gives one
          type: str
          sample: Secret with this name already exists in this region
        last_accessed_date:
          description: The day the replica's value was last read in its region (midnight, UTC).
          returned: when it has been read
          type: str
          sample: "2026-11-27T00:00:00+00:00"
    rotation_enabled: {description: Whether rotation is on., returned: when AWS shows it, type: bool, sample: false}
    rotation_lambda_arn:
      description: The rotation function.
      returned: when set
      type: str
      sample: arn:aws:lambda:us-east-1:123456789012:function:rotate-db
    rotation_rules:
      description: The rotation schedule.
      returned: when set
      type: dict
      sample: {"automatically_after_days": 30}
      contains:
        automatically_after_days: {description: Days between rotations., returned: when set, type: int, sample: 30}
        schedule_expression: {description: The C(rate()) or C(cron()) schedule., returned: when set, type: str, sample: rate(10 days)}
        duration: {description: The rotation window., returned: when set, type: str, sample: 3h}
    external_secret_rotation_metadata:
      description: The rotation metadata of a managed external secret, as a list of key and value.
      returned: when AWS shows it
      type: list
      elements: dict
      sample: [{"key": "ResourceId", "value": "db-1"}]
      contains:
        key: {description: The key of the item., returned: always, type: str, sample: ResourceId}
        value: {description: The value of the item., returned: always, type: str, sample: db-1}
    external_secret_rotation_role_arn:
      description: The role that Secrets Manager assumes to rotate a managed external secret.
      returned: when set
      type: str
      sample: arn:aws:iam::123456789012:role/rotate-external
    created_date: {description: When the secret was created., returned: when AWS shows it, type: str, sample: "2026-11-27T10:00:00+00:00"}
    last_changed_date:
      description: When the secret was last modified in any way.
      returned: when AWS shows it
      type: str
      sample: "2026-11-27T10:00:00+00:00"
    last_accessed_date:
      description: The day the value was last read in this region (midnight, UTC).
      returned: when the value has been read
      type: str
      sample: "2026-11-27T00:00:00+00:00"
    last_rotated_date:
      description: When rotation last completed.
      returned: when the secret has been rotated
      type: str
      sample: "2026-11-27T10:00:00+00:00"
    next_rotation_date:
      description: When the next rotation is due.
      returned: when rotation is on
      type: str
      sample: "2026-12-27T10:00:00+00:00"
    deleted_date:
      description: When the secret is deleted for good (with O(include_planned_deletion)).
      returned: when scheduled for deletion
      type: str
      sample: "2026-12-27T10:00:00+00:00"
    resource_policy:
      description: The resource policy as a dict, empty when none.
      returned: with O(include_policy), except for secrets scheduled for deletion and replicas
      type: dict
      sample: {"Version": "2012-10-17", "Statement": []}
actions:
  description: The AWS operations performed, in order (after a failure, the failed one last).
  returned: always
  type: list
  elements: str
  sample: [ListSecrets, ListSecrets]
error_code:
  description: AWS's error code for a refused call, or V(ValidationError) for input refused before any AWS call.
  returned: on failure
  type: str
  sample: AccessDeniedException
operation:
  description: The AWS operation that failed.
  returned: on failure of an AWS call
  type: str
  sample: GetResourcePolicy
option:
  description: The option that caused the failure.
  returned: on failure caused by one option
  type: str
  sample: filters
request_id:
  description: AWS's id of the failed request.
  returned: on failure of an AWS call that AWS answered
  type: str
  sample: 4b9f6a2e-2c7d-4c1e-9a57-1a2b3c4d5e6f
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

from ansible_collections.seed.secretsmanager.plugins.module_utils._front_info import run_secret_info, secret_info_module_kwargs


def main():
    run_secret_info(AnsibleModule(**secret_info_module_kwargs()))


if __name__ == "__main__":
    main()
