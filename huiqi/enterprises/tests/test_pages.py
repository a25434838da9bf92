from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from huiqi.audit.models import AuditEvent
from huiqi.enterprises.models import CorrectionRequest, DataStatus, Enterprise, YearFigure

from .helpers import good_rows, with_cell, wrong_check, xlsx_bytes

pytestmark = [pytest.mark.django_db]

PHONE = "13812345678"


@pytest.fixture
def firm(make_enterprise: Callable[..., Any]) -> Any:
    enterprise = make_enterprise(region="350503", name="丰泽示例电子有限公司", contact_phone=PHONE)
    YearFigure.objects.create(enterprise=enterprise, year=2024, field="revenue", value_number=Decimal("35000000"),
                              source="税务", as_of=date(2025, 3, 31))
    return enterprise


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_render_for_an_officer_in_region(firm: Any, make_user: Callable[..., Any]) -> None:
    client = as_user(make_user("officer", region="350500"))
    for url in ["/enterprises/", "/enterprises/?q=丰泽&region=350503&industry=C", f"/enterprises/{firm.uscc}/",
                "/enterprises/corrections/", "/enterprises/import/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert PHONE not in response.content.decode()
    page = client.get(f"/enterprises/{firm.uscc}/").content.decode()
    assert "138****5678" in page and "3,500 万元" in page and "税务" in page and "部门数据" in page
    assert "尚未取得资质数据" in page


@pytest.mark.parametrize(("role", "region", "expected"), [
    ("officer", "350500", 200), ("officer", "350503", 200), ("reviewer", "350000", 200), ("finance", "", 403),  # blank region covers nothing
    ("supervisor", "350500", 200), ("officer", "350100", 403), ("officer", "350582", 403),
    ("sysadmin", "", 403), ("auditor", "", 403), ("secadmin", "", 403),
])
def test_detail_access_follows_role_and_region(firm: Any, make_user: Callable[..., Any], role: str, region: str,
                                               expected: int) -> None:
    response = as_user(make_user(role, region=region)).get(f"/enterprises/{firm.uscc}/")
    assert response.status_code == expected
    if expected == 403:
        assert "无权" in response.content.decode()


def test_enterprise_user_sees_only_its_own_enterprise(firm: Any, make_user: Callable[..., Any],
                                                      make_enterprise: Callable[..., Any]) -> None:
    other = make_enterprise(region="350503")
    client = as_user(make_user("enterprise", enterprise=firm))
    assert client.get(f"/enterprises/{firm.uscc}/").status_code == 200
    assert client.get(f"/enterprises/{other.uscc}/").status_code == 403
    assert client.get("/enterprises/").status_code == 403
    assert client.get("/enterprises/import/").status_code == 403
    assert client.get("/enterprises/corrections/").status_code == 403
    mine = client.get("/my/profile/")
    assert mine.status_code == 200
    text = mine.content.decode()
    assert firm.name in text and "纠错/补充" in text and other.name not in text and PHONE not in text


def test_government_users_have_no_own_profile_and_anonymous_must_log_in(firm: Any,
                                                                        make_user: Callable[..., Any]) -> None:
    assert as_user(make_user("officer")).get("/my/profile/").status_code == 403
    anonymous = Client().get("/enterprises/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_list_is_limited_to_the_officers_region_and_filters(firm: Any, make_user: Callable[..., Any],
                                                            make_enterprise: Callable[..., Any]) -> None:
    fuzhou = make_enterprise(region="350102", name="福州示例软件有限公司", industry="6511")
    officer = as_user(make_user("officer", region="350500"))
    page = officer.get("/enterprises/").content.decode()
    assert firm.name in page and fuzhou.name not in page and "共 1 家" in page
    province = as_user(make_user("officer", region="350000"))
    assert fuzhou.name in province.get("/enterprises/?industry=I").content.decode()
    assert fuzhou.name not in province.get("/enterprises/?industry=C").content.decode()
    assert fuzhou.name in province.get(f"/enterprises/?q={fuzhou.uscc[:10]}").content.decode()
    empty = province.get("/enterprises/?q=不存在的企业").content.decode()
    assert "没有符合条件的企业" in empty


def test_filtered_list_exports_to_excel_with_masked_phones(firm: Any, make_user: Callable[..., Any]) -> None:
    response = as_user(make_user("officer")).get("/enterprises/?region=350503&export=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "统一社会信用代码" and len(rows) == 2
    assert rows[1][1] == firm.name and rows[1][8] == "138****5678"
    assert AuditEvent.objects.filter(action="enterprise.export").count() == 1


def test_import_page_shows_row_errors_or_counts(make_user: Callable[..., Any]) -> None:
    client = as_user(make_user("officer"))
    bad = with_cell(good_rows(), 2, "营业收入(万元)", -20)
    response = client.post("/enterprises/import/", {
        "file": SimpleUploadedFile("企业.xlsx", xlsx_bytes(bad)), "source": "市场监管", "as_of": "2025-03-31"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "营业收入(万元)" in text and "不能为负数（-20）" in text and Enterprise.objects.count() == 0
    response = client.post("/enterprises/import/", {
        "file": SimpleUploadedFile("企业.xlsx", xlsx_bytes(good_rows())), "source": "市场监管",
        "as_of": "2025-03-31"})
    assert response.status_code == 200
    assert "新建企业 2 家" in response.content.decode() and Enterprise.objects.count() == 2
    junk = client.post("/enterprises/import/", {"file": SimpleUploadedFile("企业.doc", b"junk"), "source": "x"})
    assert junk.status_code == 400 and "不支持的文件类型" in junk.content.decode()


def test_template_download(make_user: Callable[..., Any]) -> None:
    response = as_user(make_user("officer")).get("/enterprises/import/template.xlsx")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["企业数据", "说明"]


def test_correction_flow_through_the_pages(firm: Any, make_user: Callable[..., Any]) -> None:
    owner = as_user(make_user("enterprise", enterprise=firm))
    response = owner.post("/my/profile/correct/", {"year": "2023", "field": "employees", "proposed_value": "88",
                                                   "reason": "社保缴费名单"}, follow=True)
    assert "已提交" in response.content.decode()
    assert "企业自报，待核实" in owner.get("/my/profile/").content.decode()
    bad = owner.post("/my/profile/correct/", {"field_path": "years.2024.revenue", "proposed_value": "abc"},
                     follow=True)
    assert "「2024年营业收入」：不是数字（abc）" in bad.content.decode()
    officer = as_user(make_user("officer"))
    queue = officer.get("/enterprises/corrections/").content.decode()
    assert "2023年从业人员" in queue and "88" in queue
    request = CorrectionRequest.objects.get()
    outsider = as_user(make_user("officer", region="350100"))
    assert outsider.post(f"/enterprises/corrections/{request.pk}/decide/", {"action": "confirm"}).status_code == 403
    officer.post(f"/enterprises/corrections/{request.pk}/decide/", {"action": "confirm", "note": "已核对"})
    figure = YearFigure.objects.get(enterprise=firm, year=2023, field="employees")
    assert figure.status == DataStatus.CONFIRMED
    assert "企业自报，已核实" in owner.get("/my/profile/").content.decode()


def test_uscc_override_button(make_enterprise: Callable[..., Any], make_user: Callable[..., Any]) -> None:
    enterprise = make_enterprise(region="350503")
    enterprise.uscc = wrong_check(enterprise.uscc)
    enterprise.save()
    officer = as_user(make_user("officer"))
    page = officer.get(f"/enterprises/{enterprise.uscc}/").content.decode()
    assert "校验码不符" in page and "已核实无误，保留此代码" in page
    assert as_user(make_user("reviewer")).post(f"/enterprises/{enterprise.uscc}/uscc-override/").status_code == 403
    officer.post(f"/enterprises/{enterprise.uscc}/uscc-override/")
    enterprise.refresh_from_db()
    assert enterprise.uscc_check_overridden
