"""Data loaded once for a whole test module instead of once per test (the demo, mostly).

Loading the demo (accounts, enterprises, the published library, applications in every state,
matching) takes seconds; modules whose every database test reads the same demo load it in a
module-scoped fixture through ``demo_for_module``. The data are written inside an outer
transaction that is rolled back when the module ends; each test runs inside pytest-django's own
atomic block, which nests as a savepoint and is rolled back after the test, so every test starts
from the same freshly loaded data and no test sees another's writes (Django's
``TestCase.setUpTestData`` works the same way; tests/test_demo_db.py checks it). Not for
transactional tests (``live_server``, ``transaction=True``): they commit and flush, and need their
own load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db import transaction
from django.test import TestCase, override_settings

T = TypeVar("T")
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def data_for_module(django_db_blocker: Any, load: Callable[[], T]) -> Iterator[T]:
    """Yield what ``load`` returns, written inside a transaction rolled back afterwards.

    The after-commit hooks of the load (for the demo: search index refresh on publish, queued
    match jobs) run as in production: they are captured and executed at the end of the load."""
    # Argon2 would make each demo account cost a tenth of a second; tests need no strength.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with transaction.atomic():
            with TestCase.captureOnCommitCallbacks(execute=True):
                loaded = load()
            yield loaded
            transaction.set_rollback(True)


def demo_for_module(django_db_blocker: Any, *, enterprises: int, seed: int) -> Iterator[Any]:
    """Yield the load report of a demo of this size and seed, loaded once for the module."""
    from huiqi.demo.loader import load_demo

    yield from data_for_module(django_db_blocker, lambda: load_demo(enterprises=enterprises, seed=seed))
