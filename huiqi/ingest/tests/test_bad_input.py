"""The item editor answers hostile JSON with 400 and a Chinese message, never a 500, and keeps
text fields within their limits instead of storing megabytes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from huiqi.ingest.models import DraftItem

pytestmark = pytest.mark.django_db


def _post(client: Any, url: str, body: str) -> Any:
    client.raise_request_exception = False
    return client.post(url, body, content_type="application/json")


def _nested(depth: int) -> str:
    return '{"conditions": ' + '{"all": [' * depth + "{}" + "]}" * depth + "}"


BODIES = {
    "900 levels of nesting": _nested(900),
    "NaN": '{"budget": NaN}',
    "Infinity": '{"per_enterprise_cap": Infinity}',
    "NaN inside a rule": '{"reward": {"fixed": NaN}}',
    "a 1 MB title": json.dumps({"title": "长" * 1_000_000}),
    "1e400 budget": '{"budget": 1e400}',
    "a huge integer": '{"budget": ' + "9" * 5000 + "}",
}


@pytest.mark.parametrize("name", list(BODIES))
@pytest.mark.parametrize("action", ["", "validate/"])
def test_hostile_json_to_the_item_editor_is_a_400_with_a_chinese_message(batch: Any, officer_client: Any,
                                                                          name: str, action: str) -> None:
    draft = batch.drafts.order_by("position").first()
    before = DraftItem.objects.get(pk=draft.pk).title
    response = _post(officer_client, f"/ingest/{batch.pk}/items/{draft.pk}/{action}", BODIES[name])
    assert response.status_code == 400, (name, response.status_code, response.content[:300])
    messages = [e["message"] for e in response.json()["errors"]]
    assert messages and all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages), messages
    assert DraftItem.objects.get(pk=draft.pk).title == before


def test_a_title_over_its_limit_is_refused_not_cut(batch: Any, officer_client: Any) -> None:
    draft = batch.drafts.order_by("position").first()
    response = _post(officer_client, f"/ingest/{batch.pk}/items/{draft.pk}/", json.dumps({"title": "长" * 201}))
    assert response.status_code == 400
    assert "200" in response.json()["errors"][0]["message"]


def test_a_1_mb_document_title_in_the_file_form_is_refused_with_a_message(batch: Any, officer_client: Any) -> None:
    officer_client.raise_request_exception = False
    response = officer_client.post(f"/ingest/{batch.pk}/meta/", {"title": "长" * 1_000_000, "level": "city"},
                                   follow=True)
    assert response.status_code == 200
    assert "文件信息未保存" in response.content.decode()
    batch.refresh_from_db()
    assert len(batch.title) <= 300
