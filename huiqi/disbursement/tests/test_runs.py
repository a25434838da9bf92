from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from huiqi.disbursement.models import AutoRun, Entitlement, Objection, RunLine, Suspect
from huiqi.disbursement.services import (
    DisbursementError,
    entitlement_decline,
    objection_file,
    objection_resolve,
    run_confirm,
    run_create,
    run_line_decide,
    run_line_decline,
    run_to_payment,
    runs_sweep,
    suspects_scan,
)
from huiqi.disbursement.workflow import WorkflowConflict, run_transition
from huiqi.notifications.models import Notification
from huiqi.workdays.selectors import work_calendar

from .conftest import figure, flag

pytestmark = pytest.mark.django_db

# Confirmed on the Monday before 国庆: 5 working days of 公示 run over the holiday week.
CONFIRMED = date(2026, 9, 28)


@pytest.fixture
def listed(make_item: Any, scaled: Any, make_enterprise: Any, officer: Any, make_user: Any) -> Any:
    item = make_item()
    eligible = {name: scaled(name) for name in ["甲公司", "乙公司", "丙公司"]}
    doubtful = make_enterprise(name="缺数公司")  # revenue unknown: possible
    scaled("小公司", revenue="1000000")  # ineligible: not listed at all
    users = {name: make_user("enterprise", enterprise=e) for name, e in eligible.items()}
    run = run_create(actor=officer, item=item, period="2025", today=CONFIRMED)
    return run, eligible, doubtful, users


def test_a_run_lists_eligible_enterprises_with_amounts_and_the_possible_ones_apart(listed: Any) -> None:
    run, eligible, doubtful, _ = listed
    lines = {ln.enterprise.name: ln for ln in run.lines.select_related("enterprise")}
    assert set(lines) == {"甲公司", "乙公司", "丙公司", "缺数公司"}
    assert all(lines[n].decision == RunLine.Decision.INCLUDED and lines[n].amount == Decimal("100000.00")
               for n in eligible)
    assert lines["缺数公司"].decision == RunLine.Decision.PENDING and lines["缺数公司"].match_status == "possible"


def test_the_list_cannot_be_confirmed_while_a_possible_enterprise_is_undecided(listed: Any, officer: Any) -> None:
    run, *_ = listed
    with pytest.raises(DisbursementError, match="缺数公司"):
        run_confirm(actor=officer, run=run, today=CONFIRMED)
    line = run.lines.get(decision=RunLine.Decision.PENDING)
    with pytest.raises(DisbursementError, match="请填写判定理由"):
        run_line_decide(actor=officer, line=line, include=False, reason="")
    run_line_decide(actor=officer, line=line, include=False, reason="统计数据未报送，下期再核")
    run_confirm(actor=officer, run=run, today=CONFIRMED)
    assert run.status == AutoRun.Status.PUBLICIZING


