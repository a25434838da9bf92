"""The same external id pushed twice at the same moment, on two PostgreSQL connections."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from huiqi.tickets import services
from huiqi.tickets.models import Ticket, TicketEvent
from tests.concurrency import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="并发推送测试需要 PostgreSQL（设置 DATABASE_URL）"),
]


def test_the_same_external_id_pushed_twice_at_once_makes_one_request(
        transactional_db: Any, make_user: Any, applicant: Any) -> None:
    _api, key = services.api_client_create(actor=make_user("sysadmin", username="admin"), name="12345 热线",
                                           scopes=["tickets:create"])
    body = json.dumps({"category": "投诉", "title": "多头检查", "content": "一周内三个部门上门检查",
                       "external_id": "12345-2026-77", "enterprise_uscc": applicant.enterprise.uscc},
                      ensure_ascii=False)

    def push() -> Any:
        return Client().post("/api/tickets", data=body, content_type="application/json", headers={"X-API-Key": key})

    responses = race(push, push)
    assert sorted(r.status_code for r in responses) == [200, 201], responses
    assert len({r.json()["id"] for r in responses}) == 1
    assert Ticket.objects.filter(external_id="12345-2026-77").count() == 1
    assert TicketEvent.objects.filter(kind="register").count() == 1
