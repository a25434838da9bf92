"""Hostile Office files built in the test, small on disk: a .docx whose document.xml unpacks to
~100 MB, a .docx with one huge text node, a deeply nested one, and an .xlsx bomb. Each is a real
zip that python-docx / openpyxl would try to open."""

from __future__ import annotations

import io
import random
import zipfile

MB = 1024 * 1024

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="word/document.xml"/></Relationships>'
)
_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
_TAIL = b"</w:body></w:document>"


def _docx(write_body: object) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as stream:
            stream.write(_HEAD)
            write_body(stream)  # type: ignore[operator]
            stream.write(_TAIL)
    return buffer.getvalue()


def docx_bomb(unpacked: int = 100 * MB) -> bytes:
    """Paragraphs of one repeated sentence until document.xml is ``unpacked`` bytes."""
    paragraph = "<w:p><w:r><w:t>对首次认定为国家高新技术企业的，给予一次性奖励20万元。</w:t></w:r></w:p>".encode()
    block = paragraph * (MB // len(paragraph))

    def body(stream: io.RawIOBase) -> None:
        for _ in range(unpacked // len(block)):
            stream.write(block)

    return _docx(body)


def docx_with_text_node(chars: int = 10 * MB) -> bytes:
    """One paragraph whose single text node is ``chars`` random letters (so it does not compress
    like a bomb: the text node itself is what is too long)."""
    letters = bytes(ord("a") + n % 26 for n in range(256))

    def body(stream: io.RawIOBase) -> None:
        stream.write(b"<w:p><w:r><w:t>")
        rng = random.Random(17)
        for _ in range(chars // MB):
            stream.write(rng.randbytes(MB).translate(letters))
        stream.write(b"</w:t></w:r></w:p>")

    return _docx(body)


def docx_nested(depth: int = 5000) -> bytes:
    def body(stream: io.RawIOBase) -> None:
        stream.write(b"<w:p>" + b"<w:r>" * depth + b"<w:t>x</w:t>" + b"</w:r>" * depth + b"</w:p>")

    return _docx(body)


def xlsx_bomb(valid: bytes, unpacked: int = 300 * MB) -> bytes:
    """``valid`` (a real .xlsx) with its first sheet replaced by ``unpacked`` bytes of empty rows."""
    source = zipfile.ZipFile(io.BytesIO(valid))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, source.read(info.filename))
                continue
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
                stream.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
                             b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
                block = row * (MB // len(row))
                for _ in range(unpacked // len(block)):
                    stream.write(block)
                stream.write(b"</sheetData></worksheet>")
    return buffer.getvalue()
