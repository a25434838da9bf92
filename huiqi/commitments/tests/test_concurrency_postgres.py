"""Two people acting on one commitment at the same moment, on two real PostgreSQL connections.
SQLite serialises writers, so this only means something on PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from huiqi.commitments.models import Commitment, Evidence
from huiqi.commitments.services import commitment_fail, commitments_sweep, evidence_decide, evidence_upload
from huiqi.core.workflow import WorkflowConflict
from huiqi.notifications.models import Notification
from tests.concurrency import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="并发测试需要 PostgreSQL（设置 DATABASE_URL）"),
]


def test_confirming_evidence_while_a_colleague_declares_the_commitment_impossible_lets_exactly_one_through(
        transactional_db: Any, confirmed: Any, officer: Any, enterprise_user: Any, make_user: Any) -> None:
    colleague = make_user("officer", username="officer-2")
    revenue = Commitment.objects.get(clause_path="第二条")
    ev = evidence_upload(actor=enterprise_user, commitment=revenue, upload=SimpleUploadedFile("证明.pdf", b"x"))
    mine, theirs = Commitment.objects.get(pk=revenue.pk), Commitment.objects.get(pk=revenue.pk)
    ev_mine = Evidence.objects.select_related("commitment").get(pk=ev.pk)
    ev_mine.commitment = mine
    results = race(lambda: evidence_decide(actor=officer, evidence=ev_mine, confirm=True),
                   lambda: commitment_fail(actor=colleague, commitment=theirs, reason="项目终止"))
    assert sum(isinstance(r, WorkflowConflict) for r in results) == 1, results
    final = Commitment.objects.get(pk=revenue.pk).status
    assert final in {Commitment.Status.FULFILLED, Commitment.Status.FAILED}
    assert (Evidence.objects.get(pk=ev.pk).status == Evidence.Status.CONFIRMED) == (final == Commitment.Status.FULFILLED)


def test_two_sweeps_at_once_warn_each_person_once(transactional_db: Any, confirmed: Any, officer: Any,
                                                  supervisor: Any) -> None:
    now = datetime(2026, 12, 16, 7, tzinfo=ZoneInfo("Asia/Shanghai"))
    race(lambda: commitments_sweep(now=now), lambda: commitments_sweep(now=now))
    assert Commitment.objects.get(clause_path="第三条").status == Commitment.Status.OVERDUE
    assert Notification.objects.filter(recipient=supervisor, title__startswith="承诺逾期预警").count() == 1
