from __future__ import annotations

from decimal import Decimal
from typing import Any

from policytext import ClauseContext, extract_clause
from policytext.extract import to_json


def _atoms(node: Any) -> list[dict[str, Any]]:
    if not isinstance(node, dict):
        return []
    if "field" in node or "check" in node:
        return [node]
    out: list[dict[str, Any]] = []
    for key in ("all", "any"):
        for child in node.get(key, []):
            out.extend(_atoms(child))
    return out


def _plain(atom: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in atom.items() if k != "ref"}


def _draft(text: str, **context: Any) -> dict[str, Any]:
    draft = extract_clause(text, context=ClauseContext(**context) if context else None)
    result: dict[str, Any] = to_json(draft.as_json())
    return result


# -- rewards ---------------------------------------------------------------------------------


def test_stated_amount_is_a_fixed_reward_in_yuan() -> None:
    assert _draft("对首次认定的高新技术企业，给予20万元一次性奖励。")["reward"] == {"fixed": 200000}


def test_highest_amount_without_formula_is_up_to() -> None:
    assert _draft("对获评省级工业设计中心的企业，给予每家最高50万元补助。")["reward"] == {"up_to": 500000}
    assert _draft("每年给予办赛经费不高于25万元。")["reward"] == {"up_to": 250000}


def test_rate_of_a_declared_base_carries_its_cap() -> None:
    reward = _draft("对设备投资500万元以上的项目，按设备投资额的10%给予补助，最高不超过300万元。")["reward"]
    assert reward == {"rate": 0.1, "base": {"input": "equipment_investment"}, "cap": 3000000}


def test_per_mille_rate_and_cap_in_a_later_sentence() -> None:
    reward = _draft("按其新增营业收入的6‰给予奖励。单家企业年度奖励最高50万元。")["reward"]
    assert reward["rate"] == 0.006 and reward["cap"] == 500000


def test_each_new_unit_is_a_per_unit_reward() -> None:
    reward = _draft("对新招用员工的企业，每新增1人补贴2000元，每家企业最高10万元。")["reward"]
    assert reward["per_unit"] == 2000 and reward["cap"] == 100000
    assert "input" in reward["base"]


def test_respectively_listed_thresholds_become_tiers_from_high_to_low() -> None:
    draft = _draft("对工业企业新增产值5亿元及以上、10亿元及以上的，分别给予50万元、100万元奖励。")
    tiers = draft["reward"]["tiers"]
    assert [t["then"] for t in tiers] == [{"fixed": 1000000}, {"fixed": 500000}]
    assert tiers[0]["when"] == {"field": "input.output_value_increment", "op": ">=", "value": 1000000000}
    assert tiers[-1]["when"] == {"always": True}
    # the condition keeps only the lowest band
    assert {"field": "input.output_value_increment", "op": ">=", "value": 500000000} in [
        _plain(a) for a in _atoms(draft["conditions"])
    ]


def test_bands_stated_in_separate_sentences_become_tiers() -> None:
    text = ("年营业收入5000万元以上的，给予30万元奖励；"
            "年营业收入1亿元以上的，给予50万元奖励。")
    draft = _draft(text)
    tiers = draft["reward"]["tiers"]
    assert tiers[0] == {"when": {"field": "revenue", "op": ">=", "value": 100000000},
                        "then": {"fixed": 500000}}
    # the lowest band keeps its own bound (issue 15: every band is a tier with its bounds)
    assert tiers[1] == {"when": {"field": "revenue", "op": ">=", "value": 50000000}, "then": {"fixed": 300000}}
    assert [_plain(a) for a in _atoms(draft["conditions"])] == [
        {"field": "revenue", "op": ">=", "value": 50000000}
    ]


def test_an_extra_award_on_top_is_a_sum() -> None:
    reward = _draft("对首次上规模的工业企业给予每家20万元奖励，对属于战略性新兴产业的，再给予每家10万元奖励。")["reward"]
    assert reward["sum"][0] == {"fixed": 200000}
    assert reward["sum"][1]["tiers"][0]["then"] == {"fixed": 100000}


def test_two_rates_with_an_overall_cap_are_a_min_of_their_sum() -> None:
    reward = _draft("按硬件投资额15%、软件投资额30%进行补助，单个企业补助额最高不超过600万元。")["reward"]
    assert reward == {"min": [{"sum": [
        {"rate": 0.15, "base": {"input": "hardware_investment"}},
        {"rate": 0.3, "base": {"input": "software_investment"}},
    ]}, {"fixed": 6000000}]}


def test_cap_by_another_figure_is_a_min() -> None:
    reward = _draft("再给予20万元奖励(奖励金额不超过该企业上年度财政贡献额)。")["reward"]
    assert reward["min"][0] == {"fixed": 200000}
    assert reward["min"][1]["rate"] == 1 and "input" in reward["min"][1]["base"]


def test_non_monetary_support_is_none_in_the_policy_words() -> None:
    reward = _draft("入驻项目优先供地，其出让底价按不低于基准地价的70%执行。")["reward"]
    assert list(reward) == ["none"] and "优先供地" in reward["none"]


