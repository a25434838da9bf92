"""The annotated clause sets under tests/fixtures/policy_clauses are byte-identical copies of
../shared/data/policies (the first dev set and the second, with its tune/test split)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.shared import shared_dir

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "policy_clauses"
SETS = ["dev_clauses.jsonl", "dev_clauses_2.jsonl"]


@pytest.mark.parametrize("name", SETS)
def test_clause_set_copy_is_byte_identical_to_the_shared_file(name: str) -> None:
    shared = shared_dir("data", "policies")
    assert (FIXTURES / name).read_bytes() == (shared / name).read_bytes(), name


def test_second_set_has_both_splits_and_no_document_in_both() -> None:
    rows = [json.loads(line) for line in (FIXTURES / "dev_clauses_2.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    splits: dict[str, set[str]] = {}
    for row in rows:
        splits.setdefault(row["split"], set()).add(row["doc_key"])
    assert set(splits) == {"tune", "test"}
    assert not splits["tune"] & splits["test"]
