# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The typed state of one secret: what the task wants, what AWS holds, and their shared constants.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

Pure data: nothing here calls AWS or knows AnsibleModule. The secret AWS holds stays in the shape
DescribeSecret answers (a dict), since that is what the planner compares against and what the
result layer shows; everything the task asks for is a frozen dataclass built by _validate.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Optional, Tuple, Union

CURRENT = "AWSCURRENT"
PREVIOUS = "AWSPREVIOUS"
DEFAULT_KMS_ALIAS = "alias/aws/secretsmanager"
NEW_VERSION = "(new version)"  # stands for a version id check mode cannot know
VALUE_MAX_BYTES = 65536


# ---------------------------------------------------------------- values
# repr=False on every field that holds a value: a dataclass's repr would print it.


@dataclass(frozen=True)
class TextValue:
    """A text value: secret_string as given, or a SecretString read from AWS."""

    text: str = field(repr=False)


@dataclass(frozen=True)
class JsonValue:
    """secret_json: the compact text sent to AWS and the parsed document it is compared by."""

    text: str = field(repr=False)
    document: object = field(repr=False)


@dataclass(frozen=True)
class BinaryValue:
    """secret_binary decoded, or a SecretBinary read from AWS."""

    data: bytes = field(repr=False)


@dataclass(frozen=True)
class GeneratedValue:
    """A value GetRandomPassword makes at apply time: alone, or under key in a JSON template."""

    request: dict
    template: Optional[dict] = field(default=None, repr=False)
    key: Optional[str] = None


Value = Union[TextValue, JsonValue, BinaryValue, GeneratedValue]


# ---------------------------------------------------------------- what the task wants


@dataclass(frozen=True)
class Rotation:
    """The rotation option: enabled false cancels rotation; the other fields are sent as given."""

    enabled: bool = True
    lambda_arn: Optional[str] = None
    automatically_after_days: Optional[int] = None
    schedule_expression: Optional[str] = None
    duration: Optional[str] = None
    rotate_immediately: bool = False
    # A managed external secret (type): the partner's metadata as ((key, value), ...), and the role
    # Secrets Manager assumes to rotate it. None: leave as it is.
    external_metadata: Optional[Tuple[Tuple[str, str], ...]] = None
    external_role_arn: Optional[str] = None


@dataclass(frozen=True)
class DesiredSecret:
    """Every option of the secret module, checked. None means "leave it as it is"."""

    name: str
    is_arn: bool
    state: str
    token: str
    token_given: bool
    value: Optional[Value] = None
    description: Optional[str] = None
    kms_key_id: Optional[str] = None
    type: Optional[str] = None
    tags: Optional[dict] = None
    purge_tags: bool = True
    replicas: Optional[dict] = None  # region -> KMS key (None: keep the replica's key)
    purge_replica_regions: bool = True
    force_overwrite_replica_secret: Optional[bool] = None
    policy: Optional[dict] = None  # {} removes the policy
    block_public_policy: Optional[bool] = None
    rotation: Optional[Rotation] = None
    allow_unknown_regions: bool = False
    recovery_window_in_days: int = 30
    force_delete_without_recovery: bool = False
    restore: bool = True
    overwrite: bool = True
    wait_timeout: int = 120  # seconds to wait for a state that settles (propagation, a deletion finishing)
    warnings: Tuple[str, ...] = ()
    # Texts redacted from AWS's messages: the value as sent (secret_json compact), what is generated. JSON members
    # are masked by the front door's rule (masked_texts in _options.py), which spares the secret's identifiers.
    sensitive: Tuple[str, ...] = field(default=(), repr=False)


# ---------------------------------------------------------------- what AWS holds


@dataclass(frozen=True)
class CurrentSecret:
    """What the plan is made from: DescribeSecret's answer (None: no such secret), the current value
    (read only when the plan compares it) and the resource policy (read only when one is given)."""

    secret: Optional[dict] = None
    value: Optional[Value] = field(default=None, repr=False)
    policy: Optional[dict] = None
    # Only when a value and a client_request_token are given and the token is not AWSCURRENT (read() asks
    # ListSecretVersionIds with IncludeDeprecated, since DescribeSecret omits a version without labels):
    token_exists: Optional[bool] = None  # whether the token is a version of the secret
    token_value: Optional[Value] = field(default=None, repr=False)  # that version's value, read by VersionId


# ---------------------------------------------------------------- helpers over AWS's shapes


def current_version(secret: dict | None) -> str | None:
    """The version id that holds AWSCURRENT, or None."""
    for version, stages in (secret or {}).get("VersionIdsToStages", {}).items():
        if CURRENT in stages:
            return version
    return None


def token_is_old_version(current: CurrentSecret, desired: DesiredSecret) -> bool:
    """Whether the task's client_request_token names a version of the secret that is not AWSCURRENT
    (AWSPREVIOUS, another label, or deprecated: no label at all)."""
    secret = current.secret
    if secret is None or not desired.token_given or desired.value is None:
        return False
    stages = (secret.get("VersionIdsToStages") or {}).get(desired.token)
    if stages is not None:
        return CURRENT not in stages
    return bool(current.token_exists)


def rotation_owns_value(current: CurrentSecret, desired: DesiredSecret) -> bool:
    """A token naming an old version of a secret that rotates: rotation moved the value on, the task leaves it."""
    return bool(current.secret and current.secret.get("RotationEnabled")) and token_is_old_version(current, desired)


def tags_dict(tags: list | None) -> dict:
    """AWS's [{Key, Value}] as a dict."""
    return {t["Key"]: t.get("Value", "") for t in tags or []}


def replicas_dict(secret: dict | None) -> dict:
    """Replica region -> its KMS key, from ReplicationStatus."""
    return {r["Region"]: r.get("KmsKeyId") for r in (secret or {}).get("ReplicationStatus") or []}


def arn_region(arn: str | None) -> str | None:
    """The region of an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:...), or None when it is not an ARN."""
    parts = (arn or "").split(":", 5)
    return parts[3] or None if len(parts) == 6 and parts[0] == "arn" else None


def arn_in_region(arn: str, region: str) -> str:
    """The same ARN in another region: a replica's ARN is its primary's with the replica's region."""
    parts = arn.split(":", 5)
    parts[3] = region
    return ":".join(parts)


def failed_replicas(secret: dict | None) -> dict:
    """Replica region -> AWS's StatusMessage, for each replica whose Status is Failed."""
    return {
        r["Region"]: r.get("StatusMessage") or "no status message"
        for r in (secret or {}).get("ReplicationStatus") or []
        if r.get("Status") == "Failed"
    }


ARN_SUFFIX_LIKE = re.compile(r"-[A-Za-z0-9]{6}\Z")


def not_found_by_arn_message(arn: str) -> str:
    """Why an ARN finds no secret. AWS takes an ARN whose name ends in a hyphen and six characters as a full
    ARN with the random suffix AWS adds; a partial ARN (no suffix) of a name that ends so then finds nothing."""
    if ARN_SUFFIX_LIKE.search(arn):
        return (
            "no secret has the ARN %s. Its last seven characters are read by AWS as the random suffix of a full ARN "
            "(-XXXXXX): if this is a partial ARN of a secret whose name ends in a hyphen and six characters, give the "
            "full ARN with its suffix or the secret's name" % arn
        )
    return "no secret has the ARN %s (a partial ARN: AWS found no secret of that name in the ARN's region and account)" % arn


def compact_json(data: object) -> str:
    """The text sent to AWS for a JSON document."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def canonical_json(data: object) -> str:
    """A text form where equal JSON documents are equal strings (key order, spacing and true/1 matter as JSON says)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