def test_a_run_goes_from_listing_through_publicity_with_objections_to_payment_and_a_decline_is_not_paid(
        listed: Any, officer: Any) -> None:
    run, eligible, _, users = listed
    line = run.lines.get(decision=RunLine.Decision.PENDING)
    run_line_decide(actor=officer, line=line, include=True, amount="100000", reason="统计局补报数据确认达标")
    run_confirm(actor=officer, run=run, today=CONFIRMED)
    calendar = work_calendar()
    assert run.publicity_ends_on == calendar.add_workdays(CONFIRMED, 5)
    assert run.publicity_ends_on > date(2026, 10, 7)  # the 国庆 holidays do not count
    assert run.pay_due_on == calendar.add_workdays(run.publicity_ends_on, 5)
    told = Notification.objects.filter(recipient=users["甲公司"], category="auto_run").get()
    assert "无需申请" in told.body

    line_yi = run.lines.get(enterprise=eligible["乙公司"])
    line_bing = run.lines.get(enterprise=eligible["丙公司"])
    against = objection_file(run=run, line=line_yi, name="张三", contact="13800001234",
                             content="乙公司上年营收含关联交易，未达标", today=date(2026, 9, 30))
    objection_file(run=run, name="李四", contact="", content="公示金额是否含税？", today=date(2026, 9, 30))
    run_line_decline(actor=users["丙公司"], line=line_bing, reason="本年度已享受同类奖励")

    assert runs_sweep(today=run.publicity_ends_on) == []  # the last day of 公示 is still 公示
    with pytest.raises(DisbursementError, match="期满后"):
        run_to_payment(actor=officer, run=run, today=run.publicity_ends_on)
    after = calendar.add_workdays(run.publicity_ends_on, 1)
    assert runs_sweep(today=after) == []  # two open objections hold it back
    assert Notification.objects.filter(category="auto_run", title__contains="未能转入拨付").exists()

    objection_resolve(actor=officer, objection=against, uphold=True, reply="经核实，剔除关联交易后未达标")
    other = Objection.objects.get(status=Objection.Status.OPEN)
    objection_resolve(actor=officer, objection=other, uphold=False, reply="奖励资金不涉及税款代扣")
    assert runs_sweep(today=after) == [run.pk]
    run.refresh_from_db()
    assert run.status == AutoRun.Status.GRANTED
    paid_to = set(Entitlement.objects.filter(source="auto_run").values_list("enterprise__name", flat=True))
    assert paid_to == {"甲公司", "缺数公司"}
    assert all(e.pay_due_on == run.pay_due_on for e in Entitlement.objects.all())


def test_an_enterprise_may_decline_after_the_grant_and_its_entitlement_is_not_payable(
        listed: Any, officer: Any) -> None:
    run, eligible, _, users = listed
    run_line_decide(actor=officer, line=run.lines.get(decision="pending"), include=False, reason="数据缺失")
    run_confirm(actor=officer, run=run, today=CONFIRMED)
    runs_sweep(today=date(2026, 12, 1))
    entitlement = Entitlement.objects.get(enterprise=eligible["甲公司"])
    with pytest.raises(PermissionError):
        entitlement_decline(actor=users["乙公司"], entitlement=entitlement)
    entitlement_decline(actor=users["甲公司"], entitlement=entitlement, reason="不需要")
    assert Entitlement.objects.get(pk=entitlement.pk).status == Entitlement.Status.DECLINED


def test_two_officers_confirming_the_same_run_at_once_conflict(listed: Any, officer: Any) -> None:
    run, *_ = listed
    stale = AutoRun.objects.get(pk=run.pk)
    run_line_decide(actor=officer, line=run.lines.get(decision="pending"), include=False, reason="数据缺失")
    run_confirm(actor=officer, run=run, today=CONFIRMED)
    with pytest.raises(WorkflowConflict):
        run_transition(actor=officer, run=stale, name="confirm")


def test_a_second_open_run_for_the_same_period_is_refused(listed: Any, officer: Any) -> None:
    run, *_ = listed
    with pytest.raises(DisbursementError, match="未完成的批次"):
        run_create(actor=officer, item=run.item, period="2025", today=CONFIRMED)


def test_objections_are_refused_after_the_publicity_period(listed: Any, officer: Any) -> None:
    run, *_ = listed
    run_line_decide(actor=officer, line=run.lines.get(decision="pending"), include=False, reason="数据缺失")
    run_confirm(actor=officer, run=run, today=CONFIRMED)
    with pytest.raises(DisbursementError, match="公示期已结束"):
        objection_file(run=run, name="王五", contact="", content="迟到的异议", today=date(2026, 12, 1))


