"""The clock of a commitment: reminder before the due date, warning and 催告 when overdue,
evidence confirmed by the other party, declaring it impossible."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huiqi.commitments.models import Commitment, Evidence
from huiqi.commitments.services import (
    CommitmentError,
    commitment_fail,
    commitments_sweep,
    demand_letter,
    evidence_decide,
    evidence_upload,
)
from huiqi.core.workflow import WorkflowError
from huiqi.notifications.models import Notification

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=7, tzinfo=TZ)


def test_the_responsible_person_is_reminded_before_and_department_and_supervisor_warned_after_the_due_date(
        confirmed: Any, officer: Any, supervisor: Any, make_user: Any) -> None:
    colleague = make_user("officer", username="officer-2")
    road = confirmed.commitments.get(clause_path="第三条")  # government, due 2026-12-15
    commitments_sweep(now=at("2026-12-01"))
    road.refresh_from_db()
    assert road.status == Commitment.Status.PENDING

    commitments_sweep(now=at("2026-12-09"))  # 4 working days left, reminder lead is 5
    road.refresh_from_db()
    assert road.status == Commitment.Status.DUE_SOON
    reminders = Notification.objects.filter(category="commitment", title__startswith="承诺临期提醒")
    assert [n.recipient for n in reminders] == [officer]

    commitments_sweep(now=at("2026-12-16"))
    commitments_sweep(now=at("2026-12-17"))  # a second sweep announces nothing new
    road.refresh_from_db()
    assert road.status == Commitment.Status.OVERDUE
    warned = {n.recipient for n in Notification.objects.filter(title__startswith="承诺逾期预警")}
    assert warned == {officer, colleague, supervisor}


def test_an_overdue_enterprise_commitment_sends_a_demand_and_yields_a_word_letter(
        confirmed: Any, officer: Any, enterprise_user: Any) -> None:
    invest = confirmed.commitments.get(clause_path="第一条")  # enterprise, due 2026-10-31
    invest.refresh_from_db()
    assert invest.status == Commitment.Status.OVERDUE  # already past when confirmed on 2026-12-03
    Commitment.objects.filter(pk=invest.pk).update(status=Commitment.Status.PENDING, colour="green")
    commitments_sweep(now=at("2026-11-05"))
    demand = Notification.objects.get(recipient=enterprise_user, title__startswith="履约催告")
    assert "2026年10月31日" in demand.body
    invest.refresh_from_db()
    letter = demand_letter(actor=officer, commitment=invest)
    from io import BytesIO

    from docx import Document

    text = "\n".join(p.text for p in Document(BytesIO(letter)).paragraphs)
    assert "履约催告函" in text and "固定资产投资不低于5亿元" in text and "新材料产业园项目" in text


def test_evidence_from_the_enterprise_is_confirmed_by_the_department_and_fulfils_the_commitment(
        confirmed: Any, officer: Any, enterprise_user: Any) -> None:
    revenue = confirmed.commitments.get(clause_path="第二条")
    upload = SimpleUploadedFile("投产证明.pdf", b"%PDF-1.4 proof")
    with pytest.raises(PermissionError):
        evidence_upload(actor=officer, commitment=revenue, upload=upload)  # not the promising side
    ev = evidence_upload(actor=enterprise_user, commitment=revenue, upload=upload, note="已投产")
    assert Notification.objects.filter(recipient=officer, title__startswith="践诺佐证待确认").exists()
    with pytest.raises(PermissionError):
        evidence_decide(actor=enterprise_user, evidence=ev, confirm=True)  # not the other party
    evidence_decide(actor=officer, evidence=ev, confirm=True, opinion="核对无误")
    revenue.refresh_from_db()
    assert revenue.status == Commitment.Status.FULFILLED
    assert Evidence.objects.get(pk=ev.pk).status == Evidence.Status.CONFIRMED


def test_a_government_commitment_is_confirmed_by_the_enterprise_and_may_be_partial(
        confirmed: Any, officer: Any, enterprise_user: Any) -> None:
    road = confirmed.commitments.get(clause_path="第三条")
    ev = evidence_upload(actor=officer, commitment=road, upload=SimpleUploadedFile("验收.pdf", b"x"), partial=True)
    with pytest.raises(CommitmentError, match="请填写理由"):
        evidence_decide(actor=enterprise_user, evidence=ev, confirm=False)
    evidence_decide(actor=enterprise_user, evidence=ev, confirm=True)
    road.refresh_from_db()
    assert road.status == Commitment.Status.PARTIAL


def test_declaring_a_commitment_impossible_needs_a_reason_and_closes_it_once(confirmed: Any, officer: Any) -> None:
    road = confirmed.commitments.get(clause_path="第三条")
    with pytest.raises(CommitmentError, match="请填写原因"):
        commitment_fail(actor=officer, commitment=road, reason=" ")
    stale = Commitment.objects.get(pk=road.pk)
    commitment_fail(actor=officer, commitment=road, reason="规划调整，道路改线")
    assert Commitment.objects.get(pk=road.pk).status == Commitment.Status.FAILED
    with pytest.raises(WorkflowError):
        commitment_fail(actor=officer, commitment=stale, reason="重复")
