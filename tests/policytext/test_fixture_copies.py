"""The policy documents under tests/fixtures are byte-identical copies of ../shared's."""

from __future__ import annotations

from pathlib import Path

from tests.shared import shared_dir

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "policy_docs"


def test_every_fixture_document_matches_the_shared_copy() -> None:
    shared = shared_dir("data", "policies", "docs")
    assert sorted(p.name for p in FIXTURES.glob("*.txt")) == sorted(p.name for p in shared.glob("*.txt"))
    for path in FIXTURES.glob("*.txt"):
        assert path.read_bytes() == (shared / path.name).read_bytes(), path.name
