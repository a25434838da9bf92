"""The worker's full run (profiles through the vectorised reader, results streamed to the
database) against the scalar evaluator pair by pair, and `huiqi policy export` to Parquet."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from huiqi.cli import main as huiqi
from huiqi.demo.loader import load_demo
from huiqi.enterprises.models import Enterprise
from huiqi.enterprises.selectors import iter_profiles
from huiqi.matching.models import MatchJob, MatchResult
from huiqi.matching.services import match_job_create, match_jobs_run_queued
from huiqi.policies.selectors import published_items
from rules.evaluate import evaluate

pytestmark = pytest.mark.django_db


def _stored() -> set[tuple[Any, ...]]:
    rows = MatchResult.objects.values_list("enterprise__uscc", "item__code", "status", "amount_min", "amount_max",
                                           "unknown_fields")
    return {(*row[:5], tuple(row[5])) for row in rows}


def test_the_workers_full_run_equals_the_scalar_evaluator_pair_by_pair() -> None:
    load_demo(enterprises=150, seed=5)
    job = match_job_create(kind=MatchJob.Kind.FULL, reason="夜间全量匹配")
    match_jobs_run_queued()
    assert MatchJob.objects.get(pk=job.pk).state == MatchJob.State.DONE
    on = timezone.localdate()
    items = [item.as_rules_item() for item in published_items()]
    expected: set[tuple[Any, ...]] = set()
    for profile in iter_profiles(Enterprise.objects.all()):
        for item in items:
            ev = evaluate(item, profile, on=on)
            if ev.status == "ineligible" or not ev.in_force:
                continue
            assert ev.amount is not None
            expected.add((profile["uscc"], item["id"], ev.status, Decimal(ev.amount.min),
                          None if ev.amount.max is None else Decimal(ev.amount.max), tuple(ev.unknown_fields)))
    stored = _stored()
    assert stored == expected
    assert {row[2] for row in stored} == {"eligible", "possible"}
    assert len(stored) > 100


def test_match_batch_on_a_parquet_policy_export_equals_the_jsonl_one(tmp_path: Path) -> None:
    import polars as pl

    load_demo(enterprises=80, seed=13)
    profiles = tmp_path / "e.parquet"
    call_command("profile_export", out=str(profiles))
    call_command("policy_export", out=str(tmp_path / "p.jsonl"))
    call_command("policy_export", out=str(tmp_path / "p.parquet"))
    assert [f.name for f in tmp_path.iterdir() if f.name.startswith(".")] == []
    as_jsonl = [json.loads(line) for line in (tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()]
    as_parquet = pl.read_parquet(tmp_path / "p.parquet")
    assert as_parquet["id"].to_list() == [item["id"] for item in as_jsonl]
    assert [json.loads(text) for text in as_parquet["conditions"].to_list()] == [i["conditions"] for i in as_jsonl]
    on = timezone.localdate().isoformat()
    for name in ("p.jsonl", "p.parquet"):
        assert huiqi(["match-batch", "--policies", str(tmp_path / name), "--enterprises", str(profiles),
                      "--on", on, "--out", str(tmp_path / f"r-{name}.parquet")]) == 0
    from_jsonl = set(pl.read_parquet(tmp_path / "r-p.jsonl.parquet").iter_rows())
    from_parquet = set(pl.read_parquet(tmp_path / "r-p.parquet.parquet").iter_rows())
    assert from_parquet == from_jsonl
    assert len(from_jsonl) > 30
