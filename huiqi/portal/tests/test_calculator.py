"""政策计算器: verdicts and amounts for typed figures, the chosen item first, Chinese refusals,
nothing stored, and the JSON API."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from huiqi.audit.models import AuditEvent

from .conftest import LAST_YEAR, World

pytestmark = pytest.mark.django_db

REVENUE = f"fig-years.{LAST_YEAR}.revenue"
RD = f"fig-years.{LAST_YEAR}.rd_expense"


def _post(client: Client, data: dict[str, Any], *, item: str = "") -> Any:
    base = {"region": "350503", "qualification": ["hnte"]}
    return client.post("/calculator/result/", {**base, **data, **({"item": item} if item else {})})


def test_the_form_asks_for_the_figures_the_published_items_read_in_chinese(world: World, client: Client) -> None:
    html = client.get("/calculator/").content.decode()
    for label in (f"{LAST_YEAR}年营业收入", f"{LAST_YEAR}年研发费用", f"{LAST_YEAR}年纳税额", "成立日期"):
        assert label in html
    assert f"{LAST_YEAR}年利润总额" not in html  # no published item reads profit
    assert "高新技术企业" in html and "省级专精特新中小企业" in html  # the catalogue, in words
    assert "晋江市" in html and "制鞋业" in html  # regions and industries to choose from


def test_typed_figures_give_verdicts_and_the_amount_for_those_figures(world: World, client: Client) -> None:
    html = _post(client, {REVENUE: "3512", RD: "234.56", "fig-established_on": "2015-06-01"}).content.decode()
    rd = html.split('id="calc-item-qz-rd"')[1].split("</article>")[0]
    assert "符合" in rd and "23.46 万元" in rd
    hnte = html.split('id="calc-item-qz-hnte-a"')[1].split("</article>")[0]
    assert 'data-status="eligible"' in html.split('id="calc-item-qz-hnte-a"')[0][-200:] + hnte or "30 万元" in hnte
    assert "30 万元" in hnte

    more = _post(client, {REVENUE: "3512", RD: "900"}).content.decode()
    assert "50 万元" in more.split('id="calc-item-qz-rd"')[1].split("</article>")[0]  # the cap

    short = _post(client, {REVENUE: "1500", RD: "234.56"}).content.decode()
    assert 'id="calc-item-qz-rd"' not in short  # 营业收入 below 2,000 万元: not met
    assert "研发费用分段补助" in short.split("不符合")[-1]  # listed under 不符合 with the failed condition
    assert "营业收入" in short.split("研发费用分段补助")[-1]


def test_what_is_missing_is_said_in_words(world: World, client: Client) -> None:
    html = _post(client, {}).content.decode()
    rd = html.split('id="calc-item-qz-rd"')[1].split("</article>")[0]
    assert "可能符合" in rd and f"{LAST_YEAR}年营业收入" in rd
    assert "revenue" not in rd and "years." not in rd


def test_the_item_of_the_link_is_shown_first_with_its_figures_first(world: World, client: Client) -> None:
    html = client.get("/calculator/?item=qz-rd").content.decode()
    focus = html.split('id="calc-focus"')[1]
    assert focus.index('id="calc-item-qz-rd"') < focus.index("符合（")
    form = html.split('id="calc-form"')[1].split("</form>")[0]
    first_figures = [part.split('"')[0] for part in form.split('name="fig-')[1:3]]
    assert set(first_figures) == {f"years.{LAST_YEAR}.revenue", f"years.{LAST_YEAR}.rd_expense"}
    assert "本事项需要" in form
    assert 'value="350503"' not in form.split("selected")[0][-40:]  # the item is 泉州-wide: no county forced
    other = client.get("/calculator/?item=qz-known").content.decode()
    assert other.split('name="fig-')[1].startswith(f"years.{LAST_YEAR}.tax_paid")


@pytest.mark.parametrize(("typed", "message"), [
    ("很多", f"{LAST_YEAR}年营业收入：不是数字（很多）"),
    ("-5", f"{LAST_YEAR}年营业收入：不能为负数（-5）"),
    ("99999999999", f"{LAST_YEAR}年营业收入：数额过大"),
])
def test_a_bad_figure_is_refused_naming_the_field(world: World, client: Client, typed: str, message: str) -> None:
    response = _post(client, {REVENUE: typed})
    assert response.status_code == 400
    assert message in response.content.decode()
    page = client.post("/calculator/", {"region": "350503", REVENUE: typed})
    assert page.status_code == 400 and message in page.content.decode() and 'aria-invalid="true"' in page.content.decode()


def test_the_page_works_without_javascript_by_posting_the_whole_form(world: World, client: Client) -> None:
    response = client.post("/calculator/?item=qz-rd", {"region": "350503", "item": "qz-rd", REVENUE: "3512",
                                                         RD: "234.56"})
    html = response.content.decode()
    assert response.status_code == 200 and "23.46 万元" in html
    assert 'value="3512"' in html  # the typed figures stay in the form


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_nothing_typed_is_stored_or_logged(world: World, client: Client, caplog: Any) -> None:
    client.get("/calculator/?item=qz-rd")
    before = _row_counts()
    audit_before = AuditEvent.objects.count()
    with caplog.at_level(logging.DEBUG):
        assert _post(client, {REVENUE: "8765.43", RD: "234.56"}).status_code == 200
        assert client.post("/calculator/", {"region": "350503", REVENUE: "8765.43"}).status_code == 200
        assert client.post("/api/calculator", {"region": "350503", "figures": {
            f"years.{LAST_YEAR}.revenue": "87654300"}}, content_type="application/json").status_code == 200
    assert _row_counts() == before
    assert AuditEvent.objects.count() == audit_before
    assert "sessionid" not in client.cookies  # no session was opened for the visitor
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "8765.43" not in logged and "87654300" not in logged


def test_the_form_post_needs_its_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/calculator/result/", {"region": "350503"}).status_code == 403
    page = client.get("/calculator/")
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert client.post("/calculator/result/", {"region": "350503", "csrfmiddlewaretoken": token}).status_code == 200


def test_anonymous_posts_are_rate_limited(world: World, client: Client, settings: Any) -> None:
    settings.HUIQI_RATE_LIMITS = {"calculator": (2, 60)}
    assert _post(client, {}).status_code == 200
    assert _post(client, {}).status_code == 200
    third = _post(client, {})
    assert third.status_code == 429 and "查询过于频繁" in third.content.decode()
    api = client.post("/api/calculator", {}, content_type="application/json")
    assert api.status_code == 429


def test_the_api_answers_verdicts_amounts_as_decimal_strings_and_what_is_missing(world: World, client: Client) -> None:
    response = client.post("/api/calculator", {
        "region": "泉州市丰泽区", "qualifications": ["hnte"], "flags": {"dishonest": False},
        "figures": {f"years.{LAST_YEAR}.revenue": "35120000", f"years.{LAST_YEAR}.rd_expense": 2345600},
        "item": "qz-hnte-b"}, content_type="application/json")
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert items[0]["code"] == "qz-hnte-b" and items[0]["verdict"] == "possible"
    assert items[0]["missing"] == [{"key": "established_on", "label": "成立日期"}]
    assert items[0]["alternative_to"] == "qz-hnte-a"  # 惠中选惠: the higher amount of the group leads
    rd = next(i for i in items if i["code"] == "qz-rd")
    assert rd["verdict"] == "eligible" and rd["amount"]["min"] == rd["amount"]["max"] == "234560.00"
    assert rd["amount"]["text"] == "23.46 万元"
    assert {"key": f"years.{LAST_YEAR}.revenue", "label": f"{LAST_YEAR}年营业收入"} in response.json()["figures"]


def test_the_api_refuses_bad_input_in_chinese(world: World, client: Client) -> None:
    bad = client.post("/api/calculator", {"region": "999999", "figures": {f"years.{LAST_YEAR}.revenue": "-1"}},
                      content_type="application/json")
    assert bad.status_code == 400
    detail = bad.json()["detail"]
    assert "所在地区" in detail and f"{LAST_YEAR}年营业收入：不能为负数" in detail
    unknown = client.post("/api/calculator", {"figures": {"password": "1"}}, content_type="application/json")
    assert unknown.status_code == 400 and "无法识别的数据项" in unknown.json()["detail"]


def test_the_api_is_in_the_openapi_document(client: Client, db: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/calculator"]["post"]
    assert "政策计算器" in operation["summary"]
    assert {"400", "422", "429"} <= set(operation["responses"])
    assert "CalculatorIn" in schema["components"]["schemas"]


def test_the_calculator_is_linked_from_the_menu_the_home_page_and_each_published_item(world: World,
                                                                                       client: Client) -> None:
    home = client.get("/").content.decode()
    assert 'href="/calculator/">政策计算器</a>' in home  # the menu, for visitors too
    assert 'id="home-calculator"' in home
    detail = client.get("/policies/qz-rd/").content.decode()
    assert 'href="/calculator/?item=qz-rd" id="item-calculator">用计算器算一算' in detail


def test_an_item_of_another_region_says_so_instead_of_a_verdict(world: World, client: Client) -> None:
    html = client.post("/calculator/result/", {"region": "350503", "item": "fz-only"}).content.decode()
    focus = html.split('id="calc-focus"')[1].split("符合（")[0]
    assert "福州市数字经济奖励" in focus and "适用地区：福建省福州市" in focus and "所选地区不在该事项的适用范围内" in focus


def test_enterprise_users_have_the_calculator_in_their_menu_and_officers_keep_theirs_short(
        world: World, client: Client, make_user: Any) -> None:
    client.force_login(make_user("enterprise", enterprise=world.enterprise))
    assert 'href="/calculator/">政策计算器</a>' in client.get("/").content.decode()
    client.force_login(world.officer)
    home = client.get("/").content.decode()
    assert 'href="/calculator/">政策计算器</a>' not in home and 'id="home-calculator"' in home
