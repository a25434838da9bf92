from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from huiqi.accounts.models import Department
from huiqi.fulfilment import services
from huiqi.fulfilment.access import (
    access_application_create,
    access_application_edit,
    access_application_view,
    access_batch_verify,
    access_step_decide,
)
from huiqi.fulfilment.models import ReviewStep

from .conftest import CHECK, at, clean_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user: Any, make_enterprise: Any, department: Any, applicant: Any, reviewer: Any, finance: Any,
           supervisor: Any) -> dict[str, Any]:
    other_dept = Department.objects.create(name="泉州市商务局", region="350500", kind="商务")
    return {
        "own enterprise": applicant,
        "other enterprise": make_user("enterprise", enterprise=clean_enterprise(make_enterprise(name="别家企业"))),
        "reviewer of the item's department": reviewer,
        "reviewer of another department": make_user("reviewer", dept=other_dept),
        "reviewer of another city": make_user("reviewer", region="350100"),
        "finance": finance,
        "officer of the item's department": make_user("officer", dept=department),
        "officer of another department": make_user("officer", dept=other_dept),
        "supervisor": supervisor,
        "auditor": make_user("auditor"),
        "sysadmin": make_user("sysadmin"),
    }


# who: (view, edit, decide node 1, decide node 2, batch verify)
MATRIX = {
    "own enterprise": (True, True, False, False, False),
    "other enterprise": (False, False, False, False, False),
    "reviewer of the item's department": (True, False, True, False, True),
    "reviewer of another department": (True, False, False, False, True),
    "reviewer of another city": (False, False, False, False, False),
    "finance": (True, False, False, True, False),
    "officer of the item's department": (True, False, False, False, True),
    "officer of another department": (False, False, False, False, False),
    "supervisor": (True, False, False, False, False),
    "auditor": (False, False, False, False, False),
    "sysadmin": (False, False, False, False, False),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_the_access_matrix_of_applications_and_review_nodes(who: str, people: dict[str, Any], item: Any,
                                                            reviewer: Any, submitted: Any) -> None:
    app = submitted(at(2026, 3, 2))
    services.review_approve(actor=reviewer, application=app, now=at(2026, 3, 3), checks={CHECK: True})
    first, second = ReviewStep.objects.filter(application=app).order_by("index")
    user = people[who]
    got = (access_application_view(user, app), access_application_edit(user, app), access_step_decide(user, first),
           access_step_decide(user, second), access_batch_verify(user, item))
    assert got == MATRIX[who]


def test_only_enterprise_users_may_start_an_application_and_only_on_published_items(
        people: dict[str, Any], make_item: Any) -> None:
    item = make_item()
    assert access_application_create(people["own enterprise"], item)
    assert not access_application_create(people["reviewer of the item's department"], item)
    assert not access_application_create(people["own enterprise"], make_item(status="draft"))
    assert not access_application_create(people["own enterprise"], make_item(mode="免申即享"))


def test_another_enterprise_gets_403_on_the_page_and_the_material_download(
        people: dict[str, Any], submitted: Any) -> None:
    app = submitted(at(2026, 3, 2))
    material = app.materials.get()
    client = Client()
    client.force_login(people["other enterprise"])
    assert client.get(f"/fulfilment/applications/{app.pk}/").status_code == 403
    assert client.get(f"/fulfilment/materials/{material.pk}/").status_code == 403
    client.force_login(people["reviewer of the item's department"])
    response = client.get(f"/fulfilment/materials/{material.pk}/")
    assert response.status_code == 200 and response.getvalue().startswith(b"%PDF")


def test_a_reviewer_without_the_node_cannot_decide_it_through_the_page(people: dict[str, Any],
                                                                       submitted: Any) -> None:
    app = submitted(at(2026, 3, 2))
    client = Client()
    client.force_login(people["finance"])
    response = client.post(f"/fulfilment/applications/{app.pk}/decide/", {"action": "approve", "check_0": "yes"})
    assert response.status_code == 400 and "没有该环节的审核权限" in response.content.decode()
    assert ReviewStep.objects.get(application=app, index=0).outcome == ReviewStep.Outcome.OPEN


def test_an_unsubmitted_draft_is_seen_by_its_enterprise_only(people: dict[str, Any], item: Any, applicant: Any) -> None:
    from huiqi.fulfilment.selectors import applications_for

    draft = services.application_create(actor=applicant, item=item, now=at(2026, 3, 2))
    assert access_application_view(applicant, draft)
    for who in ("reviewer of the item's department", "finance", "officer of the item's department", "supervisor"):
        assert not access_application_view(people[who], draft), who
        assert not applications_for(viewer=people[who]).filter(pk=draft.pk).exists(), who
    assert applications_for(viewer=applicant).filter(pk=draft.pk).exists()
