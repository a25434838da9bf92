from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def demo_library(db: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """The demo's published policy library (what the question set is written against) and its
    demo accounts; the search index is refreshed by the publication hooks, as in production."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from huiqi.demo.loader import load_demo

    with django_capture_on_commit_callbacks(execute=True):
        return load_demo(enterprises=30, seed=7)
