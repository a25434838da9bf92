"""One 免申即享 run in real headless Chromium: listing, confirmation, the public 公示, time passing,
payment by a finance officer."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from huiqi.disbursement.models import AutoRun, Entitlement, LedgerEntry
from huiqi.disbursement.services import bank_account_set, runs_sweep
from huiqi.workdays.selectors import work_calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_an_officer_runs_an_auto_item_the_public_sees_the_notice_and_finance_pays_it(
        page: Any, live_server: Any, make_item: Any, scaled: Any, officer: Any, finance: Any, make_user: Any) -> None:
    item = make_item()
    for name in ("泉州甲电子有限公司", "泉州乙机械有限公司"):
        enterprise = scaled(name)
        bank_account_set(actor=make_user("enterprise", enterprise=enterprise), enterprise=enterprise,
                         account_name=name, bank_name="泉州银行丰泽支行", number="6222 0200 1234 5678")
    base = live_server.url

    _login(page, base, officer.username)
    page.goto(base + "/disbursement/")
    page.fill("input[name=period]", "2025")
    page.click("button:has-text('生成名单')")
    assert "免申即享批次" in page.inner_text("h1")
    assert "泉州甲电子有限公司" in page.inner_text("#included")
    page.click("button:has-text('确认名单并公示')")
    assert page.inner_text("#run-status") == "公示中"

    run = AutoRun.objects.get()
    page.click("button:has-text('退出')")
    page.goto(base + f"/disbursement/notices/{run.pk}/")  # anonymous, as the public sees it
    listing = page.inner_text("#notice-list")
    assert "泉州乙机械有限公司" in listing and "100,000.00 元" in listing
    uscc = run.lines.first().enterprise.uscc  # type: ignore[union-attr]
    assert uscc not in listing and f"{uscc[:6]}****{uscc[-2:]}" in listing

    # Time passes: the scheduled sweep runs on the first working day after the 公示.
    run.refresh_from_db()
    assert run.publicity_ends_on is not None
    assert runs_sweep(today=work_calendar().add_workdays(run.publicity_ends_on, 1)) == [run.pk]

    _login(page, base, finance.username)
    page.goto(base + f"/disbursement/budget/{item.pk}/")
    page.click("button:has-text('编制拨付批次')")
    assert "6222 **** **** 5678" in page.inner_text("#lines")
    page.fill("input[name=reference]", "国库支付 2026-0001")
    page.click("#confirm-paid")
    assert page.inner_text("#batch-status") == "已完成"
    assert LedgerEntry.objects.count() == 2
    assert set(Entitlement.objects.values_list("status", flat=True)) == {"paid"}
