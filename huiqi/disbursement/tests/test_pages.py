from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from huiqi.audit.models import AuditEvent
from huiqi.disbursement.models import Objection, RunLine
from huiqi.disbursement.services import (
    bank_account_set,
    batch_create,
    entitlement_grant,
    run_confirm,
    run_create,
    run_line_decide,
)

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def notice(make_item: Any, scaled: Any, officer: Any) -> Any:
    scaled("泉州公示甲有限公司")
    scaled("泉州公示乙有限公司")
    run = run_create(actor=officer, item=make_item(), period="2025")
    for line in run.lines.filter(decision=RunLine.Decision.PENDING):
        run_line_decide(actor=officer, line=line, include=False, reason="测试")
    run_confirm(actor=officer, run=run)
    return run


def test_the_public_notice_needs_no_login_and_masks_the_credit_codes(notice: Any) -> None:
    response = Client().get(f"/disbursement/notices/{notice.pk}/")
    body = response.content.decode()
    assert response.status_code == 200 and "泉州公示甲有限公司" in body and "100,000.00 元" in body
    for line in notice.lines.select_related("enterprise"):
        uscc = line.enterprise.uscc
        assert uscc not in body and f"{uscc[:6]}****{uscc[-2:]}" in body


def test_the_public_lists_every_notice_from_the_home_page_and_the_item_page_but_no_draft_list(
        notice: Any, make_item: Any, scaled: Any, officer: Any) -> None:
    scaled("草稿名单公司")
    draft = run_create(actor=officer, item=make_item(), period="2025")
    assert "/disbursement/notices/" in Client().get("/").content.decode()
    listing = Client().get("/disbursement/notices/").content.decode()
    assert f"/disbursement/notices/{notice.pk}/" in listing and notice.item.title in listing
    assert f"/disbursement/notices/{draft.pk}/" not in listing
    item_page = Client().get(f"/policies/{notice.item.code}/").content.decode()
    assert f"/disbursement/notices/{notice.pk}/" in item_page


def test_anyone_may_object_on_the_notice_page_and_a_missing_field_is_named(notice: Any) -> None:
    line = notice.lines.first()
    client = Client()
    response = client.post(f"/disbursement/notices/{notice.pk}/", {"name": "", "contact": "", "content": "x", "line": ""},
                           follow=True)
    assert "请填写异议人姓名或单位" in response.content.decode()
    client.post(f"/disbursement/notices/{notice.pk}/", {"name": "张三", "contact": "13800001234",
                                                         "content": "该企业已迁出泉州", "line": str(line.pk)})
    objection = Objection.objects.get()
    assert objection.line_id == line.pk and objection.contact_masked == "138****1234"
    assert "13800001234" not in objection.contact_encrypted


def test_a_draft_list_is_not_public(make_item: Any, scaled: Any, officer: Any) -> None:
    scaled("草稿公司")
    run = run_create(actor=officer, item=make_item(), period="2025")
    assert Client().get(f"/disbursement/notices/{run.pk}/").status_code == 404


def test_the_officer_decides_and_confirms_on_the_run_page(make_item: Any, scaled: Any, make_enterprise: Any,
                                                           officer: Any) -> None:
    scaled("达标公司")
    make_enterprise(name="缺数公司")
    run = run_create(actor=officer, item=make_item(), period="2025", today=date(2026, 9, 28))
    client = _client(officer)
    page = client.get(f"/disbursement/runs/{run.pk}/").content.decode()
    assert "待人工判定（1）" in page and "缺数公司" in page
    pending = run.lines.get(decision="pending")
    response = client.post(f"/disbursement/runs/{run.pk}/action/", {"op": "decide", "line": pending.pk, "include": "1",
                                                                   "amount": "999999", "reason": "核实"}, follow=True)
    assert "超出规则区间" in response.content.decode()
    client.post(f"/disbursement/runs/{run.pk}/action/", {"op": "decide", "line": pending.pk, "include": "0",
                                                        "reason": "数据未报"})
    response = client.post(f"/disbursement/runs/{run.pk}/action/", {"op": "confirm"}, follow=True)
    assert "公示中" in response.content.decode()


