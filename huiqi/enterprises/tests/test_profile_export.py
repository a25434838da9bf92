from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from huiqi.enterprises.importing import import_enterprises

from .helpers import A, B, good_rows, xlsx_bytes

pytestmark = pytest.mark.django_db

PROFILE_A = {
    "uscc": A, "name": "晋江示例鞋业有限公司", "region": "350582", "industry": "3971",
    "established_on": "2015-06-01", "registered_capital": 50000000, "ownership": "private", "listed": "none",
    "years": {
        "2023": {"revenue": 30000000, "main_revenue": 29000000, "employees": 110, "rd_expense": 1500000,
                 "total_assets": 40000000, "profit": 1000000, "tax_credit_rating": "B", "invention_patents": 5},
        "2024": {"revenue": 35000000, "main_revenue": 34000000, "employees": 120, "rd_expense": 2100000,
                 "total_assets": 42000000, "profit": -200000, "tax_credit_rating": "A", "invention_patents": 6},
    },
    "qualifications": [{"code": "hnte", "valid_from": "2023-11-20", "valid_to": "2026-11-19"}],
    "flags": {"dishonest": False, "abnormal_operation": False, "major_violation_3y": False},
}
# B has no qualification source, no flags and few facts: all of that is unknown, hence absent.
PROFILE_B = {"uscc": B, "name": "泉州丰泽示例软件有限公司", "region": "350503", "industry": "651",
             "years": {"2024": {"revenue": 8005000, "employees": 45}}}


@pytest.fixture
def imported() -> None:
    report = import_enterprises(actor="测试", filename="e.xlsx", data=xlsx_bytes(good_rows()), source="市场监管",
                                as_of=date(2025, 3, 31))
    assert report.ok


def export(*args: str) -> list[dict[str, Any]]:
    out = io.StringIO()
    call_command("profile_export", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_export_writes_one_rules_profile_per_line(imported: None) -> None:
    profiles = {p["uscc"]: p for p in export()}
    assert profiles == {A: PROFILE_A, B: PROFILE_B}


def test_public_only_leaves_out_yearly_figures(imported: None) -> None:
    profiles = {p["uscc"]: p for p in export("--public-only")}
    assert "years" not in profiles[A] and "years" not in profiles[B]
    assert profiles[A]["qualifications"] == PROFILE_A["qualifications"]


def test_region_filter_and_output_file(imported: None, tmp_path: Any) -> None:
    assert [p["uscc"] for p in export("--region", "350503")] == [B]
    assert [p["uscc"] for p in export("--region", "350500")] == [A, B]
    target = tmp_path / "profiles.jsonl"
    call_command("profile_export", "--out", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and "晋江示例鞋业有限公司" in lines[0] + lines[1]


def test_unknown_region_is_refused() -> None:
    with pytest.raises(CommandError, match="未知的行政区划代码"):
        export("--region", "999999")