def test_a_fund_pool_is_not_a_reward() -> None:
    assert _draft("设立2000万元技术改造奖补专项资金，支持企业实施技术改造。")["reward"] is None


def test_ratio_range_records_its_upper_end() -> None:
    reward = _draft("奖补金额为设备购置额的10%~15%，单个项目奖补额度不超过1000万元。")["reward"]
    assert reward["rate"] == 0.15 and reward["cap"] == 10000000


# -- conditions ------------------------------------------------------------------------------


def test_thresholds_become_canonical_atoms_with_their_comparators() -> None:
    draft = _draft("对上年度营业收入2000万元以上、研发费用超过200万元且职工人数不超过300人的企业，给予10万元奖励。")
    atoms = [_plain(a) for a in _atoms(draft["conditions"])]
    assert atoms == [
        {"field": "revenue", "op": ">=", "value": 20000000},
        {"field": "rd_expense", "op": ">", "value": 2000000},
        {"field": "employees", "op": "<=", "value": 300},
    ]
    assert draft["reward"] == {"fixed": 100000}  # 不超过 of a condition does not make it up_to


def test_explicit_year_becomes_the_period() -> None:
    atoms = [_plain(a) for a in _atoms(_draft("申报门槛要求:2014年主营业务收入2000万元以上。")["conditions"])]
    assert atoms == [{"field": "main_revenue", "op": ">=", "value": 20000000, "period": {"year": 2014}}]


def test_lower_bound_excluded_upper_bound_is_two_atoms() -> None:
    atoms = [_plain(a) for a in _atoms(_draft(
        "对企业2019年工业产值在1亿元(含)以上、5亿元(不含)以下的予以奖励，按增量的1%给予奖励。"
    )["conditions"])]
    assert {"field": "output_value", "op": ">=", "value": 100000000, "period": {"year": 2019}} in atoms
    assert {"field": "output_value", "op": "<", "value": 500000000, "period": {"year": 2019}} in atoms


def test_ratios_become_fractions() -> None:
    atoms = [_plain(a) for a in _atoms(_draft(
        "对研发费用占营业收入比例不低于3%、营业收入增长超过15%的企业，给予10万元奖励。"
    )["conditions"])]
    assert {"field": "rd_ratio", "op": ">=", "value": 0.03} in atoms
    assert {"field": "revenue_growth", "op": ">", "value": 0.15} in atoms


def test_industry_words_become_gbt4754_codes() -> None:
    atoms = [_plain(a) for a in _atoms(_draft("对首次纳入规模以上工业统计的企业，给予20万元奖励。")["conditions"])]
    assert {"field": "industry", "op": "within", "value": "C"} in atoms
    assert {"field": "industry", "op": "within", "value": "B"} in atoms
    # becoming above-scale is an event for the reviewer (second set's convention), not `has`
    assert {"field": "qualifications", "op": "has", "value": "above_scale"} not in atoms
    retail = [_plain(a) for a in _atoms(_draft("对新达限的批发、零售企业，每户一次性奖励5万元。")["conditions"])]
    assert {"field": "industry", "op": "within", "value": "51"} in retail
    assert {"field": "industry", "op": "within", "value": "52"} in retail


def test_designations_become_qualification_codes_and_unknown_ones_are_proposed() -> None:
    draft = extract_clause("对获评的省、市级工业企业技术中心，分别给予每家最高20万元、10万元一次性资金补助。")
    values = {a["value"] for a in _atoms(to_json(draft.conditions)) if "value" in a}
    assert {"tech_center_prov", "tech_center_city"} <= values
    assert any(p["code"] == "tech_center_city" for p in draft.proposed_qualifications)


def test_first_recognition_keeps_a_check_next_to_the_designation() -> None:
    atoms = [_plain(a) for a in _atoms(_draft("对首次认定的国家高新技术企业，给予20万元奖励。")["conditions"])]
    assert {"field": "qualifications", "op": "has", "value": "hnte"} in atoms
    assert any("check" in a for a in atoms)


def test_regional_requirement_only_when_the_clause_states_it() -> None:
    stated = _draft("在本市商事登记的软件企业，按1%给予奖励。", region_code="350200")
    assert {"field": "region", "op": "within", "value": "350200"} in [_plain(a) for a in _atoms(stated["conditions"])]
    silent = _draft("对软件企业按1%给予奖励。", region_code="350200")
    assert all(a.get("field") != "region" for a in _atoms(silent["conditions"]))


def test_requirement_no_data_decides_is_a_check_in_the_policy_words() -> None:
    conditions = _draft("申报项目需列入2023年省重点技术改造项目名单。")["conditions"]
    assert "check" in conditions and "重点技术改造项目名单" in conditions["check"]


