# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pacing the secrets module's requests: AWS's request quotas per operation, a rate limiter per quota, and a
client whose every request waits for its quota.

This is a private module_utils file (leading underscore): it is internal to the
seed.secretsmanager collection and may change without notice.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

# AWS's request quotas for Secrets Manager, per account and region (the "Secrets Manager quotas" page of the user
# guide): operations in one row share one rate. Not adjustable. The requests of a task are paced per row at
# min(the row's rate, rate_limit); an operation in no row is not paced. Each row names only the operations the
# collection calls (docs/iam.md's test reads every operation name quoted in plugins/ as one it calls).
QUOTAS = (
    (("CreateSecret",), 50),
    (("DeleteSecret",), 50),
    (("PutSecretValue", "RemoveRegionsFromReplication", "ReplicateSecretToRegions", "UpdateSecret", "UpdateSecretVersionStage"), 50),
    (("RestoreSecret",), 50),
    (("RotateSecret", "CancelRotateSecret"), 50),
    (("TagResource", "UntagResource"), 50),
    (("DeleteResourcePolicy", "GetResourcePolicy", "PutResourcePolicy"), 50),
    (("GetRandomPassword",), 50),
    (("ListSecretVersionIds",), 50),
    (("ListSecrets",), 100),
    (("BatchGetSecretValue",), 100),
    (("DescribeSecret", "GetSecretValue"), 10000),
)
# Throttling that outlasts botocore's own retries (standard mode, 5 attempts) is sent again by the task's Api
# (_aws.Api.throttle_patience, so that every attempt is in actions) for up to THROTTLE_PATIENCE seconds a request.
THROTTLE_PATIENCE = 300.0


# ---------------------------------------------------------------- pacing


class RateLimiter:
    """At most per_second requests per second, spread evenly, for every thread that asks (thread-safe)."""

    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1.0 / per_second
        self.clock = clock
        self.sleep = sleep
        self._next = None
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Return when the next request may go."""
        with self._lock:
            now = self.clock()
            at = now if self._next is None else max(now, self._next)
            self._next = at + self.interval
        if at > now:
            self.sleep(at - now)


def quota_limiters(rate_limit: float, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> dict:
    """operation -> the RateLimiter of its quota row (shared by the operations of one row)."""
    limiters = {}
    for operations, per_second in QUOTAS:
        limiter = RateLimiter(min(per_second, rate_limit), clock=clock, sleep=sleep)
        for operation in operations:
            limiters[operation] = limiter
    return limiters


class PacedClient:
    """A botocore client whose requests wait for their quota's RateLimiter. Everything else is the client's."""

    def __init__(self, client: Any, limiters: dict) -> None:
        self._client = client
        self._limiters = limiters
        self.meta = client.meta

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        limiter = self._limiters.get(self._client.meta.method_to_api_mapping.get(name))
        if limiter is None or not callable(attribute):
            return attribute

        def paced(**kwargs):
            limiter.wait()
            return attribute(**kwargs)

        return paced
