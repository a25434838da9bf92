"""The columnar batch engine and the one-enterprise fast path agree with the scalar evaluator on
random items and random (incomplete) profiles: status, exact amounts and unknown_fields."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.batch import ItemIndex, ProfileFrame, match_batch, match_batch_frame, match_enterprise
from rules.evaluate import evaluate
from rules.validate import validate_item

from .strategies import items, on_dates, profiles

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _scalar(item: dict[str, Any], profs: list[dict[str, Any]], on: date) -> dict[str, tuple[Any, ...]]:
    out = {}
    for p in profs:
        ev = evaluate(item, p, on=on)
        if ev.status != "ineligible":
            assert ev.amount is not None
            out[p["uscc"]] = (ev.status, ev.amount.min, ev.amount.max, tuple(ev.unknown_fields))
    return out


def _numbered(profs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**p, "uscc": f"U{i:04d}"} for i, p in enumerate(profs)]


@SETTINGS
@given(item=items(), profs=st.lists(profiles(), min_size=1, max_size=12), on=on_dates)
def test_batch_equals_scalar_for_random_items_and_profiles(item: dict[str, Any], profs: list[dict[str, Any]],
                                                           on: date) -> None:
    # Random trees may contradict themselves (validation says so); they must still evaluate alike.
    assert [e for e in validate_item(item) if "矛盾" not in e.message] == []
    profs = _numbered(profs)
    frame = ProfileFrame.from_profiles(profs, on=on)
    batch = {r.uscc: (r.status, r.amount_min, r.amount_max, r.unknown_fields)
             for r in match_batch([item], frame, unknown_fields=True)}
    assert batch == _scalar(item, profs, on)
    # The Polars result (CLI / Parquet path) formats the same amounts.
    df = match_batch_frame([item], frame)
    assert {row[0]: row[2:] for row in df.iter_rows()} == {k: v[:3] for k, v in batch.items()}


@SETTINGS
@given(its=st.lists(items(), min_size=1, max_size=6), profile=profiles(), on=on_dates)
def test_one_enterprise_fast_path_equals_scalar(its: list[dict[str, Any]], profile: dict[str, Any], on: date) -> None:
    its = [{**it, "id": f"I{i}"} for i, it in enumerate(its)]
    profile = {**profile, "uscc": "U1"}
    fast = {r.policy: (r.status, r.amount_min, r.amount_max, r.unknown_fields)
            for r in match_enterprise(profile, ItemIndex(its), on=on)}
    slow = {}
    for it in its:
        ev = evaluate(it, profile, on=on)
        if ev.status != "ineligible":
            assert ev.amount is not None
            slow[it["id"]] = (ev.status, ev.amount.min, ev.amount.max, tuple(ev.unknown_fields))
    assert fast == slow
