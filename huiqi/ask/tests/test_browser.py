"""问政策 in real headless Chromium: a visitor asks from the box on the home page, follows a
cited clause, and opens the 政策计算器 on the cited item; an enterprise user sees its own verdict
in the answer."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_asks_follows_the_cited_clause_opens_the_calculator_on_it_and_an_enterprise_sees_its_verdict(
        page: Any, live_server: Any, demo_library: Any) -> None:
    page.goto(live_server.url + "/")
    page.fill("#ask-box-q", "專精特新企業研發投入有什麼獎勵？")
    page.click("#ask-box input[type=submit]")
    page.wait_for_selector("#answer-1")
    first = page.locator("#answer-1")
    code = first.get_attribute("data-item")
    assert "出处：《" in first.inner_text() and "兑现方式" in first.inner_text()
    assert first.locator("a.ask-calculator").get_attribute("href") == f"/calculator/?item={code}"
    title = first.locator("a.ask-clause-link").inner_text()
    first.locator("a.ask-clause-link").click()
    page.wait_for_url(f"**/policies/{code}/")
    assert title in page.inner_text("h1")

    page.go_back()
    page.wait_for_selector("#answer-1")
    page.locator("#answer-1 a.ask-calculator").click()
    page.wait_for_url(f"**/calculator/?item={code}")
    assert title in page.inner_text(f"#calc-focus #calc-item-{code}")  # the cited item comes first

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "qiye_hengxin")
    page.fill("input[name=password]", "Huiqi@2026demo")
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url, timeout=60_000)
    page.goto(live_server.url + "/ask/")
    page.fill("#ask-q", "我们公司研发费用有补助吗")
    page.click("#ask-submit")
    page.wait_for_selector("#verdict-1")
    assert "晋江市恒鑫鞋业有限公司：符合" in page.inner_text("#verdict-1")
