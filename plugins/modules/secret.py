#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Over 450 lines on purpose: ansible-doc reads DOCUMENTATION, EXAMPLES and RETURN from this file, and the
# module has ~40 options and return keys. Its code is the short main() at the end; the logic is in module_utils.

from __future__ import annotations

DOCUMENTATION = r"""
module: secret
short_description: Create and manage AWS Secrets Manager secrets, with exact check mode and diff
version_added: 0.1.0
description:
  - Creates an AWS Secrets Manager secret, keeps its value, metadata, tags, resource policy, rotation and
    replicas as the task says, deletes and restores it.
  - Every option is checked against the API's documented constraints before any AWS call; a failure names
    the option and the constraint, and nothing is created or changed.
  - An omitted option means I(leave it as it is). Only O(state=absent) deletes, only O(purge_tags) and
    O(purge_replica_regions) remove.
  - Idempotent without reading the value when O(client_request_token) is given (the token is the version id
    of the value) or when O(overwrite=false).
  - Check mode reads and plans, and never writes. Diff mode shows metadata and the state of the value
    (set or not, its version id), never the value itself.
author:
  - Seed (@seed)
options:
  name:
    description:
      - The secret's friendly name, or the ARN of an existing secret.
      - A name is 1 to 512 ASCII letters, digits and C(/_+=.@-). A name that ends in a hyphen and six
        characters gets a warning, as AWS may take those for an ARN's random suffix.
      - An ARN is authoritative. The task runs in the ARN's region; when O(region) names another region, the
        task warns. (Asked in another region, AWS would answer "not found" or "access denied" for a secret that
        exists.)
      - AWS reads an ARN whose last part ends in a hyphen and six characters as a full ARN with the random suffix.
        A partial ARN (without the suffix) of a secret whose name ends that way finds nothing, and the task
        says so.
    type: str
    required: true
    aliases: [secret_id]
  state:
    description:
      - V(present) creates or updates the secret; V(absent) schedules it for deletion (or deletes it at once
        with O(force_delete_without_recovery)).
    type: str
    choices: [present, absent]
    default: present
  secret_string:
    description:
      - The value as text, 1 to 65536 bytes (UTF-8).
      - A string, or an integer (stored as its digits). A bool, float, dict or list is refused rather than
        stored as its Python text; quote such values, or give a dict or list as O(secret_json).
      - Mutually exclusive with O(secret_json), O(secret_binary) and O(generate_secret).
    type: raw
  secret_json:
    description:
      - The value as JSON, a dict or list, or a string holding JSON. Sent as compact JSON (1 to 65536 bytes),
        compared as parsed JSON, so key order and spacing never cause a change.
      - With O(generate_secret), the template the generated value is placed into under O(generate_secret.key).
    type: raw
  secret_binary:
    description:
      - The value as base64 text; the decoded bytes (1 to 65536) are stored as C(SecretBinary).
    type: str
  generate_secret:
    description:
      - Generate a random value with GetRandomPassword when the secret is created or has no value yet.
        A generated value is never regenerated on later runs, and never returned.
      - With O(generate_secret.key), the value is placed under that key of the O(secret_json) template
        (or of an empty object), as CloudFormation's C(GenerateSecretString) does.
      - A dict of the options below (V({}) for all defaults). The module checks it, and each option's type, itself, so that
        a value that is not a dict (V(true), V(30)) fails naming this option; in the argument spec it is C(raw) because
        ansible-core 2.16 to 2.19 crash on such a value for a C(dict) with suboptions.
    type: raw
    suboptions:
      length:
        description: Length of the generated value, 1 to 4096.
        type: int
        default: 32
      exclude_characters:
        description: Characters never to use.
        type: str
      exclude_numbers:
        description: Use no digits.
        type: bool
        default: false
      exclude_punctuation:
        description: Use no punctuation.
        type: bool
        default: false
      exclude_uppercase:
        description: Use no uppercase letters.
        type: bool
        default: false
      exclude_lowercase:
        description: Use no lowercase letters.
        type: bool
        default: false
      include_space:
        description: Allow the space character.
        type: bool
        default: false
      require_each_included_type:
        description: Use at least one character of every type that is not excluded.
        type: bool
        default: true
      key:
        description: The key of the JSON object that receives the generated value.
        type: str
  client_request_token:
    description:
      - The version id of the value, 32 to 64 characters (a UUID is a good choice).
      - When this version is already AWSCURRENT the task is unchanged without reading the value
        (no C(secretsmanager:GetSecretValue) needed). An unknown token writes a new version with that id.
        A token that names an older version (with or without a staging label) holding the task's value makes that
        version current again (a rollback with C(secretsmanager:UpdateSecretVersionStage)); with another value the
        task fails, because a version never changes. When the secret rotates, an older version is left to rotation,
        the task is unchanged and returns RV(rotated_since_token). See the collection's docs/idempotence.md.
      - Without it, the current value is read and compared, and a changed value gets a new random version id.
      - Retries of one call always reuse the same token, so a retried write never makes a second version.
      - A string. Quote a token that is only digits, such as V("00000000000000000000000000000042"). Unquoted, YAML reads it
        as a number and drops its leading zeros; the task then fails and says so rather than use another token.
    type: raw
    aliases: [version_id]
  overwrite:
    description:
      - When V(false), the value is written only when the secret is created or has no value yet, and is
        never read or written afterwards (no C(secretsmanager:GetSecretValue) needed).
    type: bool
    default: true
  description:
    description:
      - The description, at most 2048 characters. V("") clears it. Changing it creates no new version.
    type: str
  kms_key_id:
    description:
      - The KMS key that encrypts the value (key id, key ARN, alias or alias ARN), at most 2048 characters.
        V("") means the AWS managed key C(alias/aws/secretsmanager).
      - Compared with what AWS shows. A key ARN matches its key id and an alias ARN its alias; a key id and an
        alias of the same key cannot be matched without reading KMS, so give the form AWS shows
        (RV(secret.kms_key_id)) to stay idempotent.
    type: str
  tags:
    description:
      - Tags as a dict; at most 50, keys 1 to 128 characters, values at most 256, no C(aws:) prefix.
    type: dict
  purge_tags:
    description:
      - With O(tags), remove tags the task does not list. Tags whose key starts with C(aws:) are never removed.
    type: bool
    default: true
  replica_regions:
    description:
      - Regions to replicate the secret to, compared as a set by region.
      - Each region must be a Secrets Manager region of the partition that botocore's endpoint data lists
        (so V(mars-1) fails before any call). Set O(allow_unknown_regions) for a region newer than botocore.
      - A changed O(replica_regions[].kms_key_id) changes the replica's key in place. The module calls C(UpdateSecret)
        on the replica in its own region (AWS allows this one change to a replica), with a client built from the
        same connection options. The replica is never removed for this. With O(endpoint_url), that URL is used
        for the replica's region too.
      - A replica that AWS reports as C(Failed) (for example "Secret with this name already exists in this region")
        is not counted as present. If the region is listed here, the task fails and names the region and AWS's
        status message. With O(force_overwrite_replica_secret=true), the module removes the failed replica and
        replicates the secret there again, overwriting the secret in its way. If the region is not listed, the
        module removes it (with O(purge_replica_regions)). When this option is omitted, a failed replica
        gives a warning.
    type: list
    elements: dict
    suboptions:
      region:
        description: The region, for example V(eu-west-1).
        type: str
        required: true
      kms_key_id:
        description: The KMS key of the replica. Omitted means the replica keeps the key it has.
        type: str
  purge_replica_regions:
    description:
      - With O(replica_regions), remove replicas in regions the task does not list.
    type: bool
    default: true
  force_overwrite_replica_secret:
    description:
      - Overwrite a secret of the same name in a replica region.
      - V(true) also lets the task replicate again to a region whose replica AWS reports as C(Failed).
    type: bool
  allow_unknown_regions:
    description:
      - Accept a region in O(replica_regions) that botocore's endpoint data does not list for the partition.
        The task warns and sends the region as given. Use this for a region that is newer than the installed
        botocore.
      - When botocore does not know the partition of the client's region (a test endpoint's own region name),
        regions are only checked against the pattern C(^([a-z]+-\)+[0-9]+$).
    type: bool
    default: false
    version_added: 0.2.0
  type:
    description:
      - The type of a secret held by a partner (external secret), at most 256 characters.
      - Needs botocore 1.41.0 or newer (the first with C(Type) in the Secrets Manager model). With an older
        botocore, the task fails before any call and names the version needed.
    type: str
  resource_policy:
    description:
      - The resource policy, a dict or a JSON string. Compared as parsed JSON; key order, spacing, list order
        and one-element lists versus scalars make no difference. V("") or V({}) removes the policy.
      - The policy is read (C(secretsmanager:GetResourcePolicy)) only when this option is given.
    type: raw
  block_public_policy:
    description:
      - Sent with a new policy, to have AWS reject a policy that grants wide access. AWS does not show this
        setting, so on its own it causes no change.
    type: bool
  rotation:
    description:
      - Rotation of the secret. Check mode never calls RotateSecret or CancelRotateSecret.
      - A dict of the options below, checked by the module as O(generate_secret) is (C(raw) in the argument spec for the
        same reason).
    type: raw
    suboptions:
      enabled:
        description: V(false) cancels rotation.
        type: bool
        default: true
      lambda_arn:
        description: The ARN of the rotation function.
        type: str
      automatically_after_days:
        description: Rotate every this many days, 1 to 1000. Mutually exclusive with O(rotation.schedule_expression).
        type: int
      schedule_expression:
        description: A C(rate()) or C(cron()) expression.
        type: str
      duration:
        description: The rotation window in hours, for example V(3h).
        type: str
      rotate_immediately:
        description: Rotate once at once when rotation is set up or changed.
        type: bool
        default: false
      external_metadata:
        description:
          - For a managed external secret (O(type)), the partner's rotation metadata. This is C(RotateSecret)'s
            C(ExternalSecretRotationMetadata). Keys are 1 to 256 characters, values 1 to 2048, and no key may
            appear twice.
          - Compared with DescribeSecret's metadata by key and value, in any order. V([]) clears it. Omitted
            leaves it as it is.
          - Needs botocore 1.41.0 or newer.
        type: list
        elements: dict
        version_added: 0.2.0
        suboptions:
          key:
            description: The key of the item.
            type: str
            required: true
          value:
            description: The value of the item.
            type: str
            required: true
      external_role_arn:
        description:
          - For a managed external secret, the ARN (20 to 2048 characters) of the IAM role that Secrets Manager
            assumes to rotate it. This is C(RotateSecret)'s C(ExternalSecretRotationRoleArn). Needs botocore
            1.41.0 or newer.
        type: str
        version_added: 0.2.0
  recovery_window_in_days:
    description:
      - With O(state=absent), the days (7 to 30) before AWS deletes the secret for good.
    type: int
    default: 30
  force_delete_without_recovery:
    description:
      - With O(state=absent), delete the secret at once with no recovery window; also ends the recovery window
        of a secret already scheduled for deletion.
    type: bool
    default: false
  restore:
    description:
      - With O(state=present), restore a secret that is scheduled for deletion, then bring it to the state the
        task describes. When V(false) such a secret makes the task fail.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait, for each call, for AWS states that settle on their own, retrying with a
        growing delay (1 second, doubling, at most 10), in these cases. C(CreateSecret) of a name whose secret was deleted moments
        ago, C(PutResourcePolicy) while a new principal propagates in IAM, C(RotateSecret) while the rotation
        function's permission propagates, and a call to the secret this task has just created that AWS does not
        find yet.
      - V(0) does not wait. Throttling is retried by botocore (see O(aws_config)); exceeded quotas
        (C(LimitExceededException)) are never retried.
    type: int
    default: 120
    version_added: 0.2.0
notes:
  - A replica secret (DescribeSecret shows a C(PrimaryRegion) other than the region of its ARN) and a secret owned
    by a service (C(OwningService)) cannot be changed here. A task that would change one fails before any write.
    The failure names the primary's region or the owning service. A task with nothing to change succeeds.
  - Values are never returned, shown in a diff, logged or put into an error message.
  - A task that fails after a write (for example RotateSecret after CreateSecret) reports V(changed=true), the secret's
    C(arn), every call made in C(actions), and C(request_id), AWS's id of the failed request.
  - The value, generated values and the O(secret_json) members longer than three characters are masked in all
    output, except members that the task's other options or the secret's identifiers also hold (a region, an
    environment, a user name), so RV(name), RV(arn), RV(secret) and RV(diff) come back as AWS holds them.
    See "What is masked" in the collection's docs/check-and-diff.md.
  - When the secret is missing, a create costs two calls (DescribeSecret, CreateSecret). An unchanged run costs one
    call with O(client_request_token), two without it (the value is read).
  - When two runs create the same secret at once with the same O(client_request_token), AWS answers both as if each
    had written it, and both report V(changed=true); a run that finds the version already current reports unchanged.
  - RV(secret) is computed from DescribeSecret and the changes applied, without a second DescribeSecret.
extends_documentation_fragment: [seed.secretsmanager.connection.modules, seed.secretsmanager.connection.shared,
                                 seed.secretsmanager.attributes, seed.secretsmanager.attributes.writer]
"""

