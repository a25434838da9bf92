from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from huiqi.fulfilment import services
from huiqi.fulfilment.models import ApplicationEvent, ReviewStep, Urge
from huiqi.fulfilment.schedules import _sweep
from huiqi.fulfilment.selectors import work_queue
from huiqi.fulfilment.workflow import WorkflowError
from huiqi.matching.scheduling import SCHEDULES
from huiqi.notifications.models import Notification

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_sweep_turns_a_node_yellow_on_its_last_day_and_red_after_it_across_national_day(
        reviewer: Any, supervisor: Any, submitted: Any) -> None:
    app = submitted(at(2025, 9, 26))  # due Tue 09-30 (3 working days, Sunday 09-28 worked)
    step = app.steps.get()
    services.deadline_sweep(today=date(2025, 9, 28))
    step.refresh_from_db()
    assert step.colour == ReviewStep.Colour.GREEN  # 2 working days remain, warn_days is 1
    report = services.deadline_sweep(today=date(2025, 9, 30))
    step.refresh_from_db()
    assert step.colour == ReviewStep.Colour.YELLOW and report.changed == {"yellow": 1}
    services.deadline_sweep(today=date(2025, 10, 3))  # inside the holiday, already past the due day
    step.refresh_from_db()
    assert step.colour == ReviewStep.Colour.RED
    for person in (reviewer, supervisor):
        titles = list(Notification.objects.filter(recipient=person, category="deadline").values_list("title", flat=True))
        assert len(titles) == 2 and any("黄灯" in t for t in titles) and any("红灯" in t for t in titles)


def test_a_second_sweep_on_the_same_day_changes_nothing_and_notifies_nobody(reviewer: Any, submitted: Any) -> None:
    submitted(at(2025, 9, 26))
    first = services.deadline_sweep(today=date(2025, 10, 9))
    second = services.deadline_sweep(today=date(2025, 10, 9))
    assert first.changed == {"red": 1} and first.notified >= 1
    assert second.changed == {} and second.notified == 0


def test_a_node_paused_for_correction_is_never_coloured_red(reviewer: Any, submitted: Any) -> None:
    app = submitted(at(2025, 9, 26))
    services.review_return(actor=reviewer, application=app, now=at(2025, 9, 29), reasons="补充发票")
    services.deadline_sweep(today=date(2025, 10, 20))
    assert app.steps.get().colour == ReviewStep.Colour.PAUSED


def test_the_work_queue_filters_by_colour(reviewer: Any, make_user: Any, make_enterprise: Any, item: Any,
                                          submitted: Any) -> None:
    from .conftest import clean_enterprise

    submitted(at(2025, 9, 26))
    other = make_user("enterprise", enterprise=clean_enterprise(make_enterprise(name="泉州第二申报企业")))
    submitted(at(2025, 10, 9), user=other)
    services.deadline_sweep(today=date(2025, 10, 9))
    assert [s.colour for s in work_queue(viewer=reviewer, colour="red")] == ["red"]
    assert [s.colour for s in work_queue(viewer=reviewer, colour="green")] == ["green"]
    assert len(work_queue(viewer=reviewer)) == 2


def test_the_enterprise_urges_an_overdue_node_once_per_working_day(applicant: Any, reviewer: Any,
                                                                    submitted: Any) -> None:
    app = submitted(at(2026, 3, 2))  # due Thu 03-05
    with pytest.raises(WorkflowError, match="尚未超期"):
        services.application_urge(actor=applicant, application=app, now=at(2026, 3, 5))
    services.application_urge(actor=applicant, application=app, now=at(2026, 3, 6))  # Friday
    with pytest.raises(WorkflowError, match="今天已催办"):
        services.application_urge(actor=applicant, application=app, now=at(2026, 3, 7))  # Saturday = Friday's turn
    services.application_urge(actor=applicant, application=app, now=at(2026, 3, 9))  # Monday
    assert list(Urge.objects.filter(application=app).values_list("workday", flat=True)) == [
        date(2026, 3, 6), date(2026, 3, 9)]
    assert Notification.objects.filter(recipient=reviewer, category="urge").count() == 2
    assert ApplicationEvent.objects.filter(application=app, kind="urge").count() == 2


def test_the_deadline_sweep_is_registered_with_the_scheduler() -> None:
    assert any(s.name == "fulfilment.deadline_sweep" and s.run is _sweep for s in SCHEDULES)
