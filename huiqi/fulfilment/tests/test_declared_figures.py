"""The application form names declared figures from the shared vocabulary (rules/data), the same
one the extractor drafts with and the review page shows (issue 15)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from huiqi.fulfilment.evaluation import input_specs
from huiqi.policies.models import PolicyItem


def test_a_figure_the_form_forgot_gets_its_label_and_unit_from_the_vocabulary(
        make_item: Callable[..., PolicyItem], db: Any) -> None:
    item = make_item(
        conditions={"field": "input.exhibition_area_sqm", "op": ">=", "value": 6000},
        reward={"per_unit": 50000, "base": {"input": "full_2000_sqm_units"}}, inputs=[])
    specs = {s["name"]: s for s in input_specs(item)}
    assert specs["exhibition_area_sqm"] == {"name": "exhibition_area_sqm", "label": "展览面积", "unit": "平方米"}
    assert specs["full_2000_sqm_units"]["label"] == "申报数中每满2000平方米的份数（不足部分不计）"
    assert specs["full_2000_sqm_units"]["unit"] == "份"


def test_the_item_s_own_form_entries_win_over_the_vocabulary(make_item: Callable[..., PolicyItem], db: Any) -> None:
    specs = input_specs(make_item())
    assert specs == [{"name": "equipment_investment", "label": "设备投资额（不含税）", "unit": "元"}]
