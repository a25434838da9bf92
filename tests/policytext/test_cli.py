from __future__ import annotations

import json
from pathlib import Path

import pytest

from policytext.cli import extract_main
from tests.pdf import make_pdf


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_clauses_mode_writes_one_line_per_input_in_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": "对首次认定的高新技术企业，给予20万元奖励。"}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "b", "text": "本办法由区经济发展局负责解释。"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    assert extract_main(["--clauses", str(src)]) == 0
    rows = _lines(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ["a", "b"]
    assert set(rows[0]) == {"id", "conditions", "reward", "mode"}
    assert rows[0]["reward"] == {"fixed": 200000}
    assert rows[1]["reward"] is None and rows[1]["conditions"] is None


def test_bad_json_line_is_reported_with_its_line_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "给予5万元奖励。"}\n{broken\n', encoding="utf-8")
    assert extract_main(["--clauses", str(src)]) == 2
    err = capsys.readouterr().err
    assert "第2行" in err and "JSON" in err


def test_missing_file_exits_2_with_a_chinese_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert extract_main([str(tmp_path / "none.txt")]) == 2
    assert "文件不存在" in capsys.readouterr().err
    assert extract_main(["--clauses", str(tmp_path / "none.jsonl")]) == 2
    assert "文件不存在" in capsys.readouterr().err


def test_pdf_without_text_layer_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_pdf([]))
    assert extract_main([str(scan)]) == 2
    assert "没有文字层" in capsys.readouterr().err


def test_file_mode_writes_every_clause_with_its_id(docs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert extract_main([str(docs_dir / "pingtan_lanzongguanban_2021_95.txt")]) == 0
    rows = _lines(capsys.readouterr().out)
    assert [r["clause_id"] for r in rows] == ["一、(一)", "一、(二)", "二、", "三、(一)", "三、(二)", "三、(三)"]
    assert set(rows[0]) == {"doc", "clause_id", "text", "conditions", "reward", "mode"}
    assert rows[0]["doc"] == "pingtan_lanzongguanban_2021_95.txt"
    assert rows[0]["reward"] == {"fixed": 50000}


def test_no_input_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert extract_main([]) == 2
    assert "--clauses" in capsys.readouterr().err
