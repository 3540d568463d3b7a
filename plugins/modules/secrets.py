#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Long on purpose: ansible-doc reads DOCUMENTATION, EXAMPLES and RETURN from this file, and each item documents the
# options of the secret module. The code is the short main() at the end; the logic is in module_utils/_fleet.py.

from __future__ import annotations

DOCUMENTATION = r"""
module: secrets
short_description: Converge many AWS Secrets Manager secrets in one task, read in bulk and written in parallel
version_added: 0.2.0
description:
  - Each item of O(secrets) is one secret with the options of M(seed.secretsmanager.secret), and means exactly what
    those options mean there, with the same validation, plan, check mode, diff and result per secret.
  - Every item is checked before any AWS call. One bad item (or one secret listed twice) fails the task, naming the
    item (its index and name) and the option, and nothing is written.
  - The current state comes from ListSecrets pages (100 secrets a page) instead of one DescribeSecret per secret. Values
    only where a comparison needs them (an item with a value and no O(secrets[].client_request_token)), 20 a call
    with BatchGetSecretValue; policies only for items that give O(secrets[].resource_policy).
  - Writes run in parallel, at most O(concurrency) at once, and never faster than AWS's request quotas for Secrets
    Manager (O(rate_limit)). Throttling is retried with backoff.
  - One item's failure does not stop the others. The task fails naming every failed item; C(changed) is true when any
    write happened.
  - With O(path) and O(purge=true), the secrets under O(path) that no item lists are deleted.
  - See the guide docs/fleets.md of the collection for when to use it instead of a loop of M(seed.secretsmanager.secret).
author:
  - Seed (@seed)
options:
  secrets:
    description:
      - The secrets, each a dict of the options of M(seed.secretsmanager.secret) except the connection options, which
        are the task's.
      - O(defaults) are merged under each item. An item's own options win; O(secrets[].tags) are merged (the item's
        tags over the default tags, the item's value winning for a key both give).
      - Each option is checked as M(seed.secretsmanager.secret) checks it, after the merge; a failure names
        C(secrets[INDEX].OPTION), or C(defaults.OPTION) when the option came from O(defaults).
      - A secret may be listed once. An ARN (of a secret in the task's region) counts as the secret it names.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - O(seed.secretsmanager.secret#module:name) of M(seed.secretsmanager.secret) (str), checked as that module checks it.
        type: raw
        aliases: [secret_id]
      state:
        description:
          - O(seed.secretsmanager.secret#module:state) of M(seed.secretsmanager.secret) (str), checked as that module checks it.
        type: raw
      secret_string:
        description:
          - O(seed.secretsmanager.secret#module:secret_string) of M(seed.secretsmanager.secret) (raw), checked as that module checks it.
        type: raw
      secret_json:
        description:
          - O(seed.secretsmanager.secret#module:secret_json) of M(seed.secretsmanager.secret) (raw), checked as that module checks it.
        type: raw
      secret_binary:
        description:
          - O(seed.secretsmanager.secret#module:secret_binary) of M(seed.secretsmanager.secret) (str), checked as that module checks it.
        type: raw
      generate_secret:
        description:
          - O(seed.secretsmanager.secret#module:generate_secret) of M(seed.secretsmanager.secret) (raw), checked as that module checks it.
        type: raw
      client_request_token:
        description:
          - O(seed.secretsmanager.secret#module:client_request_token) of M(seed.secretsmanager.secret) (raw), checked as that module checks it.
        type: raw
        aliases: [version_id]
      overwrite:
        description:
          - O(seed.secretsmanager.secret#module:overwrite) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      description:
        description:
          - O(seed.secretsmanager.secret#module:description) of M(seed.secretsmanager.secret) (str), checked as that module checks it.
        type: raw
      kms_key_id:
        description:
          - O(seed.secretsmanager.secret#module:kms_key_id) of M(seed.secretsmanager.secret) (str), checked as that module checks it.
        type: raw
      tags:
        description:
          - O(seed.secretsmanager.secret#module:tags) of M(seed.secretsmanager.secret) (dict), checked as that module checks it.
        type: raw
      purge_tags:
        description:
          - O(seed.secretsmanager.secret#module:purge_tags) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      replica_regions:
        description:
          - O(seed.secretsmanager.secret#module:replica_regions) of M(seed.secretsmanager.secret) (list of dicts), checked as that module checks it.
        type: raw
      purge_replica_regions:
        description:
          - O(seed.secretsmanager.secret#module:purge_replica_regions) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      allow_unknown_regions:
        description:
          - O(seed.secretsmanager.secret#module:allow_unknown_regions) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      force_overwrite_replica_secret:
        description:
          - O(seed.secretsmanager.secret#module:force_overwrite_replica_secret) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      type:
        description:
          - O(seed.secretsmanager.secret#module:type) of M(seed.secretsmanager.secret) (str), checked as that module checks it.
        type: raw
      resource_policy:
        description:
          - O(seed.secretsmanager.secret#module:resource_policy) of M(seed.secretsmanager.secret) (raw), checked as that module checks it.
        type: raw
      block_public_policy:
        description:
          - O(seed.secretsmanager.secret#module:block_public_policy) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      rotation:
        description:
          - O(seed.secretsmanager.secret#module:rotation) of M(seed.secretsmanager.secret) (raw), checked as that module checks it.
        type: raw
      recovery_window_in_days:
        description:
          - O(seed.secretsmanager.secret#module:recovery_window_in_days) of M(seed.secretsmanager.secret) (int), checked as that module checks it.
        type: raw
      force_delete_without_recovery:
        description:
          - O(seed.secretsmanager.secret#module:force_delete_without_recovery) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      restore:
        description:
          - O(seed.secretsmanager.secret#module:restore) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      wait_timeout:
        description:
          - O(seed.secretsmanager.secret#module:wait_timeout) of M(seed.secretsmanager.secret) (int), checked as that module checks it.
        type: raw

  defaults:
    description:
      - Options merged under every item of O(secrets) (all the options of an item except O(secrets[].name)).
      - They apply to the items only, never to O(purge), which deletes with its own O(purge_recovery_window_in_days) and
        O(purge_force_delete_without_recovery).
    type: dict
    suboptions:
      state:
        description:
          - O(seed.secretsmanager.secret#module:state) of M(seed.secretsmanager.secret) (str), checked as that module checks it.
        type: raw
      secret_string:
        description:
          - O(seed.secretsmanager.secret#module:secret_string) of M(seed.secretsmanager.secret) (raw), checked as that module checks it.
        type: raw
      secret_json:
        description:
          - O(seed.secretsmanager.secret#module:secret_json) of M(seed.secretsmanager.secret) (raw), checked as that module checks it.
        type: raw
      secret_binary:
        description:
          - O(seed.secretsmanager.secret#module:secret_binary) of M(seed.secretsmanager.secret) (str), checked as that module checks it.
        type: raw
      generate_secret:
        description:
          - O(seed.secretsmanager.secret#module:generate_secret) of M(seed.secretsmanager.secret) (raw), checked as that module checks it.
        type: raw
      client_request_token:
        description:
          - O(seed.secretsmanager.secret#module:client_request_token) of M(seed.secretsmanager.secret) (raw), checked as that module checks it.
        type: raw
        aliases: [version_id]
      overwrite:
        description:
          - O(seed.secretsmanager.secret#module:overwrite) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      description:
        description:
          - O(seed.secretsmanager.secret#module:description) of M(seed.secretsmanager.secret) (str), checked as that module checks it.
        type: raw
      kms_key_id:
        description:
          - O(seed.secretsmanager.secret#module:kms_key_id) of M(seed.secretsmanager.secret) (str), checked as that module checks it.
        type: raw
      tags:
        description:
          - O(seed.secretsmanager.secret#module:tags) of M(seed.secretsmanager.secret) (dict), checked as that module checks it.
        type: raw
      purge_tags:
        description:
          - O(seed.secretsmanager.secret#module:purge_tags) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      replica_regions:
        description:
          - O(seed.secretsmanager.secret#module:replica_regions) of M(seed.secretsmanager.secret) (list of dicts), checked as that module checks it.
        type: raw
      purge_replica_regions:
        description:
          - O(seed.secretsmanager.secret#module:purge_replica_regions) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      allow_unknown_regions:
        description:
          - O(seed.secretsmanager.secret#module:allow_unknown_regions) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      force_overwrite_replica_secret:
        description:
          - O(seed.secretsmanager.secret#module:force_overwrite_replica_secret) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      type:
        description:
          - O(seed.secretsmanager.secret#module:type) of M(seed.secretsmanager.secret) (str), checked as that module checks it.
        type: raw
      resource_policy:
        description:
          - O(seed.secretsmanager.secret#module:resource_policy) of M(seed.secretsmanager.secret) (raw), checked as that module checks it.
        type: raw
      block_public_policy:
        description:
          - O(seed.secretsmanager.secret#module:block_public_policy) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      rotation:
        description:
          - O(seed.secretsmanager.secret#module:rotation) of M(seed.secretsmanager.secret) (raw), checked as that module checks it.
        type: raw
      recovery_window_in_days:
        description:
          - O(seed.secretsmanager.secret#module:recovery_window_in_days) of M(seed.secretsmanager.secret) (int), checked as that module checks it.
        type: raw
      force_delete_without_recovery:
        description:
          - O(seed.secretsmanager.secret#module:force_delete_without_recovery) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      restore:
        description:
          - O(seed.secretsmanager.secret#module:restore) of M(seed.secretsmanager.secret) (bool), checked as that module checks it.
        type: raw
      wait_timeout:
        description:
          - O(seed.secretsmanager.secret#module:wait_timeout) of M(seed.secretsmanager.secret) (int), checked as that module checks it.
        type: raw

  path:
    description:
      - The folder of the account this task owns, such as V(prod/payments/). It is a folder whether or not it ends
        in V(/), so V(prod/payments) is read as V(prod/payments/) and V(prod/payments-old/db) is never under it.
      - Every item must be under O(path) (by name, or by the name in its ARN); an item outside fails the task before
        any AWS call.
      - With O(path), the task reads the state of its secrets with one ListSecrets series over O(path) (one call per
        100 secrets under it); without, one series per 10 names of the items.
      - An empty O(path) and V(/) are refused.
    type: str
  purge:
    description:
      - Delete the secrets under O(path) that no item names, with a recovery window of
        O(purge_recovery_window_in_days) days. They are listed in RV(purged) (with the date each is deleted for good;
        until then M(seed.secretsmanager.secret) with O(seed.secretsmanager.secret#module:restore=true) undoes it).
      - Needs O(path). Without O(purge), a secret that no item lists is never touched.
      - Each deletion is confirmed with DescribeSecret first. A secret already scheduled for deletion is left as it
        is. A replica of a secret in another region, a cross-account replica and a secret owned by a service are not
        deleted; a warning names them. A secret that an item names (by name, or by full or partial ARN, even an ARN
        of an earlier secret of that name) is never deleted.
      - When any item fails, nothing is purged in that run; a warning says so.
      - The recovery options of O(defaults) apply to the items only, never to purge.
    type: bool
    default: false
  purge_recovery_window_in_days:
    description:
      - The recovery window of the secrets O(purge) deletes, 7 to 30 days; 30 when not given.
      - Not with O(purge_force_delete_without_recovery=true).
    type: int
  purge_force_delete_without_recovery:
    description:
      - Delete the secrets O(purge) deletes at once, without a recovery window. They cannot be restored.
    type: bool
    default: false
  concurrency:
    description:
      - The most secrets converged at once (each one's calls in order, as M(seed.secretsmanager.secret) makes them).
      - 1 to 100. Above 10, the client keeps as many connections (botocore's C(max_pool_connections)) unless
        O(aws_config) sets it.
    type: int
    default: 10
  rate_limit:
    description:
      - The most requests per second this task sends for each of AWS's request quotas of Secrets Manager (per account
        and region, shared by every client). Operations that AWS rates together are paced together, each at the lower
        of O(rate_limit) and AWS's rate for them.
      - AWS's rates are 50 per second for each group of write operations (CreateSecret, DeleteSecret, PutSecretValue,
        UpdateSecret and the replication operations, TagResource and UntagResource, RotateSecret and
        CancelRotateSecret, RestoreSecret, the resource policy operations), 100 for ListSecrets and
        BatchGetSecretValue. Lower O(rate_limit) when other clients write to the same account and region at the same
        time.
      - A request AWS throttles anyway is retried with backoff (botocore's retries, then up to five minutes more); it
        fails only its item.
    type: float
    default: 50
notes:
  - Connection options are task-level; an item cannot give them. Each item's ARN must be in the task's region.
  - ListSecrets is eventually consistent (AWS says it may not show changes of the last minutes), so the listing is a
    hint and never the ground for a write. An item the listing shows converged costs no call of its own. Any other
    item (a create, a change) is read again as M(seed.secretsmanager.secret) reads it (DescribeSecret, and the value
    or policy where compared) and planned from that before any write. A change another client made in the last
    minutes to a secret the listing shows converged is converged by a later run.
  - ListSecrets does not return replication status. Items that give O(secrets[].replica_regions) or
    O(secrets[].state=absent), and the deletions of O(purge), are read with DescribeSecret, one call each.
  - The guide docs/fleets.md of the collection lists what O(purge) will never do.
  - Values are never returned, shown in a diff, logged or put into an error message. Masking follows the rule of
    M(seed.secretsmanager.secret) over every item; whole values and generated values always; O(secrets[].secret_json)
    members longer than three characters unless an item's options or identifiers hold them.
  - In check mode every item and every deletion is predicted from the same reads, with no write; RV(actions) then
    counts the reads made and the writes a real run would make.
seealso:
  - module: seed.secretsmanager.secret
  - module: seed.secretsmanager.secret_info
extends_documentation_fragment: [seed.secretsmanager.connection.modules, seed.secretsmanager.connection.shared,
                                 seed.secretsmanager.attributes, seed.secretsmanager.attributes.writer]
"""

