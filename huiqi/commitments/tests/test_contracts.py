"""Drafting a contract's commitments from its text, confirming them, and refusing bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from huiqi.audit.models import AuditEvent
from huiqi.commitments.models import Commitment, Contract
from huiqi.commitments.services import CommitmentError, contract_confirm, contract_draft

from .conftest import CONTRACT_TEXT, SIGNED, rows_of

pytestmark = pytest.mark.django_db


def test_an_uploaded_contract_is_drafted_clause_by_clause_with_sides_dates_and_targets(drafted: Any) -> None:
    drafts = {c.clause_path: c for c in drafted.commitments.all()}
    assert drafted.status == Contract.Status.DRAFT and drafted.document.name
    assert set(drafts) == {"第一条", "第二条", "第三条", "第四条"}
    invest = drafts["第一条"]
    assert (invest.side, invest.target_field, invest.target_op, invest.target_value, invest.due_at) == (
        "enterprise", "fixed_asset_investment", ">=", Decimal("500000000"), date(2026, 10, 31))
    assert drafts["第二条"].target_field == "revenue" and drafts["第二条"].target_value == Decimal("300000000")
    road = drafts["第三条"]
    assert road.side == "government" and road.due_at == date(2026, 12, 15) and not road.target_field
    tax = drafts["第四条"]
    assert tax.recurring and tax.year_from == 2026 and tax.target_value == Decimal("20000000")
    assert tax.due_at == date(2027, 6, 30)
    assert {c.status for c in drafts.values()} == {Commitment.Status.DRAFT}


def test_confirming_starts_every_commitment_on_the_clock(confirmed: Any) -> None:
    confirmed.refresh_from_db()
    assert confirmed.status == Contract.Status.ACTIVE
    road = confirmed.commitments.get(clause_path="第三条")
    assert road.started_on == SIGNED and road.due_at == date(2026, 12, 15) and road.warn_days == 5
    assert road.department_id is not None and road.responsible is not None
    assert AuditEvent.objects.filter(action="contract.confirm").exists()


def test_a_due_date_before_signing_is_refused_and_nothing_changes(drafted: Any, officer: Any) -> None:
    rows = rows_of(drafted)
    rows[2].due_on = date(2025, 12, 31)
    with pytest.raises(CommitmentError) as caught:
        contract_confirm(actor=officer, contract=drafted, rows=rows)
    assert "第3条承诺：到期日 2025年12月31日 早于签约日期 2026年01月10日" in str(caught.value)
    drafted.refresh_from_db()
    assert drafted.status == Contract.Status.DRAFT
    assert set(drafted.commitments.values_list("status", flat=True)) == {Commitment.Status.DRAFT}


def test_a_target_on_an_unknown_field_is_refused_and_nothing_changes(drafted: Any, officer: Any) -> None:
    rows = rows_of(drafted)
    rows[0].target_field = "profit_margin_x"
    with pytest.raises(CommitmentError, match="考核指标“profit_margin_x”不是企业档案中的指标"):
        contract_confirm(actor=officer, contract=drafted, rows=rows)
    assert not Commitment.objects.exclude(status=Commitment.Status.DRAFT).exists()


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("空白合同.txt", b"   \n  ", "没有可识别的文字"),
    ("扫描件.pdf", b"%PDF-1.4\n%%EOF", "无法读取合同文本"),
    ("合同.xls", b"abc", "请上传 .docx、.pdf 或 .txt"),
])
def test_a_contract_file_without_text_is_refused_and_nothing_is_stored(
        officer: Any, enterprise: Any, filename: str, data: bytes, message: str) -> None:
    with pytest.raises(CommitmentError, match=message):
        contract_draft(actor=officer, enterprise=enterprise, title="项目", government_party="", signed_on=SIGNED,
                       filename=filename, data=data)
    assert not Contract.objects.exists() and not Commitment.objects.exists()


def test_an_enterprise_user_cannot_record_a_contract(enterprise_user: Any, enterprise: Any) -> None:
    with pytest.raises(PermissionError):
        contract_draft(actor=enterprise_user, enterprise=enterprise, title="项目", government_party="",
                       signed_on=SIGNED, filename="a.txt", data=CONTRACT_TEXT.encode())
