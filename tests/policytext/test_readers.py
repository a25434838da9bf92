from __future__ import annotations

from pathlib import Path

import docx
import pytest

from policytext import (
    NoTextLayerError,
    UnsupportedDocumentError,
    read_document,
)
from tests.pdf import make_pdf


def test_utf8_text_file_is_read_and_normalised(tmp_path: Path) -> None:
    path = tmp_path / "policy.txt"
    path.write_text("第一条　对企業給予（最高）５０萬元獎勵。", encoding="utf-8")
    doc = read_document(path)
    assert doc.text == "第一条 对企业给予(最高)50万元奖励。"
    assert doc.kind == "txt"


def test_gb18030_text_falls_back_from_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("对规模以上工业企业给予奖励".encode("gb18030"))
    assert read_document(path).text == "对规模以上工业企业给予奖励"


def test_normalised_span_maps_back_to_the_original_traditional_text() -> None:
    raw = "支持工業(yè)數(shù)字化改造，給予補助"
    doc = read_document(raw.encode("utf-8"), filename="x.txt")
    assert doc.text == "支持工业数字化改造,给予补助"
    start = doc.text.index("数字化")
    o_start, o_end = doc.original_span(start, start + 3)
    assert raw[o_start:o_end] == "數(shù)字化"


def test_html_block_elements_become_line_breaks(tmp_path: Path) -> None:
    html = (
        "<html><head><style>p{}</style><script>var a=1;</script></head><body>"
        "<h1>关于印发<br>若干措施的通知</h1><div><p>一、总则</p><p>（一）对企业给予奖励。</p></div>"
        "<table><tr><td>项目</td><td>金额</td></tr></table></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    lines = [line for line in read_document(path).text.split("\n") if line]
    assert lines[:4] == ["关于印发", "若干措施的通知", "一、总则", "(一)对企业给予奖励。"]
    assert "var a" not in read_document(path).text
    assert any("项目" in line and "金额" in line for line in lines)


def test_docx_paragraphs_and_tables_keep_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("第一条 总则")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "档次"
    table.rows[0].cells[1].text = "奖励10万元"
    document.add_paragraph("第二条 附则")
    path = tmp_path / "policy.docx"
    document.save(str(path))
    text = read_document(path).text
    assert text.index("第一条") < text.index("奖励10万元") < text.index("第二条")


def test_pdf_with_a_text_layer_is_read(tmp_path: Path) -> None:
    path = tmp_path / "text.pdf"
    path.write_bytes(make_pdf(["Article 1 subsidy 2000 yuan", "Article 2"]))
    doc = read_document(path)
    assert "Article 1 subsidy 2000 yuan" in doc.text
    assert doc.kind == "pdf"


def test_pdf_without_text_layer_asks_for_ocr_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([]))
    with pytest.raises(NoTextLayerError, match="没有文字层"):
        read_document(path)


def test_unknown_extension_is_rejected_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "policy.xls"
    path.write_bytes(b"whatever")
    with pytest.raises(UnsupportedDocumentError, match="不支持的文件类型"):
        read_document(path)


def test_corrupt_docx_and_pdf_are_rejected_with_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedDocumentError, match="Word"):
        read_document(b"not a zip file", filename="bad.docx")
    with pytest.raises(UnsupportedDocumentError, match="PDF"):
        read_document(b"%PDF-1.4 garbage", filename="bad.pdf")


def test_missing_file_is_reported_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedDocumentError, match="文件不存在"):
        read_document(tmp_path / "nope.txt")
