"""Two reviewers approving the same node at the same moment, on two real PostgreSQL connections.
SQLite serialises writers, so this only means something on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from huiqi.fulfilment import services
from huiqi.fulfilment.models import Application, ApplicationEvent, ReviewStep
from huiqi.fulfilment.workflow import WorkflowConflict
from tests.concurrency import race

from .conftest import CHECK, at

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="并发审核测试需要 PostgreSQL（设置 DATABASE_URL）"),
]


def test_two_reviewers_approving_the_same_node_at_once_let_exactly_one_through(
        transactional_db: Any, reviewer: Any, make_user: Any, submitted: Any) -> None:
    colleague = make_user("reviewer", username="reviewer-qz-2")
    app = submitted(at(2026, 3, 2))
    mine, theirs = Application.objects.get(pk=app.pk), Application.objects.get(pk=app.pk)
    results = race(
        lambda: services.review_approve(actor=reviewer, application=mine, now=at(2026, 3, 3), checks={CHECK: True}),
        lambda: services.review_approve(actor=colleague, application=theirs, now=at(2026, 3, 3), checks={CHECK: True}))
    assert sum(isinstance(r, Application) for r in results) == 1, results
    assert sum(isinstance(r, WorkflowConflict) for r in results) == 1, results
    assert Application.objects.get(pk=app.pk).node_index == 1
    assert ReviewStep.objects.filter(application=app).count() == 2
    assert ApplicationEvent.objects.filter(application=app, kind="node_approve").count() == 1


def test_two_deadline_sweeps_at_once_turn_a_node_red_and_notify_each_person_once(
        transactional_db: Any, reviewer: Any, supervisor: Any, submitted: Any) -> None:
    from datetime import date

    from huiqi.notifications.models import Notification

    app = submitted(at(2026, 3, 2))  # due Thu 03-05
    results = race(lambda: services.deadline_sweep(today=date(2026, 3, 9)),
                   lambda: services.deadline_sweep(today=date(2026, 3, 9)))
    assert sorted(r.changed.get("red", 0) for r in results) == [0, 1], results
    assert ReviewStep.objects.get(application=app).colour == ReviewStep.Colour.RED
    for person in (reviewer, supervisor):
        assert Notification.objects.filter(recipient=person, category="deadline").count() == 1
    assert ApplicationEvent.objects.filter(application=app, kind="warn_red").count() == 1
