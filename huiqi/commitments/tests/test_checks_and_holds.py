"""Checks from data after an import, holds on incentives and their effect on 免申即享 payment."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from huiqi.audit.models import AuditEvent
from huiqi.commitments.models import Commitment
from huiqi.commitments.services import CommitmentError, commitment_fail, hold_lift, hold_place
from huiqi.disbursement.models import Entitlement
from huiqi.disbursement.services import (
    DisbursementError,
    entitlement_grant,
    run_confirm,
    run_create,
    run_to_payment,
)
from huiqi.enterprises.importing import import_enterprises
from huiqi.enterprises.models import YearFigure
from huiqi.notifications.models import Notification
from huiqi.policies.models import PolicyDocument, PolicyItem

pytestmark = pytest.mark.django_db


def _figures_csv(enterprise: Any, *, year: int, revenue_wan: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["统一社会信用代码", "企业名称", "所在地区", "年度", "营业收入(万元)"])
    writer.writerow([enterprise.uscc, enterprise.name, "丰泽区", str(year), revenue_wan])
    return out.getvalue().encode("utf-8")


def test_imported_yearly_figures_that_miss_a_revenue_commitment_mark_it_unmet_with_the_figure(
        confirmed: Any, enterprise: Any, officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    revenue = confirmed.commitments.get(clause_path="第二条")  # 营业收入 ≥ 3亿元 in 2025
    with django_capture_on_commit_callbacks(execute=True):
        report = import_enterprises(actor="测试", filename="统计局年报.csv",
                                    data=_figures_csv(enterprise, year=2025, revenue_wan="25000"),
                                    source="统计局", as_of=date(2026, 3, 31))
    assert not report.errors
    revenue.refresh_from_db()
    assert revenue.status == Commitment.Status.FAILED and revenue.check_result == "unmet"
    assert revenue.check_year == 2025 and revenue.check_figure == "25,000 万元"
    assert revenue.check_source.startswith("统计局")
    assert "2025年度营业收入 25,000 万元，低于承诺的 30,000 万元" in revenue.reason
    assert Notification.objects.filter(recipient=officer, title__startswith="承诺核验未达标").exists()


def test_figures_that_meet_the_target_fulfil_it_and_a_yearly_one_stays_open(
        confirmed: Any, enterprise: Any) -> None:
    from huiqi.commitments.services import commitments_check

    for year, field, value in ((2025, "revenue", "320000000"), (2026, "tax_paid", "21000000")):
        YearFigure.objects.create(enterprise=enterprise, year=year, field=field, value_number=Decimal(value),
                                  source="税务", as_of=date(2026, 12, 1))
    commitments_check()
    assert confirmed.commitments.get(clause_path="第二条").status == Commitment.Status.FULFILLED
    tax = confirmed.commitments.get(clause_path="第四条")
    assert tax.status == Commitment.Status.PENDING and tax.check_result == "met" and tax.check_figure == "2,100 万元"


def test_a_hold_needs_a_broken_commitment_and_a_reason_and_is_audited_and_told(
        confirmed: Any, enterprise: Any, officer: Any, enterprise_user: Any) -> None:
    Commitment.objects.filter(contract=confirmed, side="enterprise").update(status=Commitment.Status.PENDING)
    with pytest.raises(CommitmentError, match="没有逾期或未兑现的承诺"):
        hold_place(actor=officer, enterprise=enterprise, reason="未按期投资")
    commitment_fail(actor=officer, commitment=confirmed.commitments.get(clause_path="第一条"), reason="未按期投资")
    with pytest.raises(CommitmentError, match="请填写暂停原因"):
        hold_place(actor=officer, enterprise=enterprise, reason="")
    with pytest.raises(PermissionError):
        hold_place(actor=enterprise_user, enterprise=enterprise, reason="x")
    hold = hold_place(actor=officer, enterprise=enterprise, reason="固定资产投资逾期未达5亿元")
    with pytest.raises(CommitmentError, match="已处于暂停"):
        hold_place(actor=officer, enterprise=enterprise, reason="再次")
    assert AuditEvent.objects.filter(action="incentive_hold.place").count() == 1
    told = Notification.objects.get(recipient=enterprise_user, title="暂停享受惠企政策的通知")
    assert "固定资产投资逾期未达5亿元" in told.body
    hold_lift(actor=officer, hold=hold, reason="已补足投资")
    assert Entitlement.objects.count() == 0


@pytest.fixture
def auto_item(department: Any) -> PolicyItem:
    document = PolicyDocument.objects.create(title="泉州市稳增长措施", issuer="泉州市工信局", level="city",
                                             region="350500", department=department, doc_number="泉工信〔2026〕9号")
    return PolicyItem.objects.create(
        document=document, code="qz-auto-1", title="规上工业企业增产奖励", region="350500", department=department,
        mode="免申即享", status=PolicyItem.Status.PUBLISHED, valid_from=date(2024, 1, 1), valid_to=date(2027, 12, 31),
        conditions={"all": [{"field": "revenue", "op": ">=", "value": 20000000}]}, reward={"fixed": 100000},
        publicity_days=5, cash_days=5)


def test_a_held_enterprise_is_refused_its_auto_payment_with_the_reason_while_others_are_paid(
        auto_item: PolicyItem, confirmed: Any, enterprise: Any, officer: Any, enterprise_user: Any,
        make_enterprise: Any) -> None:
    other = make_enterprise(name="泉州守约电子有限公司")
    for e in (enterprise, other):
        YearFigure.objects.create(enterprise=e, year=2025, field="revenue", value_number=Decimal("30000000"),
                                  source="统计局", as_of=date(2026, 3, 31))
    commitment_fail(actor=officer, commitment=confirmed.commitments.get(clause_path="第一条"), reason="未按期投资")
    hold_place(actor=officer, enterprise=enterprise, reason="固定资产投资逾期未兑现")
    run = run_create(actor=officer, item=auto_item, period="2025", today=date(2026, 9, 28))
    run_confirm(actor=officer, run=run, today=date(2026, 9, 28))
    granted = run_to_payment(actor=officer, run=run, today=date(2026, 10, 30))
    assert [e.enterprise for e in granted] == [other]
    refused = Notification.objects.get(recipient=enterprise_user, category="auto_run", title__contains="暂不拨付")
    assert "已暂停享受惠企政策：固定资产投资逾期未兑现" in refused.body
    assert AuditEvent.objects.filter(action="auto_run.line_held", result="denied").exists()
    with pytest.raises(DisbursementError, match="固定资产投资逾期未兑现"):
        entitlement_grant(actor=officer, enterprise=enterprise, item=auto_item, period="2025",
                          amount=Decimal("100000"), source="auto_run", source_ref="x")
