"""The foundation pages in real headless Chromium, on a desktop and on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_explains_the_platform_and_its_ways_in(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/")
    assert "政策找企" in page.inner_text("h1")
    assert page.get_by_role("button", name="一键匹配").is_visible()
    assert page.get_by_role("link", name="登录", exact=True).is_visible()


def test_on_a_phone_the_menu_folds_and_opens(phone_page: Any, live_server: Any) -> None:
    phone_page.goto(live_server.url + "/")
    login_link = phone_page.get_by_role("link", name="登录", exact=True)
    assert not login_link.is_visible()
    phone_page.click("label.nav-toggle-label")
    assert login_link.is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"


def test_an_auditor_logs_in_sees_the_audit_log_and_logs_out(page: Any, live_server: Any, make_user: Any) -> None:
    auditor = make_user("auditor", region="", display_name="审计员王五")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", auditor.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    assert "审计员王五" in page.inner_text("header")
    page.click("text=审计日志")
    assert page.inner_text("h1") == "审计日志"
    assert "登录" in page.inner_text("table") and "auth.login" not in page.inner_text("table")
    page.click("text=校验哈希链")
    assert "哈希链完整" in page.inner_text("main")
    page.click("button:has-text('退出')")
    assert page.get_by_role("link", name="登录", exact=True).is_visible()


def test_a_wrong_password_shows_a_message_on_the_login_page(page: Any, live_server: Any, make_user: Any) -> None:
    officer = make_user("officer")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.inner_text("[role=alert]")
