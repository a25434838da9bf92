"""Loading profiles into the columnar frame: exact numbers, clear errors with line numbers."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from rules.fields import FIELDS, get_field, label_of
from rules.frame import FrameError, ProfileFrame

ON = date(2025, 6, 30)


def test_decimal_figures_are_held_exactly() -> None:
    frame = ProfileFrame.from_profiles([{"uscc": "A", "years": {"2024": {"tax_paid": "1800000.35"}}},
                                        {"uscc": "B", "years": {"2024": {"tax_paid": 7}}}], on=ON)
    col = frame.yearly_num[("tax_paid", 2024)]
    assert col.scale == 100
    assert {frame.uscc[i]: col.exact(i) for i in range(2)} == {"A": Fraction("1800000.35"), "B": Fraction(7)}


def test_a_non_numeric_figure_names_the_line_and_the_path() -> None:
    with pytest.raises(FrameError) as err:
        ProfileFrame.from_profiles([{"uscc": "A"}, {"uscc": "B", "years": {"2024": {"revenue": "n/a"}}}], on=ON)
    assert err.value.line == 2
    assert "years.2024.revenue" in str(err.value)


def test_jsonl_errors_name_the_file_and_skip_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    path.write_text(json.dumps({"uscc": "A"}) + "\n\n[1, 2]\n", encoding="utf-8")
    with pytest.raises(FrameError) as err:
        ProfileFrame.from_jsonl(path, on=ON)
    assert err.value.line == 3 and str(path) in str(err.value)


def test_strict_loading_rejects_keys_outside_the_vocabulary() -> None:
    ok = {"uscc": "A", "name": "甲", "region": "350503", "years": {"2024": {"revenue": 1}}, "flags": {"dishonest": False}}
    ProfileFrame.from_profiles([ok], on=ON, strict=True)
    for bad, needle in (({"uscc": "A", "revenu": 1}, "revenu"), ({"flags": {"bankrupt": True}}, "flags.bankrupt")):
        with pytest.raises(FrameError, match=needle):
            ProfileFrame.from_profiles([bad], on=ON, strict=True)
    ProfileFrame.from_profiles([{"uscc": "A", "revenu": 1}], on=ON)  # lenient by default


def test_qualifications_are_resolved_against_the_evaluation_date() -> None:
    profile = {"uscc": "A", "qualifications": [{"code": "hnte", "valid_from": "2023-11-20", "valid_to": "2026-11-19"}]}
    assert ProfileFrame.from_profiles([profile], on=ON).quals_held["hnte"].tolist() == [True]
    assert "hnte" not in ProfileFrame.from_profiles([profile], on=date(2026, 11, 20)).quals_held


def test_every_vocabulary_field_has_a_chinese_label_and_a_kind() -> None:
    for name, f in FIELDS.items():
        assert f.label and not f.label.isascii(), name
        assert f.kind in ("static", "derived", "yearly", "flag", "qualification")
    assert label_of("revenue") == "营业收入" and label_of("rd_expense") == "研发费用"
    inp = get_field("input.equipment_investment")
    assert inp is not None and inp.kind == "input" and inp.label == "设备投入"
    assert get_field("input.") is None and get_field("input.设备") is None
