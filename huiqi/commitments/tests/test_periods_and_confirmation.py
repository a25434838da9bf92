"""A yearly commitment met for its year moves on to the next year (history kept); a commitment
confirmed inside its reminder lead is reminded at once, one confirmed after its due date is red at
once with the reason on it, warned about and (enterprise side) served a 催告."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from huiqi.audit.models import AuditEvent
from huiqi.commitments.models import Commitment
from huiqi.commitments.services import commitments_check, contract_confirm
from huiqi.commitments.tests.conftest import rows_of
from huiqi.enterprises.models import YearFigure
from huiqi.notifications.models import Notification

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _tax_paid(enterprise: Any, year: int, yuan: str) -> None:
    YearFigure.objects.create(enterprise=enterprise, year=year, field="tax_paid", value_number=Decimal(yuan),
                              source="税务", as_of=date(year + 1, 3, 31))


def test_a_yearly_commitment_met_for_its_year_moves_to_next_years_due_date_and_keeps_the_history(
        confirmed: Any, enterprise: Any) -> None:
    tax = confirmed.commitments.get(clause_path="第四条")  # 年纳税 ≥ 2,000 万元 from 2026, due 2027-06-30
    _tax_paid(enterprise, 2026, "21000000")
    commitments_check(now=datetime(2027, 4, 2, 9, tzinfo=TZ))
    tax.refresh_from_db()
    assert tax.status == Commitment.Status.PENDING and tax.colour == Commitment.Colour.GREEN
    assert tax.due_at == date(2028, 6, 30) and tax.started_on == date(2027, 6, 30)
    assert [(p["year"], p["due_on"], p["figure"]) for p in tax.periods] == [(2026, "2027-06-30", "2,100 万元")]
    assert "进入2027年度考核期" in tax.reason
    assert AuditEvent.objects.filter(action="commitment.check", object_id=str(tax.pk)).exists()

    commitments_check(now=datetime(2027, 4, 3, 9, tzinfo=TZ))  # nothing new: the period stays
    tax.refresh_from_db()
    assert tax.due_at == date(2028, 6, 30) and len(tax.periods) == 1

    _tax_paid(enterprise, 2027, "15000000")  # next year misses the target
    commitments_check(now=datetime(2028, 4, 2, 9, tzinfo=TZ))
    tax.refresh_from_db()
    assert tax.status == Commitment.Status.FAILED and tax.check_year == 2027
    assert [p["year"] for p in tax.periods] == [2026]  # the year it met is still on record


def test_figures_for_several_years_roll_a_yearly_commitment_through_each_and_its_last_year_fulfils_it(
        confirmed: Any, enterprise: Any) -> None:
    tax = confirmed.commitments.get(clause_path="第四条")
    Commitment.objects.filter(pk=tax.pk).update(year_to=2028)
    for year in (2026, 2027, 2028):
        _tax_paid(enterprise, year, "25000000")
    commitments_check(now=datetime(2029, 4, 2, 9, tzinfo=TZ))
    tax.refresh_from_db()
    assert tax.status == Commitment.Status.FULFILLED
    assert [p["year"] for p in tax.periods] == [2026, 2027, 2028]


def test_confirmed_inside_the_reminder_lead_it_turns_yellow_and_the_responsible_person_is_reminded(
        drafted: Any, officer: Any) -> None:
    rows = [r for r in rows_of(drafted) if r.side == Commitment.Side.GOVERNMENT]  # road, due 2026-12-15
    contract_confirm(actor=officer, contract=drafted, rows=rows, now=datetime(2026, 12, 10, 9, tzinfo=TZ))
    road = drafted.commitments.get()
    assert (road.status, road.colour) == (Commitment.Status.DUE_SOON, Commitment.Colour.YELLOW)
    assert road.reason == ""
    reminder = Notification.objects.get(title__startswith="承诺临期提醒")
    assert reminder.recipient == officer and "2026年12月15日" in reminder.body


def test_confirmed_after_its_due_date_it_is_red_with_the_reason_warned_and_served_a_demand(
        drafted: Any, officer: Any, supervisor: Any, enterprise_user: Any) -> None:
    rows = [r for r in rows_of(drafted) if r.due_on == date(2026, 10, 31)]  # the enterprise's investment
    contract_confirm(actor=officer, contract=drafted, rows=rows, now=datetime(2026, 11, 20, 9, tzinfo=TZ))
    invest = drafted.commitments.get()
    assert (invest.status, invest.colour) == (Commitment.Status.OVERDUE, Commitment.Colour.RED)
    assert invest.reason == "确认时已逾期：到期日 2026年10月31日 早于确认日 2026年11月20日"
    warned = {n.recipient for n in Notification.objects.filter(title__startswith="承诺逾期预警")}
    assert supervisor in warned
    assert Notification.objects.filter(recipient=enterprise_user, title__startswith="履约催告").exists()


def test_the_commitment_page_lists_the_periods_met(client: Any, confirmed: Any, enterprise: Any, officer: Any) -> None:
    tax = confirmed.commitments.get(clause_path="第四条")
    _tax_paid(enterprise, 2026, "21000000")
    commitments_check(now=datetime(2027, 4, 2, 9, tzinfo=TZ))
    client.force_login(officer)
    page = client.get(f"/commitments/c/{tax.pk}/").content.decode()
    assert "历次考核" in page and "2026年度" in page and "2,100 万元（达标）" in page
