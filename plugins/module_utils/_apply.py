# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Applying: the only secret code that calls AWS. Read what the plan needs, then converge or predict.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.

run() is the whole secret after validation: read -> plan -> (check mode) predict, or
(a real run) apply the plan, re-reading and re-planning where AWS's state moved under it,
then predict from the responses. Every call goes through _aws.Api; values go to AWS only.
"""

from __future__ import annotations

import json
from typing import Callable

from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import (
    DELETED,
    EXISTS,
    NOT_FOUND,
    PROPAGATING,
    SCHEDULED_FOR_DELETION,
    TOKEN_CONFLICT,
    Api,
    AwsError,
    describe,
)
from ansible_collections.seed.secretsmanager.plugins.module_utils._model import (
    CURRENT,
    BinaryValue,
    CurrentSecret,
    DesiredSecret,
    GeneratedValue,
    TextValue,
    arn_region,
    current_version,
)
from ansible_collections.seed.secretsmanager.plugins.module_utils._plan import Generated, plan, writes_value
from ansible_collections.seed.secretsmanager.plugins.module_utils._predict import answer_time, predict
from ansible_collections.seed.secretsmanager.plugins.module_utils._regions import in_region
from ansible_collections.seed.secretsmanager.plugins.module_utils._result import Outcome, task_result

CONVERGE_ATTEMPTS = 3
SETTLE_FIRST_DELAY = 1.0  # seconds
SETTLE_MAX_DELAY = 10.0


def run(
    api: Api, desired: DesiredSecret, check_mode: bool = False, on_generated: Callable[[str], None] | None = None, before: CurrentSecret | None = None
) -> dict:
    """Converge one secret; return the result (changed, arn, name, version_id, secret, actions, diff).

    Check mode reads, plans and predicts; it never writes. on_generated, when given, is called with
    each generated value before it is sent, so a caller (AnsibleModule) can add it to what it masks.
    before, when given, is the state already read (the secrets module reads a fleet in bulk: read_more()).
    """
    api.sensitive.extend(desired.sensitive)
    api.wait_timeout = desired.wait_timeout
    if before is None:
        before = read(api, desired)
    if check_mode:
        ops = plan(before, desired)
        after_secret, after_policy = predict(before, ops, now=_latest_answer(api), value_read=api.answered.get("GetSecretValue"))
        actions = api.actions + [operation for operation, _request in ops]
    else:
        current, ops, responses = _converge(api, before, desired, on_generated)
        after_secret, after_policy = predict(current, ops, responses, now=_latest_answer(api), value_read=api.answered.get("GetSecretValue"))
        actions = list(api.actions)
    outcome = Outcome(
        desired=desired,
        before=before,
        after_secret=after_secret,
        after_policy=after_policy,
        ops=ops,
        actions=actions,
        value_written=writes_value(ops),
        check_mode=check_mode,
    )
    return task_result(outcome)


def _latest_answer(api):
    """The HTTP Date of AWS's latest answer to this task (its clock, to the second), if any had one."""
    dated = [date for date in api.answered.values() if answer_time(date)]
    return max(dated, key=answer_time) if dated else None


def read(api: Api, desired: DesiredSecret) -> CurrentSecret:
    """Read what the plan needs: the description, and the value or policy only when they are compared."""
    return read_more(api, desired, describe(api, desired.name))


def read_more(api: Api, desired: DesiredSecret, secret: dict | None, value: object = None) -> CurrentSecret:
    """The reads beyond the description (secret, DescribeSecret's answer or None): the current value
    when the plan compares it (value, when the caller read it already, else GetSecretValue), the policy
    when one is given, and the version the token names when it is not AWSCURRENT."""
    if secret is None or desired.state == "absent":
        return CurrentSecret(secret=secret)
    if not needs_value(secret, desired):
        value = None
    elif value is None:
        value = value_of(api.call("GetSecretValue", SecretId=secret["ARN"], VersionStage=CURRENT))
    policy = None
    if desired.policy is not None and not secret.get("DeletedDate"):
        response = api.call("GetResourcePolicy", SecretId=secret["ARN"])
        if response.get("ResourcePolicy"):
            policy = json.loads(response["ResourcePolicy"])
    token_exists, token_value = _read_token_version(api, secret, desired)
    return CurrentSecret(secret=secret, value=value, policy=policy, token_exists=token_exists, token_value=token_value)


