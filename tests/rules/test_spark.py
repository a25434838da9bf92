"""huiqi match-batch --engine spark runs the same kernel on Spark (local[2]) and writes the rows of
the single-machine run, no more and no fewer."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

from rules.cli import match_batch_main

from .test_cli import ENTERPRISES, POLICIES


def _needs_java() -> None:
    if shutil.which("java") is None and os.environ.get("CI") != "true":
        pytest.skip("no Java on this machine (CI installs a JRE)")


def test_spark_engine_writes_the_single_machine_rows_from_json_lines_and_from_parquet(tmp_path: Path) -> None:
    _needs_java()
    profiles = [*ENTERPRISES]
    for i in range(60):  # more regions than partitions, unknown regions, decimals
        p: dict[str, object] = {"uscc": f"91350000X{i:09d}", "industry": "3971",
                                "years": {"2024": {"revenue": 1000000 * i + 7, "rd_expense": f"{12345 * i}.5"}}}
        if i % 7:
            p["region"] = ["350503", "350102", "350203", "350582", "440305"][i % 5]
        profiles.append(p)
    policies = [*POLICIES, {"id": "rd-rate", "conditions": {"field": "rd_expense", "op": ">=", "value": 50000},
                            "reward": {"rate": "0.15", "base": {"field": "rd_expense"}, "cap": 100000}}]
    pol = tmp_path / "p.jsonl"
    pol.write_text("".join(json.dumps(x) + "\n" for x in policies), encoding="utf-8")
    ent = tmp_path / "e.jsonl"
    ent.write_text("".join(json.dumps(x) + "\n" for x in profiles), encoding="utf-8")
    common = ["--policies", str(pol), "--enterprises", str(ent), "--on", "2025-06-30"]
    assert match_batch_main([*common, "--out", str(tmp_path / "local.parquet")]) == 0
    assert match_batch_main([*common, "--out", str(tmp_path / "spark.parquet"), "--engine", "spark",
                             "--master", "local[2]"]) == 0
    local = pl.read_parquet(tmp_path / "local.parquet")
    spark_dir = tmp_path / "spark.parquet"
    assert spark_dir.is_dir() and len(list(spark_dir.glob("part-*.parquet"))) >= 2
    spark = pl.read_parquet(spark_dir / "*.parquet")
    key = ["policy", "uscc"]
    assert local.height > 100
    assert spark.sort(key).to_dicts() == local.sort(key).to_dicts()
    assert not [f for f in tmp_path.iterdir() if f.name.startswith(".")]
