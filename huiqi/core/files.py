"""Checking uploaded files (申报材料, 诉求附件) before anything is stored: allowed types by extension
AND by the file's first bytes (a renamed .exe is refused), at most 10 MB, stored under a random name."""

from __future__ import annotations

import secrets
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 10 * 1024 * 1024
ALLOWED = {"pdf": "PDF", "jpg": "JPG 图片", "jpeg": "JPG 图片", "png": "PNG 图片", "docx": "Word 文档",
           "xlsx": "Excel 表格"}
_MAGIC = {"pdf": (b"%PDF-",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",),
          "docx": (b"PK\x03\x04",), "xlsx": (b"PK\x03\x04",)}
_OOXML_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


class FileRefused(ValueError):
    """The file was refused; the message names the file and says why (Chinese)."""


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    size: int
    original_name: str
    stored_name: str


def check_upload(upload: UploadedFile, *, label: str) -> CheckedFile:
    name = PurePath(upload.name or "").name[:200]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    where = f"“{label}”的文件“{name or '未命名'}”"
    if ext not in ALLOWED:
        raise FileRefused(f"{where}类型不支持：请上传 PDF、JPG、PNG、DOCX 或 XLSX 文件")
    size = int(upload.size or 0)
    if size == 0:
        raise FileRefused(f"{where}是空文件，请重新选择")
    if size > MAX_BYTES:
        raise FileRefused(f"{where}大小为 {size / 1024 / 1024:.1f} MB，超过 10 MB 上限，请压缩或拆分后上传")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in _MAGIC[ext]):
        raise FileRefused(f"{where}内容与扩展名 .{ext} 不符，请上传真实的{ALLOWED[ext]}")
    if ext in _OOXML_PART:
        try:
            with zipfile.ZipFile(upload) as archive:
                if _OOXML_PART[ext] not in archive.namelist():
                    raise FileRefused(f"{where}不是有效的{ALLOWED[ext]}")
        except zipfile.BadZipFile:
            raise FileRefused(f"{where}已损坏，无法打开") from None
        finally:
            upload.seek(0)
    return CheckedFile(kind="jpg" if ext == "jpeg" else ext, size=size, original_name=name,
                       stored_name=f"{secrets.token_hex(16)}.{'jpg' if ext == 'jpeg' else ext}")
