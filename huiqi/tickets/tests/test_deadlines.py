"""Ticket clocks with a frozen clock on the 2026 holiday calendar (中秋 25–27 Sep, 国庆 1–7 Oct,
调休 Sunday 20 Sep and Saturday 10 Oct): the answer deadline in working days, the 24-hour 签收
clock across a weekend, and the hourly sweep's lights and notifications."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from huiqi.matching.scheduling import SCHEDULES
from huiqi.notifications.models import Notification
from huiqi.tickets import services
from huiqi.tickets.schedules import _sweep

from .conftest import at

pytestmark = pytest.mark.django_db


def test_a_consultation_registered_on_the_eve_of_national_day_is_due_after_the_holiday(register: Any) -> None:
    t = register(at(2026, 9, 30, 16), category="咨询")
    assert t.due_at == date(2026, 10, 9)  # 8 Oct is day 1, 9 Oct day 2


def test_a_request_registered_before_a_tiaoxiu_saturday_counts_that_saturday(register: Any) -> None:
    assert register(at(2026, 10, 9, 9), category="咨询").due_at == date(2026, 10, 12)  # Sat 10 Oct, Mon 12 Oct


def test_the_24_hour_signing_clock_from_friday_evening_ends_monday_evening(register: Any) -> None:
    t = register(at(2026, 10, 16, 18, 30))
    assert t.due_time == at(2026, 10, 19, 18, 30)


def test_signing_late_turns_red_in_the_hourly_sweep_and_tells_department_dispatcher_and_supervisor(
        assigned: Any, handler: Any, dispatcher: Any, supervisor: Any) -> None:
    t = assigned(at(2026, 10, 16, 18, 30))
    assert services.ticket_sweep(now=at(2026, 10, 19, 18)).changed == {}  # 30 minutes left, still green
    report = services.ticket_sweep(now=at(2026, 10, 19, 19))
    t.refresh_from_db()
    assert report.changed == {"red": 1} and t.colour == "red"
    for person in (handler, dispatcher, supervisor):
        assert Notification.objects.filter(recipient=person, category="deadline").count() == 1
    services.ticket_sign(actor=handler, ticket=t, now=at(2026, 10, 19, 20))
    assert t.colour == "green"  # the answer clock (10 working days) is far from due
    assert "超过签收时限" in t.events.get(kind="sign").label


def test_the_answer_clock_turns_yellow_on_the_due_day_and_red_after(assigned: Any, handler: Any) -> None:
    t = assigned(at(2026, 9, 30, 9), category="咨询")  # due 10-09, warn 1 day
    services.ticket_sign(actor=handler, ticket=t, now=at(2026, 9, 30, 10))
    services.ticket_sweep(now=at(2026, 10, 8, 9))
    t.refresh_from_db()
    assert t.colour == "green"
    services.ticket_sweep(now=at(2026, 10, 9, 9))
    t.refresh_from_db()
    assert t.colour == "yellow"
    services.ticket_sweep(now=at(2026, 10, 10, 9))
    t.refresh_from_db()
    assert t.colour == "red"
    services.ticket_answer(actor=handler, ticket=t, answer="答复", now=at(2026, 10, 12))
    assert t.answered_on_time is False


def test_a_request_waiting_for_the_enterprise_is_never_coloured(assigned: Any, handler: Any) -> None:
    t = assigned(at(2026, 3, 2), category="咨询")
    services.ticket_sign(actor=handler, ticket=t, now=at(2026, 3, 2, 11))
    services.ticket_ask_info(actor=handler, ticket=t, question="请补充", now=at(2026, 3, 2, 12))
    services.ticket_sweep(now=at(2026, 3, 20))
    t.refresh_from_db()
    assert t.colour == "paused"


def test_the_ticket_sweep_is_registered_with_the_scheduler() -> None:
    assert any(s.name == "tickets.deadline_sweep" and s.run is _sweep for s in SCHEDULES)
