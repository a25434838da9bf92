from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from huiqi.audit.models import AuditEvent
from huiqi.disbursement.models import Entitlement
from huiqi.disbursement.services import BudgetExceeded, budget_of, entitlement_grant
from huiqi.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_granting_twice_for_the_same_period_returns_the_first_entitlement(
        make_item: Any, scaled: Any, officer: Any) -> None:
    item, enterprise = make_item(), scaled("甲公司")
    first = entitlement_grant(actor=officer, enterprise=enterprise, item=item, period="2025",
                              amount=Decimal("100000"), source_ref="app-1")
    second = entitlement_grant(actor=officer, enterprise=enterprise, item=item, period="2025",
                               amount=Decimal("90000"), source_ref="app-2")
    assert second.pk == first.pk and second.amount == Decimal("100000.00")
    assert Entitlement.objects.count() == 1
    other_period = entitlement_grant(actor=officer, enterprise=enterprise, item=item, period="2026",
                                     amount=Decimal("100000"), source_ref="app-3")
    assert other_period.pk != first.pk
    assert AuditEvent.objects.filter(action="entitlement.grant", object_id=str(first.pk)).count() == 1


def test_a_grant_above_the_per_enterprise_cap_is_cut_to_the_cap(make_item: Any, scaled: Any, officer: Any) -> None:
    item = make_item(cap="50000")
    entitlement = entitlement_grant(actor=officer, enterprise=scaled("乙公司"), item=item, period="2025",
                                    amount=Decimal("80000"), source_ref="app-1")
    assert entitlement.amount == Decimal("50000.00") and entitlement.requested_amount == Decimal("80000.00")


def test_the_budget_warns_the_officers_once_at_ninety_percent_and_stops_at_one_hundred(
        make_item: Any, scaled: Any, officer: Any) -> None:
    item = make_item(budget="1000000")
    for n in range(8):
        entitlement_grant(actor=officer, enterprise=scaled(f"企业{n}"), item=item, period="2025",
                          amount=Decimal("100000"), source_ref=f"app-{n}")
    assert not Notification.objects.filter(category="budget").exists()
    entitlement_grant(actor=officer, enterprise=scaled("企业8"), item=item, period="2025",
                      amount=Decimal("100000"), source_ref="app-8")  # 90 %
    assert budget_of(item).level == "warning"
    entitlement_grant(actor=officer, enterprise=scaled("企业9"), item=item, period="2025",
                      amount=Decimal("50000"), source_ref="app-9")  # 95 %
    warnings = Notification.objects.filter(category="budget", recipient=officer)
    assert warnings.count() == 1 and "90.0%" in warnings.get().title
    with pytest.raises(BudgetExceeded, match="预算不足.*企业10"):
        entitlement_grant(actor=officer, enterprise=scaled("企业10"), item=item, period="2025",
                          amount=Decimal("50000.01"), source_ref="app-10")
    assert budget_of(item).committed == Decimal("950000.00")
    assert AuditEvent.objects.filter(action="entitlement.grant", result="denied").count() == 1
    entitlement_grant(actor=officer, enterprise=scaled("企业11"), item=item, period="2025",
                      amount=Decimal("50000"), source_ref="app-11")  # exactly 100 %
    status = budget_of(item)
    assert status.level == "stopped" and status.remaining == Decimal("0.00")


def test_a_zero_or_negative_amount_is_refused_naming_the_enterprise(make_item: Any, scaled: Any, officer: Any) -> None:
    with pytest.raises(ValueError, match="丙公司"):
        entitlement_grant(actor=officer, enterprise=scaled("丙公司"), item=make_item(), period="2025",
                          amount=Decimal("0"), source_ref="x")


def test_a_grant_whose_pay_by_date_falls_in_a_year_without_a_calendar_is_still_granted(
        make_item: Any, scaled: Any, officer: Any) -> None:
    from datetime import date

    from huiqi.workdays.models import CalendarYear

    item = make_item(cash_days=400)  # far beyond the last year the calendar knows
    assert not CalendarYear.objects.filter(year=date.today().year + 2).exists()
    entitlement = entitlement_grant(actor=officer, enterprise=scaled("跨年公司"), item=item, period="2025",
                                    amount=Decimal("1000"), source_ref="x")
    assert entitlement.pk and entitlement.pay_due_on is None
