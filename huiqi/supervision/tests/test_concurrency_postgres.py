"""Two clicks at once on two real PostgreSQL connections: one rating per thing, one order
acknowledgement. SQLite serialises writers, so this only means something on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from huiqi.supervision import services
from huiqi.supervision.models import PoorRatingCase, Rating, SupervisionOrder
from huiqi.supervision.workflow import WorkflowConflict
from tests.concurrency import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="并发测试需要 PostgreSQL（设置 DATABASE_URL）"),
]


def test_two_ratings_of_the_same_application_at_once_store_one(transactional_db: Any, rejected: Any,
                                                               applicant: Any) -> None:
    results = race(
        lambda: services.rating_create(actor=applicant, kind="application", pk=rejected.pk, score=1),
        lambda: services.rating_create(actor=applicant, kind="application", pk=rejected.pk, score=2))
    assert sum(isinstance(r, Rating) for r in results) == 1, results
    assert sum(isinstance(r, services.RatingRefused) for r in results) == 1, results
    assert Rating.objects.count() == 1 and PoorRatingCase.objects.count() == 1


def test_two_acknowledgements_at_once_let_exactly_one_through(transactional_db: Any, make_user: Any) -> None:
    boss = make_user("supervisor", username="sup-fj", region="350000")
    officer = make_user("officer", username="off-qz", region="350500")
    order = services.order_raise(actor=boss, target_region="350500", reason="红灯", figures={}, source="red_light")
    mine, theirs = SupervisionOrder.objects.get(pk=order.pk), SupervisionOrder.objects.get(pk=order.pk)
    results = race(lambda: services.order_acknowledge(actor=officer, order=mine),
                   lambda: services.order_acknowledge(actor=officer, order=theirs))
    assert sum(isinstance(r, SupervisionOrder) for r in results) == 1, results
    assert sum(isinstance(r, WorkflowConflict) for r in results) == 1, results
