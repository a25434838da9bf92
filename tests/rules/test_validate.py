"""Validation names every problem with a precise JSON path and a Chinese message."""

from __future__ import annotations

from rules.validate import RuleError, validate_conditions, validate_item, validate_reward


def _paths(errors: list[RuleError]) -> list[str]:
    return [e.path for e in errors]


def test_a_valid_nested_condition_has_no_errors() -> None:
    cond = {"all": [
        {"field": "region", "op": "within", "value": "350500"},
        {"any": [{"field": "revenue", "op": ">=", "value": "20000000", "period": {"year": 2024}},
                 {"field": "qualifications", "op": "has", "value": "hnte"}]},
        {"not": {"field": "flags", "op": "has", "value": "dishonest"}},
        {"field": "input.equipment_investment", "op": ">", "value": 3000000},
        {"check": "符合我市主导产业发展方向", "ref": {"clause": "第五条", "start": 3, "end": 20}},
        {"always": True},
    ]}
    assert validate_conditions(cond, known_qualifications={"hnte"}) == []


def test_absent_conditions_mean_always_true_and_are_valid() -> None:
    assert validate_conditions(None) == []


def test_an_unknown_operator_is_reported_at_its_path_in_chinese() -> None:
    cond = {"all": [{"field": "region", "op": "within", "value": "350500"},
                    {"field": "employees", "op": ">", "value": 1},
                    {"field": "revenue", "op": "≥", "value": 1}]}
    errors = validate_conditions(cond)
    assert [str(e) for e in errors] == ['conditions.all[2].op: 未知的运算符 "≥"']


def test_unknown_fields_and_keys_are_reported_but_input_fields_are_allowed() -> None:
    errors = validate_conditions({"any": [{"field": "revenu", "op": ">", "value": 1},
                                          {"field": "input.project_investment", "op": ">", "value": 1},
                                          {"field": "revenue", "op": ">", "value": 1, "unit": "万元"}]})
    assert _paths(errors) == ["conditions.any[0].field", "conditions.any[2].unit"]
    assert "未知的字段" in errors[0].message


def test_between_needs_an_ordered_pair() -> None:
    assert _paths(validate_conditions({"field": "employees", "op": "between", "value": [200, 100]})) == \
        ["conditions.value"]
    assert _paths(validate_conditions({"field": "employees", "op": "between", "value": 100})) == ["conditions.value"]
    assert validate_conditions({"field": "employees", "op": "between", "value": [100, 100]}) == []


def test_in_needs_a_list_of_values_of_the_field_type() -> None:
    assert _paths(validate_conditions({"field": "tax_credit_rating", "op": "in", "value": "A"})) == \
        ["conditions.value"]
    errors = validate_conditions({"field": "tax_credit_rating", "op": "in", "value": ["A", "E"]})
    assert _paths(errors) == ["conditions.value[1]"]


def test_within_needs_a_valid_looking_code() -> None:
    assert validate_conditions({"field": "industry", "op": "within", "value": "C"}) == []
    assert validate_conditions({"field": "industry", "op": "within", "value": "3971"}) == []
    assert _paths(validate_conditions({"field": "region", "op": "within", "value": "3505"})) == ["conditions.value"]
    assert _paths(validate_conditions({"field": "industry", "op": "within", "value": "制造业"})) == \
        ["conditions.value"]


def test_operators_must_fit_the_field() -> None:
    errors = validate_conditions({"field": "revenue", "op": "has", "value": "hnte"})
    assert _paths(errors) == ["conditions.op"]
    assert _paths(validate_conditions({"field": "region", "op": ">=", "value": "350500"})) == ["conditions.op"]


def test_has_on_flags_needs_a_known_flag_name() -> None:
    assert _paths(validate_conditions({"field": "flags", "op": "has", "value": "bankrupt"})) == ["conditions.value"]


def test_unknown_qualification_codes_are_reported_only_when_a_catalogue_is_given() -> None:
    cond = {"field": "qualifications", "op": "has", "value": "zhonghua_laozihao"}
    assert validate_conditions(cond) == []
    errors = validate_conditions(cond, known_qualifications={"hnte", "srdi"})
    assert [str(e) for e in errors] == ['conditions.value: 资质目录中没有代码 "zhonghua_laozihao"']


def test_a_non_numeric_threshold_is_reported() -> None:
    assert _paths(validate_conditions({"field": "revenue", "op": ">=", "value": "两千万"})) == ["conditions.value"]


def test_contradictory_bounds_in_one_all_are_reported() -> None:
    cond = {"all": [{"field": "revenue", "op": ">=", "value": 5e7}, {"field": "revenue", "op": "<", "value": 1e7}]}
    errors = validate_conditions(cond)
    assert _paths(errors) == ["conditions.all"]
    assert "矛盾" in errors[0].message


def test_bounds_on_different_years_do_not_contradict() -> None:
    cond = {"all": [{"field": "revenue", "op": ">=", "value": 5e7},
                    {"field": "revenue", "op": "<", "value": 1e7, "period": {"year": 2020}}]}
    assert validate_conditions(cond) == []


def test_period_is_only_for_yearly_fields() -> None:
    assert _paths(validate_conditions({"field": "region", "op": "==", "value": "350500", "period": "this_year"})) == \
        ["conditions.period"]
    assert _paths(validate_conditions({"field": "revenue", "op": ">", "value": 1, "period": "next_year"})) == \
        ["conditions.period"]


def test_rewards_are_checked_recursively_with_paths() -> None:
    reward = {"tiers": [
        {"when": {"field": "revenue", "op": ">=", "value": 1}, "then": {"fixed": "五十万"}},
        {"when": {"field": "revenue", "op": "=>", "value": 1}, "then": {"rate": 0.1, "base": {"field": "scale"}}},
    ]}
    assert _paths(validate_reward(reward)) == ["reward.tiers[0].then.fixed", "reward.tiers[1].when.op",
                                               "reward.tiers[1].then.base.field"]


def test_a_floor_above_the_cap_and_a_percent_written_as_a_whole_number_are_reported() -> None:
    errors = validate_reward({"rate": 10, "base": {"field": "rd_expense"}, "cap": 100, "floor": 200})
    assert _paths(errors) == ["reward.rate", "reward"]


def test_every_reward_kind_of_the_language_is_accepted() -> None:
    for reward in ({"fixed": 500000}, {"up_to": "500000"}, {"none": "优先安排用地指标"},
                   {"rate": 0.3, "base": {"input": "project_investment"}},
                   {"per_unit": 2000, "base": {"field": "employees", "period": "this_year"}, "cap": 1e6},
                   {"sum": [{"fixed": 1}, {"max": [{"fixed": 1}, {"min": [{"fixed": 2}, {"up_to": 3}]}]}]}):
        assert validate_reward(reward) == [], reward


def test_an_item_needs_an_id_and_valid_dates() -> None:
    errors = validate_item({"region": "泉州", "valid_to": "2025-13-01", "conditions": {"all": []}})
    assert _paths(errors) == ["id", "region", "valid_to"]
