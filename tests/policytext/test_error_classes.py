"""Regression tests per error class of issue 15, written from generic patterns of Chinese policy
text (not from the dev-set sentences): ladders, 分别 lists, rates and unit amounts, budgets,
growth/ratio/negative conditions, becoming-events, headings and procedure sentences,
Traditional characters and PDF line breaks, and the declared-figure vocabulary."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from policytext.extract import ClauseContext, extract_clause, to_json
from rules.fields import DECLARED_FIGURES, declared_figure, get_field


def _draft(text: str, **ctx: Any) -> dict[str, Any]:
    return to_json(extract_clause(text, context=ClauseContext(**ctx)).as_json())


def _atoms(node: Any) -> list[dict[str, Any]]:
    if not isinstance(node, dict):
        return []
    if "all" in node or "any" in node:
        return [a for c in node.get("all") or node.get("any") or [] for a in _atoms(c)]
    if "not" in node:
        return _atoms(node["not"])
    return [node] if ("field" in node or "check" in node) else []


def _amounts(node: Any) -> set[Decimal]:
    found: set[Decimal] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "when":
                continue
            if key in ("fixed", "up_to", "per_unit", "rate", "cap") and isinstance(value, (int, float)):
                found.add(Decimal(str(value)))
            else:
                found |= _amounts(value)
    elif isinstance(node, list):
        for value in node:
            found |= _amounts(value)
    return found


def _sums_alternatives(reward: Any, alternatives: set[Decimal]) -> bool:
    """Whether some `sum` adds two parts that each carry one of the alternative amounts."""
    if isinstance(reward, dict):
        if "sum" in reward:
            carrying = [p for p in reward["sum"] if _amounts(p) & alternatives]
            if len(carrying) >= 2:
                return True
        return any(_sums_alternatives(v, alternatives) for v in reward.values())
    if isinstance(reward, list):
        return any(_sums_alternatives(v, alternatives) for v in reward)
    return False


# --- no drafted reward ever sums amounts the text gives as alternatives (one case per pattern)

ALTERNATIVES = [
    pytest.param("对年产值首次达到5亿元、10亿元、20亿元的企业，分别给予20万元、50万元、100万元奖励。",
                 {200000, 500000, 1000000}, id="分别 after a list of thresholds"),
    pytest.param("对新认定的国家级、省级绿色工厂，分别给予100万元、50万元奖励。",
                 {1000000, 500000}, id="分别 after a list of levels"),
    pytest.param("对首次认定的高新技术企业和重新认定的高新技术企业，分别给予30万元、10万元奖励。",
                 {300000, 100000}, id="分别 after two cases of one designation"),
    pytest.param("年营业收入首次超过1亿元的，给予10万元奖励；年营业收入首次超过5亿元的，给予30万元奖励；"
                 "年营业收入首次超过10亿元的，给予50万元奖励。",
                 {100000, 300000, 500000}, id="bands in separate sentences"),
    pytest.param("对年纳税额首次超过1000万元不足5000万元的企业，给予最高20万元奖励，首次超过5000万元的给予最高60万元奖励。",
                 {200000, 600000}, id="two bands inside one sentence"),
    pytest.param("对年销售收入达到1亿元、3亿元、5亿元以上的企业，按其销售收入的0.1%、0.2%、0.3%给予奖励。",
                 {Decimal("0.001"), Decimal("0.002"), Decimal("0.003")}, id="parallel lists of thresholds and rates"),
    pytest.param("批发企业销售额增量达到300万元的，给予1万元奖励；销售额增量达到800万元的，给予2万元奖励。",
                 {10000, 20000}, id="bands of a declared figure the vocabulary does not name"),
    pytest.param("对获得省级以上称号的企业给予奖励，其中获省级称号的奖励10万元，获国家级称号的奖励30万元。",
                 {100000, 300000}, id="cases of one sentence told apart by level"),
    pytest.param("按设备投资额给予补助，其中重点产业补助10%、一般产业补助5%，单个项目最高分别为300万元、100万元。",
                 {Decimal("0.1"), Decimal("0.05")}, id="rates listed with their own caps"),
    pytest.param("按合同金额给予10%的补助，示范车间补助最高不超过200万元，示范工厂补助最高不超过800万元。",
                 {2000000, 8000000}, id="one rate with a cap per case"),
    pytest.param("对新增规上企业给予5万元至10万元奖励。", {50000, 100000}, id="an amount range"),
    pytest.param("在省级对新达限的批发、零售、餐饮企业每户奖励5万元的基础上，县级对新增的限额以上批发业企业，每户奖励10万元；"
                 "新增的限额以上零售业、餐饮业企业，每户奖励3万元。",
                 {100000, 30000}, id="industries of each case after the level above's reward"),
    pytest.param("对年度纳税总额进入全县前30名的企业给予奖励，其中第1—10名各奖励10万元，11—30名各奖励5万元。",
                 {100000, 50000}, id="bands of rank"),
    pytest.param("对储能项目，按照项目投资额的5%给予补助，投资额1亿元以上的按8%给予补助，最高不超过1000万元。",
                 {Decimal("0.05"), Decimal("0.08")}, id="a bigger case restating the rate in the same sentence"),
    pytest.param("按设备投资额的10%给予奖励，其中开展绿色改造的项目，奖励比例提高到12%。",
                 {Decimal("0.1"), Decimal("0.12")}, id="a special group whose rate is raised"),
    pytest.param("按设备投资额的10%给予奖励，其中开展绿色改造的项目，按设备投资额的12%给予奖励。",
                 {Decimal("0.1"), Decimal("0.12")}, id="a special group introduced by 其中 restating the rate"),
    pytest.param("对认定为国家级专精特新“小巨人”企业的，给予一次性奖励50万元；对认定为省级专精特新企业的，"
                 "给予一次性奖励20万元。", {500000, 200000}, id="levels told apart one sentence each"),
    pytest.param("对获得国家级绿色工厂的企业奖励50万元。获得省级绿色工厂的企业奖励20万元。",
                 {500000, 200000}, id="levels told apart across a full stop"),
]


@pytest.mark.parametrize(("text", "alternatives"), ALTERNATIVES)
def test_no_drafted_reward_sums_amounts_the_text_gives_as_alternatives(text: str, alternatives: set[Any]) -> None:
    reward = _draft(text)["reward"]
    assert reward is not None
    wanted = {Decimal(str(a)) for a in alternatives}
    assert not _sums_alternatives(reward, wanted), reward
    if "至" not in text:  # every alternative is kept as a case of its own (a range keeps its top)
        assert _amounts(reward) >= wanted, reward
    else:
        assert reward == {"up_to": max(alternatives)}


@pytest.mark.parametrize("text", [
    "对首次纳入规上库的工业企业给予10万元奖励，服务业企业给予5万元奖励。",
    "对首次认定的高新技术企业给予20万元奖励，对重新认定的给予10万元奖励。",
])
def test_cases_of_one_sentence_each_pay_only_under_their_own_condition(text: str) -> None:
    reward = _draft(text)["reward"]
    assert "sum" in reward, reward
    for part in reward["sum"]:
        assert "tiers" in part and all(t["when"] != {"always": True} for t in part["tiers"]), part


def test_a_second_case_naming_a_quoted_list_with_digits_keeps_its_own_amount() -> None:
    reward = _draft("首次入选“中国500强”企业奖励100万元，首次入选“中国民营500强”企业奖励50万元。")["reward"]
    assert _amounts(reward) == {Decimal(1000000), Decimal(500000)}, reward


def test_a_level_named_after_a_comma_is_an_alternative_case() -> None:
    reward = _draft("对新获批的省级企业技术中心给予30万元奖励，国家级给予100万元奖励。")["reward"]
    assert [t["then"] for t in reward["tiers"]] == [{"fixed": 1000000}, {"fixed": 300000}]
    assert reward["tiers"][0]["when"] == {"check": "国家级"}


def test_amounts_a_clause_says_add_up_stay_a_sum() -> None:
    text = ("对首次纳入规上库的企业给予10万元奖励；对当年营业收入增长20%以上的，再给予5万元奖励。")
    reward = _draft(text)["reward"]
    assert "sum" in reward and _amounts(reward) >= {Decimal(100000), Decimal(50000)}


@pytest.mark.parametrize("text", [
    "批发业企业年内新增纳统的，每户奖励10万元；零售业、住宿业、餐饮业企业年内新增纳统的，每户奖励5万元。",
    "对年内首次入库的软件企业给予20万元奖励；对年内首次入库的批发业企业给予10万元奖励。",
])
def test_cases_told_apart_by_industry_are_alternatives_not_a_sum(text: str) -> None:
    # an enterprise has one industry, so only one case can pay it
    reward = _draft(text)["reward"]
    assert "tiers" in reward and len(reward["tiers"]) == 2, reward
    assert all(t["when"] != {"always": True} for t in reward["tiers"]), reward


@pytest.mark.parametrize("text", [
    "对新认定的高新技术企业给予10万元奖励；其中，对上一年度营业收入1亿元以上的，叠加后给予30万元奖励。",
    "对新引进的外资项目按实到外资给予最高300万元奖励；属于先进制造业项目的，奖励上限提高至500万元。",
])
def test_a_special_group_restating_the_benefit_is_a_higher_tier_over_the_general_one(text: str) -> None:
    reward = _draft(text)["reward"]
    assert "tiers" in reward, reward
    assert reward["tiers"][-1]["when"] == {"always": True}, reward
    assert not _sums_alternatives(reward, _amounts(reward)), reward


def test_the_words_of_a_special_group_are_its_tier_condition_not_the_clause_condition() -> None:
    text = "对新认定的高新技术企业给予10万元奖励；其中，对上一年度营业收入1亿元以上的，叠加后给予30万元奖励。"
    draft = _draft(text)
    assert {"field": "revenue", "op": ">=", "value": 100000000} not in _atoms(draft["conditions"])
    assert draft["reward"]["tiers"][0]["when"]["field"] == "revenue"


def test_a_bigger_project_gets_the_bigger_amount_instead_of_both() -> None:
    text = ("对企业技术改造项目，按一年期贷款市场报价利率给予12个月贴息，最高不超过800万元；"
            "对技术改造投资额达到2亿元以上的项目，给予24个月贴息，最高不超过2500万元。")
    reward = _draft(text)["reward"]
    assert [t["then"] for t in reward["tiers"]] == [{"up_to": 25000000}, {"up_to": 8000000}], reward
    assert reward["tiers"][0]["when"]["op"] == ">=" and reward["tiers"][1]["when"] == {"always": True}


def test_a_first_event_reward_and_a_growth_reward_stay_two_benefits() -> None:
    # the general case is an event (新达限): a separate benefit, not the bottom of a ladder
    text = "对新达限的批发企业每户奖励5万元；对销售额增长20%以上的批发企业，每户奖励10万元。"
    reward = _draft(text)["reward"]
    assert "sum" in reward, reward


def test_a_funding_share_between_governments_and_a_delegation_are_no_benefit() -> None:
    text = ("对技术改造项目给予贴息，最高不超过800万元。对未纳入统计范围的技术改造项目，由各市(地)研究政策给予支持。"
            "省级财政负担支持资金的60%，市级财政负担40%。")
    assert _draft(text)["reward"] == {"up_to": 8000000}


def test_a_second_case_after_a_comma_keeps_its_own_amount() -> None:
    # ……的企业给予X，对……的企业给予Y: Y was dropped when 的 was followed by 企业
    text = "对首次入选中国500强的企业给予1000万元奖励，对首次入选世界500强的企业给予2000万元奖励。"
    assert _amounts(_draft(text)["reward"]) >= {Decimal(10000000), Decimal(20000000)}


def test_a_growth_to_reach_is_not_a_share_paid_out() -> None:
    text = "对营业收入连续两年达到10亿元且实现至少同比增长20%的，按其营业收入净增额的1%给予奖励，最高不超过500万元。"
    reward = _draft(text)["reward"]
    assert Decimal("0.2") not in _amounts(reward), reward
    assert reward["rate"] == Decimal("0.01") or reward["rate"] == 0.01, reward


def test_cases_for_different_kinds_of_body_are_alternatives() -> None:
    text = ("对事业单位牵头建设的国家重点实验室，每年给予1000万元科研经费补助；"
            "对企业牵头建设的国家重点实验室，给予最高500万元科研经费补助。")
    reward = _draft(text)["reward"]
    assert "tiers" in reward and not _sums_alternatives(reward, {Decimal(10000000), Decimal(5000000)}), reward
    # the public institution's tier says who it is for, so an enterprise never reads it as its own
    assert any("事业单位" in a.get("check", "") for a in _atoms(reward["tiers"][0]["when"])), reward


def test_a_national_level_paid_double_is_a_higher_tier_of_each_listed_case() -> None:
    text = "对列入省级绿色工厂、绿色设计产品名单的，分别给予50万元、15万元奖励，列入国家级的加倍奖励。"
    reward = _draft(text)["reward"]
    assert "sum" in reward and len(reward["sum"]) == 2, reward
    factory, product = reward["sum"]
    assert [t["then"] for t in factory["tiers"]] == [{"fixed": 1000000}, {"fixed": 500000}], reward
    assert [t["then"] for t in product["tiers"]] == [{"fixed": 300000}, {"fixed": 150000}], reward
    # the doubled tier names the national level, the plain one the provincial level
    assert "国家级" in product["tiers"][0]["when"]["check"] and "省级" in product["tiers"][1]["when"]["check"]
    assert not _sums_alternatives(reward, {Decimal(1000000), Decimal(500000)})


# --- ladders: each band a tier with both bounds and its own amount


def test_a_ladder_of_bands_gives_tiers_each_with_both_bounds_and_companion_ratio() -> None:
    text = ("对研发费用在500万元(含)至1000万元之间且研发投入占营业收入比例达到3%以上的企业，给予20万元奖励；"
            "研发费用在1000万元(含)至3000万元之间且研发投入占营业收入比例达到4%以上的企业，给予50万元奖励；"
            "研发费用3000万元以上且研发投入占营业收入比例达到5%以上的企业，给予100万元奖励。")
    draft = _draft(text)
    tiers = draft["reward"]["tiers"]
    assert [t["then"] for t in tiers] == [{"fixed": 1000000}, {"fixed": 500000}, {"fixed": 200000}]
    middle = _atoms(tiers[1]["when"])
    assert {"field": "rd_expense", "op": ">=", "value": 10000000} in middle
    assert {"field": "rd_expense", "op": "<", "value": 30000000} in middle
    assert {"field": "rd_ratio", "op": ">=", "value": 0.04} in middle
    # the clause's own condition is the lowest band, with no upper bound the top band contradicts
    clause = _atoms(draft["conditions"])
    assert {"field": "rd_expense", "op": ">=", "value": 5000000} in clause
    assert not [a for a in clause if a.get("field") == "rd_expense" and a["op"] in ("<", "<=")]


def test_the_next_rung_naming_only_a_comparator_measures_what_the_rung_before_measured() -> None:
    # 首次超过5000万元的 names no measure: it is the next rung of 年纳税额, after the first rung's reward words
    reward = _draft("对年纳税额首次超过1000万元不足5000万元的企业，给予最高20万元奖励，"
                    "首次超过5000万元的给予最高60万元奖励。")["reward"]
    assert reward["tiers"][0] == {"when": {"field": "tax_paid", "op": ">", "value": 50000000},
                                  "then": {"up_to": 600000}}
    assert {"field": "tax_paid", "op": "<", "value": 50000000} in _atoms(reward["tiers"][1]["when"])


def test_a_band_between_two_bounds_then_an_elided_next_band_gives_tiers_with_both_measures() -> None:
    # 在A至B (no 之间) before 且 is a band, not an amount range; the next band names neither measure
    draft = _draft("对年度研发费用在500万元至1000万元且研发费用占营业收入比例3%以上的企业给予10万元奖励，"
                   "1000万元以上且占比4%以上的给予20万元奖励。")
    tiers = draft["reward"]["tiers"]
    assert tiers[0] == {"when": {"all": [{"field": "rd_expense", "op": ">=", "value": 10000000},
                                         {"field": "rd_ratio", "op": ">=", "value": 0.04}]},
                        "then": {"fixed": 200000}}
    assert {"field": "rd_expense", "op": "<", "value": 10000000} in _atoms(tiers[1]["when"])
    assert _atoms(draft["conditions"]) == [{"field": "rd_expense", "op": ">=", "value": 5000000},
                                           {"field": "rd_ratio", "op": ">=", "value": 0.03}]


def test_an_amount_range_given_by_the_reward_words_is_still_an_amount() -> None:
    assert _draft("对新认定的企业奖励3万元至5万元。")["reward"] == {"up_to": 50000}


def test_rungs_worded_first_breaking_through_a_figure_measure_the_first_rungs_field() -> None:
    reward = _draft("年销售额首次突破1亿元的奖励10万元，首次突破5亿元的奖励30万元，首次突破10亿元的奖励50万元。")["reward"]
    assert [t["when"] for t in reward["tiers"]] == [
        {"field": "revenue", "op": ">=", "value": 1000000000}, {"field": "revenue", "op": ">=", "value": 500000000},
        {"field": "revenue", "op": ">=", "value": 100000000}]


def test_the_upper_end_of_a_band_after_an_inclusive_lower_end_is_a_bound_not_the_money() -> None:
    reward = _draft("对投资额在5000万元（含）至1亿元的项目，奖励50万元；投资额在1亿元（含）至5亿元的项目，奖励100万元；"
                    "投资额在5亿元（含）以上的项目，奖励200万元。")["reward"]
    assert [t["then"] for t in reward["tiers"]] == [{"fixed": 2000000}, {"fixed": 1000000}, {"fixed": 500000}]
    assert {"field": "input.project_investment", "op": "<", "value": 500000000} in _atoms(reward["tiers"][1]["when"])


def test_a_restated_rate_is_a_tier_over_the_general_rate_with_the_base_and_cap_they_share() -> None:
    reward = _draft("对储能项目，按照项目投资额的5%给予补助，投资额1亿元以上的按8%给予补助，最高不超过1000万元。")["reward"]
    assert reward == {"tiers": [
        {"when": {"field": "input.project_investment", "op": ">=", "value": 100000000},
         "then": {"rate": 0.08, "base": {"input": "project_investment"}, "cap": 10000000}},
        {"when": {"always": True}, "then": {"rate": 0.05, "base": {"input": "project_investment"}, "cap": 10000000}}]}


def test_a_bare_an_before_a_rate_keeps_the_base_named_before() -> None:
    reward = _draft("对设备投资额在500万元以上的，按设备投资额的10%给予补助；对设备投资额在2000万元以上的，按12%给予补助。")["reward"]
    assert [t["then"]["base"] for t in reward["tiers"]] == [{"input": "equipment_investment"}] * 2


def test_levels_listed_before_respectively_pair_with_the_amounts_in_order() -> None:
    reward = _draft("对新认定的国家级、省级绿色工厂，分别给予100万元、50万元奖励。")["reward"]
    assert reward["tiers"][0] == {"when": {"field": "qualifications", "op": "has", "value": "green_factory_nat"},
                                  "then": {"fixed": 1000000}}
    assert reward["tiers"][1]["when"] == {"field": "qualifications", "op": "has", "value": "green_factory_prov"}


def _codes(node: Any) -> set[str]:
    return {a["value"] for a in _atoms(node) if a.get("field") == "qualifications"}


def test_a_level_before_a_list_of_designations_covers_every_item() -> None:
    draft = _draft("对首次入选省独角兽企业、潜在独角兽、瞪羚企业的，分别奖励200万元、100万元、50万元。")
    assert _codes(draft["conditions"]) == {"unicorn_prov", "potential_unicorn_prov", "gazelle_prov"}
    assert [t["when"]["value"] for t in draft["reward"]["tiers"]] == [
        "unicorn_prov", "potential_unicorn_prov", "gazelle_prov"]


def test_names_inside_a_han_parenthesis_are_members_of_the_group_not_designations() -> None:
    codes = _codes(_draft("对新获批国家级标杆企业(含国家智能制造示范工厂、5G工厂)的，给予100万元奖励。")["conditions"])
    assert codes == {"smart_mfg_benchmark_nat"}


# --- rates and unit amounts are never read as caps


@pytest.mark.parametrize("text", [
    "对入选灯塔工厂的企业，予以不超过200万元的奖励。",
    "对新获批省级智能制造示范工厂的企业，予以不超过100万元的一次性补助。",
])
def test_money_given_at_most_by_yu_yi_is_the_reward_not_a_bound_on_a_measure(text: str) -> None:
    draft = _draft(text)
    assert "up_to" in draft["reward"], draft
    assert not [a for a in _atoms(draft["conditions"]) if a.get("op") == "<="], draft


def test_an_amount_per_unit_after_a_slash_is_a_per_unit_reward_but_per_enterprise_stays_fixed() -> None:
    reward = _draft("对储能项目按放电量给予0.2元/千瓦时补贴，单个项目每年最高300万元。")["reward"]
    assert reward == {"per_unit": 0.2, "base": {"input": "kwh_count"}, "cap": 3000000}
    assert _draft("对新增规上企业奖励20万元/户。")["reward"] == {"fixed": 200000}


def test_an_amount_per_square_metre_is_a_per_unit_reward_not_a_fixed_sum() -> None:
    reward = _draft("对新建标准厂房的，补助标准为每平方米100元，单个项目最高200万元。")["reward"]
    assert reward["per_unit"] == 100 and reward["cap"] == 2000000, reward


def test_a_rate_with_a_per_enterprise_ceiling_stays_a_rate_with_its_base_and_cap() -> None:
    reward = _draft("按企业上年度研发费用的10%给予奖励，单家封顶200万元。")["reward"]
    assert reward == {"rate": 0.1, "base": {"field": "rd_expense"}, "cap": 2000000}


def test_a_rate_stated_as_an_upper_end_is_the_rate_not_a_threshold() -> None:
    reward = _draft("对企业购置设备的，给予设备投资不超过10%的补助，最高不超过500万元。")["reward"]
    assert reward == {"rate": 0.1, "base": {"input": "equipment_investment"}, "cap": 5000000}


def test_each_increase_of_a_unit_is_a_per_unit_reward_with_its_unit_size() -> None:
    reward = _draft("对年营业收入比上年每增加1000万元奖励1万元(不足部分不计)，最高不超过50万元。")["reward"]
    assert reward["per_unit"] == 10000 and reward["cap"] == 500000
    assert "1000" in reward["base"]["input"]  # the unit size is part of the declared count


def test_an_amount_per_product_is_a_per_unit_reward_on_a_known_declared_count() -> None:
    reward = _draft("对获得首台套认定的产品，按每个产品最高50万元给予奖励。")["reward"]
    assert reward == {"per_unit": 500000, "base": {"input": "products_count"}}
    assert "products_count" in DECLARED_FIGURES


def test_a_payment_later_share_of_the_reward_is_not_a_second_rate() -> None:
    reward = _draft("按设备投资额的10%给予最高200万元补贴，其中奖补资金50%待项目竣工后兑现。")["reward"]
    assert reward == {"rate": 0.1, "base": {"input": "equipment_investment"}, "cap": 2000000}


# --- a programme's total budget is never the per-enterprise cap


def test_a_programme_budget_is_not_read_as_the_enterprise_cap() -> None:
    text = "本条款资金总额2000万元，对符合条件的企业按设备投资额的8%给予补助。"
    reward = _draft(text)["reward"]
    assert reward == {"rate": 0.08, "base": {"input": "equipment_investment"}}
    assert 20000000 not in _amounts(reward)


def test_a_programme_budget_is_not_money_given_to_one_enterprise() -> None:
    reward = _draft("本条款资金总额2000万元，对获评企业给予奖励。")["reward"]
    assert not _amounts(reward), reward


# --- growth, ratio and negative conditions


def test_a_fund_sized_as_a_share_of_revenue_is_no_rate_and_whom_it_is_for_no_condition() -> None:
    draft = _draft("区政府按今年全区财政收入的2%安排财源建设基金,专项用于对全区经济发展的奖励。")
    assert draft["reward"] is None and draft["conditions"] is None, draft
    draft = _draft("区财政设立2000万元的专项基金,用于鼓励工业企业结构调整和转型升级。")
    assert draft["reward"] is None and draft["conditions"] is None, draft


def test_positive_average_growth_over_years_ratio_and_zero_exclusion_are_conditions() -> None:
    text = ("对近三年营业收入年均增长率为正且研发投入占营业收入比例不低于3%的企业，给予10万元奖励。"
            "研发费用为零的企业不得享受本条政策。")
    atoms = _atoms(_draft(text)["conditions"])
    assert {"field": "input.average_revenue_growth", "op": ">", "value": 0} in atoms
    assert {"field": "rd_ratio", "op": ">=", "value": 0.03} in atoms
    assert {"field": "rd_expense", "op": ">", "value": 0} in atoms


def test_the_growth_of_a_declared_figure_is_a_growth_of_that_figure() -> None:
    atoms = _atoms(_draft("对当年实现区内财政收入500万元以上、增幅达到20%以上的二产企业,奖励10万元。")["conditions"])
    assert {"field": "input.fiscal_contribution", "op": ">=", "value": 5000000} in atoms
    assert {"field": "input.fiscal_contribution_growth", "op": ">=", "value": 0.2} in atoms
    assert {a["value"] for a in atoms if a.get("field") == "industry"} == {"B", "C", "D", "E"}


def test_revenue_growth_stated_as_positive_is_a_growth_condition() -> None:
    atoms = _atoms(_draft("对上年度营业收入保持正增长的企业，给予5万元奖励。")["conditions"])
    assert {"field": "revenue_growth", "op": ">", "value": 0} in atoms


def test_a_figure_after_a_measure_of_its_own_does_not_inherit_the_earlier_field() -> None:
    text = "企业当年度营业收入2亿元以上，且营业收入实现正增长，企业经济贡献400万元以上。"
    atoms = _atoms(_draft(text)["conditions"])
    assert {"field": "revenue", "op": ">=", "value": 4000000} not in atoms, atoms
    assert {"field": "input.economic_contribution", "op": ">=", "value": 4000000} in atoms, atoms
    # 当年度 in an award clause is the year assessed: the default period, not this_year
    assert {"field": "revenue", "op": ">=", "value": 200000000} in atoms, atoms
    # a measure the vocabulary does not know is still not the revenue
    unknown = _atoms(_draft("企业营业收入2亿元以上，企业社会贡献值400万元以上。")["conditions"])
    assert not any(a.get("field") == "revenue" and a.get("value") == 4000000 for a in unknown), unknown


def test_the_filler_words_around_a_drafted_measure_are_no_check_of_their_own() -> None:
    conditions = _draft("对上年度实际缴纳入库税收总额达到500万元以上的企业，给予10万元奖励。")["conditions"]
    assert conditions == {"field": "tax_paid", "op": ">=", "value": 5000000}


# --- becoming something is an event to check, not a held designation


@pytest.mark.parametrize("text", [
    "对首次纳入规上库的工业企业，给予10万元奖励。",
    "对新增规上企业给予5万元奖励。",
    "对个体工商户转为法人企业的，给予每户1万元奖励。",
    "对新“升规”入库规模以上工业企业，区级一次性奖励20万元/户。",
    "对新增入统规模以上制造业企业每户给予50万元奖励。",
    "对首次纳入规模以上工业统计的企业，给予20万元奖励。",
    "对新纳入规模以上统计的服务业企业，给予5万元奖励。",
    "对首次入库的规上工业企业，奖励10万元。",
])
def test_becoming_is_an_event_to_check_not_has_above_scale(text: str) -> None:
    atoms = _atoms(_draft(text)["conditions"])
    assert {"field": "qualifications", "op": "has", "value": "above_scale"} not in atoms
    assert any("check" in a for a in atoms)


@pytest.mark.parametrize(("text", "who"), [
    ("对新引进的批发企业，年主营业务收入首次达到10亿元及以上的，给予50万元奖励。", "新引进的批发企业"),
    ("对存量商贸批发类企业，年销售收入首次突破5亿元的，给予20万元奖励。", "存量商贸批发类企业"),
])
def test_who_the_enterprise_is_and_what_it_just_became_are_checked_apart(text: str, who: str) -> None:
    checks = [a["check"] for a in _atoms(_draft(text)["conditions"]) if "check" in a]
    assert who in checks, checks
    assert any("首次" in c and who not in c for c in checks), checks


def test_a_becoming_event_without_dui_still_drafts_its_condition() -> None:
    # no 对……的 subject: the words before the benefit verb still name the event
    atoms = _atoms(_draft("企业经营规模首次达到限额以上标准实现纳统的，给予一次性资金奖励3万元。")["conditions"])
    assert any("check" in a and "首次" in a["check"] for a in atoms), atoms


# --- headings, purpose and procedure sentences give no conditions


@pytest.mark.parametrize("text", [
    "第一条 为深入贯彻落实省委省政府决策部署，结合本市实际，制定本办法。",
    "(五)审核方式。本办法资金实行网上申报，分级审核，会商确认，适时兑现。",
    "3.建立工业企业诉求收集机制，第一时间定向推送政策至规模以上工业企业。",
])
def test_purpose_and_procedure_sentences_draft_no_condition(text: str) -> None:
    assert _draft(text)["conditions"] is None


# --- Traditional characters and PDF line breaks inside figures


def test_traditional_text_with_a_line_break_between_number_and_unit_reads_the_amount() -> None:
    draft = _draft("對年營業收入首次突破1億元的企業,給予10萬\n元獎勵。")
    assert draft["reward"] == {"fixed": 100000}
    assert {"field": "revenue", "op": ">=", "value": 100000000} in _atoms(draft["conditions"])


def test_a_line_break_inside_a_number_is_joined_but_not_one_before_a_numbered_line() -> None:
    assert _draft("对设备投资5\n00万元以上的项目，给予20万元奖励。")["conditions"] == {
        "field": "input.equipment_investment", "op": ">=", "value": 5000000}
    from policytext.normalize import normalize
    assert normalize("共100\n2.其他")[0] == "共100\n2.其他"


def test_a_line_break_inside_a_word_is_joined_but_not_a_blank_line_or_a_numbered_line() -> None:
    assert {"field": "input.equipment_investment", "op": ">=", "value": 5000000} in _atoms(
        _draft("企业一年内生产性设\n备投资500万元以上的技改项目，给予20万元奖励。")["conditions"])
    from policytext.normalize import normalize
    assert normalize("支持标准\n\n企业", join_words=True)[0] == "支持标准\n\n企业"
    assert normalize("奖励办法\n二、申报程序", join_words=True)[0] == "奖励办法\n二、申报程序"
    assert normalize("关于印发\n若干措施", join_words=True)[0] == "关于印发若干措施"
    assert normalize("关于印发\n若干措施")[0] == "关于印发\n若干措施"  # a document keeps its lines
    # a clause the document reader already normalised is joined too
    assert {"field": "input.equipment_investment", "op": ">=", "value": 5000000} in _atoms(
        _draft("企业一年内生产性设\n备投资500万元以上的技改项目，给予20万元奖励。", normalized=True)["conditions"])


@pytest.mark.parametrize("text", [
    "对企业申报并获批的区域商标给予一次性补助5万元。",
    "支持企业申报“中国消费名品”等国家级知名品牌称号，对成功获评的企业给予一次性补助20万元。",
    "企业按时完成统计数据申报的，给予1万元奖励。",
])
def test_applying_for_a_title_or_trademark_or_filing_statistics_is_not_the_benefit_s_mode(text: str) -> None:
    assert _draft(text)["mode"] is None


def test_applying_for_the_benefit_is_still_reviewed() -> None:
    assert _draft("企业申报奖励的，经区工信局审核后给予10万元奖励。")["mode"] == "申报审核"


def test_priority_support_in_land_power_or_financing_is_a_benefit_without_money() -> None:
    reward = _draft("对符合条件的企业，在用地、用电、融资等方面给予优先支持。")["reward"]
    assert reward is not None and set(reward) == {"none"}, reward


# --- the declared-figure vocabulary and what the extractor cannot model


def test_every_declared_figure_has_a_snake_case_name_a_chinese_label_and_a_unit() -> None:
    for name, fig in DECLARED_FIGURES.items():
        assert name.isascii() and name == name.lower() and " " not in name
        assert fig.label and not fig.label.isascii() and fig.unit
        field = get_field("input." + name)
        assert field is not None and field.label == fig.label


def test_per_unit_counts_are_a_known_family_with_a_label_built_from_the_name() -> None:
    fig = declared_figure("new_full_1000_10k_yuan_units")
    assert fig is not None and fig.label == "新增数中每满1000万元的份数（不足部分不计）"
    assert get_field("input.new_persons_count").label == "新增人数"  # type: ignore[union-attr]
    assert declared_figure("q3_mystery_figure") is None


def test_a_base_outside_the_vocabulary_is_flagged_for_the_officer() -> None:
    draft = extract_clause("对企业按其新增量的5%给予奖励。")
    assert draft.unknown_inputs == ["declared_amount"]
    reward = next(d for d in draft.doubts if d.path == "reward")
    assert reward.confidence < 0.6 and reward.reasons
    known = extract_clause("按设备投资额的10%给予补助。")
    assert known.unknown_inputs == [] and known.confidence >= 0.6


@pytest.mark.parametrize("text", ["对特别重大的项目，实行一事一议。",
                                  "根据企业综合发展指数排名，对前十名企业给予奖励。"])
def test_a_benefit_the_language_cannot_model_says_so_and_invents_no_money(text: str) -> None:
    draft = extract_clause(text)
    assert draft.unmodelled and "无法计算" in draft.unmodelled
    assert not _amounts(to_json(draft.reward))
    assert draft.confidence < 0.6


# --- second round (ext2): classes found on clauses of documents no set had shown

@pytest.mark.parametrize("text", [
    "按照项目设备购置额的10%给予补助，单个项目最高可达300万元。",
    "按产品售价的20%给予补助，合计最高可达200万元。",
])
def test_a_ceiling_worded_zui_gao_ke_da_is_the_cap_of_the_rate_not_a_threshold(text: str) -> None:
    reward = _draft(text)["reward"]
    assert "rate" in reward and Decimal(str(reward.get("cap"))) in (Decimal(3000000), Decimal(2000000))


@pytest.mark.parametrize("text", [
    "中小微企业按其上年度实际缴纳失业保险费的50%返还，大型企业按20%返还。",
    "大型企业按上年度实际缴纳失业保险费的20%返还，小微企业按50%返还。",
])
def test_rates_named_per_enterprise_size_are_alternatives_with_the_size_in_each_tier(text: str) -> None:
    draft = _draft(text)
    reward = draft["reward"]
    assert not _sums_alternatives(reward, {Decimal("0.5"), Decimal("0.2")})
    assert "tiers" in reward and [t["then"]["rate"] for t in reward["tiers"]] == [0.5, 0.2]
    assert all(t["when"].get("field") == "scale" for t in reward["tiers"])
    assert reward["tiers"][0]["then"]["base"] == {"input": "unemployment_insurance_premium_paid_last_year"}
    assert not any(a.get("field") == "scale" for a in _atoms(draft["conditions"]))


def test_a_rate_raised_from_one_value_to_another_pays_only_the_new_value() -> None:
    reward = _draft("大型企业返还比例从30%提至50%，中小微企业返还比例从60%提至90%。")["reward"]
    assert _amounts(reward) == {Decimal("0.9"), Decimal("0.5")}


def test_a_ratio_to_stay_under_is_no_rate_paid_out() -> None:
    reward = _draft("裁员率不高于参保职工总数20%的企业，可以享受稳岗返还，按上年度实际缴纳失业保险费的60%返还。")["reward"]
    assert _amounts(reward) == {Decimal("0.6")}


def test_amounts_named_per_enterprise_size_in_separate_cases_are_alternatives() -> None:
    reward = _draft("对中小微企业给予5万元奖励；对大型企业给予10万元奖励。")["reward"]
    assert not _sums_alternatives(reward, {Decimal(50000), Decimal(100000)})
    assert "tiers" in reward and all(t["when"].get("field") == "scale" for t in reward["tiers"])


@pytest.mark.parametrize(("text", "alternatives"), [
    ("对新认定的国家级、省级企业技术中心一次性给予50万元、20万元奖励。", {500000, 200000}),
    ("对获评省级和市级质量标杆企业一次性给予10万元、5万元奖励。", {100000, 50000}),
])
def test_a_list_of_amounts_pairs_with_the_listed_cases_even_without_fenbie(text: str, alternatives: set[int]) -> None:
    reward = _draft(text)["reward"]
    assert "tiers" in reward and _amounts(reward) == {Decimal(a) for a in alternatives}
    assert not _sums_alternatives(reward, {Decimal(a) for a in alternatives})


@pytest.mark.parametrize("text", [
    "对招用离校两年内未就业高校毕业生的企业，按每招用1人不超过1500元的标准给予一次性扩岗补助。",
    "企业接收高校毕业生并缴纳社会保险费的，按每接收1名高校毕业生1000元的标准给予一次性就业补助。",
])
def test_an_amount_per_person_hired_is_a_per_unit_amount(text: str) -> None:
    reward = _draft(text)["reward"]
    assert "per_unit" in reward and Decimal(str(reward["per_unit"])) in (Decimal(1500), Decimal(1000))


def test_the_total_in_brackets_after_a_bonus_on_a_base_amount_adds_nothing() -> None:
    reward = _draft("对新建工业企业入规当年主营业务收入超过5000万元的，在30万元基础上再奖励20万元（共50万元）。")["reward"]
    assert reward == {"fixed": 200000}


def test_stages_of_paying_out_a_total_are_no_reward() -> None:
    assert _draft("按项目开工、竣工投产两个阶段，分别给予补助总额40%、60%的补助。")["reward"] is None


def test_a_second_case_naming_a_long_designation_keeps_its_amount_and_levels_without_ji_are_tiers() -> None:
    reward = _draft("对新认定的国家知识产权示范企业奖励20万元，新认定的浙江省知识产权示范企业奖励10万元。")["reward"]
    assert _amounts(reward) == {Decimal(200000), Decimal(100000)}
    assert "tiers" in reward and not _sums_alternatives(reward, {Decimal(200000), Decimal(100000)})


def test_amounts_told_apart_by_the_area_an_enterprise_is_in_are_alternatives() -> None:
    reward = _draft("对新认定的制造业单项冠军企业予以一次性奖补。苏南地区每家企业奖补100万元，苏北地区每家企业奖补150万元。")["reward"]
    assert "tiers" in reward and not _sums_alternatives(reward, {Decimal(1000000), Decimal(1500000)})
    assert _amounts(reward) == {Decimal(1000000), Decimal(1500000)}


def test_caps_led_by_their_cases_in_a_qizhong_sentence_make_the_rate_a_tier_per_case() -> None:
    reward = _draft("对重大工业投资项目，按设备投资额给予10%的补助。其中：集成电路项目最高补助3000万元，"
                    "高端装备项目最高补助2000万元；其他项目最高补助1000万元。")["reward"]
    assert "tiers" in reward and [t["then"]["cap"] for t in reward["tiers"]] == [30000000, 20000000, 10000000]
    assert all(t["then"]["rate"] == 0.1 for t in reward["tiers"]) and reward["tiers"][-1]["when"] == {"always": True}


def test_an_advance_paid_before_listing_and_topped_up_later_is_no_extra_amount() -> None:
    reward = _draft("企业上市融资1亿元以下的，给予奖励100万元；融资达到1亿元以上的，给予奖励300万元。"
                    "其中，中国证监会正式受理其首发申请材料后，先给予50万元奖励，上市成功后再按照上述奖励标准予以补齐。")["reward"]
    assert Decimal(500000) not in _amounts(reward)
    assert not _sums_alternatives(reward, {Decimal(1000000), Decimal(3000000)})


def test_a_later_case_that_belongs_to_a_subgroup_replaces_the_general_amount() -> None:
    reward = _draft("对达到规模以上标准的企业，每户奖励10万元；属于高新技术产业的企业，每户奖励15万元。")["reward"]
    assert "tiers" in reward and not _sums_alternatives(reward, {Decimal(100000), Decimal(150000)})
    assert reward["tiers"][0]["when"] == {"check": "属于高新技术产业的企业"}
    assert reward["tiers"][-1] == {"when": {"always": True}, "then": {"fixed": 100000}}


def test_the_included_upper_end_of_a_band_is_a_bound_not_a_second_lower_bound() -> None:
    conditions = _draft("企业技术改造年度投资额在300万元(含)至5000万元(含)的，按投资额的10%给予资助，最高不超过500万元。")["conditions"]
    bounds = {(a["op"], a["value"]) for a in _atoms(conditions) if "field" in a and a["field"].startswith("input.")}
    assert (">=", 3000000) in bounds and ("<=", 50000000) in bounds


def test_a_yearly_ceiling_after_a_rate_is_its_cap() -> None:
    reward = _draft("技术改造年度投资额不低于100万元的，按投资额的20%给予资助，每年不超过300万元。")["reward"]
    assert reward.get("rate") == 0.2 and reward.get("cap") == 3000000


def test_the_share_another_level_pays_is_no_rate_of_this_clause() -> None:
    reward = _draft("符合条件的，在省级给予设备投资额30%补助的基础上，市级再给予设备投资额10%的补助。")["reward"]
    assert _amounts(reward) == {Decimal("0.1")}


def test_an_interest_subsidy_without_an_amount_is_a_benefit_without_money() -> None:
    reward = _draft("对获得批准筹建省级质检中心的项目的固定资产贷款给予贴息支持。")["reward"]
    assert reward is not None and "none" in reward


def test_amounts_per_item_of_each_listed_kind_add_up_under_the_enterprise_total() -> None:
    reward = _draft("对主导制定国际、国家标准的企业，分别给予每个标准一次性奖补50万元、30万元，单个企业奖补总额最高不超过100万元。")["reward"]
    assert "min" in reward and {"fixed": 1000000} in reward["min"]
    parts = reward["min"][0]["sum"]
    assert [p["per_unit"] for p in parts] == [500000, 300000]
