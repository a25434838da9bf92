"""Checks an Office Open XML file (.docx, .xlsx) is not a decompression bomb BEFORE any parser
opens it: entry count, declared unpacked size (total and per entry), compression ratio, and —
streaming each XML part through expat without building a tree — element nesting depth, the
longest single text node, and any DTD (Office files never carry one; a DTD is how entity
expansion attacks start).

The declared sizes are trustworthy for the parsers that follow: Python's ``zipfile`` (used by
python-docx and openpyxl) never returns more than an entry's declared size and fails the CRC if
the data was longer. Messages are Chinese because officers read them.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

MB = 1024 * 1024


class ArchiveRefused(ValueError):
    """The file is refused before parsing; ``str(exc)`` is a Chinese message for the uploader."""


class ArchiveCorrupt(ArchiveRefused):
    """Not a zip at all, or a damaged one (callers may word this their own way)."""


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int = 1000
    max_total_bytes: int = 64 * MB
    max_entry_bytes: int = 32 * MB
    max_ratio: float = 200.0  # unpacked / packed, for entries large enough to matter
    ratio_floor_bytes: int = 1 * MB  # entries smaller than this unpacked are not ratio-checked
    max_depth: int = 200
    max_text_chars: int = 1_000_000  # one text node
    xml_suffixes: tuple[str, ...] = (".xml", ".rels", ".vml")


DOCX_LIMITS = ArchiveLimits()
# A 50,000-row enterprise sheet unpacks to ~60 MB of XML; allow that, no more.
XLSX_LIMITS = ArchiveLimits(max_total_bytes=200 * MB, max_entry_bytes=160 * MB, max_text_chars=100_000)

_CHUNK = 64 * 1024


def _mb(size: int) -> str:
    return f"{size / MB:.0f} MB"


def check_archive(data: bytes, *, limits: ArchiveLimits = DOCX_LIMITS) -> None:
    """Raise ``ArchiveRefused`` when ``data`` is not a zip or exceeds ``limits``; return quietly
    otherwise. Reads at most the declared sizes, one chunk at a time."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveCorrupt("文件已损坏或不是 Office（.docx/.xlsx）格式，无法读取") from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_entries:
            raise ArchiveRefused(f"文件内部包含 {len(entries)} 个部件，超过上限 {limits.max_entries} 个，拒绝解析")
        total = 0
        for entry in entries:
            total += entry.file_size
            if entry.file_size > limits.max_entry_bytes:
                raise ArchiveRefused(
                    f"文件解压后的部件“{entry.filename}”达 {_mb(entry.file_size)}，超过上限"
                    f" {_mb(limits.max_entry_bytes)}，疑似压缩炸弹，拒绝解析")
            if (entry.file_size >= limits.ratio_floor_bytes
                    and entry.file_size > limits.max_ratio * max(entry.compress_size, 1)):
                raise ArchiveRefused(
                    f"文件的部件“{entry.filename}”压缩比异常（约 {entry.file_size // max(entry.compress_size, 1)} 倍），"
                    "疑似压缩炸弹，拒绝解析")
        if total > limits.max_total_bytes:
            raise ArchiveRefused(
                f"文件解压后共 {_mb(total)}，超过上限 {_mb(limits.max_total_bytes)}，疑似压缩炸弹，拒绝解析")
        for entry in entries:
            if entry.filename.lower().endswith(limits.xml_suffixes) and not entry.is_dir():
                _check_xml(archive, entry, limits)


def _check_xml(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limits: ArchiveLimits) -> None:
    parser = expat.ParserCreate()
    depth = 0
    text = 0
    name = entry.filename

    def start(_tag: str, _attrs: object) -> None:
        nonlocal depth, text
        depth += 1
        text = 0
        if depth > limits.max_depth:
            raise ArchiveRefused(f"文件的部件“{name}”嵌套超过 {limits.max_depth} 层，拒绝解析")

    def end(_tag: str) -> None:
        nonlocal depth, text
        depth -= 1
        text = 0

    def chars(data: str) -> None:
        nonlocal text
        text += len(data)
        if text > limits.max_text_chars:
            raise ArchiveRefused(
                f"文件的部件“{name}”中有一段连续文字超过 {limits.max_text_chars:,} 字，拒绝解析；请检查文件内容")

    def doctype(*_args: object) -> None:
        raise ArchiveRefused(f"文件的部件“{name}”含有文档类型定义（DTD），Office 文件不应包含，拒绝解析")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = doctype
    parser.buffer_text = True
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise ArchiveCorrupt(f"文件的部件“{name}”不是有效的 XML，文件可能已损坏") from exc
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ArchiveCorrupt("文件已损坏，无法解压") from exc