EXAMPLES = r"""
- name: The secrets of the payments service, and only those under its path
  seed.secretsmanager.secrets:
    path: prod/payments/
    purge: true
    purge_recovery_window_in_days: 7
    defaults:
      kms_key_id: alias/aws/secretsmanager
      tags: {team: payments}
      recovery_window_in_days: 7
    secrets:
      - name: prod/payments/db
        secret_json: {username: app, password: "{{ db_password }}"}
        client_request_token: "{{ db_password_version }}"
      - name: prod/payments/api-key
        generate_secret: {length: 40}
        tags: {rotation: manual}
      - name: prod/payments/legacy
        state: absent
  no_log: true
  register: payments

- name: What changed
  ansible.builtin.debug:
    msg: "{{ payments.counts }} in {{ payments.actions.values() | sum }} calls; purged {{ payments.purged | map(attribute='name') }}"

- name: Tags on many secrets, values left as they are, with fewer writes per second
  seed.secretsmanager.secrets:
    rate_limit: 10
    defaults:
      tags: {cost-center: "4711"}
      purge_tags: false
    secrets:
      - name: prod/payments/db
      - name: prod/payments/api-key
"""

RETURN = r"""
results:
  description:
    - One entry per item of O(secrets), in the order given.
  returned: after the items were checked
  type: list
  elements: dict
  sample: [{name: prod/payments/db, arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/payments/db-AbCdEf",
            version_id: 5a9f2c1e-0b7d-4b8e-9f3a-2d6c8e1b4a70, changed: true, actions: [PutSecretValue]}]
  contains:
    name:
      description: The secret's name (as AWS holds it, or as the item gives it when AWS does not know it yet).
      returned: always
      type: str
      sample: prod/payments/db
    arn:
      description: The secret's ARN; null for a secret that does not exist (check mode of a create, an absent one).
      returned: always
      type: str
      sample: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/payments/db-AbCdEf
    version_id:
      description:
        - The version that holds C(AWSCURRENT) after the task (null for V(state=absent), and in check mode for a new
          value without O(secrets[].client_request_token)).
      returned: always
      type: str
      sample: 5a9f2c1e-0b7d-4b8e-9f3a-2d6c8e1b4a70
    changed:
      description: Whether the task changed this secret (or would, in check mode).
      returned: always
      type: bool
      sample: true
    actions:
      description: The AWS operations called for this secret, in order (in check mode, with the writes a real run would make).
      returned: always
      type: list
      elements: str
      sample: [PutSecretValue]
    failed:
      description: True when this item failed; the others went on.
      returned: when this item failed
      type: bool
      sample: true
    msg:
      description: Why this item failed.
      returned: when this item failed
      type: str
      sample: "CreateSecret failed: ValidationException: ..."
    error_code:
      description: AWS's error code, or the collection's (C(PlanError)).
      returned: when this item failed
      type: str
      sample: ValidationException
    operation:
      description: The AWS operation that failed.
      returned: when an AWS call of this item failed
      type: str
      sample: CreateSecret
    option:
      description: The option of the item that caused the failure.
      returned: when this item failed because of one option
      type: str
      sample: client_request_token
    request_id:
      description: AWS's id of the failed request.
      returned: when an AWS call of this item failed and AWS answered
      type: str
      sample: 4b9f6a2e-2c7d-4c1e-9a57-1a2b3c4d5e6f
deleted:
  description:
    - The names of the secrets the task deleted (scheduled for deletion, or deleted at once), that is items with
      O(secrets[].state=absent) and, with O(purge), the secrets under O(path) that no item names. In check mode, those
      it would delete.
  returned: after the items were checked
  type: list
  elements: str
  sample: [prod/payments/old-token]
purged:
  description:
    - The secrets O(purge) deleted (in check mode, would delete), in name order.
  returned: after the items were checked
  type: list
  elements: dict
  sample: [{name: prod/payments/old-token, arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/payments/old-token-AbCdEf",
            deletion_date: "2027-01-06T10:00:00+00:00"}]
  contains:
    name:
      description: The secret's name.
      returned: always
      type: str
      sample: prod/payments/old-token
    arn:
      description: The secret's ARN.
      returned: always
      type: str
      sample: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/payments/old-token-AbCdEf
    deletion_date:
      description:
        - When AWS deletes the secret for good (ISO 8601); until then it can be restored. In check mode, the date a real
          run would give, from AWS's clock.
      returned: always
      type: str
      sample: "2027-01-06T10:00:00+00:00"
counts:
  description: How many secrets the task created, updated, left unchanged, deleted and failed on (the deletions of O(purge) included).
  returned: after the items were checked
  type: dict
  sample: {created: 2, updated: 1, unchanged: 197, deleted: 0, failed: 0}
  contains:
    created:
      description: Secrets created.
      returned: always
      type: int
      sample: 2
    updated:
      description: Secrets changed (value, metadata, tags, policy, rotation, replicas, a restore).
      returned: always
      type: int
      sample: 1
    unchanged:
      description: Secrets already as the items say.
      returned: always
      type: int
      sample: 197
    deleted:
      description: Secrets deleted.
      returned: always
      type: int
      sample: 0
    failed:
      description: Items and deletions that failed.
      returned: always
      type: int
      sample: 0
actions:
  description:
    - The AWS calls of the whole task, as a dict of operation name to the number of calls (every attempt the collection
      made; botocore's own retries not counted). The total is C(actions.values() | sum).
    - In check mode, the reads made plus the writes a real run would make.
  returned: always
  type: dict
  sample: {ListSecrets: 10, PutSecretValue: 3}
diff:
  description:
    - In diff mode, one entry per secret that changes (or would), with C(before_header) and C(after_header) naming it and
      C(before) and C(after) as M(seed.secretsmanager.secret) shows them (metadata and the state of the value, never
      the value).
  returned: in diff mode, after the items were checked
  type: list
  elements: dict
  sample: [{before_header: prod/payments/db, after_header: prod/payments/db, before: {state: absent}, after: {state: present}}]
  contains:
    before_header:
      description: The secret's name.
      returned: always
      type: str
      sample: prod/payments/db
    after_header:
      description: The secret's name.
      returned: always
      type: str
      sample: prod/payments/db
    before:
      description: The secret before the task, as the C(diff.before) of M(seed.secretsmanager.secret) shows it.
      returned: always
      type: dict
      sample: {state: absent}
    after:
      description: The secret after the task (or as check mode predicts it), as the C(diff.after) of M(seed.secretsmanager.secret) shows it.
      returned: always
      type: dict
      sample: {state: present, name: prod/payments/db, value: "set, new version"}
resource_actions:
  description:
    - With O(debug_botocore_endpoint_logs=true), the IAM actions of the calls made, each once, in the order first made
      (as amazon.aws modules return them).
  returned: when O(debug_botocore_endpoint_logs=true)
  type: list
  elements: str
  sample: [secretsmanager:ListSecrets, secretsmanager:CreateSecret]
error_code:
  description: The collection's code of a failure of the whole task (C(ValidationError)), or AWS's code when reading the fleet failed.
  returned: on failure of the whole task
  type: str
  sample: ValidationError
operation:
  description: The AWS operation that failed when reading the fleet failed.
  returned: when reading the fleet failed
  type: str
  sample: ListSecrets
option:
  description: The option that caused the failure, with the item's index (C(secrets[3].kms_key_id), C(defaults.tags)).
  returned: on failure caused by one option
  type: str
  sample: secrets[3].kms_key_id
request_id:
  description: AWS's id of the failed request, when reading the fleet failed.
  returned: when reading the fleet failed and AWS answered
  type: str
  sample: 4b9f6a2e-2c7d-4c1e-9a57-1a2b3c4d5e6f
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.seed.secretsmanager.plugins.module_utils._front_fleet import run_secrets, secrets_module_kwargs


def main():
    run_secrets(AnsibleModule(**secrets_module_kwargs()))


if __name__ == "__main__":
    main()
