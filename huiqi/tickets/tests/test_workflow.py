"""The request's life: 登记 → 分办 → 签收 → 答复 → 评价, 二次交办 and 转督办, 退回/转办 limits,
补充说明 pauses, 延期 — each step on the timeline and in the audit log."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from huiqi.accounts.models import Department
from huiqi.audit.models import AuditEvent
from huiqi.notifications.models import Notification
from huiqi.tickets import services
from huiqi.tickets.models import Ticket
from huiqi.tickets.selectors import department_stats, escalated_tickets
from huiqi.tickets.workflow import WorkflowConflict, WorkflowError

from .conftest import at

pytestmark = pytest.mark.django_db
S = Ticket.Status


def test_a_second_unsatisfied_rating_puts_the_request_under_a_supervision_order(
        assigned: Any, handler: Any, applicant: Any, django_capture_on_commit_callbacks: Any) -> None:
    from huiqi.supervision.models import SupervisionOrder

    t = assigned(at(2026, 3, 2))
    with django_capture_on_commit_callbacks(execute=True):
        for day in (3, 5):
            services.ticket_sign(actor=handler, ticket=t, now=at(2026, 3, day - 1, 15))
            services.ticket_answer(actor=handler, ticket=t, answer="仍在办理。", now=at(2026, 3, day))
            services.ticket_rate(actor=applicant, ticket=t, rating="unsatisfied", now=at(2026, 3, day + 1))
    order = SupervisionOrder.objects.get(source_key=f"ticket:{t.pk}")
    assert order.source == "ticket" and order.target_region == t.region and t.number in order.reason
    assert order.target_department_id == t.lead_department_id


def test_a_rated_request_counts_in_the_satisfaction_of_its_lead_department(
        assigned: Any, handler: Any, applicant: Any) -> None:
    from huiqi.supervision.selectors import index_facts
    from huiqi.workdays.selectors import work_calendar

    t = assigned(at(2026, 3, 2))
    services.ticket_sign(actor=handler, ticket=t, now=at(2026, 3, 2, 15))
    services.ticket_answer(actor=handler, ticket=t, answer="已办结。", now=at(2026, 3, 3))
    services.ticket_rate(actor=applicant, ticket=t, rating="basic", now=at(2026, 3, 4))
    ratings = index_facts(calendar=work_calendar(), until=date(2026, 3, 31))["ratings"]
    rows = ratings.filter(ratings["department_id"] == t.lead_department_id).to_dicts()
    assert [(r["region"], r["month"], r["score"], r["poor"]) for r in rows] == [(t.region, "2026-03", 3, False)]


def test_a_complaint_goes_from_registration_to_closed_with_every_step_on_the_timeline(
        assigned: Any, handler: Any, applicant: Any) -> None:
    t = assigned(at(2026, 3, 2))
    services.ticket_sign(actor=handler, ticket=t, now=at(2026, 3, 2, 15))
    services.ticket_answer(actor=handler, ticket=t, answer="已协调财政局，本周内拨付。", now=at(2026, 3, 4))
    services.ticket_rate(actor=applicant, ticket=t, rating="satisfied", now=at(2026, 3, 5))
    t.refresh_from_db()
    assert t.status == S.CLOSED and t.answered_on_time is True and t.rating == "satisfied"
    assert list(t.events.values_list("kind", flat=True)) == ["register", "assign", "sign", "answer", "rate"]
    actions = set(AuditEvent.objects.filter(object_id=str(t.pk), object_type="tickets.ticket")
                  .values_list("action", flat=True))
    assert {"ticket.register", "ticket.assign", "ticket.sign", "ticket.answer", "ticket.rate"} <= actions


def test_the_first_unsatisfied_rating_sends_it_back_with_a_new_clock_and_the_second_escalates(
        assigned: Any, handler: Any, applicant: Any, supervisor: Any) -> None:
    t = assigned(at(2026, 3, 2))
    services.ticket_sign(actor=handler, ticket=t, now=at(2026, 3, 2, 15))
    services.ticket_answer(actor=handler, ticket=t, answer="请耐心等待。", now=at(2026, 3, 3))
    services.ticket_rate(actor=applicant, ticket=t, rating="unsatisfied", comment="没有给出时间", now=at(2026, 3, 4))
    assert (t.status, t.round, t.due_at) == (S.ASSIGNED, 2, date(2026, 3, 18))  # 10 working days from 03-04
    assert t.due_time is not None and t.escalated_at is None
    services.ticket_sign(actor=handler, ticket=t, now=at(2026, 3, 4, 15))
    services.ticket_answer(actor=handler, ticket=t, answer="仍在走流程。", now=at(2026, 3, 5))
    services.ticket_rate(actor=applicant, ticket=t, rating="unsatisfied", now=at(2026, 3, 6))
    t.refresh_from_db()
    assert t.status == S.CLOSED and t.escalated_at is not None and t.unsatisfied == 2
    assert list(escalated_tickets(region="350500")) == [t]
    assert Notification.objects.filter(recipient=supervisor, category="ticket_escalated").count() == 1


def test_two_departments_signing_the_same_request_at_once_let_one_through(assigned: Any, handler: Any) -> None:
    t = assigned(at(2026, 3, 2))
    stale = Ticket.objects.get(pk=t.pk)
    services.ticket_sign(actor=handler, ticket=t, now=at(2026, 3, 2, 11))
    with pytest.raises(WorkflowConflict):
        services.ticket_sign(actor=handler, ticket=stale, now=at(2026, 3, 2, 11))
    assert t.events.filter(kind="sign").count() == 1


def test_only_the_lead_department_signs_and_only_the_enterprise_rates(
        assigned: Any, make_user: Any, applicant: Any, handler: Any) -> None:
    other = make_user("officer", dept=Department.objects.create(name="泉州市商务局", region="350500", kind="商务"))
    t = assigned(at(2026, 3, 2))
    with pytest.raises(WorkflowError, match="只有承办部门可以签收"):
        services.ticket_sign(actor=other, ticket=t, now=at(2026, 3, 2))
    services.ticket_sign(actor=handler, ticket=t, now=at(2026, 3, 2))
    services.ticket_answer(actor=handler, ticket=t, answer="答复", now=at(2026, 3, 3))
    with pytest.raises(WorkflowError, match="只能由提出诉求的企业评价"):
        services.ticket_rate(actor=handler, ticket=t, rating="satisfied", now=at(2026, 3, 3))


def test_returns_and_transfers_need_a_reason_and_stop_at_their_limit(
        register: Any, dispatcher: Any, handler: Any, department: Department, finance_department: Department) -> None:
    t = register(at(2026, 3, 2))
    with pytest.raises(WorkflowError, match="退回须写明理由"):
        services.ticket_assign(actor=dispatcher, ticket=t, lead=department, now=at(2026, 3, 2))
        services.ticket_return(actor=handler, ticket=t, reason=" ", now=at(2026, 3, 2))
    for _ in range(2):
        services.ticket_return(actor=handler, ticket=t, reason="属财政职责", now=at(2026, 3, 2))
        services.ticket_assign(actor=dispatcher, ticket=t, lead=department, now=at(2026, 3, 2))
    with pytest.raises(WorkflowError, match="已退回 2 次，达到上限"):
        services.ticket_return(actor=handler, ticket=t, reason="再退", now=at(2026, 3, 2))
    services.ticket_transfer(actor=dispatcher, ticket=t, to=finance_department, reason="资金问题", now=at(2026, 3, 2))
    services.ticket_transfer(actor=dispatcher, ticket=t, to=department, reason="技改认定", now=at(2026, 3, 2))
    with pytest.raises(WorkflowError, match="已转办 2 次"):
        services.ticket_transfer(actor=dispatcher, ticket=t, to=finance_department, reason="再转", now=at(2026, 3, 2))
    assert t.lead_department == department and t.status == S.ASSIGNED


def test_waiting_for_the_enterprise_pauses_the_answer_clock_and_moves_the_due_date(
        assigned: Any, handler: Any, applicant: Any) -> None:
    t = assigned(at(2026, 9, 28), category="建议")  # 5 working days: due Sat 10-10 (调休)
    assert t.due_at == date(2026, 10, 10)
    services.ticket_sign(actor=handler, ticket=t, now=at(2026, 9, 28, 14))
    services.ticket_ask_info(actor=handler, ticket=t, question="请提供项目备案号", now=at(2026, 9, 29))
    assert t.status == S.WAITING and t.colour == "paused"
    services.ticket_supplement(actor=applicant, ticket=t, text="备案号 2025-350500-xx", now=at(2026, 10, 8))
    assert t.status == S.HANDLING and t.due_at == date(2026, 10, 13)  # 30 Sep and 8 Oct not counted


def test_an_extension_is_asked_a_working_day_ahead_and_moves_the_due_date_once_approved(
        assigned: Any, handler: Any, dispatcher: Any) -> None:
    t = assigned(at(2026, 3, 2), category="咨询")  # due Wed 03-04
    services.ticket_sign(actor=handler, ticket=t, now=at(2026, 3, 2, 14))
    with pytest.raises(WorkflowError, match="至少一个工作日"):
        services.extension_ask(actor=handler, ticket=t, days=3, reason="需会商", now=at(2026, 3, 4))
    ext = services.extension_ask(actor=handler, ticket=t, days=3, reason="需会商", now=at(2026, 3, 3))
    with pytest.raises(WorkflowError, match="已有待审批"):
        services.extension_ask(actor=handler, ticket=t, days=1, reason="再申请", now=at(2026, 3, 3))
    with pytest.raises(WorkflowError, match="只有本辖区的分办员"):
        services.extension_decide(actor=handler, extension=ext, approve=True, now=at(2026, 3, 3))
    services.extension_decide(actor=dispatcher, extension=ext, approve=True, now=at(2026, 3, 3))
    t.refresh_from_db()
    assert t.due_at == date(2026, 3, 9) and t.days == 5


def test_the_platform_suggests_the_department_from_the_words_of_the_request(
        register: Any, department: Department, finance_department: Department) -> None:
    assert register(at(2026, 3, 2), content="补助资金一直没有到账").suggested_department == finance_department
    assert register(at(2026, 3, 2), content="想了解专精特新申报条件", category="咨询").suggested_department == department


def test_department_statistics_count_on_time_answers_and_satisfaction(
        assigned: Any, handler: Any, applicant: Any, department: Department) -> None:
    for rating, answered_on in (("satisfied", at(2026, 3, 3)), ("basic", at(2026, 3, 30))):
        t = assigned(at(2026, 3, 2))
        services.ticket_sign(actor=handler, ticket=t, now=at(2026, 3, 2, 12))
        services.ticket_answer(actor=handler, ticket=t, answer="已办理", now=answered_on)
        services.ticket_rate(actor=applicant, ticket=t, rating=rating, now=answered_on)
    assigned(at(2026, 3, 10))
    [row] = department_stats(region="350500", month=date(2026, 3, 1))
    assert (row.department, row.registered, row.answered, row.answered_on_time) == (department.name, 3, 2, 1)
    assert row.on_time_rate == 0.5 and row.satisfaction_rate == 1.0


def test_an_escalation_runs_the_registered_hook_after_commit_for_the_supervision_app(
        assigned: Any, handler: Any, applicant: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any) -> None:
    seen: list[int] = []
    monkeypatch.setattr(services, "ESCALATION_HOOKS", [])
    services.on_escalated(lambda ticket: seen.append(ticket.pk))
    t = assigned(at(2026, 3, 2))
    for day in (3, 5):
        services.ticket_sign(actor=handler, ticket=t, now=at(2026, 3, day))
        services.ticket_answer(actor=handler, ticket=t, answer="答复", now=at(2026, 3, day, 15))
        with django_capture_on_commit_callbacks(execute=True):
            services.ticket_rate(actor=applicant, ticket=t, rating="unsatisfied", now=at(2026, 3, day, 16))
    assert seen == [t.pk]
