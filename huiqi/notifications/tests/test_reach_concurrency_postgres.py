"""Two producers queueing the same message, and two workers sending the queue, at the same moment
on two real PostgreSQL connections: the enterprise still hears once. SQLite serialises writers,
so these only mean something on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from huiqi.notifications.models import ReachMessage
from huiqi.notifications.reach import reach_enqueue, reach_send_queued
from tests.concurrency import race

from .test_reach import contact, files, item  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要 PostgreSQL（设置 DATABASE_URL）")


def test_two_producers_queueing_the_same_event_at_once_make_one_message_per_channel(
        files: Path, item: Any, contact: Any) -> None:  # noqa: F811
    def queue() -> int:
        return reach_enqueue(enterprise=contact, item=item, event="paid", period="2025", amount=Decimal("8000"))

    results = race(queue, queue, queue)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 2  # one text message and one e-mail in all
    assert ReachMessage.objects.count() == 2


def test_two_workers_sending_at_once_send_each_message_once(files: Path, item: Any, contact: Any) -> None:  # noqa: F811
    from django.core import mail

    reach_enqueue(enterprise=contact, item=item, event="publicity", period="2025", amount=Decimal("100000"))
    results = race(reach_send_queued, reach_send_queued)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 2
    assert len(list(files.glob("*.txt"))) == 1 and len(mail.outbox) == 1
    assert set(ReachMessage.objects.values_list("status", "attempts")) == {("sent", 1)}
