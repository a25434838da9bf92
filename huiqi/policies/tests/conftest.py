from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def fast_hasher(settings: Any) -> None:
    # Argon2 makes each of the twelve demo accounts cost a tenth of a second; tests need no strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db: Any, fast_hasher: None, django_capture_on_commit_callbacks: Any) -> Any:
    """A small demo set; windows are relative to today, as the pages compute them. The after-commit
    hooks run as in production (search index refresh on publish; match jobs are queued)."""
    from huiqi.demo.loader import load_demo

    with django_capture_on_commit_callbacks(execute=True):
        return load_demo(enterprises=200, seed=7)
