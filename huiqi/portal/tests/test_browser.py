"""一键匹配 and 我的政策 in real headless Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PASSWORD

from .conftest import PRIVATE_SPELLINGS, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_finds_an_enterprise_by_part_of_its_name_then_the_enterprise_logs_in_and_sees_amounts(
        page: Any, live_server: Any, world: World, make_user: Any) -> None:
    page.goto(live_server.url + "/quick-match/")
    page.fill("#qm-input", "星河电子")
    suggestion = page.locator("#qm-suggestions button.suggestion").first
    suggestion.wait_for()
    assert world.enterprise.name in suggestion.inner_text()
    suggestion.click()
    page.wait_for_selector("#qm-enterprise")
    assert page.inner_text("#qm-enterprise") == world.enterprise.name
    main = page.inner_text("main")
    assert "研发费用分段补助" in main and "高新技术企业认定奖励" in main and "登录后判断" in main
    html = page.content()
    for spelling in PRIVATE_SPELLINGS:
        assert spelling not in html, f"private figure {spelling} shown to an anonymous visitor"

    owner = make_user("enterprise", enterprise=world.enterprise, username="xinghe")
    page.goto(live_server.url + "/accounts/login/?next=/my/")
    page.fill("input[name=username]", owner.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/my/")
    rd = page.inner_text("#item-qz-rd")
    assert "23.46 万元" in rd and "3,512 万元" in rd and "免申即享，无需申请" in rd
    hnte = page.inner_text("#item-qz-hnte-a")
    assert "30 万元" in hnte and "还剩 20 天" in hnte and "惠中选惠" in hnte
    assert "由审核人员在申报时确认" in page.inner_text("#item-qz-review")
