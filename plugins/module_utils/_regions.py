# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Regions and the SDK's service model: an Api in another region, the partition's region list, the region an ARN
names, and the model members an option needs.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import Api, AwsError, secretsmanager_client
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import ValidationError


def in_region(api: Api, region: str | None) -> Api:
    """An Api for the same connection in another region (a replica's own region), sharing the call
    accounting, the accepted writes, the redaction list and the waits; api itself for its own region."""
    if not region or region == api.client.meta.region_name:
        return api
    if api.client_factory is None:
        raise AwsError("no client can be built for region %s (the caller gave no client factory)" % region)
    other = Api(api.client_factory(region))
    # The same task: one list of calls, of accepted writes and of texts to redact, the same waits.
    for shared in ("client_factory", "actions", "written", "answered", "sensitive", "arn", "wait_timeout", "clock", "sleep", "throttle_patience"):
        setattr(other, shared, getattr(api, shared))
    return other


def regional_client_factory(params: dict) -> Callable[[str], Any]:
    """region -> a Secrets Manager client built from the same connection options in that region. An
    endpoint_url is kept as given: a test endpoint (moto, LocalStack) serves every region at one URL."""

    def factory(region):
        return secretsmanager_client(dict(params, region=region), reuse=True)

    return factory


def partition_regions(region: str | None) -> tuple | None:
    """(partition, the regions botocore's endpoint data lists for Secrets Manager in it) for the partition
    of region, or None when botocore does not know the region's partition (a test endpoint's own name)."""
    if not region:
        return None
    import botocore.session

    session = botocore.session.get_session()
    for partition in session.get_available_partitions():
        regions = session.get_available_regions("secretsmanager", partition)
        if region in regions:
            return partition, tuple(regions)
    return None


# (operation, request member, the option that needs it); all came with botocore 1.41.0 (its changelog:
# "secretsmanager: Adds support to create, update, retrieve, rotate, and delete managed external secrets").
MODEL_MEMBERS = (
    ("CreateSecret", "Type", "type"),
    ("RotateSecret", "ExternalSecretRotationMetadata", "rotation.external_metadata"),
    ("RotateSecret", "ExternalSecretRotationRoleArn", "rotation.external_role_arn"),
)
MODEL_MEMBERS_SINCE = "1.41.0"


def require_model_members(client: Any, options: Iterable[str]) -> None:
    """Fail, naming the option and the botocore version needed, when the client's service model lacks the
    request member an option given needs (botocore would refuse it as an unknown parameter)."""
    options = list(options)
    if not options:
        return
    import botocore

    model = client.meta.service_model
    for operation, member, option in MODEL_MEMBERS:
        if option in options and member not in model.operation_model(operation).input_shape.members:
            raise ValidationError(
                option,
                "needs botocore %s or newer (%s's %s); this is botocore %s" % (MODEL_MEMBERS_SINCE, operation, member, botocore.__version__),
            )


def arn_params(params: dict, secret_id: str | None) -> tuple:
    """The connection options for a secret named by ARN, and a warning: the ARN's region wins over the region
    option (an ARN names one secret in one region; asked in another, AWS answers not found or access denied)."""
    parts = (secret_id or "").split(":", 5)
    region = parts[3] if len(parts) == 6 and parts[0] == "arn" else None
    if not region or region == params.get("region"):
        return params, []
    if not params.get("region"):
        # No region option to contradict (it may come from a profile): the ARN's is the one to use.
        return dict(params, region=region), []
    warning = "%s is an ARN in region %s: that region is used, not %s (the region option)" % (
        secret_id, region, params["region"]
    )
    return dict(params, region=region), [warning]