def _read_token_version(api, secret, desired):
    """Whether client_request_token is a version of the secret other than AWSCURRENT, and its value when
    the plan may make it current (a rollback checks it holds the task's value). DescribeSecret lists only
    versions with a staging label; a deprecated version shows up only in ListSecretVersionIds with
    IncludeDeprecated, and PutSecretValue with its token would succeed but do nothing."""
    if not token_needs_read(secret, desired):
        return None, None
    stages = secret.get("VersionIdsToStages", {})
    exists = desired.token in stages or desired.token in _version_ids(api, secret["ARN"])
    if not exists or secret.get("RotationEnabled"):
        return exists, None
    response = api.call("GetSecretValue", SecretId=secret["ARN"], VersionId=desired.token)
    return exists, value_of(response)


def token_needs_read(secret: dict, desired: DesiredSecret) -> bool:
    """Whether the plan needs the version client_request_token names read (it is given, with a value the task
    writes, and is not the current version): then the task writes a value or rolls back to that version."""
    return not (
        desired.state != "present"
        or not desired.token_given
        or desired.value is None
        or isinstance(desired.value, GeneratedValue)
        or not desired.overwrite
        or secret.get("DeletedDate")
        or current_version(secret) in (None, desired.token)
    )


def _version_ids(api, secret_id):
    ids = set()
    request = {"SecretId": secret_id, "IncludeDeprecated": True}
    while True:
        response = api.call("ListSecretVersionIds", **request)
        ids.update(v["VersionId"] for v in response.get("Versions", []))
        if not response.get("NextToken"):
            return ids
        request["NextToken"] = response["NextToken"]


def value_of(response: dict) -> TextValue | BinaryValue | None:
    """The value in a GetSecretValue answer (or a BatchGetSecretValue entry)."""
    if "SecretString" in response:
        return TextValue(response["SecretString"])
    if "SecretBinary" in response:
        return BinaryValue(response["SecretBinary"])
    return None


def needs_value(secret: dict, desired: DesiredSecret) -> bool:
    """Whether the plan compares the current value: a value given without a token, overwrite on, a current version."""
    return (
        desired.state == "present"
        and desired.value is not None
        and not isinstance(desired.value, GeneratedValue)
        and desired.overwrite
        and not desired.token_given
        and not secret.get("DeletedDate")
        and current_version(secret) is not None
    )


def _converge(api, current, desired, on_generated):
    """Apply the plan. A restore is applied alone and followed by a fresh read and plan (a deleted
    secret's value cannot be read); a create that lost a race to another run is planned again
    against the secret that run made. Returns (the state planned from, ops applied, responses)."""
    restored = []
    for _attempt in range(CONVERGE_ATTEMPTS):
        ops = plan(current, desired)
        if ops and ops[0][0] == "RestoreSecret":
            _apply(api, ops[:1], on_generated)
            restored = ops[:1]
            current = read(api, desired)
            continue
        try:
            responses = _apply(api, ops, on_generated)
        except AwsError as e:
            if e.operation != "CreateSecret" or e.option == "client_request_token":
                raise
            if e.kind not in (EXISTS, SCHEDULED_FOR_DELETION):
                raise
            # Another run made the secret meanwhile, or (past wait_timeout) AWS still calls the name scheduled for
            # deletion: read again. A secret that is there is planned for again (a restore, or the PlanError that
            # says how to proceed); one that is still not there was force-deleted, and restore cannot help.
            current = read(api, desired)
            if current.secret is None:
                raise
            continue
        return current, restored + ops, [{}] * len(restored) + responses
    raise AwsError("secret %s did not settle after a restore or a concurrent create; run the task again" % desired.name)


