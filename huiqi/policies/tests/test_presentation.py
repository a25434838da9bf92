from __future__ import annotations

from decimal import Decimal

from huiqi.policies.presentation import (
    Vocabulary,
    amount_label,
    condition_lines,
    max_amount,
    reward_lines,
)

VOCAB = Vocabulary.build(inputs=[{"name": "equipment_investment", "label": "设备投资额", "unit": "元"}])


def test_max_amount_reads_fixed_up_to_caps_and_tiers() -> None:
    assert max_amount({"fixed": 500000}) == Decimal(500000)
    assert max_amount({"up_to": "250000"}) == Decimal(250000)
    assert max_amount({"rate": 0.1, "base": {"input": "equipment_investment"}, "cap": 5000000}) == Decimal(5000000)
    tiers = {"tiers": [{"when": {"always": True}, "then": {"fixed": 100000}},
                       {"when": {"check": "x"}, "then": {"fixed": 300000}}]}
    assert max_amount(tiers) == Decimal(300000)
    assert max_amount({"sum": [{"fixed": 100000}, {"up_to": 50000}]}) == Decimal(150000)
    assert max_amount({"min": [{"rate": 0.2, "base": {"input": "cost"}}, {"fixed": 1000000}]}) == Decimal(1000000)


def test_an_uncapped_rate_is_unbounded_and_a_benefit_in_kind_pays_nothing() -> None:
    assert max_amount({"rate": 0.4, "base": {"input": "tax"}}) is None
    assert amount_label({"rate": 0.4, "base": {"input": "tax"}}) == "按申报额计算"
    assert amount_label({"none": "优先供地"}) == "非资金支持"
    assert amount_label({"fixed": 500000}) == "最高 50 万元"


def test_the_per_enterprise_cap_bounds_an_otherwise_unbounded_reward() -> None:
    reward = {"per_unit": 180, "base": {"field": "insured_employees"}}
    assert amount_label(reward, Decimal(3000000)) == "最高 300 万元"
    assert amount_label({"fixed": 500000}, Decimal(200000)) == "最高 20 万元"


def test_conditions_read_as_plain_chinese_sentences() -> None:
    conditions = {"all": [
        {"field": "revenue", "op": ">=", "value": 20000000},
        {"field": "qualifications", "op": "has", "value": "hnte"},
        {"field": "region", "op": "within", "value": "350500"},
        {"field": "revenue_growth", "op": ">=", "value": 0.1, "period": {"year": 2024}},
        {"field": "flags", "op": "not_has", "value": "dishonest"},
        {"check": "项目已竣工验收"},
        {"any": [{"field": "scale", "op": "in", "value": ["small", "micro"]},
                 {"field": "input.equipment_investment", "op": ">", "value": 5000000}]},
    ]}
    texts = [(line.depth, line.text) for line in condition_lines(conditions, VOCAB)]
    assert texts == [
        (0, "上年度营业收入不低于 2,000 万元"),
        (0, "持有有效的高新技术企业资格"),
        (0, "注册地在泉州市"),
        (0, "2024年度营业收入增长率不低于 10%"),
        (0, "未被列入失信主体名单"),
        (0, "需审核确认：项目已竣工验收"),
        (0, "满足下列条件之一："),
        (1, "上年度企业规模为小型或微型"),
        (1, "申报的设备投资额高于 500 万元"),
    ]


def test_industry_alternatives_collapse_into_one_sentence() -> None:
    conditions = {"any": [{"field": "industry", "op": "within", "value": "C"},
                          {"field": "industry", "op": "within", "value": "65"}]}
    assert [line.text for line in condition_lines(conditions, VOCAB)] == [
        "所属行业属于制造业（C）或软件和信息技术服务业（65）"]


def test_rewards_read_as_chinese_with_tiers_indented() -> None:
    reward = {"tiers": [
        {"when": {"field": "qualifications", "op": "has", "value": "little_giant"}, "then": {"fixed": 500000}},
        {"when": {"always": True}, "then": {"rate": 0.1, "base": {"input": "equipment_investment"}, "cap": 5000000}},
    ]}
    texts = [(line.depth, line.text) for line in reward_lines(reward, VOCAB)]
    assert texts[0][0] == 0 and "分档" in texts[0][1]
    assert texts[1] == (1, '持有有效的国家级专精特新"小巨人"资格的，给予 50 万元')
    assert texts[2] == (1, "其他情形的，按申报的设备投资额的 10% 给予，最高 500 万元")
