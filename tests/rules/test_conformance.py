"""Every case of every file in docs/rules/cases runs as written (RULES.md is normative)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from rules.evaluate import evaluate

CASES_DIR = Path(__file__).resolve().parents[2] / "docs" / "rules" / "cases"


def _load() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            params.append(pytest.param(path.stem, case, id=case["name"]))
    return params


CASES = _load()


def test_the_case_files_are_found_and_not_empty() -> None:
    assert {p.values[0] for p in CASES} >= {"conditions", "rewards"}
    assert len(CASES) >= 50


@pytest.mark.parametrize(("kind", "case"), CASES)
def test_case(kind: str, case: dict[str, Any]) -> None:
    item: dict[str, Any] = {"id": case["name"]}
    if "conditions" in case:
        item["conditions"] = case["conditions"]
    if "reward" in case:
        item["reward"] = case["reward"]
    result = evaluate(item, case["profile"], on=date.fromisoformat(str(case["date"])))
    expect = case["expect"]
    assert result.status == expect["status"]
    if "unknown_fields" in expect:
        assert set(result.unknown_fields) == set(expect["unknown_fields"])
    if "amount" in expect:
        assert result.amount is not None
        assert result.amount.min == expect["amount"]["min"]
        assert result.amount.max == expect["amount"]["max"]
    if expect["status"] == "ineligible":
        assert result.amount is None
