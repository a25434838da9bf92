from __future__ import annotations

from datetime import date

from ninja import Schema


class CommitmentOut(Schema):
    id: int
    contract_id: int | None
    contract_title: str | None
    application_id: int | None
    enterprise: str
    side: str
    side_label: str
    department: str | None
    content: str
    clause_text: str
    due_at: date | None
    status: str
    status_label: str
    target: str
    reason: str
    check_figure: str
    check_source: str


class ContractOut(Schema):
    id: int
    title: str
    enterprise: str
    government_party: str
    signed_on: date
    amount: str | None
    status: str
    status_label: str
    commitments: list[CommitmentOut]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = {}
