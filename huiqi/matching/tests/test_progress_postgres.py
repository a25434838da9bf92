"""Matching seen from other connections while it runs, and two workers at the same moment, on two
real PostgreSQL connections (SQLite serialises writers, so these only mean something there)."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from huiqi.matching import services
from huiqi.matching.models import MatchJob, MatchResult, ScheduleSlot
from huiqi.matching.scheduling import run_due
from tests.concurrency import race

from .test_recompute import enterprises, rd_item  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("跨连接进度与并发调度测试需要 PostgreSQL（设置 DATABASE_URL）")


def test_another_connection_sees_a_running_jobs_progress_before_its_results_commit(
        rd_item: Any, enterprises: dict[str, Any], make_user: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from huiqi.policies.workflow import transition

    reviewer = make_user("reviewer")
    transition(actor=reviewer, item=rd_item, name="review")
    transition(actor=reviewer, item=rd_item, name="publish")
    MatchJob.objects.all().delete()
    job = services.match_job_create(kind=MatchJob.Kind.FULL, reason="测试")
    mid_job, release = threading.Event(), threading.Event()
    real_audit = services.audit_record

    def audit_then_wait(**kwargs: Any) -> Any:  # inside the results transaction, every row computed
        event = real_audit(**kwargs)
        mid_job.set()
        release.wait(30)
        return event

    monkeypatch.setattr(services, "audit_record", audit_then_wait)
    def work() -> None:
        try:
            services.match_job_run(job_id=job.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        assert mid_job.wait(30)
        client = Client()  # this thread: another database connection than the worker's
        client.login(username=make_user("officer").username, password=PASSWORD)
        page = client.get("/matching/jobs/").content.decode()
        assert MatchJob.objects.get(pk=job.pk).state == MatchJob.State.RUNNING
        assert not MatchResult.objects.exists()  # the results are not committed yet ...
        assert "100%（1/1）" in page  # ... but their progress is visible
    finally:
        release.set()
        worker.join(30)
    assert MatchResult.objects.count() == 2


def test_a_due_schedule_runs_once_when_two_workers_tick_at_the_same_moment() -> None:
    now = timezone.now()
    run_due(now)  # creates the slots
    ScheduleSlot.objects.filter(name="matching.full").update(next_run_at=now - timedelta(minutes=1))
    first, second = race(lambda: run_due(now), lambda: run_due(now))
    assert not isinstance(first, Exception) and not isinstance(second, Exception), (first, second)
    assert sorted([first, second], key=len) == [[], ["matching.full"]]
    assert MatchJob.objects.filter(kind=MatchJob.Kind.FULL).count() == 1
