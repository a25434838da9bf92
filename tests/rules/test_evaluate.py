"""Scalar evaluation beyond the conformance cases: trace, failed atoms, checks, declared inputs,
item scope and validity, per-enterprise caps, and 惠中选惠."""

from __future__ import annotations

from datetime import date
from typing import Any

from rules.evaluate import Evaluation, choose_in_exclusive_groups, evaluate

ON = date(2025, 6, 30)


def test_the_result_serialises_as_rules_section_6(gaoqi: dict[str, Any]) -> None:
    item = {"id": "qz-1", "conditions": {"field": "revenue", "op": ">=", "value": 35000000,
                                         "ref": {"clause": "第三条", "start": 2, "end": 12}},
            "reward": {"fixed": 500000}}
    out = evaluate(item, gaoqi, on=ON).to_dict()
    assert set(out) == {"policy", "status", "amount", "failed", "unknown_fields", "trace", "rules_version"}
    assert out["policy"] == "qz-1" and out["status"] == "eligible"
    assert out["amount"] == {"min": "500000.00", "max": "500000.00"}
    assert out["trace"][0]["atom"]["field"] == "revenue"
    assert out["trace"][0]["value"] == 36000000 and out["trace"][0]["result"] == "TRUE"
    assert out["trace"][0]["ref"] == {"clause": "第三条", "start": 2, "end": 12}
    assert len(out["rules_version"]) == 64


def test_failed_lists_only_the_atoms_that_decide_an_ineligible_result(gaoqi: dict[str, Any]) -> None:
    bad = {"field": "revenue", "op": ">=", "value": 50000000}
    item = {"id": "x", "conditions": {"all": [{"field": "employees", "op": ">=", "value": 100}, bad,
                                              {"field": "input.equipment_investment", "op": ">", "value": 1}]}}
    ev = evaluate(item, gaoqi, on=ON)
    assert ev.status == "ineligible" and ev.amount is None
    assert ev.failed == [bad]
    assert [t.result for t in ev.trace] == ["TRUE", "FALSE", "UNKNOWN"]


def test_an_atom_failing_under_not_is_reported_negated(gaoqi: dict[str, Any]) -> None:
    atom = {"field": "qualifications", "op": "has", "value": "hnte"}
    ev = evaluate({"id": "x", "conditions": {"not": atom}}, gaoqi, on=ON)
    assert ev.status == "ineligible"
    assert ev.failed == [{"not": atom}]


def test_unknown_fields_skip_unknowns_in_branches_already_decided(sparse: dict[str, Any]) -> None:
    cond = {"all": [{"field": "rd_expense", "op": ">", "value": 0},
                    {"any": [{"field": "tax_paid", "op": ">", "value": 0},
                             {"field": "employees", "op": ">", "value": 1}]}]}
    ev = evaluate({"id": "x", "conditions": cond}, sparse, on=ON)
    assert ev.status == "possible"
    assert ev.unknown_fields == ["years.2024.rd_expense"]


def test_a_derived_ratio_names_both_missing_inputs(sparse: dict[str, Any]) -> None:
    ev = evaluate({"id": "x", "conditions": {"field": "rd_ratio", "op": ">=", "value": 0.03}}, sparse, on=ON)
    assert ev.unknown_fields == ["years.2024.rd_expense", "years.2024.revenue"]


def test_a_zero_revenue_makes_the_ratio_unknown_and_names_the_divisor() -> None:
    profile = {"years": {"2024": {"revenue": 0, "rd_expense": 5}}}
    ev = evaluate({"id": "x", "conditions": {"field": "rd_ratio", "op": ">=", "value": 0.03}}, profile, on=ON)
    assert ev.status == "possible" and ev.unknown_fields == ["years.2024.revenue"]


def test_this_year_reads_the_year_of_the_evaluation_date(gaoqi: dict[str, Any]) -> None:
    cond = {"field": "revenue", "op": ">", "value": 0, "period": "this_year"}
    assert evaluate({"id": "x", "conditions": cond}, gaoqi, on=date(2024, 5, 1)).status == "eligible"
    ev = evaluate({"id": "x", "conditions": cond}, gaoqi, on=ON)
    assert ev.status == "possible" and ev.unknown_fields == ["years.2025.revenue"]


