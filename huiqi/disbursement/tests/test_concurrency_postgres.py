"""Two requests paying the same entitlement at the same moment, on two real PostgreSQL
connections. SQLite serialises writers, so these only mean something on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
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
