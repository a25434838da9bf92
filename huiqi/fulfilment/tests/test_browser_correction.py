"""In Chromium: a reviewer returns an application whose enterprise lacks data, naming a document
and a fact; the enterprise answers exactly those; finance confirms the missing fact on the review
panel and decides the last node (no dead end for data a reviewer cannot type in)."""

from __future__ import annotations

from typing import Any

import pytest

from huiqi.fulfilment.models import Application

from .conftest import CHECK, PDF
from .test_browser import _login
from .test_missing_data import EMPLOYEES

pytestmark = pytest.mark.browser


def test_a_correction_asks_for_a_document_and_a_fact_and_finance_decides_with_the_missing_data(
        page: Any, live_server: Any, transactional_db: Any, make_item: Any, applicant: Any, reviewer: Any,
        finance: Any, tmp_path: Any) -> None:
    item = make_item(conditions={"all": [
        {"field": "revenue", "op": ">=", "value": 5000000},
        {"field": "employees", "op": ">=", "value": 50},
        {"field": "input.equipment_investment", "op": ">=", "value": 1000000},
        {"check": CHECK}]})
    base = live_server.url
    contract = tmp_path / "设备购置合同.pdf"
    contract.write_bytes(PDF)
    _login(page, base, applicant.username)
    page.goto(f"{base}/fulfilment/apply/{item.code}/")
    page.click("text=开始申报")
    page.wait_for_url("**/fulfilment/applications/*/")
    page.fill("#in-equipment_investment", "2000000")
    page.set_input_files("#mat-0", str(contract))
    for box in page.query_selector_all("input[name^=commitment_]"):
        box.check()
    page.click("#submit-button")
    page.wait_for_selector("text=申报已提交受理")
    app = Application.objects.get(enterprise=applicant.enterprise, item=item)
    detail = f"{base}/fulfilment/applications/{app.pk}/"

    _login(page, base, reviewer.username)
    page.goto(detail)
    page.fill("#opinion", "请补充 2025 年用工情况")
    page.click("text=退回补正时要求企业补交的材料和说明")
    page.fill("#return_materials", "2025年社保缴纳人数证明")
    page.check("input[name=return_fact_0]")
    page.click("#review-panel button[value=return]")
    page.wait_for_selector("text=已退回企业补正")

    _login(page, base, applicant.username)
    page.goto(detail)
    request = page.inner_text("#correction-request")
    assert "2025年社保缴纳人数证明" in request and EMPLOYEES in request
    page.fill("#fact-0", "2025年末参保职工 86 人")
    certificate = tmp_path / "社保证明.pdf"
    certificate.write_bytes(PDF)
    page.set_input_files("text=补正要求补交 >> xpath=../following-sibling::input[@type='file'][1]", str(certificate))
    page.click("#submit-button")
    page.wait_for_selector("text=补正材料已提交")

    _login(page, base, reviewer.username)
    page.goto(detail)
    assert "2025年末参保职工 86 人" in page.inner_text("#correction-answers")
    page.check("input[name=check_0][value=yes]")
    page.click("#review-panel button[value=approve]")
    page.wait_for_selector("text=已审核通过")

    _login(page, base, finance.username)
    page.goto(detail)
    assert EMPLOYEES in page.inner_text("#review-panel")
    page.check("input[name=fact_0][value=yes]")
    page.fill("#opinion", "已核验社保证明")
    page.click("#review-panel button[value=approve]")
    page.wait_for_selector("text=办结并转入拨付")
    app.refresh_from_db()
    assert app.status == Application.Status.APPROVED and app.checks[EMPLOYEES] is True