def test_the_officer_decides_every_undecided_enterprise_at_once_and_missing_data_reads_as_words(
        make_item: Any, scaled: Any, make_enterprise: Any, officer: Any) -> None:
    scaled("达标公司")
    make_enterprise(name="缺数甲公司")
    make_enterprise(name="缺数乙公司")
    run = run_create(actor=officer, item=make_item(), period="2025", today=date(2026, 9, 28))
    client = _client(officer)
    page = client.get(f"/disbursement/runs/{run.pk}/").content.decode()
    assert "待人工判定（2）" in page and "years." not in page and "营业收入" in page
    client.post(f"/disbursement/runs/{run.pk}/action/", {"op": "decide_all", "include": "1", "reason": "数据齐全"})
    assert run.lines.filter(decision="included").count() == 3  # exact 10万 rule amount: included at once
    assert AuditEvent.objects.filter(action="auto_run.decide", object_id=str(run.pk)).count() == 2


def test_a_bulk_inclusion_is_refused_whole_while_an_amount_is_a_range(
        make_item: Any, scaled: Any, make_enterprise: Any, officer: Any) -> None:
    make_enterprise(name="区间甲公司")
    run = run_create(actor=officer, item=make_item(reward={"up_to": 100000}), period="2025", today=date(2026, 9, 28))
    response = _client(officer).post(f"/disbursement/runs/{run.pk}/action/",
                                     {"op": "decide_all", "include": "1", "reason": "统一纳入"}, follow=True)
    assert "须逐一核定后纳入" in response.content.decode() and "区间甲公司" in response.content.decode()
    assert not run.lines.exclude(decision="pending").exists()


def test_bank_accounts_are_masked_on_every_page_and_only_the_bank_file_reveals_them(
        make_item: Any, scaled: Any, officer: Any, finance: Any, make_user: Any) -> None:
    item, enterprise = make_item(), scaled("账户公司")
    user = make_user("enterprise", enterprise=enterprise)
    client = _client(user)
    client.post("/disbursement/mine/", {"op": "account", "account_name": "账户公司", "bank_name": "泉州银行",
                                        "number": "6222 0211 2233 4455 667"})
    mine = client.get("/disbursement/mine/").content.decode()
    assert "6222 **** **** 5667" in mine and "622202112233" not in mine
    entitlement_grant(actor=officer, enterprise=enterprise, item=item, period="2025", amount=Decimal("5000"),
                      source_ref="x")
    batch, _ = batch_create(actor=finance, item=item)
    fin = _client(finance)
    page = fin.get(f"/disbursement/batches/{batch.pk}/").content.decode()
    assert "6222 **** **** 5667" in page and "622202112233" not in page
    review = fin.get(f"/disbursement/batches/{batch.pk}/export/?fmt=csv").content.decode("utf-8-sig")
    assert "622202112233" not in review
    assert fin.get(f"/disbursement/batches/{batch.pk}/export/?fmt=csv&bank=1").status_code == 403  # GET cannot reveal
    bank = fin.post(f"/disbursement/batches/{batch.pk}/export/?fmt=csv&bank=1").content.decode("utf-8-sig")
    assert "6222021122334455667" in bank
    assert AuditEvent.objects.filter(action="bank_account.reveal", actor=finance).count() == 1
    assert _client(officer).post(f"/disbursement/batches/{batch.pk}/export/?fmt=csv&bank=1").status_code == 403


def test_an_enterprise_cannot_open_payment_pages_and_sees_only_its_own_entitlements_in_the_api(
        make_item: Any, scaled: Any, officer: Any, finance: Any, make_user: Any) -> None:
    item = make_item()
    own, other = scaled("本企业"), scaled("他企业")
    for enterprise in (own, other):
        entitlement_grant(actor=officer, enterprise=enterprise, item=item, period="2025", amount=Decimal("1000"),
                          source_ref="x")
    client = _client(make_user("enterprise", enterprise=own))
    assert client.get("/disbursement/budget/").status_code == 403
    assert client.get("/disbursement/suspects/").status_code == 403
    names = [row["enterprise"] for row in client.get("/api/disbursement/entitlements").json()]
    assert names == ["本企业"]
    assert client.get(f"/api/disbursement/budget/{item.pk}").status_code == 403
    assert _client(finance).get(f"/api/disbursement/budget/{item.pk}").json()["committed"] == "2000.00"
    assert Client().get("/api/disbursement/runs").status_code == 401


