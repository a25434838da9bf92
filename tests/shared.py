"""Where the shared reference folder (../shared) is, for the tests that compare our copies with it.

On a developer's clone without ../shared those tests skip; under CI=true a missing folder is a
failure, because CI must prove the copies match. HUIQI_SHARED_DIR points elsewhere if needed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def shared_dir(*parts: str) -> Path:
    """The folder under ../shared; skips the test on a clone without it, fails it under CI=true."""
    path = Path(os.environ.get("HUIQI_SHARED_DIR") or REPO.parent / "shared").joinpath(*parts)
    if not path.is_dir():
        message = f"shared folder absent ({path}); nothing to compare against"
        if in_ci():
            pytest.fail(f"{message} — CI must compare the copies (set HUIQI_SHARED_DIR)")
        pytest.skip(message)
    return path
