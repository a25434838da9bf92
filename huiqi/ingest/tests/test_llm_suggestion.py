"""The optional model suggestion on the review page: off by default, validated like every edit,
accepted or rejected by the officer; failures leave the rule-based draft as it was."""

from __future__ import annotations

import json
from typing import Any

from huiqi.audit.models import AuditEvent
from huiqi.ingest.models import IngestBatch
from tests.policytext.llm_server import chat_server


def _suggest(client: Any, batch: IngestBatch, draft: Any) -> Any:
    return client.post(f"/ingest/{batch.pk}/items/{draft.pk}/suggest/")


def test_without_configuration_the_page_offers_no_model_and_the_endpoint_says_so(
        officer_client: Any, batch: IngestBatch, settings: Any, monkeypatch: Any) -> None:
    monkeypatch.delenv("HUIQI_LLM_URL", raising=False)
    settings.HUIQI_LLM_URL = ""
    draft = batch.drafts.get(clause_path="一、")
    assert "请大模型重新起草" not in officer_client.get(f"/ingest/{batch.pk}/").content.decode()
    assert _suggest(officer_client, batch, draft).status_code == 404


def test_a_valid_suggestion_is_shown_and_accepting_it_saves_an_audited_edit(
        officer_client: Any, batch: IngestBatch, settings: Any) -> None:
    draft = batch.drafts.get(clause_path="一、")
    with chat_server() as server:
        settings.HUIQI_LLM_URL, settings.HUIQI_LLM_MODEL = server.url, "local-test"
        server.content = json.dumps({"conditions": {"field": "qualifications", "op": "has", "value": "hnte"},
                                     "reward": {"fixed": 250000}, "mode": "免申即享"})
        assert "请大模型重新起草" in officer_client.get(f"/ingest/{batch.pk}/").content.decode()
        response = _suggest(officer_client, batch, draft)
    assert response.status_code == 200 and response.json()["suggestion"]["reward"] == {"fixed": 250000}
    draft.refresh_from_db()
    assert draft.suggestion is not None
    assert draft.reward == {"fixed": 200000} and draft.suggestion["model"] == "local-test"
    accepted = officer_client.post(f"/ingest/{batch.pk}/items/{draft.pk}/suggestion/accept/").json()
    assert accepted["errors"] == [] and accepted["state"]["reward"] == {"fixed": 250000}
    draft.refresh_from_db()
    assert draft.reward == {"fixed": 250000} and draft.mode == "免申即享" and draft.suggestion is None
    assert AuditEvent.objects.filter(action="ingest.draft.update", object_id=str(draft.pk)).exists()
    assert AuditEvent.objects.filter(action="ingest.draft.suggestion_accept").exists()


def test_a_rejected_suggestion_changes_nothing(officer_client: Any, batch: IngestBatch, settings: Any) -> None:
    draft = batch.drafts.get(clause_path="一、")
    with chat_server() as server:
        settings.HUIQI_LLM_URL, settings.HUIQI_LLM_MODEL = server.url, "local-test"
        server.content = json.dumps({"conditions": None, "reward": {"fixed": 1}})
        _suggest(officer_client, batch, draft)
    officer_client.post(f"/ingest/{batch.pk}/items/{draft.pk}/suggestion/reject/")
    draft.refresh_from_db()
    assert draft.reward == {"fixed": 200000} and draft.suggestion is None


def test_an_invalid_suggestion_is_refused_with_the_validation_message_and_the_draft_stays(
        officer_client: Any, batch: IngestBatch, settings: Any) -> None:
    draft = batch.drafts.get(clause_path="二、")
    before = draft.reward
    with chat_server() as server:
        settings.HUIQI_LLM_URL, settings.HUIQI_LLM_MODEL = server.url, "local-test"
        server.content = json.dumps({"conditions": None, "reward": {"rate": 10, "base": {"field": "rd_expense"}}})
        response = _suggest(officer_client, batch, draft)
    assert response.status_code == 502
    assert "reward.rate" in response.json()["error"] and "比例应为小数" in response.json()["error"]
    draft.refresh_from_db()
    assert draft.reward == before and draft.suggestion is None
    assert AuditEvent.objects.filter(action="ingest.draft.suggest", result="error").exists()


def test_a_timeout_gives_a_chinese_message_and_keeps_the_rule_based_draft(
        officer_client: Any, batch: IngestBatch, settings: Any) -> None:
    draft = batch.drafts.get(clause_path="一、")
    with chat_server() as server:
        settings.HUIQI_LLM_URL, settings.HUIQI_LLM_MODEL, settings.HUIQI_LLM_TIMEOUT = server.url, "m", 0.3
        server.delay = 1.5
        response = _suggest(officer_client, batch, draft)
    assert response.status_code == 502 and "秒内没有响应" in response.json()["error"]
    draft.refresh_from_db()
    assert draft.reward == {"fixed": 200000}