def test_a_reviewer_decides_check_atoms_by_their_text(gaoqi: dict[str, Any]) -> None:
    item = {"id": "x", "conditions": {"all": [{"check": "项目通过竣工验收"}, {"field": "employees", "op": ">", "value": 1}]}}
    assert evaluate(item, gaoqi, on=ON).status == "possible"
    assert evaluate(item, gaoqi, on=ON, checks={"项目通过竣工验收": True}).status == "eligible"
    assert evaluate(item, gaoqi, on=ON, checks={"项目通过竣工验收": False}).status == "ineligible"
    assert evaluate(item, gaoqi, on=ON, checks={"别的要求": True}).status == "possible"


def test_declared_inputs_decide_input_fields_and_reward_bases(gaoqi: dict[str, Any]) -> None:
    item = {"id": "x", "conditions": {"field": "input.project_investment", "op": ">=", "value": 10000000},
            "reward": {"rate": 0.3, "base": {"input": "project_investment"}, "cap": 5000000}}
    before = evaluate(item, gaoqi, on=ON)
    assert before.status == "possible" and before.amount is not None
    assert (before.amount.min, before.amount.max) == ("0.00", "5000000.00")
    after = evaluate(item, gaoqi, on=ON, inputs={"project_investment": "12000000"})
    assert after.status == "eligible" and after.amount is not None
    assert (after.amount.min, after.amount.max) == ("3600000.00", "3600000.00")


def test_a_negative_base_gives_zero_and_a_floor_does_not_lift_it() -> None:
    profile = {"years": {"2024": {"profit": -300000}}}
    item = {"id": "x", "reward": {"rate": 0.1, "base": {"field": "profit"}, "floor": 20000}}
    ev = evaluate(item, profile, on=ON)
    assert ev.amount is not None and (ev.amount.min, ev.amount.max) == ("0.00", "0.00")


def test_per_unit_with_an_unknown_base_and_no_cap_is_unbounded(sparse: dict[str, Any]) -> None:
    ev = evaluate({"id": "x", "reward": {"per_unit": 2000, "base": {"field": "insured_employees"}}}, sparse, on=ON)
    assert ev.amount is not None and (ev.amount.min, ev.amount.max) == ("0.00", None)


def test_min_of_an_unbounded_and_a_bounded_reward_is_bounded(sparse: dict[str, Any]) -> None:
    reward = {"min": [{"rate": 0.3, "base": {"input": "project_investment"}}, {"up_to": 800000}]}
    ev = evaluate({"id": "x", "reward": reward}, sparse, on=ON)
    assert ev.amount is not None and (ev.amount.min, ev.amount.max) == ("0.00", "800000.00")


def test_rounding_is_half_up_to_the_fen_only_at_the_end() -> None:
    profile = {"years": {"2024": {"rd_expense": 5}}}
    # 5 × 0.125 = 0.625 → 0.63; two halves summed first: 0.3125 + 0.3125 = 0.625 → 0.63, not 0.62.
    single = evaluate({"id": "x", "reward": {"rate": "0.125", "base": {"field": "rd_expense"}}}, profile, on=ON)
    split = evaluate({"id": "x", "reward": {"sum": [{"rate": "0.0625", "base": {"field": "rd_expense"}}] * 2}},
                     profile, on=ON)
    assert single.amount is not None and single.amount.min == "0.63"
    assert split.amount is not None and split.amount.min == "0.63"


def test_the_item_region_scopes_the_item(gaoqi: dict[str, Any], sparse: dict[str, Any]) -> None:
    item = {"id": "qz", "region": "350500", "reward": {"fixed": 1}}
    assert evaluate(item, gaoqi, on=ON).status == "eligible"
    ev = evaluate(item, sparse, on=ON)
    assert ev.status == "ineligible"
    assert ev.failed == [{"field": "region", "op": "within", "value": "350500"}]
    unknown_region = evaluate(item, {"uscc": "x"}, on=ON)
    assert unknown_region.status == "possible" and unknown_region.unknown_fields == ["region"]


