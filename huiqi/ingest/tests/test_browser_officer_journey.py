"""The officer's journey in real headless Chromium: upload a policy of its own department, confirm
the drafted item, find it in 事项管理 and open it; once a reviewer has published it, open its list
of matching enterprises (eligible and possible, with amounts and what is missing), filter it and
export it to Excel."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import PASSWORD
from huiqi.enterprises.models import YearFigure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLICY_TEXT = "\n".join([
    "泉州市工业和信息化局关于支持企业研发投入的若干措施",
    "泉工信〔2026〕21号",
    "各县（市、区）工信局：",
    "一、对上年度营业收入2000万元以上的企业，按研发费用的10%给予补助，最高不超过50万元。"
    "申报材料：申请表、营业执照复印件。由市工信局审核，市财政局拨付。",
    "二、本措施自2026年1月1日起施行，有效期至2030年12月31日。",
    "泉州市工业和信息化局",
]) + "\n"
LAST_YEAR = timezone.localdate().year - 1


def _figures(enterprise: Any, **values: str) -> None:
    for field, value in values.items():
        YearFigure.objects.create(enterprise=enterprise, year=LAST_YEAR, field=field, value_number=Decimal(value),
                                  source="统计", as_of=timezone.localdate())


def _login(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_an_officer_sees_its_own_new_item_and_the_enterprises_that_match_it(
        page: Any, live_server: Any, make_user: Any, make_enterprise: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from huiqi.matching.services import match_jobs_run_queued
    from huiqi.policies.models import PolicyItem

    officer = make_user("officer", username="officer-qz")
    reviewer = make_user("reviewer", username="reviewer-qz")
    eligible = make_enterprise(name="泉州研发电子有限公司")
    _figures(eligible, revenue="30000000", rd_expense="2000000")
    possible = make_enterprise(name="泉州待补数据机械有限公司")
    _figures(possible, rd_expense="1000000")  # no revenue on file: the rules cannot decide
    small = make_enterprise(name="泉州小微贸易有限公司")
    _figures(small, revenue="5000000", rd_expense="100000")
    source = tmp_path / "泉州研发投入措施.txt"
    source.write_text(POLICY_TEXT, encoding="utf-8")
    base = live_server.url

    _login(page, base, officer.username)
    page.goto(base + "/ingest/")
    page.set_input_files("input[name=file]", str(source))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/ingest/*/")
    page.locator("[data-confirm-form] button").first.click()
    page.wait_for_selector(".messages >> text=已进入政策库")
    item = PolicyItem.objects.get()
    assert item.department_id == officer.department_id
    page.click(f"a:has-text('{item.title}')")  # the success link opens the officer's own draft
    assert page.inner_text("h1").strip().startswith(item.title)

    page.click("header .nav a:has-text('事项管理')")
    listing = page.inner_text("main table")
    assert item.title in listing and item.code not in listing
    page.click(f"main table a:has-text('{item.title}')")
    assert item.title in page.inner_text("h1")

    _login(page, base, reviewer.username)
    page.goto(base + f"/policies/{item.code}/")
    page.click("button:has-text('审核通过')")
    page.click("button:has-text('发布')")
    item.refresh_from_db()
    assert item.status == PolicyItem.Status.PUBLISHED
    assert item.department_id == officer.department_id  # publishing keeps it with its author's department
    match_jobs_run_queued()  # what the worker does after a publication

    _login(page, base, officer.username)
    page.goto(base + f"/policies/{item.code}/")
    page.click("a:has-text('匹配企业名单')")
    table = page.inner_text("main table")
    assert eligible.name in table and possible.name in table and small.name not in table
    eligible_row = page.inner_text(f"tr:has-text('{eligible.name}')")
    assert "符合" in eligible_row and "20 万元" in eligible_row
    possible_row = page.inner_text(f"tr:has-text('{possible.name}')")
    assert "可能符合" in possible_row and "营业收入" in possible_row

    page.select_option("#status", "possible")
    page.click("form.filters button:has-text('筛选')")
    filtered = page.inner_text("main table")
    assert possible.name in filtered and eligible.name not in filtered

    page.select_option("#status", "")
    page.click("form.filters button:has-text('筛选')")
    with page.expect_download() as download_info:
        page.click("#export")
    saved = tmp_path / "matches.xlsx"
    download_info.value.save_as(saved)
    rows = list(load_workbook(io.BytesIO(saved.read_bytes())).worksheets[0].iter_rows(values_only=True))
    header, body = rows[0], {row[0]: row for row in rows[1:]}
    assert set(body) == {eligible.name, possible.name}
    amount = header.index("金额下限（元）")
    assert body[eligible.name][header.index("匹配结果")] == "符合"
    assert isinstance(body[eligible.name][amount], (int, float)) and body[eligible.name][amount] == 200000
    assert "营业收入" in body[possible.name][header.index("待补充数据")]
