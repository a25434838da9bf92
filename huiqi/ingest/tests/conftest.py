"""Fixtures for the ingestion tests: real small documents in every format, an officer client."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD

SAMPLE_LINES = [
    "泉州市人民政府关于促进制造业高质量发展的若干措施",
    "泉政文〔2024〕12号",
    "各县（市、区）人民政府：",
    "一、对首次认定为国家高新技术企业的，给予一次性奖励20万元。",
    "二、对上年度营业收入2000万元以上的规模以上工业企业，按研发费用的10%给予补助，最高不超过50万元。"
    "申报材料：申请表、营业执照复印件。由市工信局审核，市财政局拨付。",
    "三、本措施自2024年1月1日起施行，有效期三年。",
    "泉州市人民政府",
    "2024年1月1日",
]
SAMPLE_TEXT = "\n".join(SAMPLE_LINES) + "\n"




def make_docx(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_html(lines: list[str]) -> bytes:
    body = "".join(f"<p>{line}</p>" for line in lines)
    return f"<html><head><title>{lines[0]}</title></head><body>{body}</body></html>".encode()


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("officer", display_name="政策专员张三") if _has_display_name() else make_user("officer")


def _has_display_name() -> bool:
    from huiqi.accounts.models import User

    return any(f.name == "display_name" for f in User._meta.get_fields())


@pytest.fixture
def officer_client(client: Any, officer: Any) -> Any:
    assert client.login(username=officer.username, password=PASSWORD)
    return client


@pytest.fixture
def upload(officer_client: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    def do(name: str, data: bytes) -> Any:
        return officer_client.post("/ingest/", {"file": SimpleUploadedFile(name, data)})

    return do


@pytest.fixture
def batch(upload: Any) -> Any:
    from huiqi.ingest.models import IngestBatch

    response = upload("measures.txt", SAMPLE_TEXT.encode())
    assert response.status_code == 302, response.content.decode()[:2000]
    return IngestBatch.objects.get()
