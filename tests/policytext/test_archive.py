"""Office files are checked for decompression bombs before any parser opens them."""

from __future__ import annotations

import io

import docx
import pytest

from policytext.archive import ArchiveRefused, check_archive
from policytext.readers import UnsupportedDocumentError, read_document
from tests.ooxml import docx_bomb, docx_nested, docx_with_text_node


def _real_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("对首次认定为国家高新技术企业的，给予一次性奖励20万元。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_docx_unpacking_to_100_mb_is_refused_before_parsing_with_a_chinese_message() -> None:
    bomb = docx_bomb()
    assert len(bomb) < 2 * 1024 * 1024  # small on disk
    with pytest.raises(UnsupportedDocumentError, match="压缩炸弹"):
        read_document(bomb, filename="bomb.docx")


def test_a_docx_with_a_10_mb_text_node_is_refused_naming_the_long_text() -> None:
    with pytest.raises(UnsupportedDocumentError, match="连续文字超过"):
        read_document(docx_with_text_node(), filename="long.docx")


def test_a_docx_nested_thousands_of_levels_deep_is_refused() -> None:
    with pytest.raises(ArchiveRefused, match="嵌套超过"):
        check_archive(docx_nested())


def test_a_docx_with_too_many_parts_is_refused() -> None:
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        for n in range(1001):
            archive.writestr(f"media/{n}.xml", "<a/>")
    with pytest.raises(ArchiveRefused, match="部件"):
        check_archive(out.getvalue())


def test_a_docx_with_a_dtd_is_refused() -> None:
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>')
    with pytest.raises(ArchiveRefused, match="DTD"):
        check_archive(out.getvalue())


def test_an_ordinary_docx_passes_the_check_and_is_read() -> None:
    data = _real_docx()
    check_archive(data)
    assert "20万元" in read_document(data, filename="ok.docx").text
