"""JSON shapes of the disbursement API. Money is a decimal string in yuan (never a float)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class RunLineOut(Schema):
    enterprise: str
    uscc: str
    match_status: str
    decision: str
    amount: str | None
    amount_min: str
    amount_max: str | None
    reason: str
    declined: bool


class RunOut(Schema):
    id: int
    item_code: str
    item_title: str
    period: str
    status: str
    status_label: str
    evaluated_on: date
    publicity_starts_on: date | None
    publicity_ends_on: date | None
    pay_due_on: date | None
    notice_url: str | None


class RunDetailOut(RunOut):
    lines: list[RunLineOut]
    open_objections: int


class PaymentLineOut(Schema):
    code: str
    enterprise: str
    amount: str
    account: str
    status: str
    failure_reason: str


class BatchOut(Schema):
    id: int
    code: str
    item_code: str
    status: str
    created_at: datetime
    lines: list[PaymentLineOut] | None = None


class EntryOut(Schema):
    id: int
    kind: str
    amount: str
    enterprise: str
    item_code: str
    period: str
    reference: str
    at: datetime


class EntitlementOut(Schema):
    id: int
    enterprise: str
    item_code: str
    item_title: str
    period: str
    amount: str
    source: str
    status: str
    pay_due_on: date | None


class BudgetOut(Schema):
    item_code: str
    budget: str | None
    granted: str
    paid: str
    committed: str
    remaining: str | None
    percent: str
    level: str


class PayIn(Schema):
    idempotency_key: str
    reference: str = ""
