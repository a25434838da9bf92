"""JSON shapes of the fulfilment API (amounts as decimal strings, never floats)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema


class ApplicationIn(Schema):
    item_code: str
    inputs: dict[str, str] = {}
    commitments: list[str] = []


class ApplicationOut(Schema):
    id: int
    reference: str
    item_code: str
    item_title: str
    enterprise: str
    uscc: str
    period: str
    status: str
    status_label: str
    node_index: int
    current_node: str | None
    due_at: date | None
    colour: str | None
    inputs: dict[str, str]
    amount_min: str | None
    amount_max: str | None
    amount_approved: str | None
    submitted_at: datetime | None
    cash_due_on: date | None


class ReviewOut(Schema):
    id: int
    application_id: int
    reference: str
    enterprise: str
    item_code: str
    item_title: str
    node: str
    node_index: int
    department: str
    started_on: date
    due_at: date | None
    colour: str
    colour_label: str
    checks: list[str]
    amount_min: str | None
    amount_max: str | None


class DecisionIn(Schema):
    decision: Literal["approve", "return", "reject"]
    opinion: str = ""
    checks: dict[str, bool] = {}
    amount: str | None = None
    amount_reason: str = ""


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = {}
