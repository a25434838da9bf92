"""Profiles read through Arrow give the very frame the line-by-line reader builds (exact numbers,
same rows, same order), results stream out through Arrow with the same rows, and --jobs N gives
the single-process output."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.arrow_io import Irregular, frame_from_jsonl, profiles_table
from rules.batch import match_batch_chunks
from rules.evaluate import compile_item
from rules.frame import FrameError, ProfileFrame
from rules.parallel import match_batch_chunks_parallel
from rules.results_io import ResultWriter

from .strategies import items, on_dates, profiles

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
ON = date(2025, 6, 30)


def _cat(col: Any) -> list[str | None]:
    return [col.vocab[c] if c >= 0 else None for c in col.codes.tolist()]


def assert_same_frame(a: ProfileFrame, b: ProfileFrame) -> None:
    assert a.n == b.n and list(a.uscc) == list(b.uscc)
    for name in b.static_num:
        x, y = a.static_num[name], b.static_num[name]
        assert x.known.tolist() == y.known.tolist() and x.scale == y.scale, name
        assert [int(v) for v in x.ints] == [int(v) for v in y.ints] and np.array_equal(x.f, y.f), name
    assert {k: _cat(c) for k, c in a.static_cat.items()} == {k: _cat(c) for k, c in b.static_cat.items()}
    assert set(a.yearly_num) == set(b.yearly_num)
    for key, y in b.yearly_num.items():
        x = a.yearly_num[key]
        assert x.known.tolist() == y.known.tolist() and x.scale == y.scale, key
        assert [int(v) for v in x.ints] == [int(v) for v in y.ints] and np.array_equal(x.f, y.f), key
    assert {k: _cat(c) for k, c in a.yearly_cat.items()} == {k: _cat(c) for k, c in b.yearly_cat.items()}
    for attr in ("established_known", "established_ord", "established_years", "quals_present", "flags_present"):
        assert getattr(a, attr).tolist() == getattr(b, attr).tolist(), attr
    assert {k: v.tolist() for k, v in a.quals_held.items()} == {k: v.tolist() for k, v in b.quals_held.items()}
    assert {k: v.tolist() for k, v in a.flags.items()} == {k: v.tolist() for k, v in b.flags.items()}
    assert a.region_blocks == b.region_blocks and a.unknown_region == b.unknown_region


def _write_jsonl(path: Path, rows: list[Any], blank_after: int | None = None) -> Path:
    text = ""
    for i, r in enumerate(rows):
        text += json.dumps(r, ensure_ascii=False) + "\n"
        if i == blank_after:
            text += "\n"
    path.write_text(text, encoding="utf-8")
    return path


@SETTINGS
@given(profs=st.lists(profiles(), min_size=1, max_size=15), on=on_dates, blank=st.integers(0, 20))
def test_arrow_json_reader_builds_the_same_frame_as_the_line_by_line_reader(
        tmp_path: Path, profs: list[dict[str, Any]], on: date, blank: int) -> None:
    profs = [{**p, "uscc": f"U{i:04d}"} for i, p in enumerate(profs)]
    path = _write_jsonl(tmp_path / "e.jsonl", profs, blank_after=blank)
    fast = frame_from_jsonl(path, on=on, strict=True)  # the vectorised path, no fallback
    slow = ProfileFrame.from_profiles(profs, on=on)
    assert_same_frame(fast, slow)
    lines_by_uscc = {u: i + 1 if i <= blank else i + 2 for i, u in enumerate(p["uscc"] for p in profs)}
    assert fast.lines.tolist() == [lines_by_uscc[u] for u in fast.uscc]


def test_decimal_figures_are_read_from_their_text_not_through_a_float(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "e.jsonl", [])
    path.write_text('{"uscc": "A", "years": {"2024": {"revenue": 90071992547409.93, "tax_paid": "0.1"}}}\n'
                    '{"uscc": "B", "years": {"2024": {"revenue": 1, "tax_paid": 0.30}}}\n', encoding="utf-8")
    frame = frame_from_jsonl(path, on=ON)
    revenue = frame.yearly_num[("revenue", 2024)]
    assert (revenue.scale, revenue.ints.tolist()) == (100, [9007199254740993, 100])  # > 2**53, exact
    tax = frame.yearly_num[("tax_paid", 2024)]
    assert (tax.scale, tax.ints.tolist()) == (10, [1, 3])


def test_a_year_first_seen_deep_in_the_file_is_still_read_exactly(tmp_path: Path) -> None:
    filler = [{"uscc": f"F{i}", "name": "某" * 200, "years": {"2024": {"revenue": i}}} for i in range(3000)]
    late = {"uscc": "L", "years": {"2019": {"revenue": "12.5"}, "2020": {"revenue": 7.25}}}
    path = _write_jsonl(tmp_path / "e.jsonl", [*filler, late])
    assert path.stat().st_size > 1 << 20
    frame = frame_from_jsonl(path, on=ON)
    row = list(frame.uscc).index("L")
    assert frame.yearly_num[("revenue", 2019)].exact(row) * 2 == 25
    assert frame.yearly_num[("revenue", 2020)].exact(row) * 4 == 29


def test_irregular_input_falls_back_to_the_line_by_line_reader_and_its_messages(tmp_path: Path) -> None:
    good = {"uscc": "A", "years": {"2024": {"revenue": "1,800,000"}}}  # commas: allowed, read by Python
    path = _write_jsonl(tmp_path / "e.jsonl", [good])
    with pytest.raises(Irregular):
        frame_from_jsonl(path, on=ON)
    assert ProfileFrame.from_jsonl(path, on=ON).yearly_num[("revenue", 2024)].ints.tolist() == [1800000]
    _write_jsonl(path, [good, {"uscc": "B", "years": {"2024": {"revenue": "三千万"}}}])
    with pytest.raises(FrameError, match="years.2024.revenue") as err:
        ProfileFrame.from_jsonl(path, on=ON)
    assert err.value.line == 2
    _write_jsonl(path, [{"uscc": "A", "revenu": 1}])
    with pytest.raises(FrameError, match="revenu"):
        ProfileFrame.from_jsonl(path, on=ON, strict=True)


@SETTINGS
@given(profs=st.lists(profiles(), min_size=1, max_size=10), on=on_dates)
def test_profiles_exported_to_parquet_load_into_the_same_frame(tmp_path: Path, profs: list[dict[str, Any]],
                                                               on: date) -> None:
    profs = [{**p, "uscc": f"U{i:04d}"} for i, p in enumerate(profs)]
    path = tmp_path / "e.parquet"
    pq.write_table(profiles_table(profs), path)
    assert_same_frame(ProfileFrame.from_parquet(path, on=on, strict=True), ProfileFrame.from_profiles(profs, on=on))


def _chunks_as_rows(chunks: list[Any]) -> list[tuple[Any, ...]]:
    return [(c.policy, r, bool(e), int(lo), int(hi), bool(inf)) for c in chunks
            for r, e, lo, hi, inf in zip(c.rows.tolist(), c.eligible, c.min_fen, c.max_fen, c.max_inf, strict=True)]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(its=st.lists(items(), min_size=2, max_size=7), profs=st.lists(profiles(), min_size=1, max_size=12))
def test_jobs_split_over_processes_give_the_single_process_chunks_in_order(its: list[dict[str, Any]],
                                                                          profs: list[dict[str, Any]]) -> None:
    compiled = [compile_item({**it, "id": f"I{i}"}) for i, it in enumerate(its)]
    frame = ProfileFrame.from_profiles([{**p, "uscc": f"U{i}"} for i, p in enumerate(profs)], on=ON)
    ticks: list[int] = []
    parallel = list(match_batch_chunks_parallel(compiled, frame, jobs=2, block=2, progress=ticks.append))
    assert _chunks_as_rows(parallel) == _chunks_as_rows(list(match_batch_chunks(compiled, frame)))
    assert sum(ticks) == len(compiled)


def _small_run() -> tuple[list[Any], ProfileFrame]:
    profs = [{"uscc": f"U{i}", "region": "350503" if i % 3 else "350102",
              "years": {"2024": {"rd_expense": 1000 * i + 5, "revenue": "123.45" if i % 2 else None}}} for i in range(40)]
    its = [{"id": "rate", "conditions": {"field": "rd_expense", "op": ">=", "value": 3000},
            "reward": {"rate": "0.1", "base": {"field": "rd_expense"}, "cap": 2500}},
           {"id": "open", "region": "350500", "reward": {"rate": 0.3, "base": {"field": "revenue"}}},
           {"id": "none", "region": "440000"}]
    return [compile_item(i) for i in its], ProfileFrame.from_profiles(profs, on=ON)


def test_parquet_is_written_in_row_groups_with_the_same_rows_as_json_lines(tmp_path: Path) -> None:
    compiled, frame = _small_run()
    with ResultWriter(tmp_path / "r.parquet", frame, batch_rows=7) as w:
        w.write_all(match_batch_chunks(compiled, frame))
        total = w.commit()
    with ResultWriter(tmp_path / "r.jsonl", frame, batch_rows=1000) as w:
        w.write_all(match_batch_chunks(compiled, frame))
        assert w.commit() == total
    meta = pq.ParquetFile(tmp_path / "r.parquet").metadata
    assert meta.num_row_groups > 1 and meta.num_rows == total
    df = pl.read_parquet(tmp_path / "r.parquet").with_columns(pl.col("amount_min").cast(pl.Utf8),
                                                             pl.col("amount_max").cast(pl.Utf8))
    lines = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert df.to_dicts() == lines
    assert {"amount_max": None} in [{"amount_max": r["amount_max"]} for r in lines]  # an unbounded maximum


def test_a_failed_write_leaves_no_file_and_no_temporary_behind(tmp_path: Path) -> None:
    compiled, frame = _small_run()
    with pytest.raises(RuntimeError), ResultWriter(tmp_path / "r.parquet", frame, batch_rows=3) as w:
        for chunk in match_batch_chunks(compiled, frame):
            w.write(chunk)
        raise RuntimeError("stopped half way")
    assert list(tmp_path.iterdir()) == []


def _parquet_rows(path: Path) -> list[dict[str, Any]]:
    return pl.read_parquet(path).with_columns(pl.col("amount_min").cast(pl.Utf8),
                                              pl.col("amount_max").cast(pl.Utf8)).to_dicts()


@pytest.mark.parametrize("null_code", [False, True])
def test_uscc_written_as_indexes_into_the_frames_codes_gives_the_same_rows(tmp_path: Path, null_code: bool) -> None:
    # Batches much longer than the frame index the frame's codes as the Parquet dictionary; short
    # batches (and a frame with a missing code) take the codes row by row. Both read back alike.
    compiled, frame = _small_run()
    if null_code:
        profs = [{"uscc": None if i == 4 else f"U{i}", "region": "350503"} for i in range(40)]
        frame = ProfileFrame.from_profiles(profs, on=ON)
    for name, batch_rows in (("long.parquet", 1000), ("short.parquet", 7)):
        with ResultWriter(tmp_path / name, frame, batch_rows=batch_rows) as w:
            w.write_all(match_batch_chunks(compiled, frame))
            w.commit()
    with ResultWriter(tmp_path / "r.jsonl", frame) as w:
        w.write_all(match_batch_chunks(compiled, frame))
        w.commit()
    lines = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len({r["uscc"] for r in lines}) > 10
    assert _parquet_rows(tmp_path / "long.parquet") == lines
    assert _parquet_rows(tmp_path / "short.parquet") == lines


def test_an_error_in_the_writing_thread_stops_the_run_and_leaves_no_file(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import rules.results_io

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(rules.results_io, "record_batch", broken)
    compiled, frame = _small_run()
    with pytest.raises(OSError, match="disk full"), ResultWriter(tmp_path / "r.parquet", frame, batch_rows=3) as w:
        w.write_all(match_batch_chunks(compiled, frame))
        w.commit()
    assert list(tmp_path.iterdir()) == []
