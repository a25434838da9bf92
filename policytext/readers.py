"""Read policy documents (txt, html, docx, pdf) into one normalised text with an offset map."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from policytext.archive import DOCX_LIMITS, ArchiveCorrupt, ArchiveRefused, check_archive
from policytext.normalize import map_span, normalize


class DocumentError(Exception):
    """Base class: the message is shown to officers, so it is in Chinese."""


class UnsupportedDocumentError(DocumentError):
    pass


class NoTextLayerError(DocumentError):
    pass


NO_TEXT_LAYER_MESSAGE = "该PDF没有文字层（可能是扫描件），请上传可复制文字的版本或先做OCR"
# A 100-page policy document has ~100,000 characters; anything far beyond is not a policy text.
MAX_TEXT_CHARS = 2_000_000

_BLOCK_TAGS = (
    "p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "section", "article", "blockquote", "pre", "ul", "ol", "dd", "dt", "title",
)


@dataclass
class Document:
    """A read document: ``text`` is normalised; ``original`` is the extracted raw text."""

    name: str
    original: str
    text: str
    offsets: list[int] = field(repr=False)
    kind: str = "txt"

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` to the corresponding span of ``original``."""
        return map_span(self.offsets, start, end, len(self.original))

    @classmethod
    def from_text(cls, raw: str, *, name: str = "", kind: str = "txt") -> Document:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
        text, offsets = normalize(raw)
        return cls(name=name, original=raw, text=text, offsets=offsets, kind=kind)


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnsupportedDocumentError("无法识别文本编码（仅支持UTF-8或GB18030），请另存为UTF-8后重试")


def _read_html(data: bytes) -> str:
    from bs4 import BeautifulSoup

    raw = _decode(data)
    soup = BeautifulSoup(raw, "lxml")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        if tag.name == "br":
            tag.replace_with("\n")
        else:
            tag.insert_before("\n")
            tag.insert_after("\n")
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after(" ")
    text = soup.get_text()
    lines = [line.strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _read_docx(data: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        check_archive(data, limits=DOCX_LIMITS)  # before python-docx unpacks anything
    except ArchiveCorrupt as exc:
        raise UnsupportedDocumentError("Word文件已损坏或不是.docx格式，无法读取") from exc
    except ArchiveRefused as exc:
        raise UnsupportedDocumentError(str(exc)) from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as exc:  # lxml's XMLSyntaxError is one
        raise UnsupportedDocumentError("Word文件已损坏或不是.docx格式，无法读取") from exc
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = cell.text.strip()
                    if not cells or cells[-1] != value:  # merged cells repeat their text
                        cells.append(value)
                lines.append(" ".join(cells))
    return "\n".join(lines)


def _read_pdf(data: bytes) -> str:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many unrelated types for a broken file
        raise UnsupportedDocumentError("PDF文件已损坏或无法解析，请检查文件后重新上传") from exc
    pages: list[str] = []
    try:
        with pdf:
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
    except Exception as exc:
        raise UnsupportedDocumentError("PDF文件已损坏或无法解析，请检查文件后重新上传") from exc
    text = "\n".join(pages)
    if not re.search(r"\w", text):
        raise NoTextLayerError(NO_TEXT_LAYER_MESSAGE)
    return text


_READERS = {
    ".txt": lambda d: _decode(d),
    ".text": lambda d: _decode(d),
    ".html": _read_html,
    ".htm": _read_html,
    ".docx": _read_docx,
    ".pdf": _read_pdf,
}


def read_document(path_or_bytes: str | Path | bytes, *, filename: str | None = None) -> Document:
    """Read a .txt/.html/.docx/.pdf document.

    With bytes, ``filename`` gives the extension. Raises ``UnsupportedDocumentError`` for an
    unknown extension or a corrupt file and ``NoTextLayerError`` for a scanned PDF.
    """
    if isinstance(path_or_bytes, (bytes, bytearray)):
        data = bytes(path_or_bytes)
        name = filename or ""
    else:
        path = Path(path_or_bytes)
        name = filename or path.name
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise UnsupportedDocumentError(f"文件不存在：{path}") from exc
        except OSError as exc:
            raise UnsupportedDocumentError(f"无法读取文件：{path}") from exc
    suffix = Path(name).suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        shown = suffix or "（无扩展名）"
        raise UnsupportedDocumentError(
            f"不支持的文件类型{shown}：请上传 .txt、.html、.docx 或 .pdf 文件"
        )
    raw = reader(data)
    if len(raw) > MAX_TEXT_CHARS:
        raise UnsupportedDocumentError(
            f"文件文字超过 {MAX_TEXT_CHARS:,} 字，不像是一份政策文件，请拆分后上传")
    return Document.from_text(raw, name=name, kind=suffix.lstrip("."))
