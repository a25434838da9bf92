"""Hypothesis strategies: random policy items (every op, every reward kind) and random profiles
with missing data, drawn from small pools so that ties and boundaries are hit often."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

REGIONS = ["350503", "350502", "350582", "350500", "350102", "350203", "440305"]
SCOPES = ["350000", "350500", "350503", "350100", "440000"]
INDUSTRIES = ["3971", "3911", "5191", "5211", "6513", "0111", "4710", "1954", "72"]
INDUSTRY_SCOPES = ["C", "39", "397", "F", "A", "65", "I"]
YEARS = [2023, 2024, 2025]
MONEY = [0, 1, 5, 12, 100, 300, 180, 1200000, 1800000, 3000000, 20000000, 30000000, 36000000, -5000,
         "123.45", "0.05", "7.77", "2e7", 2.5]
RATIOS = [0, 0.05, "0.05", 0.2, "0.0666", -0.1, "0.3333333333", 1]
COUNTS = [0, 5, 12, 20, 100, 180, 300, 1000]
QUALS = ["hnte", "srdi", "tsme"]
FLAGS = ["dishonest", "abnormal_operation", "major_violation_3y"]
DATES = ["2010-03-01", "2016-09-15", "2020-02-29", "2024-06-30", "2025-06-30", "2026-11-19"]
NUMERIC_YEARLY = ["revenue", "rd_expense", "employees", "total_assets", "tax_paid", "profit"]

on_dates = st.sampled_from([date(2025, 6, 30), date(2024, 3, 1), date(2026, 1, 1), date(2025, 2, 28)])


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    p: dict[str, Any] = {}

    def maybe(key: str, strat: st.SearchStrategy[Any]) -> None:
        if draw(st.booleans()):
            p[key] = draw(strat)

    maybe("region", st.sampled_from(REGIONS))
    maybe("industry", st.sampled_from(INDUSTRIES))
    maybe("established_on", st.sampled_from(DATES))
    maybe("registered_capital", st.sampled_from(MONEY))
    maybe("ownership", st.sampled_from(["private", "state", "foreign"]))
    maybe("listed", st.sampled_from(["none", "star"]))
    if draw(st.integers(0, 4)):
        years: dict[str, Any] = {}
        for y in draw(st.lists(st.sampled_from(YEARS), unique=True, max_size=3)):
            row: dict[str, Any] = {}
            names = draw(st.lists(st.sampled_from(NUMERIC_YEARLY), unique=True))
            if draw(st.booleans()):
                names = ["revenue", *[n for n in names if n != "revenue"]]
            for name in names:
                row[name] = draw(st.sampled_from(COUNTS if name == "employees" else MONEY))
            if draw(st.booleans()):
                row["tax_credit_rating"] = draw(st.sampled_from(["A", "B", "C"]))
            if draw(st.booleans()):
                row["revenue"] = None
            years[str(y)] = row
        p["years"] = years
    if draw(st.booleans()):
        p["qualifications"] = [
            {"code": draw(st.sampled_from(QUALS)),
             "valid_from": draw(st.sampled_from([None, *DATES])),
             "valid_to": draw(st.sampled_from([None, *DATES]))}
            for _ in range(draw(st.integers(0, 2)))
        ]
    if draw(st.booleans()):
        p["flags"] = {name: draw(st.sampled_from([True, False, None]))
                      for name in draw(st.lists(st.sampled_from(FLAGS), unique=True))}
    return p


periods = st.sampled_from([None, "last_year", "this_year", {"year": 2023}, {"year": 2024}])


def _with_period(atom: dict[str, Any], period: Any) -> dict[str, Any]:
    if period is not None:
        atom["period"] = period
    return atom


@st.composite
def numeric_atoms(draw: st.DrawFn) -> dict[str, Any]:
    field = draw(st.sampled_from([*NUMERIC_YEARLY, "rd_ratio", "revenue_growth", "registered_capital",
                                  "established_years", "input.equipment_investment"]))
    pool = RATIOS if field in ("rd_ratio", "revenue_growth") else COUNTS if field in (
        "employees", "established_years") else MONEY
    op = draw(st.sampled_from(["==", "!=", ">", ">=", "<", "<=", "between", "in", "not_in", "known"]))
    atom: dict[str, Any] = {"field": field, "op": op}
    if op == "between":
        a, b = draw(st.sampled_from(pool)), draw(st.sampled_from(pool))
        from rules.numbers import to_fraction

        atom["value"] = sorted([a, b], key=to_fraction)
    elif op in ("in", "not_in"):
        atom["value"] = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3))
    elif op != "known":
        atom["value"] = draw(st.sampled_from(pool))
    if field in (*NUMERIC_YEARLY, "rd_ratio", "revenue_growth"):
        _with_period(atom, draw(periods))
    return atom


@st.composite
def other_atoms(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["region", "industry", "enum", "date", "qual", "flag", "scale", "check", "rating"]))
    if kind == "region":
        op = draw(st.sampled_from(["within", "==", "in", "not_in", "known"]))
        value: Any = draw(st.sampled_from(SCOPES if op == "within" else REGIONS))
        if op in ("in", "not_in"):
            value = draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3))
        return {"field": "region", "op": op, **({} if op == "known" else {"value": value})}
    if kind == "industry":
        op = draw(st.sampled_from(["within", "within", "==", "!="]))
        return {"field": "industry", "op": op,
                "value": draw(st.sampled_from(INDUSTRY_SCOPES if op == "within" else INDUSTRIES))}
    if kind == "enum":
        op = draw(st.sampled_from(["==", "!=", "in", "not_in"]))
        value = draw(st.sampled_from(["private", "state"]))
        return {"field": "ownership", "op": op, "value": [value] if op in ("in", "not_in") else value}
    if kind == "rating":
        return _with_period({"field": "tax_credit_rating", "op": "in", "value": ["A", "B"]}, draw(periods))
    if kind == "date":
        op = draw(st.sampled_from([">=", "<", "==", "between", "known"]))
        if op == "between":
            return {"field": "established_on", "op": op, "value": ["2015-01-01", "2020-12-31"]}
        return {"field": "established_on", "op": op, **({} if op == "known" else {"value": draw(st.sampled_from(DATES))})}
    if kind == "qual":
        op = draw(st.sampled_from(["has", "not_has", "known"]))
        return {"field": "qualifications", "op": op, **({} if op == "known" else {"value": draw(st.sampled_from(QUALS))})}
    if kind == "flag":
        op = draw(st.sampled_from(["has", "not_has", "known"]))
        return {"field": "flags", "op": op, "value": draw(st.sampled_from(FLAGS))}
    if kind == "scale":
        op = draw(st.sampled_from(["==", "in", "known"]))
        atom: dict[str, Any] = {"field": "scale", "op": op}
        if op == "==":
            atom["value"] = draw(st.sampled_from(["small", "micro", "medium"]))
        elif op == "in":
            atom["value"] = ["small", "micro"]
        return _with_period(atom, draw(periods))
    return {"check": draw(st.sampled_from(["符合我市主导产业发展方向", "项目通过竣工验收"]))}


atoms = st.one_of(numeric_atoms(), other_atoms())

conditions = st.recursive(
    st.one_of(atoms, st.just({"always": True})),
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(lambda xs: {"all": xs}),
        st.lists(children, max_size=4).map(lambda xs: {"any": xs}),
        children.map(lambda c: {"not": c}),
    ),
    max_leaves=8,
)

amounts = st.sampled_from([0, 1, 100000, 500000, "1000000", "333.33", 2e5, "0.01"])
rates = st.sampled_from([0.1, "0.05", "0.000333", "0.3333", 1, "0.015", "0.125", "0.0333333"])
bases = st.one_of(
    st.sampled_from(NUMERIC_YEARLY).flatmap(lambda f: periods.map(lambda p: _with_period({"field": f}, p))),
    st.sampled_from([{"field": "registered_capital"}, {"field": "established_years"},
                     {"input": "project_investment"}]),
)


@st.composite
def _leaf_rewards(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["fixed", "up_to", "rate", "per_unit", "none"]))
    if kind in ("fixed", "up_to"):
        return {kind: draw(amounts)}
    if kind == "none":
        return {"none": "优先安排用地指标"}
    r: dict[str, Any] = {kind: draw(rates) if kind == "rate" else draw(st.sampled_from([1000, "2000", 0.5])),
                         "base": draw(bases)}
    cap = draw(st.sampled_from([None, 100000, 1000000, "250000.5"]))
    if cap is not None:
        r["cap"] = cap
    if kind == "rate":
        floor = draw(st.sampled_from([None, 0, 20000, 50000]))
        if floor is not None and (cap is None or float(floor) <= float(cap)):
            r["floor"] = floor
    return r


rewards = st.recursive(
    _leaf_rewards(),
    lambda children: st.one_of(
        st.lists(st.fixed_dictionaries({"when": conditions, "then": children}), min_size=1, max_size=3)
        .map(lambda ts: {"tiers": ts}),
        st.lists(children, min_size=1, max_size=3).map(lambda xs: {"sum": xs}),
        st.lists(children, min_size=1, max_size=3).map(lambda xs: {"max": xs}),
        st.lists(children, min_size=1, max_size=3).map(lambda xs: {"min": xs}),
    ),
    max_leaves=5,
)


@st.composite
def items(draw: st.DrawFn) -> dict[str, Any]:
    item: dict[str, Any] = {"id": "p-" + str(draw(st.integers(0, 999)))}
    if draw(st.booleans()):
        item["conditions"] = draw(conditions)
    if draw(st.integers(0, 5)):
        item["reward"] = draw(rewards)
    if draw(st.integers(0, 2)) == 0:
        item["region"] = draw(st.sampled_from(SCOPES))
    if draw(st.integers(0, 4)) == 0:
        item["per_enterprise_cap"] = draw(st.sampled_from([50000, "123456.78"]))
    if draw(st.integers(0, 5)) == 0:
        item["valid_to"] = "2025-12-31"
    return item
