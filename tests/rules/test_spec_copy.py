"""docs/rules is a byte-for-byte copy of the shared spec folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.shared import shared_dir

REPO = Path(__file__).resolve().parents[2]
COPY = REPO / "docs" / "rules"


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def shared() -> Path:
    return shared_dir("spec")


def test_no_spec_file_is_missing_on_either_side(shared: Path) -> None:
    assert _files(shared) == _files(COPY)


def test_every_spec_file_is_byte_identical(shared: Path) -> None:
    for name in sorted(_files(COPY)):
        assert (COPY / name).read_bytes() == (shared / name).read_bytes(), name


def test_the_copy_has_the_rules_and_the_cases() -> None:
    assert (COPY / "RULES.md").is_file()
    assert list((COPY / "cases").glob("*.yaml"))
