"""Uploading a policy document: every format drafts items; an unreadable file stores nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from huiqi.audit.models import AuditEvent
from huiqi.ingest.models import DraftItem, IngestBatch
from policytext.readers import NO_TEXT_LAYER_MESSAGE
from tests.pdf import make_pdf

from .conftest import SAMPLE_LINES, SAMPLE_TEXT, make_docx, make_html


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_txt_upload_stores_the_file_the_metadata_and_one_draft_per_clause_with_elements(
        upload: Any, media_in_tmp: Path) -> None:
    response = upload("measures.txt", SAMPLE_TEXT.encode())
    batch = IngestBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ingest/{batch.pk}/"
    assert batch.title == "泉州市人民政府关于促进制造业高质量发展的若干措施"
    assert batch.doc_number == "泉政文〔2024〕12号"
    assert batch.issuer == "泉州市人民政府"
    assert (batch.region, batch.level) == ("350500", "city")
    assert str(batch.valid_to) == "2026-12-31"
    assert len(_files(media_in_tmp)) == 1
    drafts = list(batch.drafts.order_by("position"))
    # the third clause (施行日期) has neither reward nor conditions: no draft for it
    assert [d.clause_path for d in drafts] == ["一、", "二、"]
    first, second = drafts
    assert first.reward == {"fixed": 200000}
    assert second.reward == {"rate": 0.1, "base": {"field": "rd_expense"}, "cap": 500000}
    assert second.materials == ["申请表", "营业执照复印件"]
    assert second.reviewing_departments == ["市工信局"] and second.paying_department == "市财政局"
    reward_span = next(s for s in first.spans if s["element"] == "reward")
    assert first.clause_text[reward_span["start"]:reward_span["end"]] == "20万元"
    assert AuditEvent.objects.filter(action="ingest.batch.upload", object_id=str(batch.pk)).exists()


def test_an_html_page_is_read_and_drafted(upload: Any) -> None:
    assert upload("measures.html", make_html(SAMPLE_LINES)).status_code == 302
    batch = IngestBatch.objects.get()
    assert batch.kind == "html" and batch.doc_number == "泉政文〔2024〕12号"
    assert batch.drafts.count() == 2


def test_a_word_file_is_read_and_drafted(upload: Any) -> None:
    assert upload("measures.docx", make_docx(SAMPLE_LINES)).status_code == 302
    batch = IngestBatch.objects.get()
    assert batch.kind == "docx"
    assert batch.drafts.get(clause_path="一、").reward == {"fixed": 200000}


def test_a_pdf_with_a_text_layer_is_accepted(upload: Any, media_in_tmp: Path) -> None:
    response = upload("notice.pdf", make_pdf(["Notice on enterprise support", "Article 1"]))
    assert response.status_code == 302
    batch = IngestBatch.objects.get()
    assert batch.kind == "pdf" and "Notice on enterprise support" in batch.text
    assert len(_files(media_in_tmp)) == 1


def test_a_pdf_without_text_is_refused_with_the_reader_message_and_nothing_is_stored(
        upload: Any, media_in_tmp: Path) -> None:
    response = upload("scan.pdf", make_pdf([]))
    assert response.status_code == 400
    assert NO_TEXT_LAYER_MESSAGE in response.content.decode()
    assert "scan.pdf" in response.content.decode()
    assert not IngestBatch.objects.exists() and not DraftItem.objects.exists()
    assert _files(media_in_tmp) == []


def test_a_file_of_another_type_is_refused_naming_the_file(upload: Any, media_in_tmp: Path) -> None:
    response = upload("budget.xlsx", b"PK\x03\x04 not really")
    assert response.status_code == 400
    assert "budget.xlsx" in response.content.decode() and ".docx" in response.content.decode()
    assert not IngestBatch.objects.exists() and _files(media_in_tmp) == []


def test_a_file_over_the_size_limit_is_refused(upload: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from huiqi.ingest import services

    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 100)
    response = upload("measures.txt", SAMPLE_TEXT.encode())
    assert response.status_code == 400
    assert "超过" in response.content.decode()
    assert not IngestBatch.objects.exists()


def test_the_upload_page_lists_the_departments_batches_or_says_what_to_do(officer_client: Any, upload: Any) -> None:
    empty = officer_client.get("/ingest/").content.decode()
    assert "还没有解析过政策文件" in empty
    upload("measures.txt", SAMPLE_TEXT.encode())
    listed = officer_client.get("/ingest/").content.decode()
    assert "泉州市人民政府关于促进制造业高质量发展的若干措施" in listed


def test_a_docx_bomb_unpacking_to_100_mb_is_refused_with_a_chinese_message_and_nothing_stored(
        upload: Any, media_in_tmp: Path) -> None:
    from tests.ooxml import docx_bomb

    response = upload("bomb.docx", docx_bomb())
    assert response.status_code == 400
    assert "疑似压缩炸弹" in response.content.decode() and "bomb.docx" in response.content.decode()
    assert not IngestBatch.objects.exists() and _files(media_in_tmp) == []


def test_a_docx_with_a_10_mb_text_node_is_refused_with_a_chinese_message_not_a_server_error(
        upload: Any, media_in_tmp: Path) -> None:
    from tests.ooxml import docx_with_text_node

    response = upload("long.docx", docx_with_text_node())
    assert response.status_code == 400
    assert "连续文字超过" in response.content.decode()
    assert not IngestBatch.objects.exists()


def test_a_document_whose_parser_exhausts_its_memory_is_refused_and_the_web_process_lives_on(
        upload: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from policytext import readers

    def greedy(data: bytes) -> str:
        hoard = []
        while True:  # what a PDF bomb does to pdfminer, without the PDF
            hoard.append(bytearray(64 * 1024 * 1024))

    monkeypatch.setitem(readers._READERS, ".pdf", greedy)
    monkeypatch.setattr("huiqi.core.sandbox.DEFAULT_MEMORY_BYTES", 256 * 1024 * 1024)
    response = upload("greedy.pdf", make_pdf(["x"]))
    assert response.status_code == 400
    assert "内存超过上限" in response.content.decode()
    assert upload("measures.txt", SAMPLE_TEXT.encode()).status_code == 302
