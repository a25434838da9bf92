"""huiqi match-batch: RULES.md §7 output, and bad input stops with a message and no output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from rules.cli import match_batch_main

ENTERPRISES = [
    {"uscc": "91350503MA31A0001X", "region": "350503", "industry": "3971",
     "years": {"2024": {"revenue": 36000000, "rd_expense": 1800000}}, "flags": {"dishonest": False}},
    {"uscc": "91350100MA2Y00002P", "region": "350102", "industry": "5191", "years": {"2024": {"employees": 12}}},
]
POLICIES = [
    {"id": "qz-rd", "region": "350500", "conditions": {"field": "rd_expense", "op": ">=", "value": 1000000},
     "reward": {"rate": 0.1, "base": {"field": "rd_expense"}, "cap": 300000}},
    {"id": "fj-open", "region": "350000", "conditions": {"field": "revenue", "op": ">=", "value": 1},
     "reward": {"rate": 0.3, "base": {"input": "project_investment"}}},
    {"id": "fz-only", "region": "350100", "conditions": {"field": "employees", "op": ">=", "value": 100}},
]


def _jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    return _jsonl(tmp_path / "p.jsonl", POLICIES), _jsonl(tmp_path / "e.jsonl", ENTERPRISES)


def _run(p: Path, e: Path, out: Path) -> int:
    return match_batch_main(["--policies", str(p), "--enterprises", str(e), "--on", "2025-06-30", "--out", str(out)])


def test_jsonl_output_has_one_line_per_eligible_or_possible_pair(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    assert _run(*inputs, out) == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert lines == [
        {"uscc": "91350503MA31A0001X", "policy": "qz-rd", "status": "eligible",
         "amount_min": "180000.00", "amount_max": "180000.00"},
        {"uscc": "91350100MA2Y00002P", "policy": "fj-open", "status": "possible",
         "amount_min": "0.00", "amount_max": None},
        {"uscc": "91350503MA31A0001X", "policy": "fj-open", "status": "eligible",
         "amount_min": "0.00", "amount_max": None},
    ]


def test_parquet_output_has_the_same_rows_with_amounts_as_exact_decimals(inputs: tuple[Path, Path],
                                                                        tmp_path: Path) -> None:
    out = tmp_path / "r.parquet"
    assert _run(*inputs, out) == 0
    df = pl.read_parquet(out)
    assert df.columns == ["uscc", "policy", "status", "amount_min", "amount_max"]
    assert df.dtypes[:3] == [pl.Utf8, pl.Utf8, pl.Utf8]
    assert df.dtypes[3:] == [pl.Decimal(38, 2), pl.Decimal(38, 2)]
    jsonl = tmp_path / "r.jsonl"
    assert _run(*inputs, jsonl) == 0
    as_text = df.with_columns(pl.col("amount_min").cast(pl.Utf8), pl.col("amount_max").cast(pl.Utf8))
    assert as_text.to_dicts() == [json.loads(x) for x in jsonl.read_text(encoding="utf-8").splitlines()]


def _fails(capsys: pytest.CaptureFixture[str], p: Path, e: Path, out: Path, *needles: str) -> None:
    assert _run(p, e, out) == 2
    err = capsys.readouterr().err
    for needle in needles:
        assert needle in err, err
    assert not out.exists()
    assert [f.name for f in out.parent.iterdir() if f.name.startswith(".")] == []


def test_a_malformed_json_line_names_file_and_line_and_writes_nothing(
        inputs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p, e = inputs
    e.write_text(e.read_text(encoding="utf-8") + '{"uscc": "X", "region": \n', encoding="utf-8")
    _fails(capsys, p, e, tmp_path / "r.jsonl", str(e), "第3行", "JSON")


def test_an_invalid_rule_is_reported_with_its_path(inputs: tuple[Path, Path], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    p, e = inputs
    bad = {"id": "bad", "conditions": {"all": [{"field": "revenue", "op": "≥", "value": 1}]}}
    _jsonl(p, [*POLICIES, bad])
    _fails(capsys, p, e, tmp_path / "r.jsonl", str(p), "第4行", 'conditions.all[0].op: 未知的运算符 "≥"')


def test_an_unknown_field_in_a_profile_is_reported(inputs: tuple[Path, Path], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    p, e = inputs
    _jsonl(e, [*ENTERPRISES, {"uscc": "Z", "years": {"2024": {"revenu": 1}}}])
    _fails(capsys, p, e, tmp_path / "r.parquet", str(e), "第3行", "years.2024.revenu")


def test_a_non_numeric_figure_is_reported(inputs: tuple[Path, Path], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    p, e = inputs
    _jsonl(e, [{"uscc": "Z", "years": {"2024": {"revenue": "三千万"}}}, *ENTERPRISES])
    _fails(capsys, p, e, tmp_path / "r.jsonl", str(e), "第1行", "不是数值")


def test_a_failed_run_leaves_an_earlier_result_untouched(inputs: tuple[Path, Path], tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    p, e = inputs
    out = tmp_path / "r.jsonl"
    assert _run(p, e, out) == 0
    before = out.read_bytes()
    _jsonl(p, [{"id": "x", "reward": {"fixed": "五十万"}}])
    assert _run(p, e, out) == 2
    assert out.read_bytes() == before


def test_a_bad_date_or_missing_argument_exits_with_2(inputs: tuple[Path, Path], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    p, e = inputs
    assert match_batch_main(["--policies", str(p), "--enterprises", str(e), "--on", "2025-13-01",
                             "--out", str(tmp_path / "r.jsonl")]) == 2
    assert "--on" in capsys.readouterr().err
    assert match_batch_main(["--policies", str(p)]) == 2
    assert "huiqi match-batch" in capsys.readouterr().err


def test_no_progress_bar_is_printed_when_stderr_is_not_a_terminal(inputs: tuple[Path, Path], tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(*inputs, tmp_path / "r.jsonl") == 0
    err = capsys.readouterr().err
    assert "%|" not in err and "已写入 3 条" in err


def test_the_command_in_its_own_process_matches_without_importing_pandas(inputs: tuple[Path, Path],
                                                                           tmp_path: Path) -> None:
    # `huiqi match-batch` as a console command: pyarrow must not pull pandas in (half a second per
    # run), and the rows are those of the same command run inside this process.
    import subprocess
    import sys

    policies, enterprises = inputs
    args = ["--policies", str(policies), "--enterprises", str(enterprises), "--on", "2025-06-30"]
    code = ("import sys; from huiqi.cli import main; sys.argv = ['huiqi', 'match-batch', *sys.argv[1:]]; "
            "rc = main(); print('pandas' in sys.modules); sys.exit(rc)")
    res = subprocess.run([sys.executable, "-c", code, *args, "--out", str(tmp_path / "own.parquet")],
                         capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "False"
    assert match_batch_main([*args, "--out", str(tmp_path / "here.parquet")]) == 0
    assert pl.read_parquet(tmp_path / "own.parquet").equals(pl.read_parquet(tmp_path / "here.parquet"))