EXAMPLES = r"""
- name: Create a database secret; rerunning it changes nothing and never reads the value
  seed.secretsmanager.secret:
    name: prod/app/db
    description: Database credentials of the app
    secret_json:
      username: app
      password: "{{ vault_db_password }}"
    client_request_token: 6f1c2f0e-9a57-4b59-9d0e-1a2b3c4d5e6f
    tags:
      team: payments

- name: Rotate the value by giving a new version id
  seed.secretsmanager.secret:
    name: prod/app/db
    secret_json: "{{ new_credentials }}"
    client_request_token: "{{ new_credentials_version }}"

- name: Generate a password once, inside a JSON document
  seed.secretsmanager.secret:
    name: prod/app/api
    secret_json:
      username: api
    generate_secret:
      key: password
      length: 40
      exclude_punctuation: true

- name: Keep metadata in line without touching the value
  seed.secretsmanager.secret:
    name: prod/app/db
    description: Database credentials of the app (owned by payments)
    kms_key_id: alias/payments
    tags:
      team: payments
    resource_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Deny
          Principal: "*"
          Action: secretsmanager:DeleteSecret
          Resource: "*"

- name: Replicate to two regions, rotate every 30 days
  seed.secretsmanager.secret:
    name: prod/app/db
    replica_regions:
      - region: eu-west-1
      - region: us-west-2
        kms_key_id: alias/payments
    rotation:
      lambda_arn: arn:aws:lambda:us-east-1:123456789012:function:rotate-db
      automatically_after_days: 30

- name: Schedule the secret for deletion in 7 days
  seed.secretsmanager.secret:
    name: prod/app/old
    state: absent
    recovery_window_in_days: 7
"""

