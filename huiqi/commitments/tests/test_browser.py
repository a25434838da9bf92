"""承诺必践 in real headless Chromium: an officer uploads a contract and confirms the drafted
commitments; with the clock set forward one goes overdue (reminder, then warning); the enterprise
uploads evidence for its own commitment and the officer confirms it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import PASSWORD

from .conftest import CONTRACT_TEXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, live_server: Any, user: Any) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_an_officer_uploads_and_confirms_then_overdue_warns_and_the_enterprise_evidence_is_confirmed(
        page: Any, browser: Any, live_server: Any, officer: Any, enterprise: Any, enterprise_user: Any,
        supervisor: Any, tmp_path: Path) -> None:
    from huiqi.commitments.models import Commitment, Contract
    from huiqi.commitments.services import commitments_sweep
    from huiqi.notifications.models import Notification

    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    source = tmp_path / "新材料产业园投资协议.txt"
    source.write_text(CONTRACT_TEXT, encoding="utf-8")
    _login(page, live_server, officer)
    page.goto(live_server.url + "/commitments/")
    page.click("text=登记政企合同")
    page.fill("input[name=title]", "新材料产业园项目")
    page.fill("input[name=uscc]", enterprise.uscc)
    page.fill("input[name=signed_on]", "2026-01-10")
    page.fill("input[name=amount]", "500000000")
    page.set_input_files("input[name=file]", str(source))
    page.click("#contract-form button[type=submit]")
    page.wait_for_url("**/commitments/contracts/*/")
    assert "起草了 4 条承诺事项" in page.inner_text(".messages")
    contract = Contract.objects.get()
    road = contract.commitments.get(clause_path="第三条")
    row = page.locator(f"#draft-{road.pk}")
    assert row.locator(f'select[name="r{road.pk}-side"]').input_value() == "government"
    assert row.locator(f'input[name="r{road.pk}-due_on"]').input_value() == "2026-12-15"
    page.click("#confirm-button")
    page.wait_for_selector("#commitments")
    assert "已确认 4 条承诺事项" in page.inner_text(".messages")
    assert Contract.objects.get().status == Contract.Status.ACTIVE

    # the clock set forward: four working days before, then past the due date
    tz = ZoneInfo("Asia/Shanghai")
    commitments_sweep(now=datetime(2026, 12, 9, 7, tzinfo=tz))
    commitments_sweep(now=datetime(2026, 12, 16, 7, tzinfo=tz))
    road.refresh_from_db()
    assert road.status == Commitment.Status.OVERDUE
    assert Notification.objects.filter(recipient=officer, title__startswith="承诺临期提醒").exists()
    assert Notification.objects.filter(recipient=supervisor, title__startswith="承诺逾期预警").exists()
    page.goto(live_server.url + "/commitments/")
    assert page.locator(f'#commitments a[href="/commitments/c/{road.pk}/"]').is_visible()

    revenue = contract.commitments.get(clause_path="第二条")
    context = browser.new_context(locale="zh-CN")
    ent = context.new_page()
    _login(ent, live_server, enterprise_user)
    ent.goto(live_server.url + "/commitments/mine/")
    assert "政府方" in ent.inner_text("#commitments")
    ent.click(f'a[href="/commitments/c/{revenue.pk}/"]')
    proof = tmp_path / "投产证明.pdf"
    proof.write_bytes(b"%PDF-1.4 proof")
    ent.set_input_files("#evidence-form input[name=file]", str(proof))
    ent.fill("#evidence-form input[name=note]", "已于2026年6月投产")
    ent.click("#evidence-form button[type=submit]")
    ent.wait_for_selector("text=佐证材料已上传")
    context.close()

    page.goto(live_server.url + f"/commitments/c/{revenue.pk}/")
    page.fill(".evidence-decide input[name=opinion]", "核对无误")
    page.click(".evidence-decide button[value=confirm]")
    page.wait_for_selector("text=已确认兑现")
    assert "已确认" in page.inner_text("#evidence")
    revenue.refresh_from_db()
    assert revenue.status == Commitment.Status.FULFILLED
    assert errors == []
