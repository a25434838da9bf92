"""Only policy officers ingest documents, and only their own department's batches."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import PASSWORD
from huiqi.ingest.models import IngestBatch

from .conftest import SAMPLE_TEXT


def _login(client: Any, user: Any) -> Any:
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("role", ["enterprise", "reviewer", "finance", "supervisor", "auditor"])
def test_users_other_than_officers_get_403_on_every_page(client: Any, make_user: Any, batch: IngestBatch,
                                                         role: str) -> None:
    _login(client, make_user(role))
    draft = batch.drafts.first()
    assert draft is not None
    assert client.get("/ingest/").status_code == 403
    assert client.post("/ingest/", {"file": SimpleUploadedFile("a.txt", SAMPLE_TEXT.encode())}).status_code == 403
    assert client.get(f"/ingest/{batch.pk}/").status_code == 403
    assert client.post(f"/ingest/{batch.pk}/items/{draft.pk}/", data=json.dumps({"title": "x"}),
                       content_type="application/json").status_code == 403
    assert client.post(f"/ingest/{batch.pk}/items/{draft.pk}/confirm/").status_code == 403
    assert client.post("/ingest/qualifications/", data=json.dumps({"code": "x", "name": "x"}),
                       content_type="application/json").status_code == 403
    assert IngestBatch.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(client: Any) -> None:
    response = client.get("/ingest/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_officer_of_another_department_cannot_see_the_batch(client: Any, make_user: Any,
                                                              batch: IngestBatch) -> None:
    from huiqi.accounts.models import Department

    other = Department.objects.create(name="泉州市科学技术局", region="350500", kind="科技")
    _login(client, make_user("officer", dept=other))
    assert client.get(f"/ingest/{batch.pk}/").status_code == 404
    draft = batch.drafts.first()
    assert draft is not None
    assert client.post(f"/ingest/{batch.pk}/items/{draft.pk}/confirm/").status_code == 404


def test_an_officer_without_a_department_cannot_upload(client: Any, make_user: Any) -> None:
    _login(client, make_user("officer", dept=None))
    assert client.get("/ingest/").status_code == 403
