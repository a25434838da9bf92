from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from huiqi.enterprises.models import YearFigure
from huiqi.matching.models import MatchJob, MatchResult, ScheduleSlot
from huiqi.matching.scheduling import run_due
from huiqi.matching.services import (
    match_enterprise_recompute,
    match_full_recompute,
    match_job_create,
    match_jobs_run_queued,
)
from huiqi.policies.models import PolicyDocument
from huiqi.policies.services import policy_item_create
from huiqi.policies.workflow import transition

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1


def _figure(enterprise: Any, field: str, value: str) -> None:
    YearFigure.objects.create(enterprise=enterprise, year=LAST_YEAR, field=field, value_number=Decimal(value),
                              source="税务", as_of=date(LAST_YEAR + 1, 3, 31))


@pytest.fixture
def rd_item(department: Any, make_user: Any) -> Any:
    officer = make_user("officer")
    document = PolicyDocument.objects.create(title="泉州市研发补助办法", issuer="泉州市科技局", level="city",
                                             region="350500", department=department, doc_number="泉科〔2026〕1号")
    return policy_item_create(
        actor=officer, document=document, code="qz-rd", title="研发费用补助", mode="免申即享",
        conditions={"all": [{"field": "region", "op": "within", "value": "350500"},
                            {"field": "revenue", "op": ">=", "value": 20000000}]},
        reward={"rate": 0.1, "base": {"field": "rd_expense"}, "cap": 500000},
    )


@pytest.fixture
def enterprises(make_enterprise: Any) -> dict[str, Any]:
    big = make_enterprise(region="350582", name="晋江大企业")
    _figure(big, "revenue", "30000000")
    _figure(big, "rd_expense", "1200000")
    small = make_enterprise(region="350503", name="鲤城小企业")
    _figure(small, "revenue", "5000000")
    unknown = make_enterprise(region="350503", name="鲤城缺数企业")
    fuzhou = make_enterprise(region="350102", name="福州企业")
    _figure(fuzhou, "revenue", "90000000")
    return {"big": big, "small": small, "unknown": unknown, "fuzhou": fuzhou}


def _publish(item: Any, make_user: Any, capture: Any) -> None:
    reviewer = make_user("reviewer")
    with capture(execute=True):
        transition(actor=reviewer, item=item, name="review")
        transition(actor=reviewer, item=item, name="publish")


@pytest.mark.django_db(transaction=True)
def test_publishing_an_item_queues_a_job_that_the_worker_turns_into_results(
        rd_item: Any, enterprises: dict[str, Any], make_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    """Through the real worker process loop (db_worker), which manages its own connections."""
    _publish(rd_item, make_user, django_capture_on_commit_callbacks)
    job = MatchJob.objects.get(kind=MatchJob.Kind.ITEM)
    assert job.state == MatchJob.State.QUEUED
    call_command("run_worker", batch=True, verbosity=0)
    job.refresh_from_db()
    assert job.state == MatchJob.State.DONE and job.percent == 100
    results = {r.enterprise.name: r for r in MatchResult.objects.select_related("enterprise")}
    assert set(results) == {"晋江大企业", "鲤城缺数企业"}
    assert results["晋江大企业"].status == "eligible"
    assert results["晋江大企业"].amount_min == results["晋江大企业"].amount_max == Decimal("120000.00")
    assert results["鲤城缺数企业"].status == "possible"
    assert results["鲤城缺数企业"].unknown_fields == [f"years.{LAST_YEAR}.revenue"]
    assert results["鲤城缺数企业"].amount_max == Decimal("500000.00")


def test_withdrawing_an_item_removes_its_results(rd_item: Any, enterprises: dict[str, Any], make_user: Any,
                                                 django_capture_on_commit_callbacks: Any) -> None:
    _publish(rd_item, make_user, django_capture_on_commit_callbacks)
    match_jobs_run_queued()
    assert MatchResult.objects.exists()
    rd_item.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        transition(actor=make_user("officer"), item=rd_item, name="withdraw")
    assert not MatchResult.objects.exists()


def test_a_profile_change_recomputes_that_enterprise(rd_item: Any, enterprises: dict[str, Any], make_user: Any,
                                                     django_capture_on_commit_callbacks: Any) -> None:
    _publish(rd_item, make_user, django_capture_on_commit_callbacks)
    match_jobs_run_queued()
    small = enterprises["small"]
    YearFigure.objects.filter(enterprise=small, field="revenue").update(value_number=Decimal("25000000"))
    match_enterprise_recompute(enterprise_id=small.pk)
    result = MatchResult.objects.get(enterprise=small)
    assert result.status == "eligible"
    assert (result.amount_min, result.amount_max) == (Decimal("0.00"), Decimal("500000.00"))


def test_the_full_run_and_the_per_enterprise_path_agree(rd_item: Any, enterprises: dict[str, Any], make_user: Any,
                                                        django_capture_on_commit_callbacks: Any) -> None:
    _publish(rd_item, make_user, django_capture_on_commit_callbacks)
    match_full_recompute()
    full = sorted(MatchResult.objects.values_list("enterprise_id", "status", "amount_min", "amount_max"))
    for enterprise in enterprises.values():
        match_enterprise_recompute(enterprise_id=enterprise.pk)
    quick = sorted(MatchResult.objects.values_list("enterprise_id", "status", "amount_min", "amount_max"))
    assert full == quick and len(full) == 2


def test_a_schedule_that_has_run_does_not_run_again_until_it_is_due() -> None:
    now = timezone.now()
    run_due(now)  # creates the slot for tomorrow
    ScheduleSlot.objects.filter(name="matching.full").update(next_run_at=now - timedelta(minutes=1))
    assert run_due(now) == ["matching.full"]
    assert run_due(now) == []
    assert MatchJob.objects.filter(kind=MatchJob.Kind.FULL).count() == 1


def test_the_job_page_refreshes_while_a_job_runs_and_is_for_officers_only(make_user: Any, client: Client) -> None:
    """(That the page shows a running job's real progress is checked on PostgreSQL, from another
    connection, in test_progress_postgres.py.)"""
    match_job_create(kind=MatchJob.Kind.FULL, reason="测试")
    officer = make_user("officer")
    client.login(username=officer.username, password=PASSWORD)
    page = client.get("/matching/jobs/").content.decode()
    assert "排队中" in page and 'http-equiv="refresh"' in page
    client.logout()
    enterprise_user = make_user("enterprise")
    client.login(username=enterprise_user.username, password=PASSWORD)
    assert client.get("/matching/jobs/").status_code == 403