def test_scale_and_ownership_words() -> None:
    atoms = [_plain(a) for a in _atoms(_draft("对在皖新设外商投资企业的小微企业，给予5万元奖励。")["conditions"])]
    assert {"field": "scale", "op": "in", "value": ["small", "micro"]} in atoms
    assert {"field": "ownership", "op": "in", "value": ["foreign", "hmt"]} in atoms


# -- mode, spans, procedure ------------------------------------------------------------------


def test_mode_from_the_clause_or_inherited_from_the_procedure_section() -> None:
    assert _draft("采用非申即享方式，经公示后发放企业。")["mode"] == "免申即享"
    assert _draft("由企业提出申请，经市工信局审核。")["mode"] == "申报审核"
    inherited = _draft("对规上企业给予5万元奖励。", inherited_mode="免申即享")
    assert inherited["mode"] == "免申即享"
    assert _draft("对规上企业给予5万元奖励。")["mode"] is None


def test_spans_point_into_the_original_clause_text() -> None:
    text = "對年度營業收入2000萬元以上的企業，給予10萬元獎勵。"
    draft = extract_clause(text, context=ClauseContext(clause_id="第三条"))
    atom_spans = [s for s in draft.spans if s.element == "atom"]
    assert atom_spans and "2000萬元" in text[atom_spans[0].start:atom_spans[0].end]
    reward_spans = [s for s in draft.spans if s.element == "reward"]
    assert text[reward_spans[0].start:reward_spans[0].end] == "10萬元"
    ref = _atoms(to_json(draft.conditions))[0]["ref"]
    assert ref["clause"] == "第三条" and text[ref["start"]:ref["end"]].startswith("營業收入")


def test_procedure_details_window_materials_and_departments() -> None:
    draft = extract_clause(
        "申报时间:2025年3月1日至3月31日。申报材料:项目申请表、审计报告、营业执照。"
        "由县级工信部门初审，市工信局审核，市财政局拨付奖励资金。"
    )
    assert draft.window == {"from": "2025-03-01", "to": "2025-03-31"}
    assert draft.materials == ["项目申请表", "审计报告", "营业执照"]
    assert "市工信局" in draft.reviewing_departments
    assert draft.paying_department == "市财政局"


def test_money_values_are_exact_decimals_inside_the_draft() -> None:
    draft = extract_clause("按其投资额的1.5%给予补助，最高0.5亿元。")
    assert draft.reward is not None
    assert draft.reward["rate"] == Decimal("0.015")
    assert draft.reward["cap"] == Decimal("50000000")


def test_comparator_of_a_listed_head_covers_the_whole_list() -> None:
    draft = _draft("对年主营业务收入首次突破1亿元、5亿元、10亿元的工业企业，分别给予10万元、30万元、50万元奖励。")
    whens = [t["when"] for t in draft["reward"]["tiers"]]
    assert whens == [
        {"field": "main_revenue", "op": ">=", "value": 1000000000},
        {"field": "main_revenue", "op": ">=", "value": 500000000},
        {"always": True},
    ]


def test_levels_listed_with_their_amounts_become_designation_tiers() -> None:
    reward = _draft("对经认定的企业技术中心，分别给予国家级100万元、省级50万元的奖励。")["reward"]
    assert reward == {"tiers": [
        {"when": {"field": "qualifications", "op": "has", "value": "tech_center_nat"}, "then": {"fixed": 1000000}},
        {"when": {"field": "qualifications", "op": "has", "value": "tech_center_prov"}, "then": {"fixed": 500000}},
    ]}


def test_designation_outside_the_catalogue_gets_a_suggested_code() -> None:
    draft = extract_clause("对首次获评国家级绿色工厂的企业，给予一次性奖励50万元。")
    assert {"code": "green_factory_nat", "name": "国家级绿色工厂"} in draft.proposed_qualifications
    values = [a.get("value") for a in _atoms(to_json(draft.conditions))]
    assert "green_factory_nat" in values


def test_tax_credit_grade_and_years_since_establishment() -> None:
    atoms = [_plain(a) for a in _atoms(_draft(
        "对成立3年以上、纳税信用等级为A级的企业，给予5万元奖励。")["conditions"])]
    assert {"field": "established_years", "op": ">=", "value": 3} in atoms
    assert {"field": "tax_credit_rating", "op": "==", "value": "A"} in atoms


def test_amount_per_person_is_per_unit_not_fixed() -> None:
    reward = _draft("企业新招用就业困难人员的，按每人每年2000元标准给予补贴。")["reward"]
    assert reward["per_unit"] == 2000


def test_topic_heading_or_duty_of_an_agency_is_not_a_benefit() -> None:
    assert _draft("(五)回归担保主业。各级政府性融资担保机构要坚守主业，不断扩大业务规模。")["reward"] is None
    assert _draft("(二)本办法由区经济发展局负责具体解释工作。")["reward"] is None


def test_loan_amount_is_a_non_monetary_benefit_not_money() -> None:
    reward = _draft("符合条件的人员自主创业的，可申请最高不超过15万元的创业担保贷款。")["reward"]
    assert list(reward) == ["none"] and "创业担保贷款" in reward["none"]
