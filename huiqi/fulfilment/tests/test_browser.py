"""One 即申即享 application walked in real Chromium from submission to money: the enterprise
applies (the amount shows before submitting), the 主管部门 reviewer approves node 1, the finance
officer approves node 2 and then pays the batch; the enterprise sees the payment."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from huiqi.disbursement.models import Entitlement, LedgerEntry
from huiqi.disbursement.services import bank_account_set
from huiqi.fulfilment.models import Application

from .conftest import CHECK, PDF

pytestmark = pytest.mark.browser


def _login(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_an_instant_application_passes_two_review_nodes_and_is_paid_in_the_browser(
        page: Any, live_server: Any, transactional_db: Any, item: Any, applicant: Any, reviewer: Any,
        finance: Any, tmp_path: Any) -> None:
    base = live_server.url
    _login(page, base, applicant.username)
    page.goto(f"{base}/fulfilment/apply/{item.code}/")
    page.click("text=开始申报")
    page.wait_for_url("**/fulfilment/applications/*/")
    assert "税务" in page.inner_text("body")  # the profile figure with its source, not typed in
    page.fill("#in-equipment_investment", "2500000")
    # expect() polls without eval: the page's CSP forbids the string evaluation wait_for_function uses
    expect(page.locator("#quote-amount")).to_contain_text("250,000.00")
    contract = tmp_path / "设备购置合同.pdf"
    contract.write_bytes(PDF)
    page.set_input_files("#mat-0", str(contract))
    for box in page.query_selector_all("input[name^=commitment_]"):
        box.check()
    page.click("#submit-button")
    page.wait_for_selector("text=申报已提交受理")
    assert "审核中" in page.inner_text("#app-status")
    app = Application.objects.get(enterprise=applicant.enterprise, item=item)
    detail = f"{base}/fulfilment/applications/{app.pk}/"

    _login(page, base, reviewer.username)
    page.goto(f"{base}/fulfilment/queue/")
    page.click(f"text={app.reference}")
    page.check("input[name=check_0][value=yes]")
    assert CHECK in page.inner_text("#review-panel")
    page.fill("#opinion", "设备发票与合同一致")
    page.click("#review-panel button[value=approve]")
    page.wait_for_selector("text=已审核通过")

    _login(page, base, finance.username)
    page.goto(detail)
    page.fill("#opinion", "资金已落实")
    page.click("#review-panel button[value=approve]")
    page.wait_for_selector("text=办结并转入拨付")
    assert "审核通过" in page.inner_text("#app-status")
    assert "250,000.00" in page.inner_text("#amount-approved")
    assert "待拨付" in page.inner_text("#entitlement")  # handed to the ledger; payment follows there
    timeline = page.inner_text("#timeline")
    assert "主管部门确认" in timeline and "财政复核" in timeline
    app.refresh_from_db()
    assert app.status == Application.Status.APPROVED and app.entitlement_ref

    bank_account_set(actor=applicant, enterprise=applicant.enterprise, account_name=applicant.enterprise.name,
                     bank_name="泉州银行丰泽支行", number="6222 0200 8765 4321")
    page.goto(f"{base}/disbursement/budget/{item.pk}/")
    page.click("button:has-text('编制拨付批次')")
    assert "6222 **** **** 4321" in page.inner_text("#lines")
    page.fill("input[name=reference]", "国库支付 2026-0002")
    page.click("#confirm-paid")
    assert page.inner_text("#batch-status") == "已完成"
    entitlement = Entitlement.objects.get(enterprise=applicant.enterprise, item=item)
    assert entitlement.status == "paid"
    assert LedgerEntry.objects.filter(entitlement=entitlement).count() == 1

    _login(page, base, applicant.username)
    page.goto(f"{base}/disbursement/mine/")
    assert "250,000.00" in page.inner_text("main") and "已拨付" in page.inner_text("main")
