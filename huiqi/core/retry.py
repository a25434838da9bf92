"""Retrying: a short transaction that PostgreSQL aborted to break a deadlock (40P01) or a
serialization failure (40001): the database rolled it back whole, so running it again is safe.
A bounded number of attempts with a small random pause; after that the error goes up."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection

T = TypeVar("T")

RETRYABLE = {"40P01", "40001"}  # deadlock_detected, serialization_failure


def is_retryable(error: BaseException) -> bool:
    cause = getattr(error, "__cause__", None)
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return code in RETRYABLE


def retry_conflicts(call: Callable[[], T], *, attempts: int = 5) -> T:
    """Run ``call`` (which opens and commits its own transaction); retry on a deadlock or
    serialization failure. Inside an outer transaction nothing can be retried here."""
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except OperationalError as error:
            if attempt == attempts or not is_retryable(error) or connection.in_atomic_block:
                raise
            time.sleep(random.uniform(0.01, 0.05) * attempt)
    raise AssertionError("unreachable")


def retry_transient(call: Callable[[], T], *, attempts: int, is_transient: Callable[[BaseException], bool],
                    pause: float = 0.5) -> T:
    """Run ``call`` up to ``attempts`` times while it fails with an error ``is_transient`` accepts
    (a gateway's 5xx, a timeout), pausing a growing, slightly random time between tries; any other
    error, or the last one, goes up."""
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except Exception as error:
            if attempt == attempts or not is_transient(error):
                raise
            time.sleep(pause * attempt * random.uniform(0.8, 1.2))
    raise AssertionError("unreachable")
