"""The policy documents under tests/fixtures are byte-identical copies of ../shared's."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "policy_docs"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "policies" / "docs"


def test_every_fixture_document_matches_the_shared_copy() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"no shared folder at {SHARED}; nothing to compare against")
    assert sorted(p.name for p in FIXTURES.glob("*.txt")) == sorted(p.name for p in SHARED.glob("*.txt"))
    for path in FIXTURES.glob("*.txt"):
        assert path.read_bytes() == (SHARED / path.name).read_bytes(), path.name
