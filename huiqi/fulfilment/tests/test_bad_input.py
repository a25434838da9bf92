"""Hostile or careless input to the application pages and API answers 4xx with a Chinese
message — never a 500 — and a supervisor's ordinary pages work."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from huiqi.fulfilment.models import Application

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def draft_application(item: Any, applicant: Any) -> Application:
    client = _client(applicant)
    client.post(f"/fulfilment/apply/{item.code}/")
    return Application.objects.get(enterprise=applicant.enterprise, item=item)


@pytest.mark.parametrize("value", ["1e400", "9" * 400, "NaN", "Infinity", "-Infinity", "1e-400"])
def test_an_absurd_figure_in_the_application_quote_is_refused_with_a_message(
        draft_application: Application, applicant: Any, value: str) -> None:
    response = _client(applicant).get(f"/fulfilment/applications/{draft_application.pk}/quote/",
                                      {"equipment_investment": value})
    assert response.status_code == 400, response.content[:300]
    assert "设备投资额" in response.json()["errors"]["equipment_investment"]


def test_a_supervisor_opens_the_review_queue_of_their_own_and_the_reviews_api(supervisor: Any) -> None:
    client = _client(supervisor)
    assert client.get("/fulfilment/queue/", {"scope": "mine"}).status_code == 200
    response = client.get("/api/reviews")
    assert response.status_code == 200 and response.json() == []


@pytest.mark.parametrize("query", [{"offset": "1e25"}, {"offset": str(10**25)}, {"limit": str(10**25)},
                                   {"offset": "-1"}])
def test_an_absurd_offset_or_limit_in_the_api_is_a_4xx(applicant: Any, query: dict[str, str]) -> None:
    client = _client(applicant)
    for path in ("/api/applications", "/api/reviews", "/api/policies"):
        response = client.get(path, query)
        assert 400 <= response.status_code < 500 or response.status_code == 200, (path, response.status_code)
        assert response.status_code != 500


def test_a_nul_byte_in_a_query_or_a_form_is_refused_with_400_in_chinese(applicant: Any, item: Any) -> None:
    client = _client(applicant)
    for response in (client.get("/api/quick-match/suggest", {"q": "晋江\x00"}),
                     client.get("/api/policies", {"q": "\x00"}),
                     client.get(f"/api/policies/{item.code}\x00"),
                     client.get("/policies/", {"q": "a\x00b"}),
                     client.get("/fulfilment/applications/", {"status": "\x00"}),
                     client.post(f"/fulfilment/apply/{item.code}/", {"x\x00": "1"})):
        assert response.status_code == 400
        assert "空字符" in response.content.decode()


@pytest.mark.parametrize("action", ["approve", "return", "reject"])
def test_a_10_mb_review_opinion_is_refused_with_a_message_and_nothing_is_stored(
        submitted: Any, reviewer: Any, action: str) -> None:
    from huiqi.fulfilment.models import ReviewStep

    from .conftest import at

    application = submitted(at(2026, 3, 2))
    response = _client(reviewer).post(f"/fulfilment/applications/{application.pk}/decide/",
                                      {"action": action, "opinion": "意" * 3_400_000})  # ~10 MB
    assert response.status_code == 400
    assert "不能超过 2,000 字" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert all(len(step.opinion) == 0 for step in ReviewStep.objects.filter(application=application))