def _apply(api, ops, on_generated):
    responses = []
    generated = None
    for operation, request in ops:
        if operation == "GetRandomPassword":
            generated = api.call(operation, **request)["RandomPassword"]
            api.sensitive.append(generated)
            if on_generated:
                on_generated(generated)
            responses.append({})
            continue
        request = dict(request)
        if isinstance(request.get("SecretString"), Generated):
            request["SecretString"] = request["SecretString"].render(generated)
            api.sensitive.append(request["SecretString"])
        if "SecretId" in request and request["SecretId"] is None:
            request["SecretId"] = next(r["ARN"] for r in responses if r and r.get("ARN"))
        # A replica's own change (its KMS key) is addressed by the replica's ARN and made in its region.
        responses.append(_call_write(in_region(api, arn_region(request.get("SecretId"))), operation, request))
    return responses


def _call_write(api, operation, request):
    try:
        response = _call_settled(api, operation, request)
    except AwsError as e:
        if e.kind == TOKEN_CONFLICT:
            # A create that lost a race with the same token but another value lands here too: AWS said the
            # values differ, so the token being current afterwards must not pass for "unchanged".
            raise AwsError(
                "%s failed: client_request_token %s is already a version of this secret with a different "
                "value, and a version cannot change: give a new token (AWS said: %s)" % (operation, request["ClientRequestToken"], e.message),
                code=e.code,
                operation=operation,
                kind=e.kind,
                option="client_request_token",
            )
        if operation == "DeleteSecret" and e.kind in (SCHEDULED_FOR_DELETION, DELETED, NOT_FOUND):
            response = _deleted_meanwhile(api, request)
            if response is not None:
                return response
        raise
    if operation == "PutSecretValue" and "VersionStages" in response and CURRENT not in response["VersionStages"]:
        # AWS answers success to a token that is already a version and changes nothing: never report that as a write.
        api.written.remove(operation)
        raise AwsError(
            "PutSecretValue did not make client_request_token %s the current version: it was already a version of "
            "this secret (written meanwhile by another run?); run the task again" % request["ClientRequestToken"],
            operation=operation,
            option="client_request_token",
        )
    return response


def _settles(api, operation, error):
    """Whether AWS's refusal is a state known to settle on its own within moments (docs/idempotence.md, wait_timeout)."""
    if operation == "CreateSecret":
        # CreateSecret is planned only when DescribeSecret found no secret: a name AWS still calls deleted, or
        # even scheduled for deletion, is one whose secret was force-deleted moments ago (AWS_FACTS: "After a
        # force delete AWS may behave as scheduled deletion for a few seconds").
        return error.kind in (DELETED, SCHEDULED_FOR_DELETION)
    if error.kind == PROPAGATING:
        return operation in ("PutResourcePolicy", "RotateSecret")  # a new principal, a new Lambda permission
    return error.kind == NOT_FOUND and "CreateSecret" in api.written  # the secret this task just created


def _call_settled(api, operation, request):
    """api.call, repeated while AWS answers a state that settles, for up to api.wait_timeout seconds, with a
    delay that doubles from SETTLE_FIRST_DELAY up to SETTLE_MAX_DELAY. Every attempt is in actions."""
    started = api.clock()
    delay = SETTLE_FIRST_DELAY
    while True:
        try:
            return api.call(operation, **request)
        except AwsError as e:
            if not _settles(api, operation, e) or api.wait_timeout <= 0:
                raise
            waited = api.clock() - started
            if waited >= api.wait_timeout:
                raise AwsError(
                    "%s (still so after %d seconds: wait_timeout; such states usually settle within a minute or two, "
                    "run the task again later)" % (e.message, waited),
                    code=e.code, operation=e.operation, kind=e.kind, option=e.option, request_id=e.request_id,
                )
            api.sleep(min(delay, api.wait_timeout - waited))
            delay = min(delay * 2, SETTLE_MAX_DELAY)


def _deleted_meanwhile(api, request):
    """A DeleteSecret that failed because the secret is already deleted as asked: botocore retried a request
    whose reply was lost (AWS had applied it, the retry finds the secret scheduled for deletion), or another
    run deleted it. The response to use when the secret is now in the state the request asked for, else None."""
    secret = describe(api, request["SecretId"])
    if secret is None:
        return {"ARN": request["SecretId"]}
    if secret.get("DeletedDate") and not request.get("ForceDeleteWithoutRecovery"):
        return {"ARN": secret["ARN"], "Name": secret["Name"], "DeletionDate": secret["DeletedDate"]}
    return None
