from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class RatingIn(Schema):
    subject: str  # "application" (申报) or "payment" (免申即享兑现)
    id: int
    score: int | float | str
    comment: str = ""
    tags: list[str] = []


class RatingOut(Schema):
    id: int
    subject: str
    target_id: int
    score: int
    poor: bool
    comment: str
    tags: list[str]
    editable_until: datetime
    answer_due: date | None = None


class IndexRowOut(Schema):
    region: str
    region_name: str
    strength: float | None
    speed: float | None
    convenience: float | None
    satisfaction: float | None
    score: float | None
    colour: str


class OrderOut(Schema):
    id: int
    number: str
    target_region: str
    target_region_name: str
    target_department: str | None
    source: str
    source_label: str
    reason: str
    figures: dict[str, object]
    status: str
    status_label: str
    due_at: date | None
    colour: str
    created_at: datetime