def test_the_daily_recheck_finds_a_paid_enterprise_that_became_dishonest(
        make_item: Any, scaled: Any, officer: Any, finance: Any, make_user: Any) -> None:
    from huiqi.disbursement.services import (
        bank_account_set,
        batch_confirm_paid,
        batch_create,
        entitlement_grant,
    )

    item = make_item()
    honest, fallen, shrunk = scaled("守信公司"), scaled("失信公司"), scaled("下滑公司")
    for enterprise in (honest, fallen, shrunk):
        bank_account_set(actor=make_user("enterprise", enterprise=enterprise), enterprise=enterprise,
                         account_name=enterprise.name, bank_name="泉州银行", number="6222000011112222")
        entitlement_grant(actor=officer, enterprise=enterprise, item=item, period="2025", amount=Decimal("100000"),
                          source_ref="t")
    batch, _ = batch_create(actor=finance, item=item)
    batch_confirm_paid(actor=finance, batch=batch, idempotency_key="f1")
    assert suspects_scan() == 0
    flag(fallen, "dishonest", True)
    figure(shrunk, "revenue", "1000000")
    suspects_scan()
    found = {(s.entitlement.enterprise.name, s.kind): s.reason for s in Suspect.objects.select_related("entitlement__enterprise")}
    assert found[("失信公司", "flag")] == "现已列入失信主体名单"
    assert ("失信公司", "conditions") in found  # the item itself excludes 失信
    assert "revenue" in found[("下滑公司", "conditions")]
    assert not any(name == "守信公司" for name, _ in found)
    suspects_scan()
    assert Suspect.objects.count() == len(found)


def test_the_scheduler_moves_a_run_whose_publicity_has_passed_to_payment(listed: Any, officer: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from huiqi.matching.models import ScheduleSlot
    from huiqi.matching.scheduling import run_due

    run, *_ = listed
    run_line_decide(actor=officer, line=run.lines.get(decision="pending"), include=False, reason="数据缺失")
    run_confirm(actor=officer, run=run, today=CONFIRMED)  # 公示 ended in October, before the real today
    now = timezone.now()
    ScheduleSlot.objects.create(name="disbursement.publicity", next_run_at=now - timedelta(minutes=1))
    assert "disbursement.publicity" in run_due(now)
    run.refresh_from_db()
    assert run.status == AutoRun.Status.GRANTED and Entitlement.objects.filter(source="auto_run").count() == 3


def test_a_list_larger_than_the_remaining_budget_is_not_announced(make_item: Any, scaled: Any, officer: Any) -> None:
    from huiqi.disbursement.services import BudgetExceeded

    for name in ("一号公司", "二号公司", "三号公司"):
        scaled(name)
    run = run_create(actor=officer, item=make_item(budget="250000"), period="2025", today=CONFIRMED)
    with pytest.raises(BudgetExceeded, match="超出.*剩余预算 250,000.00 元"):
        run_confirm(actor=officer, run=run, today=CONFIRMED)
    assert AutoRun.objects.get(pk=run.pk).status == AutoRun.Status.LISTED


@pytest.mark.parametrize("amount", ["NaN", "-NaN", "sNaN", "Infinity", "1e400", "1e30", "0", "-5"])
def test_an_absurd_amount_in_a_run_decision_is_refused_with_a_message_through_the_page(
        listed: Any, officer: Any, amount: str) -> None:
    from django.test import Client

    run = listed[0]
    line = run.lines.get(decision="pending")
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    response = client.post(f"/disbursement/runs/{run.pk}/action/",
                           {"op": "decide", "line": line.pk, "include": "1", "amount": amount, "reason": "人工核定"},
                           follow=True)
    assert response.status_code == 200
    told = [str(m) for m in response.context["messages"]]
    assert any("金额" in m for m in told), told
    assert RunLine.objects.get(pk=line.pk).decision == RunLine.Decision.PENDING


def test_free_text_over_its_limit_is_refused_not_cut(listed: Any, officer: Any) -> None:
    run = listed[0]
    line = run.lines.get(decision="pending")
    with pytest.raises(DisbursementError, match="“判定理由”不能超过 300 字"):
        run_line_decide(actor=officer, line=line, include=False, reason="理" * 301)
    assert RunLine.objects.get(pk=line.pk).decision == RunLine.Decision.PENDING
    with pytest.raises(DisbursementError, match="“异议内容”不能超过 2,000 字"):
        objection_file(run=run, name="某公司", contact="13800000000", content="异" * 10_000)
