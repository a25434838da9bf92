"""The command-line contract of RULES.md §7 on the platform's own exports: `huiqi profile export`
and `huiqi policy export` feed `huiqi match-batch`, which must agree with the stored results."""

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
from huiqi.matching.models import MatchResult
from huiqi.matching.services import match_full_recompute

pytestmark = pytest.mark.django_db


def test_match_batch_on_the_exports_equals_the_stored_full_run(tmp_path: Path) -> None:
    load_demo(enterprises=200, seed=7)
    match_full_recompute()
    profiles, items, out = tmp_path / "e.jsonl", tmp_path / "p.jsonl", tmp_path / "r.jsonl"
    call_command("profile_export", out=str(profiles))
    call_command("policy_export", out=str(items))
    on = timezone.localdate().isoformat()
    assert huiqi(["match-batch", "--policies", str(items), "--enterprises", str(profiles), "--on", on,
                  "--out", str(out)]) == 0
    from_cli = {(r["uscc"], r["policy"], r["status"], Decimal(r["amount_min"]),
                 None if r["amount_max"] is None else Decimal(r["amount_max"]))
                for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    stored: set[Any] = {(uscc, code, status, lo, hi) for uscc, code, status, lo, hi in MatchResult.objects.values_list(
        "enterprise__uscc", "item__code", "status", "amount_min", "amount_max")}
    assert from_cli == stored
    assert len(stored) > 100


def test_match_batch_on_a_parquet_profile_export_equals_the_stored_full_run(tmp_path: Path) -> None:
    import polars as pl

    load_demo(enterprises=120, seed=11)
    match_full_recompute()
    profiles, items, out = tmp_path / "e.parquet", tmp_path / "p.jsonl", tmp_path / "r.parquet"
    call_command("profile_export", out=str(profiles))
    call_command("policy_export", out=str(items))
    assert [f.name for f in tmp_path.iterdir() if f.name.startswith(".")] == []
    on = timezone.localdate().isoformat()
    assert huiqi(["match-batch", "--policies", str(items), "--enterprises", str(profiles), "--on", on,
                  "--out", str(out)]) == 0
    from_cli = set(pl.read_parquet(out).iter_rows())
    stored: set[Any] = set(MatchResult.objects.values_list(
        "enterprise__uscc", "item__code", "status", "amount_min", "amount_max"))
    assert from_cli == stored
    assert len(stored) > 50
