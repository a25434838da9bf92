"""评: invitations, one rating per thing, 7-day edits, 差评 cases and their answers, the API's
refusals, and the item page's average."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from huiqi.notifications.models import Notification
from huiqi.supervision import services
from huiqi.supervision.models import PoorRatingCase, Rating
from huiqi.supervision.tests.conftest import at

pytestmark = pytest.mark.django_db


def _post(client: Client, body: dict[str, Any]) -> Any:
    return client.post("/api/evaluations", data=json.dumps(body), content_type="application/json")


def test_a_decided_application_invites_its_enterprise_to_rate_it(rejected: Any, applicant: Any) -> None:
    note = Notification.objects.get(recipient=applicant, category="rating_invite")
    assert note.link == f"/supervision/rate/application/{rejected.pk}/"


def test_a_payment_of_an_approved_application_leaves_it_rateable_and_invited(paid: Any, applicant: Any) -> None:
    assert paid.status == "approved"
    assert Notification.objects.filter(recipient=applicant, category="rating_invite").exists()
    rating = services.rating_create(actor=applicant, kind="application", pk=paid.pk, score=5, tags=["速度"])
    assert (rating.score, rating.region, rating.department_id) == (5, applicant.enterprise.region, paid.item.department_id)
    assert not PoorRatingCase.objects.exists()


def test_a_poor_rating_opens_a_case_for_the_department_due_in_five_working_days(
        rejected: Any, applicant: Any, make_user: Any) -> None:
    officer = make_user("officer", username="officer-qz")
    rating = services.rating_create(actor=applicant, kind="application", pk=rejected.pk, score=2, comment="太慢",
                                    now=at(2026, 11, 5))  # Thursday
    case = PoorRatingCase.objects.get(rating=rating)
    assert str(case.due_at) == "2026-11-12"  # Fri, Mon, Tue, Wed, Thu
    assert Notification.objects.filter(recipient=officer, category="poor_rating").exists()
    services.case_answer(actor=officer, case=case, reply="已优化审核流程", now=at(2026, 11, 12))
    case.refresh_from_db()
    assert (case.status, case.on_time) == ("answered", True)


def test_a_late_answer_is_counted_as_not_on_time(rejected: Any, applicant: Any, make_user: Any) -> None:
    officer = make_user("officer", username="officer-qz")
    rating = services.rating_create(actor=applicant, kind="application", pk=rejected.pk, score=1, now=at(2026, 11, 5))
    services.case_answer(actor=officer, case=rating.case, reply="整改", now=at(2026, 11, 13))
    assert PoorRatingCase.objects.get().on_time is False


def test_a_rating_can_be_changed_within_seven_days_and_not_after(rejected: Any, applicant: Any) -> None:
    rating = services.rating_create(actor=applicant, kind="application", pk=rejected.pk, score=4, now=at(2026, 11, 5))
    services.rating_update(actor=applicant, rating=rating, score=3, now=at(2026, 11, 12, 9))
    assert Rating.objects.get().score == 3
    with pytest.raises(services.RatingRefused, match="超过 7 日"):
        services.rating_update(actor=applicant, rating=rating, score=5, now=at(2026, 11, 12, 11))
    assert Rating.objects.get().score == 3


def test_the_api_stores_a_rating_of_ones_own_decided_application(rejected: Any, applicant: Any) -> None:
    client = Client()
    client.force_login(applicant)
    response = _post(client, {"subject": "application", "id": rejected.pk, "score": 5, "comment": "很好", "tags": ["态度"]})
    assert response.status_code == 201, response.content
    assert response.json()["poor"] is False
    assert Rating.objects.get().tags == ["态度"]


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"score": 6}, 400, "1 到 5"),
    ({"score": 0}, 400, "1 到 5"),
    ({"score": 3.5}, 400, "1 到 5"),
    ({"score": 3, "tags": ["服务"]}, 400, "标签"),
    ({"score": 3, "id": 999999}, 404, "没有找到"),
    ({"score": 3, "subject": "ticket"}, 404, "评价对象"),
])
def test_the_api_refuses_bad_ratings_with_a_chinese_message_and_stores_nothing(
        rejected: Any, applicant: Any, body: dict[str, Any], status: int, words: str) -> None:
    client = Client()
    client.force_login(applicant)
    response = _post(client, {"subject": "application", "id": rejected.pk, **body})
    assert response.status_code == status
    assert words in response.json()["detail"]
    assert not Rating.objects.exists()


def test_the_api_refuses_a_rating_of_someone_elses_application(rejected: Any, make_user: Any) -> None:
    client = Client()
    client.force_login(make_user("enterprise"))
    response = _post(client, {"subject": "application", "id": rejected.pk, "score": 1})
    assert response.status_code == 403 and "本企业" in response.json()["detail"]
    assert not Rating.objects.exists()


def test_the_api_refuses_a_second_rating(rejected: Any, applicant: Any) -> None:
    client = Client()
    client.force_login(applicant)
    assert _post(client, {"subject": "application", "id": rejected.pk, "score": 4}).status_code == 201
    response = _post(client, {"subject": "application", "id": rejected.pk, "score": 1})
    assert response.status_code == 409 and "重复评价" in response.json()["detail"]
    assert list(Rating.objects.values_list("score", flat=True)) == [4]
    assert not PoorRatingCase.objects.exists()


def test_an_application_still_in_review_cannot_be_rated(submitted: Any, applicant: Any) -> None:
    app = submitted(at(2026, 11, 2))
    client = Client()
    client.force_login(applicant)
    response = _post(client, {"subject": "application", "id": app.pk, "score": 5})
    assert response.status_code == 409 and "尚未办结" in response.json()["detail"]
    assert not Rating.objects.exists()


def test_anonymous_callers_cannot_rate(rejected: Any) -> None:
    assert _post(Client(), {"subject": "application", "id": rejected.pk, "score": 5}).status_code == 401


def test_the_policy_item_page_shows_the_average_rating_and_count(
        rejected: Any, applicant: Any, rate_row: Any) -> None:
    services.rating_create(actor=applicant, kind="application", pk=rejected.pk, score=4)
    rate_row("350503", 5, at(2026, 11, 6))
    html = Client().get(f"/policies/{rejected.item.code}/").content.decode()
    assert "4.5</strong> 分（2 条评价）" in html


def test_an_unanswered_poor_rating_turns_red_after_its_due_date(rejected: Any, applicant: Any, make_user: Any) -> None:
    officer = make_user("officer", username="officer-qz")
    rating = services.rating_create(actor=applicant, kind="application", pk=rejected.pk, score=1, now=at(2026, 11, 5))
    services.cases_sweep(now=at(2026, 11, 13))
    case = PoorRatingCase.objects.get(rating=rating)
    assert case.colour == "red"
    assert Notification.objects.filter(recipient=officer, dedupe_key__startswith="poor-rating-deadline:").exists()
