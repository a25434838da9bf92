"""Issue 10's browser walk in real Chromium: an enterprise files a 投诉; the dispatcher assigns it;
the department signs and answers; the enterprise rates 不满意; it comes back (二次交办); the second
answer is rated 满意; the timeline (一案一卡) shows every step."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD
from huiqi.tickets.models import Ticket

pytestmark = pytest.mark.browser


def _login(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _sign_and_answer(page: Any, base: str, username: str, url: str, answer: str) -> None:
    _login(page, base, username)
    page.goto(f"{base}/tickets/")
    page.click("#tickets a")
    page.wait_for_url(url)
    page.click("#sign-button")
    page.wait_for_selector("text=已签收")
    page.fill("#answer-text", answer)
    page.click("#answer-button")
    page.wait_for_selector("text=已答复企业")


def _rate(page: Any, base: str, username: str, url: str, rating: str, answer: str) -> None:
    _login(page, base, username)
    page.goto(url)
    assert answer in page.inner_text("#answer")
    page.check(f"#rate-{rating}")
    page.click("#rate-button")
    page.wait_for_selector("text=评价已提交")


def test_a_complaint_is_answered_twice_after_an_unsatisfied_rating_in_the_browser(
        page: Any, live_server: Any, transactional_db: Any, applicant: Any, dispatcher: Any, handler: Any,
        department: Any) -> None:
    base = live_server.url
    _login(page, base, applicant.username)
    page.goto(f"{base}/tickets/new/")
    page.select_option("#category", "投诉")
    page.fill("#title", "技改设备补助迟迟未拨付")
    page.fill("#content", "去年申报的技改设备补助已审核通过，至今未到账，请协调。")
    page.fill("input[name=contact_phone]", "13812345678")
    page.click("#ticket-submit")
    page.wait_for_selector("text=诉求已登记")
    ticket = Ticket.objects.get()
    url = f"{base}/tickets/{ticket.pk}/"
    assert "待分办" in page.inner_text("#ticket-status")
    assert "138****5678" in page.inner_text("#ticket-card") and "13812345678" not in page.content()

    _login(page, base, dispatcher.username)
    page.goto(url)
    page.select_option("#lead", str(department.pk))
    page.click("#assign-button")
    page.wait_for_selector(f"text=已分办至{department.name}")

    _sign_and_answer(page, base, handler.username, url, "已与财政局对接，预计下周拨付。")
    _rate(page, base, applicant.username, url, "unsatisfied", "预计下周拨付")
    assert "待签收" in page.inner_text("#ticket-status") and "二次交办" in page.inner_text("#ticket-card")

    _sign_and_answer(page, base, handler.username, url, "资金已于今日拨付至企业账户。")
    _rate(page, base, applicant.username, url, "satisfied", "资金已于今日拨付")
    assert "已办结" in page.inner_text("#ticket-status")
    timeline = page.inner_text("#timeline")
    for words in ("登记投诉", "分办至", "签收", "答复企业", "不满意，二次交办", "企业评价：满意，办结"):
        assert words in timeline, words
    assert timeline.count("答复企业") == 2 and timeline.count("签收") >= 2
