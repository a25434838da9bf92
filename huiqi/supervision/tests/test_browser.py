"""评与督 in real headless Chromium: the supervisor's 驾驶舱 with the Fujian map and ranking,
drill-down to one application; an enterprise rating its paid application; a 督办 order from
issue to a published 整改 result."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conftest import PASSWORD
from huiqi.supervision import services
from huiqi.supervision.models import Rating, SupervisionOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def _logout(page: Any) -> None:
    page.click("button:has-text('退出')")


def test_supervisor_drills_down_enterprise_rates_and_an_order_reaches_a_published_result(
        page: Any, live_server: Any, paid: Any, applicant: Any, make_user: Any) -> None:
    make_user("supervisor", username="supervisor_fj", region="350000")
    make_user("officer", username="officer_qz", region="350500")
    services.index_snapshot_month(actor=None, month=date(2026, 11, 1))
    base = live_server.url

    _login(page, base, "supervisor_fj")
    page.goto(base + "/supervision/")
    page.wait_for_selector("#map[data-ready='1'] canvas")
    assert "泉州市" in page.inner_text("#ranking")
    assert "指标说明" in page.inner_text("#explain")
    page.click("#ranking a:has-text('泉州市')")
    # The prefecture page draws its counties as a map (vendored boundaries), coloured by code.
    page.wait_for_selector("#map[data-ready='1'] canvas")
    series = page.evaluate("echarts.getInstanceByDom(document.getElementById('map')).getOption().series[0]")
    assert series["type"] == "map"
    county = paid.enterprise.region
    shape = next(d for d in series["data"] if d["code"] == county)
    assert shape["value"] is not None and shape["itemStyle"]["areaColor"] != "#ddd"
    page.click("#departments a:has-text('泉州市工业和信息化局')")
    page.click(f"#items a:has-text('{paid.item.title}')")
    page.click(f"#applications a:has-text('{paid.reference}')")
    assert paid.reference in page.content()
    _logout(page)

    _login(page, base, applicant.username)
    page.goto(base + "/supervision/ratings/")
    page.click("#pending a:has-text('去评价')")
    page.check("input[name=score][value='5']")
    page.check("input[name=tags][value='速度']")
    page.fill("textarea[name=comment]", "到账很快")
    page.click("#rate-form button[type=submit]")
    assert "到账很快" in page.inner_text("#mine")
    rating = Rating.objects.get()
    assert (rating.application_id, rating.score, rating.tags) == (paid.pk, 5, ["速度"])
    _logout(page)

    _login(page, base, "supervisor_fj")
    page.goto(base + "/supervision/orders/?region=350500&source=red_light")
    page.fill("textarea[name=reason]", "泉州市审核环节红灯偏多")
    page.click("#raise-form button[type=submit]")
    assert page.inner_text("#order-status") == "已下发"
    order = SupervisionOrder.objects.get()
    _logout(page)

    _login(page, base, "officer_qz")
    page.goto(base + f"/supervision/orders/{order.pk}/")
    page.click("#action-acknowledge")
    page.fill("textarea[name=text]", "已增派审核人员，建立超期件台账")
    page.click("#action-reply")
    assert page.inner_text("#order-status") == "已报整改"
    _logout(page)

    _login(page, base, "supervisor_fj")
    page.goto(base + f"/supervision/orders/{order.pk}/")
    page.click("#action-accept")
    assert page.inner_text("#order-status") == "整改通过"
    _logout(page)
    page.goto(base + "/supervision/results/")  # public, no login
    assert "已增派审核人员，建立超期件台账" in page.content()


def test_the_dashboard_fits_a_phone(phone_page: Any, live_server: Any, paid: Any, make_user: Any) -> None:
    make_user("supervisor", username="supervisor_fj", region="350000")
    services.index_snapshot_month(actor=None, month=date(2026, 11, 1))
    _login(phone_page, live_server.url, "supervisor_fj")
    phone_page.goto(live_server.url + "/supervision/")
    phone_page.wait_for_selector("#map[data-ready='1'] canvas")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
