from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def fast_hasher(settings: Any) -> None:
    # Argon2 makes each of the twelve demo accounts cost a tenth of a second; tests need no strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db: Any, fast_hasher: None) -> Any:
    """A small demo set; windows are relative to today, as the pages compute them."""
    from huiqi.demo.loader import load_demo

    return load_demo(enterprises=200, seed=7)
