"""Shared helpers: real small files built in tmp (no mocks)."""

from __future__ import annotations

from pathlib import Path

import pytest

# Real policy documents (government documents are not copyright-protected, 著作权法 第五条),
# copied from ../shared/data/policies/docs so that a clone tests without ../shared.
DOCS = Path(__file__).resolve().parents[1] / "fixtures" / "policy_docs"




@pytest.fixture()
def docs_dir() -> Path:
    if not DOCS.exists():
        pytest.skip("dev documents not available")
    return DOCS