RETURN = r"""
arn:
  description:
    - The ARN of the secret.
    - In check mode, V(null) for a secret that does not exist yet (AWS picks its random suffix when it creates it).
  returned: on success; after a failure, when an AWS answer has named the secret's ARN (a write before the failure)
  type: str
  sample: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/app/db-AbCdEf
name:
  description: The name of the secret.
  returned: on success
  type: str
  sample: prod/app/db
version_id:
  description:
    - The AWSCURRENT version after the task.
    - V(null) with O(state=absent), for a secret without a value, and in check mode when the real run writes a new
      value without O(client_request_token) (it picks a new random version id).
  returned: on success
  type: str
  sample: 6f1c2f0e-9a57-4b59-9d0e-1a2b3c4d5e6f
actions:
  description:
    - The AWS operations performed, in order; in check mode, the reads performed and the writes planned.
    - After a failure, every call made, the failed one last. Empty when the input was refused before any call.
  returned: always
  type: list
  elements: str
  sample: [DescribeSecret, CreateSecret]
resource_actions:
  description:
    - The IAM actions of the calls made (RV(actions)), each once, in the order first made, as amazon.aws's modules return
      them with O(debug_botocore_endpoint_logs).
  returned: when O(debug_botocore_endpoint_logs=true)
  type: list
  elements: str
  sample: [secretsmanager:DescribeSecret, secretsmanager:CreateSecret]
rotated_since_token:
  description:
    - V(true) when O(client_request_token) names an older version of a secret whose rotation is on, so rotation
      has made a newer version current since that token was written. The task leaves the value to rotation and
      is unchanged.
  returned: when that is the case
  type: bool
  sample: true
  version_added: 0.2.0
deletion_date:
  description: When AWS deletes the secret for good.
  returned: when O(state=absent) and the secret exists
  type: str
  sample: "2026-12-27T10:00:00+00:00"
resource_policy:
  description: The resource policy after the task, as a dict (empty when none).
  returned: when O(resource_policy) is given and O(state=present)
  type: dict
  sample: {"Version": "2012-10-17", "Statement": []}
secret:
  description:
    - The secret as DescribeSecret shows it after the task, in snake_case. Never the value.
    - Computed from the DescribeSecret made before the task and the changes applied, without a second DescribeSecret.
      The fields AWS sets itself come from its answers (ARN, version id, replication status, deletion date) or
      follow AWS's rules (the dates below).
    - In check mode, a prediction of the same.
    - An empty dict when the secret neither existed nor was created.
  returned: on success
  type: dict
  sample:
    arn: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/app/db-AbCdEf
    name: prod/app/db
    tags: {"team": "payments"}
    version_ids_to_stages: {"6f1c2f0e-9a57-4b59-9d0e-1a2b3c4d5e6f": ["AWSCURRENT"]}
    replication_status: []
    created_date: "2026-11-27T10:00:00+00:00"
    last_changed_date: "2026-11-27T10:00:00+00:00"
  contains:
    arn:
      description: The ARN.
      returned: when the secret exists (in check mode, once it has been created)
      type: str
      sample: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/app/db-AbCdEf
    name:
      description: The name.
      returned: when the secret exists or is created
      type: str
      sample: prod/app/db
    description:
      description: The description.
      returned: when the secret has one
      type: str
      sample: Database credentials of the app
    kms_key_id:
      description: The KMS key, when it is not the AWS managed one.
      returned: when set
      type: str
      sample: alias/payments
    type:
      description: The type of a secret held by a partner (O(type)).
      returned: when set
      type: str
      sample: ExampleVault
      version_added: 0.2.0
    owning_service:
      description: The service that created and manages the secret (such a secret cannot be changed by this module).
      returned: when a service owns the secret
      type: str
      sample: rds
    primary_region:
      description:
        - The region of the primary secret. Another region than the ARN's marks a replica, which this module
          does not change.
      returned: when AWS shows it
      type: str
      sample: us-east-1
    tags:
      description: Tags as a dict.
      returned: when the secret exists or is created
      type: dict
      sample: {"team": "payments"}
    version_ids_to_stages:
      description:
        - Version ids and their staging labels.
        - In check mode, C((new version\)) stands for the version a real run creates with a new random id.
      returned: when the secret exists or is created
      type: dict
      sample: {"6f1c2f0e-9a57-4b59-9d0e-1a2b3c4d5e6f": ["AWSCURRENT"]}
    replication_status:
      description: The replicas, one per region.
      returned: when the secret exists or is created
      type: list
      elements: dict
      sample: [{"region": "eu-west-1", "kms_key_id": "alias/aws/secretsmanager", "status": "InSync"}]
      contains:
        region:
          description: The replica's region.
          returned: always
          type: str
          sample: eu-west-1
        kms_key_id:
          description: The replica's KMS key.
          returned: when AWS shows it (in check mode, for a new replica only when O(replica_regions[].kms_key_id) is given)
          type: str
          sample: alias/aws/secretsmanager
        status:
          description:
            - V(InProgress), V(InSync) or V(Failed). A replica the task adds is V(InProgress) in check mode; after the
              task, as AWS answered the request.
          returned: always
          type: str
          sample: InSync
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
    rotation_enabled:
      description: Whether rotation is on.
      returned: when AWS shows it
      type: bool
      sample: false
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
      contains: &rotation_rules
        automatically_after_days:
          description: Days between rotations.
          returned: when set
          type: int
          sample: 30
        schedule_expression:
          description: The C(rate()) or C(cron()) schedule.
          returned: when set
          type: str
          sample: rate(10 days)
        duration:
          description: The rotation window.
          returned: when set
          type: str
          sample: 3h
    external_secret_rotation_metadata:
      description: The rotation metadata of a managed external secret, as a list of key and value.
      returned: when AWS shows it
      type: list
      elements: dict
      sample: [{"key": "ResourceId", "value": "db-1"}]
      version_added: 0.2.0
      contains: &key_value
        key:
          description: The key of the item.
          returned: always
          type: str
          sample: ResourceId
        value:
          description: The value of the item.
          returned: always
          type: str
          sample: db-1
    external_secret_rotation_role_arn:
      description: The role that Secrets Manager assumes to rotate a managed external secret.
      returned: when set
      type: str
      sample: arn:aws:iam::123456789012:role/rotate-external
      version_added: 0.2.0
    created_date:
      description:
        - When the secret was created. For a secret the task creates, the time of AWS's answer to C(CreateSecret)
          (its HTTP Date header, to the second; DescribeSecret adds the milliseconds). In check mode, the time of
          the task's reads.
      returned: when the secret exists or is created
      type: str
      sample: "2026-11-27T10:00:00+00:00"
    last_changed_date:
      description:
        - When the secret was last modified in any way (value, description, key, tags, policy, rotation, replicas,
          deletion or restore). After a task that wrote to the secret, the time of AWS's answer to its last write,
          to the second, as for RV(secret.created_date); in check mode, the time of the task's reads.
        - A change to a replica's key (in the replica's region) leaves the primary's date as it is.
      returned: when the secret exists or is created
      type: str
      sample: "2026-11-27T10:00:00+00:00"
    last_accessed_date:
      description:
        - The day the value was last read in this region (AWS truncates it to midnight, UTC). A task that reads
          the value (C(GetSecretValue)) returns the day of that read.
      returned: when the value has been read
      type: str
      sample: "2026-11-27T00:00:00+00:00"
    last_rotated_date:
      description: When rotation last completed (a rotation the task starts completes later).
      returned: when the secret has been rotated
      type: str
      sample: "2026-11-27T10:00:00+00:00"
    next_rotation_date:
      description:
        - When the next rotation is due. Not returned after a task that changed rotation, as AWS computes it from
          the schedule (read it with M(seed.secretsmanager.secret_info)).
      returned: when rotation is on and the task did not change it
      type: str
      sample: "2026-12-27T10:00:00+00:00"
    deleted_date:
      description: When the secret is deleted for good, when it is scheduled for deletion.
      returned: when scheduled for deletion
      type: str
      sample: "2026-12-27T10:00:00+00:00"
diff:
  description: Before and after, in diff mode; values appear only as their state (set, new version).
  returned: in diff mode, on success
  type: dict
  sample: {"before": {"state": "absent"}, "after": {"state": "present", "value": "set, new version"}}
  contains:
    before:
      description: The secret before the task; only RV(diff.before.state=absent) for a secret that did not exist.
      returned: always
      type: dict
      sample: {"state": "absent"}
      contains: &diff_view
        state:
          description: V(absent), V(present) or V(scheduled for deletion).
          returned: always
          type: str
          sample: present
        name:
          description: The name.
          returned: when the secret exists
          type: str
          sample: prod/app/db
        description:
          description: The description (empty when none).
          returned: when the secret exists
          type: str
          sample: Database credentials of the app
        kms_key_id:
          description: The KMS key (C(alias/aws/secretsmanager) for the AWS managed key).
          returned: when the secret exists
          type: str
          sample: alias/aws/secretsmanager
        tags:
          description: Tags as a dict.
          returned: when the secret exists
          type: dict
          sample: {"team": "payments"}
        replica_regions:
          description: The replicas, sorted by region.
          returned: when the secret exists
          type: list
          elements: dict
          sample: [{"region": "eu-west-1", "kms_key_id": null}]
          contains:
            region:
              description: The region.
              returned: always
              type: str
              sample: eu-west-1
            kms_key_id:
              description: The replica's KMS key, V(null) when AWS shows none.
              returned: always
              type: str
              sample: alias/payments
        rotation:
          description: The rotation settings.
          returned: when the secret exists
          type: dict
          sample: {"enabled": false, "lambda_arn": null, "rules": {}}
          contains:
            enabled:
              description: Whether rotation is on.
              returned: always
              type: bool
              sample: true
            lambda_arn:
              description: The rotation function, V(null) when none.
              returned: always
              type: str
              sample: arn:aws:lambda:us-east-1:123456789012:function:rotate-db
            rules:
              description: The schedule, as RV(secret.rotation_rules) (empty when none).
              returned: always
              type: dict
              sample: {"automatically_after_days": 30}
              contains: *rotation_rules
            external_metadata:
              description: The rotation metadata of a managed external secret, sorted, as a list of key and value.
              returned: when O(rotation.external_metadata) is given
              type: list
              elements: dict
              sample: [{"key": "ResourceId", "value": "db-1"}]
              contains: *key_value
            external_role_arn:
              description: The role that rotates a managed external secret.
              returned: when O(rotation.external_role_arn) is given
              type: str
              sample: arn:aws:iam::123456789012:role/rotate-external
        value:
          description:
            - The state of the value, never the value. V(set), V(not set), V(set, new version) or
              V(set, an earlier version made current).
          returned: when the secret exists
          type: str
          sample: set, new version
        version_id:
          description:
            - The AWSCURRENT version, V(null) when none. In check mode, V((new version\)) for a version the real run
              will create with a new random id.
          returned: when the secret exists
          type: str
          sample: 6f1c2f0e-9a57-4b59-9d0e-1a2b3c4d5e6f
        type:
          description: The type of a secret held by a partner.
          returned: when set
          type: str
          sample: ExampleVault
        resource_policy:
          description: The resource policy as a dict (empty when none).
          returned: when O(resource_policy) is given
          type: dict
          sample: {"Version": "2012-10-17", "Statement": []}
    after:
      description: The secret after the task (in check mode, as predicted), with the keys of RV(diff.before).
      returned: always
      type: dict
      sample: {"state": "present", "value": "set, new version"}
      contains: *diff_view
error_code:
  description:
    - Why the task failed. AWS's error code for a refused call (for example C(AccessDeniedException), whatever
      form the endpoint gave the denial in), V(ValidationError) for input refused before any AWS call, or
      V(PlanError) for a state the task cannot reach from the current one (found before any write).
  returned: on failure, except for a few failures of the module's own (such as a secret that did not settle)
  type: str
  sample: ResourceNotFoundException
operation:
  description: The AWS operation that failed.
  returned: on failure of an AWS call
  type: str
  sample: PutSecretValue
option:
  description: The option that caused the failure, with its path for a suboption.
  returned: on failure caused by one option
  type: str
  sample: replica_regions[0].region
request_id:
  description: AWS's id of the failed request, for AWS support and CloudTrail.
  returned: on failure of an AWS call that AWS answered
  type: str
  sample: 4b9f6a2e-2c7d-4c1e-9a57-1a2b3c4d5e6f
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.seed.secretsmanager.plugins.module_utils._front_secret import run_secret, secret_module_kwargs


def main():
    run_secret(AnsibleModule(**secret_module_kwargs()))


if __name__ == "__main__":
    main()
