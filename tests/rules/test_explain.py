"""Explanations are plain Chinese sentences for enterprise owners."""

from __future__ import annotations

from datetime import date
from typing import Any

from rules.evaluate import evaluate
from rules.explain import explain, format_money

ON = date(2025, 6, 30)


def _texts(item: dict[str, Any], profile: dict[str, Any]) -> list[str]:
    return [r.text for r in explain(evaluate(item, profile, on=ON), item=item)]


def test_money_is_shown_in_wan_yuan_from_ten_thousand_yuan() -> None:
    assert format_money(36000000) == "3,600 万元"
    assert format_money("15000") == "1.5 万元"
    assert format_money(8000) == "8,000 元"
    assert format_money("2630.7") == "2,630.70 元"


def test_a_met_threshold_reads_as_a_sentence(gaoqi: dict[str, Any]) -> None:
    item = {"id": "x", "conditions": {"field": "revenue", "op": ">=", "value": 35000000}}
    assert _texts(item, gaoqi)[0] == "2024年营业收入 3,600 万元，达到 3,500 万元的要求"


def test_a_missed_threshold_says_so(gaoqi: dict[str, Any]) -> None:
    item = {"id": "x", "conditions": {"field": "revenue", "op": ">=", "value": 50000000}}
    reasons = explain(evaluate(item, gaoqi, on=ON), item=item)
    assert (reasons[0].kind, reasons[0].text) == ("unmet", "2024年营业收入 3,600 万元，未达到 5,000 万元的要求")


def test_missing_data_names_the_year_and_the_figure(sparse: dict[str, Any]) -> None:
    item = {"id": "x", "conditions": {"field": "rd_expense", "op": ">", "value": 0}}
    reasons = explain(evaluate(item, sparse, on=ON), item=item)
    assert (reasons[0].kind, reasons[0].text) == ("missing", "缺少2024年研发费用数据")


def test_a_check_atom_asks_for_review(gaoqi: dict[str, Any]) -> None:
    item = {"id": "x", "conditions": {"check": "符合我市主导产业发展方向"}}
    assert _texts(item, gaoqi)[0] == "需审核确认：符合我市主导产业发展方向"


def test_a_held_qualification_shows_its_expiry(gaoqi: dict[str, Any]) -> None:
    item = {"id": "x", "conditions": {"field": "qualifications", "op": "has", "value": "hnte"}}
    assert _texts(item, gaoqi)[0] == "高新技术企业资格有效期至2026-11-19"


def test_a_negated_atom_that_holds_counts_against_the_enterprise(gaoqi: dict[str, Any]) -> None:
    item = {"id": "x", "conditions": {"not": {"field": "qualifications", "op": "has", "value": "hnte"}}}
    reasons = explain(evaluate(item, gaoqi, on=ON), item=item)
    assert reasons[0].kind == "unmet"


def test_the_amount_is_explained_last(gaoqi: dict[str, Any], sparse: dict[str, Any]) -> None:
    fixed = {"id": "x", "reward": {"fixed": 500000}}
    assert _texts(fixed, gaoqi)[-1] == "预计可获奖补 50 万元"
    ranged = {"id": "x", "reward": {"rate": 0.1, "base": {"field": "rd_expense"}, "cap": 300000}}
    assert _texts(ranged, sparse)[-1] == "预计可获奖补 0 元 至 30 万元"
    open_ = {"id": "x", "reward": {"rate": 0.3, "base": {"input": "project_investment"}}}
    assert _texts(open_, sparse)[-1] == "奖补金额按申报额计算"


def test_region_and_industry_scopes_use_names(gaoqi: dict[str, Any]) -> None:
    item = {"id": "x", "region": "350500", "conditions": {"field": "industry", "op": "within", "value": "C"}}
    texts = _texts(item, gaoqi)
    assert "泉州市" in texts[0] and "制造业" in texts[1]


def test_dates_read_as_earlier_or_later(gaoqi: dict[str, Any]) -> None:
    item = {"id": "x", "conditions": {"field": "established_on", "op": "<", "value": "2016-01-01"}}
    assert _texts(item, gaoqi)[0] == "成立日期 2016-09-15，不早于 2016-01-01"


def test_alternatives_an_any_did_not_need_are_left_out(gaoqi: dict[str, Any]) -> None:
    item = {"id": "x", "conditions": {"all": [
        {"field": "revenue", "op": ">=", "value": 35000000},
        {"any": [{"field": "industry", "op": "within", "value": "51"},
                 {"field": "industry", "op": "within", "value": "C"}]}]}}
    texts = _texts(item, gaoqi)
    assert any("3,500 万元" in t for t in texts)
    assert any("制造业" in t for t in texts)
    assert not any("批发业" in t for t in texts)


def test_when_no_alternative_holds_each_one_is_explained(gaoqi: dict[str, Any]) -> None:
    item = {"id": "x", "conditions": {"any": [{"field": "industry", "op": "within", "value": "51"},
                                              {"field": "industry", "op": "within", "value": "52"}]}}
    texts = _texts(item, gaoqi)
    assert any("批发业" in t for t in texts) and any("零售业" in t for t in texts)
