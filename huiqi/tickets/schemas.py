"""JSON shapes of the 企呼我应 API."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class TicketIn(Schema):
    category: str
    title: str
    content: str
    contact_name: str = ""
    contact_phone: str = ""
    related_item: str = ""
    external_id: str = ""
    enterprise_uscc: str = ""  # required when a system or an officer registers for an enterprise


class TicketCreated(Schema):
    id: int
    number: str
    status: str
    due_at: datetime


class TicketOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    category: str
    title: str
    enterprise: str
    due_at: datetime | None
    colour: str
    lead_department: str | None
    answer: str
    rating: str
    escalated: bool
    external_id: str
    events: list[dict[str, str]]


class EventIn(Schema):
    kind: str
    text: str


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = {}
