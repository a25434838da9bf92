"""At 1366 × 768 (the most common office screen) the menu of the officer with the most entries
stays on one line in Chromium: a menu that wraps pushes every page down and hides entries."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_accounts(settings: Any) -> list[Any]:
    from huiqi.accounts.models import Role, User
    from huiqi.demo.loader import ACCOUNTS, load_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo(enterprises=40, seed=7)
    return list(User.objects.filter(username__in=[a.username for a in ACCOUNTS], role=Role.OFFICER))


def test_the_fullest_officer_menu_fits_one_line_at_1366_pixels(browser: Any, live_server: Any,
                                                               demo_accounts: list[Any]) -> None:
    from huiqi.core.context_processors import navigation
    from huiqi.demo.loader import DEMO_PASSWORD

    officer = max(demo_accounts, key=lambda user: sum(navigation(user).values()))
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".nav-user")

    layout = page.evaluate("""() => {
        const items = [...document.querySelectorAll('.topbar .nav > a, .topbar .nav > span, .topbar .nav > form')];
        const box = e => e.getBoundingClientRect();
        return {tops: items.map(e => Math.round(box(e).top + box(e).height / 2)),
                names: items.map(e => e.textContent.trim()),
                brand: Math.round(box(document.querySelector('.brand')).top + box(document.querySelector('.brand')).height / 2),
                navHeight: box(document.querySelector('.topbar .nav')).height,
                lineHeight: box(items[0]).height};
    }""")
    context.close()
    assert len(layout["names"]) >= 12, layout["names"]  # the full officer menu, not a short one
    rows = sorted(set(layout["tops"]))
    assert len(rows) == 1, f"菜单折成了 {len(rows)} 行：{list(zip(layout['names'], layout['tops'], strict=True))}"
    assert abs(layout["brand"] - rows[0]) <= 2, "菜单被挤到了站名下方"
    assert layout["navHeight"] < 2 * layout["lineHeight"]
