from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huiqi.core.files import MAX_BYTES, FileRefused
from huiqi.fulfilment import services
from huiqi.fulfilment.models import ApplicationMaterial

from .conftest import PDF, at

pytestmark = pytest.mark.django_db
LABEL = "设备购置合同及发票清单"


@pytest.fixture
def draft(item: Any, applicant: Any) -> Any:
    return services.application_create(actor=applicant, item=item, now=at(2026, 3, 2))


def _add(applicant: Any, draft: Any, upload: SimpleUploadedFile) -> ApplicationMaterial:
    return services.material_add(actor=applicant, application=draft, label=LABEL, upload=upload, now=at(2026, 3, 2))


def test_a_pdf_is_stored_under_a_random_name_and_keeps_its_own_name_for_display(applicant: Any, draft: Any,
                                                                                 settings: Any) -> None:
    material = _add(applicant, draft, SimpleUploadedFile("../../etc/发票清单.pdf", PDF))
    assert material.original_name == "发票清单.pdf"
    assert material.file.name.startswith("applications/") and "发票" not in material.file.name
    assert (settings.MEDIA_ROOT / material.file.name).read_bytes() == PDF


def test_an_executable_renamed_to_pdf_is_refused_and_nothing_is_stored(applicant: Any, draft: Any,
                                                                       settings: Any) -> None:
    with pytest.raises(FileRefused, match="内容与扩展名 .pdf 不符"):
        _add(applicant, draft, SimpleUploadedFile("合同.pdf", b"MZ\x90\x00" + b"\x00" * 100))
    assert not ApplicationMaterial.objects.exists()
    assert not (settings.MEDIA_ROOT / "applications").exists()


def test_an_unsupported_type_is_refused_by_name(applicant: Any, draft: Any) -> None:
    with pytest.raises(FileRefused, match="“设备购置合同及发票清单”的文件“清单.exe”类型不支持"):
        _add(applicant, draft, SimpleUploadedFile("清单.exe", b"MZ"))


def test_a_file_over_ten_megabytes_is_refused_with_its_size(applicant: Any, draft: Any) -> None:
    big = SimpleUploadedFile("扫描件.pdf", PDF + b"0" * (MAX_BYTES + 1 - len(PDF)))
    with pytest.raises(FileRefused, match="超过 10 MB"):
        _add(applicant, draft, big)


def test_a_real_xlsx_is_accepted_and_a_zip_posing_as_xlsx_is_not(applicant: Any, draft: Any) -> None:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    assert _add(applicant, draft, SimpleUploadedFile("清单.xlsx", buffer.getvalue())).kind == "xlsx"
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(FileRefused, match="不是有效的Excel"):
        _add(applicant, draft, SimpleUploadedFile("伪装.xlsx", fake.getvalue()))


def test_files_cannot_be_added_once_submitted(applicant: Any, submitted: Any) -> None:
    from huiqi.fulfilment.workflow import WorkflowError

    app = submitted(at(2026, 3, 2))
    with pytest.raises(WorkflowError, match="已提交"):
        _add(applicant, app, SimpleUploadedFile("补充.pdf", PDF))
