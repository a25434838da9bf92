"""政策计算器 in real headless Chromium: the result follows the typing without a page load."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import LAST_YEAR, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_on_item(page: Any, url: str) -> list[str]:
    loads: list[str] = []
    page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)
    page.goto(url)
    return loads


def test_a_visitor_opens_the_calculator_on_an_item_types_figures_and_the_amount_follows(
        page: Any, live_server: Any, world: World) -> None:
    loads = _open_on_item(page, live_server.url + "/calculator/?item=qz-rd")
    focus = page.locator("#calc-focus #calc-item-qz-rd")
    assert "研发费用分段补助" in focus.inner_text() and "可能符合" in focus.inner_text()
    first_field = page.locator("#calc-form .calc-figure").first
    assert "本事项需要" in first_field.inner_text()

    page.select_option("#calc-region", "350503")
    page.fill(f"input[name='fig-years.{LAST_YEAR}.revenue']", "3512")
    page.fill(f"input[name='fig-years.{LAST_YEAR}.rd_expense']", "234.56")
    expect(page.locator("#calc-focus .amount")).to_contain_text("23.46 万元")
    assert "符合" in page.inner_text("#calc-focus #calc-item-qz-rd")

    page.fill(f"input[name='fig-years.{LAST_YEAR}.rd_expense']", "120")
    expect(page.locator("#calc-focus .amount")).to_contain_text("12 万元")
    assert len(loads) == 1, f"the page was loaded again: {loads}"
    assert page.url.endswith("/calculator/?item=qz-rd")


def test_a_bad_figure_is_named_in_the_result_as_it_is_typed(phone_page: Any, live_server: Any, world: World) -> None:
    phone_page.goto(live_server.url + "/calculator/")
    phone_page.fill(f"input[name='fig-years.{LAST_YEAR}.revenue']", "很多")
    phone_page.wait_for_selector("#calc-errors")
    assert f"{LAST_YEAR}年营业收入：不是数字（很多）" in phone_page.inner_text("#calc-errors")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is wider than the phone: {width}px"