def test_the_api_pays_a_batch_once_for_one_idempotency_key(
        make_item: Any, scaled: Any, officer: Any, finance: Any, make_user: Any) -> None:
    item, enterprise = make_item(), scaled("接口公司")
    bank_account_set(actor=make_user("enterprise", enterprise=enterprise), enterprise=enterprise,
                     account_name="接口公司", bank_name="泉州银行", number="6222000011112222")
    entitlement_grant(actor=officer, enterprise=enterprise, item=item, period="2025", amount=Decimal("1000"),
                      source_ref="x")
    batch, _ = batch_create(actor=finance, item=item)
    client = _client(finance)
    for _ in range(2):
        response = client.post(f"/api/disbursement/batches/{batch.pk}/pay",
                               {"idempotency_key": "treasury-77", "reference": "GK77"}, content_type="application/json")
        assert response.status_code == 200 and response.json()["status"] == "closed"
    entries = client.get("/api/disbursement/entries").json()
    assert [e["amount"] for e in entries] == ["1000.00"]
    assert _client(officer).post(f"/api/disbursement/batches/{batch.pk}/pay", {"idempotency_key": "x"},
                                 content_type="application/json").status_code == 403


def test_the_run_api_lists_and_confirms(make_item: Any, scaled: Any, officer: Any) -> None:
    scaled("接口公示公司")
    run = run_create(actor=officer, item=make_item(), period="2025")
    client = _client(officer)
    assert [r["id"] for r in client.get("/api/disbursement/runs").json()] == [run.pk]
    confirmed = client.post(f"/api/disbursement/runs/{run.pk}/confirm").json()
    assert confirmed["status"] == "publicizing" and confirmed["notice_url"] == f"/disbursement/notices/{run.pk}/"
    assert confirmed["lines"][0]["amount"] == "100000.00"


def test_the_suspects_page_lists_the_reason(make_item: Any, scaled: Any, officer: Any, finance: Any,
                                            make_user: Any) -> None:
    from huiqi.disbursement.services import batch_confirm_paid

    from .conftest import flag

    item, enterprise = make_item(), scaled("后来失信公司")
    bank_account_set(actor=make_user("enterprise", enterprise=enterprise), enterprise=enterprise,
                     account_name="后来失信公司", bank_name="泉州银行", number="6222000011112222")
    entitlement_grant(actor=officer, enterprise=enterprise, item=item, period="2025", amount=Decimal("1000"),
                      source_ref="x")
    batch, _ = batch_create(actor=finance, item=item)
    batch_confirm_paid(actor=finance, batch=batch, idempotency_key="k")
    flag(enterprise, "dishonest", True)
    client = _client(officer)
    client.post("/disbursement/suspects/", {"op": "scan"})
    page = client.get("/disbursement/suspects/").content.decode()
    assert "后来失信公司" in page and "现已列入失信主体名单" in page


def test_the_objection_form_is_capped_per_address(notice: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    client = Client()
    for n in range(11):
        response = client.post(f"/disbursement/notices/{notice.pk}/", {"name": "刷屏者", "contact": "",
                                                                     "content": f"第{n}条", "line": ""}, follow=True)
    assert "提交过于频繁" in response.content.decode()
    assert Objection.objects.count() == 10


def test_the_officer_sets_a_zero_day_notice_and_the_money_is_due_within_the_promised_working_days(
        make_item: Any, scaled: Any, officer: Any) -> None:
    item = make_item()
    client = _client(officer)
    refused = client.post(f"/disbursement/items/{item.pk}/terms/", {"publicity_days": "-1", "cash_days": "2"},
                          follow=True).content.decode()
    assert "公示期应为 0 至 60 的整数" in refused
    client.post(f"/disbursement/items/{item.pk}/terms/", {"publicity_days": "0", "cash_days": "5"})
    item.refresh_from_db()
    assert (item.publicity_days, item.cash_days) == (0, 5)
    assert AuditEvent.objects.filter(action="policy_item.update", object_id=str(item.pk)).exists()
    scaled("五日到账公司")
    run = run_create(actor=officer, item=item, period="2025", today=date(2026, 9, 24))  # Thursday
    for line in run.lines.filter(decision=RunLine.Decision.PENDING):
        run_line_decide(actor=officer, line=line, include=False, reason="测试")
    run = run_confirm(actor=officer, run=run, today=date(2026, 9, 24))
    # No 公示: payment is due 5 working days after confirmation, across 中秋/国庆 2026.
    assert run.publicity_ends_on == date(2026, 9, 24) and run.pay_due_on == date(2026, 10, 9)
