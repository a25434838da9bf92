"""政策找企 for officers: the item's matching enterprises of their region, filterable and exported
to an Excel file whose amounts are numbers."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from conftest import PASSWORD
from huiqi.enterprises.models import YearFigure
from huiqi.matching.services import match_item_recompute
from huiqi.policies.models import PolicyDocument, PolicyItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched(department: Any, make_enterprise: Any) -> PolicyItem:
    document = PolicyDocument.objects.create(title="泉州市研发奖励", issuer="泉州市工信局", level="city", region="350500",
                                             department=department, doc_number="泉工信〔2026〕1号")
    item = PolicyItem.objects.create(
        document=document, code="qz-rd-award", title="研发投入奖励", region="350500", department=department,
        mode="即申即享", status=PolicyItem.Status.PUBLISHED, reward={"fixed": 100000},
        valid_from=date(2024, 1, 1), window_end=timezone.localdate() + timedelta(days=30),
        conditions={"field": "revenue", "op": ">=", "value": 10000000})
    year = timezone.localdate().year - 1
    for name, region, revenue in (("=HYPERLINK(\"x\")晋江甲公司", "350582", "20000000"),
                                  ("南安乙公司", "350583", "30000000"), ("晋江丙公司", "350582", None),
                                  ("福州丁公司", "350102", "50000000")):
        e = make_enterprise(name=name, region=region)
        if revenue:
            YearFigure.objects.create(enterprise=e, year=year, field="revenue", value_number=Decimal(revenue),
                                      source="税务", as_of=date(year + 1, 3, 31))
    match_item_recompute(item_id=item.pk)
    return item


def _officer(make_user: Any) -> Client:
    client = Client()
    user = make_user("officer", region="350500")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_an_officer_sees_the_region_s_matching_enterprises_with_amounts_and_what_is_missing(
        matched: PolicyItem, make_user: Any) -> None:
    page = _officer(make_user).get(f"/matching/items/{matched.code}/").content.decode()
    assert "南安乙公司" in page and "晋江丙公司" in page and "10 万元" in page
    assert "福州丁公司" not in page, "an enterprise outside the officer's region is not listed"
    assert "营业收入数据" in page or "营业收入" in page  # 晋江丙 lacks revenue: named in words
    only_possible = _officer(make_user).get(f"/matching/items/{matched.code}/?status=possible").content.decode()
    assert "晋江丙公司" in only_possible and "南安乙公司" not in only_possible
    nanan = _officer(make_user).get(f"/matching/items/{matched.code}/?region=350583").content.decode()
    assert "南安乙公司" in nanan and "晋江丙公司" not in nanan


def test_the_export_has_numeric_amounts_and_no_formula_cells(matched: PolicyItem, make_user: Any) -> None:
    response = _officer(make_user).get(f"/matching/items/{matched.code}/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=False))
    assert [c.value for c in rows[0]][:4] == ["企业名称", "统一社会信用代码", "所在地区", "匹配结果"]
    assert len(rows) == 4  # header + the three enterprises of 泉州
    assert all(c.data_type != "f" for row in rows for c in row)
    amounts = [row[5].value for row in rows[1:]]
    assert all(isinstance(a, (int, float)) for a in amounts) and sum(amounts) == 300000


def test_enterprise_users_cannot_list_an_item_s_enterprises(matched: PolicyItem, make_user: Any) -> None:
    client = Client()
    user = make_user("enterprise")
    assert client.login(username=user.username, password=PASSWORD)
    assert client.get(f"/matching/items/{matched.code}/").status_code == 403


def test_the_officer_s_enterprise_page_lists_its_matches(matched: PolicyItem, make_user: Any) -> None:
    from huiqi.enterprises.models import Enterprise

    nanan = Enterprise.objects.get(name="南安乙公司")
    page = _officer(make_user).get(f"/enterprises/{nanan.uscc}/").content.decode()
    assert "匹配的政策（1）" in page and "研发投入奖励" in page
