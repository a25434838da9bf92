from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.demo_db import demo_for_module


@pytest.fixture
def fast_hasher(settings: Any) -> None:
    # Argon2 makes each of the twelve demo accounts cost a tenth of a second; tests need no strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def _demo_of_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    yield from demo_for_module(django_db_blocker, enterprises=200, seed=7)


@pytest.fixture
def demo(db: Any, _demo_of_module: Any) -> Any:
    """A small demo set, loaded once per test module (each test's writes are rolled back, see
    tests/demo_db.py); windows are relative to today, as the pages compute them. The after-commit
    hooks of the load run as in production (search index refresh on publish; match jobs queued)."""
    return _demo_of_module
