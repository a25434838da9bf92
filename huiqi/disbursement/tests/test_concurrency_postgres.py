"""Two requests paying the same entitlement at the same moment, on two real PostgreSQL
connections. SQLite serialises writers, so these only mean something on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.db import connection

from huiqi.disbursement.models import LedgerEntry, PaymentLine
from huiqi.disbursement.services import (
    AlreadyPaid,
    bank_account_set,
    batch_create,
    entitlement_grant,
    payment_record,
)
from tests.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("并发拨付测试需要 PostgreSQL（设置 DATABASE_URL）")


@pytest.fixture
def line(make_item: Any, scaled: Any, officer: Any, finance: Any, make_user: Any) -> PaymentLine:
    item, enterprise = make_item(), scaled("并发公司")
    bank_account_set(actor=make_user("enterprise", enterprise=enterprise), enterprise=enterprise,
                     account_name="并发公司", bank_name="泉州银行", number="6222000011112222")
    entitlement_grant(actor=officer, enterprise=enterprise, item=item, period="2025", amount=Decimal("1000"),
                      source_ref="x")
    batch, _ = batch_create(actor=finance, item=item)
    return batch.lines.get()


def test_two_different_requests_paying_at_once_pay_once(line: PaymentLine, finance: Any) -> None:
    results = race(lambda: payment_record(actor=finance, line=line, idempotency_key="request-a"),
                    lambda: payment_record(actor=finance, line=line, idempotency_key="request-b"))
    assert sum(isinstance(r, LedgerEntry) for r in results) == 1
    assert sum(isinstance(r, AlreadyPaid) for r in results) == 1
    assert LedgerEntry.objects.filter(entitlement_id=line.entitlement_id).count() == 1


def test_a_double_click_arriving_twice_at_once_returns_the_one_entry(line: PaymentLine, finance: Any) -> None:
    results = race(lambda: payment_record(actor=finance, line=line, idempotency_key="click-1"),
                    lambda: payment_record(actor=finance, line=line, idempotency_key="click-1"))
    assert all(isinstance(r, LedgerEntry) for r in results), results
    assert results[0].pk == results[1].pk
    assert LedgerEntry.objects.count() == 1


def test_the_paid_key_constraint_stops_two_raw_inserts_racing(line: PaymentLine) -> None:
    def insert(key: str) -> LedgerEntry:
        return LedgerEntry.objects.create(entitlement_id=line.entitlement_id, kind="payment", amount=Decimal("1000"),
                                          idempotency_key=key, paid_key=f"{line.entitlement_id}#0")

    results = race(lambda: insert("raw-a"), lambda: insert("raw-b"))
    assert sum(isinstance(r, LedgerEntry) for r in results) == 1
    assert LedgerEntry.objects.count() == 1


def test_twenty_grants_racing_a_full_match_neither_deadlock_nor_exceed_the_budget(
        make_item: Any, scaled: Any, officer: Any) -> None:
    from django.db import OperationalError

    from huiqi.disbursement.models import Entitlement
    from huiqi.disbursement.services import BudgetExceeded, budget_of
    from huiqi.matching.models import MatchResult
    from huiqi.matching.services import match_full_recompute

    item = make_item(budget="1000000")  # room for 10 of the 20 grants
    for _ in range(4):
        make_item()  # more items for the worker to write results for
    enterprises = [scaled(f"并发企业{n}") for n in range(20)]
    for n in range(60):
        scaled(f"其他企业{n}")
    match_full_recompute()  # results exist, as in production, before the recompute races the grants

    def grant(enterprise: Any) -> Any:
        return entitlement_grant(actor=officer, enterprise=enterprise, item=item, period="2025",
                                 amount=Decimal("100000"), source="auto_run", source_ref=f"race-{enterprise.pk}")

    results = race(match_full_recompute, *[lambda e=e: grant(e) for e in enterprises])
    errors = [r for r in results if isinstance(r, OperationalError)]
    assert errors == []  # no deadlock, no serialization failure left unanswered
    assert isinstance(results[0], int) and results[0] == MatchResult.objects.count() > 0
    granted = [r for r in results[1:] if isinstance(r, Entitlement)]
    assert len(granted) == 10
    assert sum(isinstance(r, BudgetExceeded) for r in results[1:]) == 10
    assert budget_of(item).committed == Decimal("1000000.00")


def test_a_free_application_run_created_during_a_full_recompute_is_listed_or_told_to_wait_never_a_500(
        make_item: Any, scaled: Any, officer: Any) -> None:
    from django.db import IntegrityError

    from huiqi.disbursement.models import AutoRun
    from huiqi.disbursement.services import DisbursementError, run_create
    from huiqi.matching.services import match_full_recompute

    item = make_item()
    for _ in range(3):
        make_item()
    for n in range(80):
        scaled(f"批次企业{n}")
    def create(period: str) -> Any:
        return run_create(actor=officer, item=item, period=period)

    outcomes = [race(match_full_recompute, partial(create, f"20{n}")) for n in range(10, 13)]
    failures = [r for results in outcomes for r in results
                if isinstance(r, Exception) and not isinstance(r, DisbursementError)]
    assert not any(isinstance(r, IntegrityError) for r in failures) and failures == []
    runs = [results[1] for results in outcomes if isinstance(results[1], AutoRun)]
    assert runs and all(run.lines.count() == 80 for run in runs)


def test_two_tabs_confirming_one_batch_at_once_pay_once_and_the_second_is_told_why(
        make_item: Any, scaled: Any, officer: Any, finance: Any, make_user: Any) -> None:
    from django.test import Client

    from conftest import PASSWORD

    item = make_item()
    for n in range(6):
        enterprise = scaled(f"标签页公司{n}")
        bank_account_set(actor=make_user("enterprise", enterprise=enterprise), enterprise=enterprise,
                         account_name=enterprise.name, bank_name="泉州银行", number=f"62220000111122{n:02d}")
        entitlement_grant(actor=officer, enterprise=enterprise, item=item, period="2025", amount=Decimal("1000"),
                          source_ref=f"tab-{n}")
    batch, _ = batch_create(actor=finance, item=item)
    tabs = [Client(), Client()]
    for tab in tabs:
        assert tab.login(username=finance.username, password=PASSWORD)

    def confirm(tab: Client, key: str) -> Any:
        return tab.post(f"/disbursement/batches/{batch.pk}/action/",
                        {"op": "confirm_paid", "key": key, "reference": "国库支付凭证 7"})

    results = race(lambda: confirm(tabs[0], "tab-a"), lambda: confirm(tabs[1], "tab-b"))
    assert [getattr(r, "status_code", r) for r in results] == [302, 302]
    assert LedgerEntry.objects.count() == 6
    told = [m.message for tab in tabs for m in tab.get(f"/disbursement/batches/{batch.pk}/").context["messages"]]
    assert any("已确认拨付 6 笔" in m for m in told), told
    assert any("另一" in m and "未重复拨付" in m for m in told), told


def test_two_cash_promise_sweeps_at_once_tell_finance_and_the_supervisor_of_a_breach_once(
        make_item: Any, scaled: Any, officer: Any, finance: Any, make_user: Any) -> None:
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from huiqi.disbursement.models import CashPromise
    from huiqi.disbursement.services import cash_promises_sweep, run_confirm, run_create, runs_sweep
    from huiqi.notifications.models import Notification

    supervisor = make_user("supervisor", username="supervisor-race", region="350000")
    item = make_item(publicity_days=3, cash_days=2)
    scaled("逾期公司")
    run = run_create(actor=officer, item=item, period="2025", today=date(2026, 9, 28))
    run_confirm(actor=officer, run=run, today=date(2026, 9, 28))
    runs_sweep(today=date(2026, 10, 9))
    breached = datetime(2026, 10, 12, 7, 10, tzinfo=ZoneInfo("Asia/Shanghai"))  # due Sat 10 Oct (调休)

    results = race(lambda: cash_promises_sweep(now=breached), lambda: cash_promises_sweep(now=breached))

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r.changed.get("red", 0) for r in results) == 1  # one sweep won the compare-and-set
    assert CashPromise.objects.get().colour == "red"
    for person in (finance, supervisor):
        assert Notification.objects.filter(recipient=person, category="cash_promise").count() == 1