def test_an_item_outside_its_validity_is_ineligible(gaoqi: dict[str, Any]) -> None:
    item = {"id": "x", "valid_from": "2024-01-01", "valid_to": "2024-12-31", "reward": {"fixed": 1}}
    assert evaluate(item, gaoqi, on=date(2024, 12, 31)).status == "eligible"
    late = evaluate(item, gaoqi, on=ON)
    assert late.status == "ineligible" and not late.in_force


def test_the_per_enterprise_cap_limits_the_amount(gaoqi: dict[str, Any]) -> None:
    item = {"id": "x", "per_enterprise_cap": 100000, "reward": {"rate": 0.3, "base": {"input": "project_investment"}}}
    ev = evaluate(item, gaoqi, on=ON)
    assert ev.amount is not None and (ev.amount.min, ev.amount.max) == ("0.00", "100000.00")


def test_the_rules_version_ignores_how_numbers_are_written(gaoqi: dict[str, Any]) -> None:
    a = evaluate({"id": "a", "conditions": {"field": "revenue", "op": ">=", "value": 2e7}}, gaoqi, on=ON)
    b = evaluate({"id": "b", "conditions": {"field": "revenue", "op": ">=", "value": "20000000"}}, gaoqi, on=ON)
    assert a.rules_version == b.rules_version


def _ev(policy: str, status: str, lo: str | None, hi: str | None) -> Evaluation:
    from rules.evaluate import Amount

    amount = None if status == "ineligible" else Amount(lo or "0.00", hi)
    return Evaluation(policy, status, amount, [], [], [], "v", ON)


def test_the_highest_amount_in_an_exclusive_group_is_recommended_and_others_are_alternatives() -> None:
    evs = [_ev("a", "eligible", "300000.00", "300000.00"), _ev("b", "possible", "0.00", "500000.00"),
           _ev("c", "eligible", "800000.00", "800000.00"), _ev("d", "eligible", "1.00", "1.00"),
           _ev("e", "ineligible", None, None)]
    items = [{"exclusive_group": "rd"}, {"exclusive_group": "rd"}, {"exclusive_group": "rd-2"}, {},
             {"exclusive_group": "rd"}]
    choices = choose_in_exclusive_groups(evs, items)
    assert [(c.policy, c.recommended, c.alternative_to) for c in choices] == [
        ("a", False, "b"), ("b", True, None), ("c", True, None), ("d", True, None), ("e", False, None)]
    assert evs[0].alternative_to == "b"


def test_ties_on_the_maximum_are_broken_by_the_minimum() -> None:
    evs = [_ev("a", "possible", "0.00", "500000.00"), _ev("b", "eligible", "500000.00", "500000.00")]
    choices = choose_in_exclusive_groups(evs, [{"exclusive_group": "g"}, {"exclusive_group": "g"}])
    assert [c.recommended for c in choices] == [False, True]


def test_an_unbounded_amount_beats_any_bounded_one() -> None:
    evs = [_ev("a", "eligible", "900000.00", "900000.00"), _ev("b", "possible", "0.00", None)]
    choices = choose_in_exclusive_groups(evs, [{"exclusive_group": "g"}, {"exclusive_group": "g"}])
    assert [c.recommended for c in choices] == [False, True]


def test_known_on_a_flag_asks_whether_that_flag_is_recorded(sparse: dict[str, Any]) -> None:
    profile = {**sparse, "flags": {"dishonest": False}}
    known = {"id": "x", "conditions": {"field": "flags", "op": "known", "value": "dishonest"}}
    other = {"id": "y", "conditions": {"field": "flags", "op": "known", "value": "abnormal_operation"}}
    assert evaluate(known, profile, on=ON).status == "eligible"
    assert evaluate(other, profile, on=ON).status == "ineligible"
    assert evaluate(known, sparse, on=ON).status == "ineligible"
