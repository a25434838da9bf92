"""Columnar batch matching: scoping, caching, exact amounts, the result shapes."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from rules.batch import (
    AtomCache,
    ItemIndex,
    ProfileFrame,
    match_batch,
    match_batch_frame,
    match_enterprise,
    match_item,
)
from rules.evaluate import evaluate

ON = date(2025, 6, 30)


def _profiles() -> list[dict[str, Any]]:
    regions = ["350503", "350102", "350582", None, "350503", "350203", "350500"]
    out = []
    for i, region in enumerate(regions):
        p: dict[str, Any] = {"uscc": f"U{i}", "industry": "3971" if i % 2 else "5191",
                             "years": {"2024": {"revenue": 10_000_000 * (i + 1), "rd_expense": 300_000 * i}}}
        if region is not None:
            p["region"] = region
        out.append(p)
    return out


def test_rows_are_grouped_by_region_so_a_county_is_one_block() -> None:
    frame = ProfileFrame.from_profiles(_profiles(), on=ON)
    blocks = {code: (s, e) for code, s, e in frame.region_blocks}
    s, e = blocks["350503"]
    assert e - s == 2 and set(frame.uscc[s:e]) == {"U0", "U4"}
    assert list(frame.uscc[frame.unknown_region]) == ["U3"]


def test_a_county_item_matches_its_county_and_the_unknown_region_rows_as_possible() -> None:
    frame = ProfileFrame.from_profiles(_profiles(), on=ON)
    rows = {r.uscc: r.status for r in match_batch([{"id": "c", "region": "350503"}], frame)}
    assert rows == {"U0": "eligible", "U4": "eligible", "U3": "possible"}


def test_a_prefecture_item_covers_its_counties_and_itself() -> None:
    frame = ProfileFrame.from_profiles(_profiles(), on=ON)
    rows = {r.uscc for r in match_batch([{"id": "p", "region": "350500"}], frame) if r.status == "eligible"}
    assert rows == {"U0", "U2", "U4", "U6"}


def test_identical_atoms_across_items_are_computed_once() -> None:
    frame = ProfileFrame.from_profiles(_profiles(), on=ON)
    atom = {"field": "revenue", "op": ">=", "value": 30_000_000}
    items = [{"id": f"i{k}", "conditions": {"all": [atom, {"field": "rd_expense", "op": ">", "value": k}]}}
             for k in range(5)]
    cache = AtomCache(frame)
    from rules.batch import match_batch_chunks

    list(match_batch_chunks(items, frame, cache=cache))
    assert cache.misses == 1 + 5  # the shared revenue atom once, each rd_expense threshold once
    assert cache.hits == 4


def test_an_industry_scope_restricts_the_rows_and_still_equals_scalar() -> None:
    profiles = _profiles()
    frame = ProfileFrame.from_profiles(profiles, on=ON)
    item = {"id": "m", "conditions": {"all": [{"field": "industry", "op": "within", "value": "C"},
                                              {"field": "rd_expense", "op": ">", "value": 0}]},
            "reward": {"rate": "0.125", "base": {"field": "rd_expense"}}}
    got = {r.uscc: (r.status, r.amount_min) for r in match_batch([item], frame)}
    want = {}
    for p in profiles:
        ev = evaluate(item, p, on=ON)
        if ev.status != "ineligible":
            assert ev.amount is not None
            want[p["uscc"]] = (ev.status, ev.amount.min)
    assert got == want and len(got) == 3


def test_batch_amounts_round_half_up_exactly_like_scalar() -> None:
    profile = {"uscc": "U", "years": {"2024": {"rd_expense": 5, "revenue": "7.77"}}}
    frame = ProfileFrame.from_profiles([profile], on=ON)
    items = [{"id": "a", "reward": {"rate": "0.125", "base": {"field": "rd_expense"}}},
             {"id": "b", "reward": {"sum": [{"rate": "0.0625", "base": {"field": "rd_expense"}}] * 2}},
             {"id": "c", "reward": {"rate": "0.5", "base": {"field": "revenue"}}}]
    got = [r.amount_min for r in match_batch(items, frame)]
    assert got == ["0.63", "0.63", "3.89"]
    assert got == [evaluate(i, profile, on=ON).amount.min for i in items]  # type: ignore[union-attr]


def test_a_growth_rate_exactly_at_the_threshold_is_met_despite_floating_point() -> None:
    # 36,000,000 / 30,000,000 − 1 is 0.19999999999999996 in binary floating point.
    profile = {"uscc": "U", "years": {"2023": {"revenue": 30000000}, "2024": {"revenue": 36000000}}}
    frame = ProfileFrame.from_profiles([profile], on=ON)
    item = {"id": "g", "conditions": {"field": "revenue_growth", "op": ">=", "value": 0.2}}
    assert [r.status for r in match_batch([item], frame)] == ["eligible"]


def test_amounts_too_large_for_int64_stay_exact() -> None:
    profile = {"uscc": "U", "years": {"2024": {"revenue": "123456789012345678901.23"}}}
    frame = ProfileFrame.from_profiles([profile], on=ON)
    item = {"id": "big", "reward": {"rate": "0.0333", "base": {"field": "revenue"}}}
    got = next(iter(match_batch([item], frame)))
    assert got.amount_min == evaluate(item, profile, on=ON).amount.min  # type: ignore[union-attr]
    assert got.amount_min == "4111111074111111107.41"  # 123456789012345678901.23 × 0.0333, exact


def test_unknown_fields_per_row_match_scalar() -> None:
    profiles: list[dict[str, Any]] = [{"uscc": "A", "years": {"2024": {"revenue": 1}}}, {"uscc": "B"}]
    frame = ProfileFrame.from_profiles(profiles, on=ON)
    item = {"id": "r", "conditions": {"field": "rd_ratio", "op": ">=", "value": 0.01}}
    got = {r.uscc: r.unknown_fields for r in match_batch([item], frame, unknown_fields=True)}
    assert got == {"A": ("years.2024.rd_expense",), "B": ("years.2024.rd_expense", "years.2024.revenue")}


def test_the_result_frame_has_the_cli_columns_and_null_for_unbounded() -> None:
    frame = ProfileFrame.from_profiles(_profiles(), on=ON)
    items = [{"id": "open", "region": "350503", "reward": {"rate": 0.3, "base": {"input": "project_investment"}}},
             {"id": "none", "region": "350000", "conditions": {"field": "revenue", "op": ">", "value": 1e12}}]
    df = match_batch_frame(items, frame)
    assert df.columns == ["uscc", "policy", "status", "amount_min", "amount_max"]
    assert df.filter(pl.col("policy") == "open")["amount_max"].null_count() == 3
    assert df.filter(pl.col("policy") == "none").height == 0


def test_match_item_returns_one_items_rows() -> None:
    frame = ProfileFrame.from_profiles(_profiles(), on=ON)
    df = match_item({"id": "x", "conditions": {"field": "revenue", "op": ">=", "value": 50_000_000},
                     "reward": {"fixed": "1000.5"}}, frame)
    assert sorted(df["uscc"].to_list()) == ["U4", "U5", "U6"]
    assert set(df["amount_min"].to_list()) == {"1000.50"}


def test_match_enterprise_skips_items_of_other_regions_and_equals_scalar() -> None:
    profile = {"uscc": "U", "region": "350503", "years": {"2024": {"revenue": 5}}}
    items = [{"id": "qz", "region": "350500", "reward": {"fixed": 1}},
             {"id": "fz", "region": "350100", "reward": {"fixed": 2}},
             {"id": "fj", "region": "350000", "conditions": {"field": "rd_expense", "op": ">", "value": 0}},
             {"id": "all", "conditions": {"field": "revenue", "op": ">", "value": 10}}]
    index = ItemIndex(items)
    assert [items[i]["id"] for i in index.candidates("350503")] == ["qz", "fj", "all"]
    rows = match_enterprise(profile, index, on=ON)
    assert [(r.policy, r.status, r.unknown_fields) for r in rows] == [
        ("qz", "eligible", ()), ("fj", "possible", ("years.2024.rd_expense",))]


def test_expired_items_produce_no_rows() -> None:
    frame = ProfileFrame.from_profiles(_profiles(), on=ON)
    assert list(match_batch([{"id": "old", "valid_to": "2024-12-31"}], frame)) == []


def test_progress_is_reported_once_per_item() -> None:
    frame = ProfileFrame.from_profiles(_profiles(), on=ON)
    ticks: list[int] = []
    rows = list(match_batch([{"id": "a"}, {"id": "b", "region": "440300"}, {"id": "c"}], frame, progress=ticks.append))
    assert sum(ticks) == 3
    # Only the enterprise whose region is unknown may match the Shenzhen item.
    assert [(r.uscc, r.status) for r in rows if r.policy == "b"] == [("U3", "possible")]


def test_huge_figures_through_every_combinator_stay_equal_to_scalar() -> None:
    profiles = [{"uscc": "A", "years": {"2024": {"revenue": "98765432109876543210.99", "rd_expense": 12345}}},
                {"uscc": "B", "years": {"2024": {"revenue": 10, "rd_expense": 99}}}]
    frame = ProfileFrame.from_profiles(profiles, on=ON)
    huge = {"rate": "0.123", "base": {"field": "revenue"}}
    small = {"per_unit": "0.5", "base": {"field": "rd_expense"}, "cap": 6000}
    rewards = [{"sum": [huge, small]}, {"max": [huge, small]}, {"min": [huge, small, {"up_to": "1e30"}]},
               {"tiers": [{"when": {"field": "revenue", "op": ">", "value": 100}, "then": huge},
                          {"when": {"field": "employees", "op": ">", "value": 1}, "then": small}]},
               {"rate": "0.5", "base": {"field": "revenue"}, "cap": "12345678901234567890.5", "floor": 1}]
    for k, reward in enumerate(rewards):
        item = {"id": f"r{k}", "reward": reward}
        got = {r.uscc: (r.amount_min, r.amount_max) for r in match_batch([item], frame)}
        want = {}
        for p in profiles:
            ev = evaluate(item, p, on=ON)
            assert ev.amount is not None
            want[p["uscc"]] = (ev.amount.min, ev.amount.max)
        assert got == want, reward
