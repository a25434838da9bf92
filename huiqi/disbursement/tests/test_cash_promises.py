"""承诺兑现时限: the promised days to cash as a clock of the shared kernel — yellow as the date
nears, red once it passed unpaid, closed when the ledger books the money."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from huiqi.disbursement.models import CashPromise
from huiqi.disbursement.services import (
    bank_account_set,
    batch_create,
    cash_promises_sweep,
    payment_record,
    run_confirm,
    run_create,
    runs_sweep,
)
from huiqi.notifications.models import Notification
from huiqi.workdays.selectors import work_calendar

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The Monday before 国庆 2026. Day 0; working days: 29 Sep (1), 30 Sep (2), then 1–7 Oct are
# holidays, 8 Oct (3), 9 Oct (4) and Saturday 10 Oct, a 调休 working day (5).
CONFIRMED = date(2026, 9, 28)
DUE_BY_HAND = date(2026, 10, 10)


def at(day: date, hour: int = 7) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 10, tzinfo=SHANGHAI)


@pytest.fixture
def granted(make_item: Any, scaled: Any, officer: Any, make_user: Any) -> Any:
    """A 免申即享 list (3 working days of 公示 + 2 to pay, as in the demo) confirmed on CONFIRMED
    and turned into an entitlement after its 公示."""

    def make(*, confirmed: date = CONFIRMED, publicity_days: int = 3, cash_days: int = 2) -> CashPromise:
        item = make_item(publicity_days=publicity_days, cash_days=cash_days)
        enterprise = scaled("守约公司")
        run = run_create(actor=officer, item=item, period="2025", today=confirmed)
        run_confirm(actor=officer, run=run, today=confirmed)
        assert run.publicity_ends_on is not None
        assert runs_sweep(today=work_calendar().add_workdays(run.publicity_ends_on, 1)) == [run.pk]
        return CashPromise.objects.select_related("entitlement").get(enterprise=enterprise)

    return make


def test_a_cash_promise_turns_red_exactly_after_its_last_working_day_counting_the_national_day_holidays(
        granted: Any, finance: Any, make_user: Any) -> None:
    supervisor = make_user("supervisor", username="supervisor-fj", region="350000")
    promise = granted()
    assert (promise.started_on, promise.days, promise.due_at) == (CONFIRMED, 5, DUE_BY_HAND)
    assert promise.entitlement.pay_due_on == DUE_BY_HAND  # the run's own date agrees with the clock

    def light_on(day: date) -> str:
        cash_promises_sweep(now=at(day))
        return CashPromise.objects.get(pk=promise.pk).colour

    assert light_on(date(2026, 10, 8)) == "green"
    assert light_on(date(2026, 10, 9)) == "yellow"  # the last two working days: 9 Oct and
    assert light_on(date(2026, 10, 10)) == "yellow"  # the due day itself (a worked Saturday)
    cash_promises_sweep(now=datetime(2026, 10, 10, 23, 59, tzinfo=SHANGHAI))
    assert CashPromise.objects.get(pk=promise.pk).colour == "yellow"  # still on time until midnight
    assert light_on(date(2026, 10, 11)) == "red"
    assert light_on(date(2026, 10, 12)) == "red"

    breaches = Notification.objects.filter(category="cash_promise", title__contains="红灯")
    assert sorted(breaches.values_list("recipient__username", flat=True)) == sorted([finance.username,
                                                                                    supervisor.username])
    assert "逾期未兑付" in breaches.first().body  # type: ignore[union-attr]
    assert not Notification.objects.filter(category="cash_promise", recipient=supervisor,
                                           title__contains="黄灯").exists()  # supervisors hear of breaches only


def test_a_promise_paid_before_its_date_never_turns_red(granted: Any, finance: Any, make_user: Any) -> None:
    today = timezone.localdate()
    calendar = work_calendar()
    confirmed = today
    while calendar.workdays_between(confirmed, today) < 1 or not calendar.is_workday(confirmed):
        confirmed = date.fromordinal(confirmed.toordinal() - 1)
    promise = granted(confirmed=confirmed, publicity_days=0, cash_days=5)
    assert promise.due_at is not None and promise.due_at > today
    enterprise = promise.enterprise
    bank_account_set(actor=make_user("enterprise", enterprise=enterprise), enterprise=enterprise,
                     account_name=enterprise.name, bank_name="泉州银行", number="6222000011112222")
    batch, _ = batch_create(actor=finance, item=promise.item)
    payment_record(actor=finance, line=batch.lines.get(), idempotency_key="bank-ok")

    promise.refresh_from_db()
    assert (promise.outcome, promise.colour, promise.closed_on) == ("paid", "done", today)
    for days_later in (0, 5, 30):
        cash_promises_sweep(now=at(date.fromordinal(promise.due_at.toordinal() + days_later)))
    assert CashPromise.objects.get(pk=promise.pk).colour == "done"
    assert not Notification.objects.filter(category="cash_promise").exists()


def test_finance_sees_the_breach_under_overdue_unpaid_and_the_supervisor_per_region(
        granted: Any, finance: Any, make_user: Any, client: Any) -> None:
    from conftest import PASSWORD
    from huiqi.supervision.selectors import missed_and_wrong

    supervisor = make_user("supervisor", username="supervisor-fj2", region="350000")
    promise = granted()
    cash_promises_sweep(now=at(date(2026, 10, 12)))
    client.login(username=finance.username, password=PASSWORD)
    overdue = client.get("/disbursement/promises/?light=red").content.decode()
    assert "守约公司" in overdue and "逾期未兑付" in overdue and "2026-10-10" in overdue
    assert "守约公司" not in client.get("/disbursement/promises/?light=yellow").content.decode()
    assert "逾期未兑付 1 笔" in client.get("/disbursement/").content.decode()
    by_region = {row["region"]: row["breaches"] for row in missed_and_wrong(region="350000")}
    assert by_region["350500"] == 1 and sum(by_region.values()) == 1
    assert supervisor.region == "350000" and promise.region.startswith("3505")
