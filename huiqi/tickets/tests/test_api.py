"""The API contract of issue 10 and its refusals: sessions and per-system keys, idempotent
registration on the external id, scopes, revocation, audit of every keyed call, bad input."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from huiqi.audit.models import AuditEvent
from huiqi.tickets import services
from huiqi.tickets.models import ApiClient, Ticket, TicketAttachment

from .conftest import PDF, at

pytestmark = pytest.mark.django_db
SHANGHAI_FORMAT = "%Y-%m-%d"


def _post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, data=json.dumps(body, ensure_ascii=False), content_type="application/json", headers=headers)


@pytest.fixture
def frozen(monkeypatch: Any) -> datetime:
    moment = at(2026, 9, 30, 16)  # Wednesday before 国庆
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


@pytest.fixture
def system(make_user: Any) -> tuple[ApiClient, str]:
    admin = make_user("sysadmin", username="admin")
    return services.api_client_create(actor=admin, name="12345 热线", scopes=[s.value for s in ApiClient.Scope])


def test_an_enterprise_posts_a_consultation_and_gets_the_contract_answer(applicant: Any, frozen: datetime) -> None:
    client = Client()
    client.force_login(applicant)
    response = _post(client, "/api/tickets", {"category": "咨询", "title": "研发费用加计扣除怎么申报",
                                              "content": "请问今年的申报口径是否有变化？"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "number", "status", "due_at"}
    due = timezone.localtime(datetime.fromisoformat(body["due_at"]))
    assert due.strftime(SHANGHAI_FORMAT) == "2026-10-09"  # the 2nd working day after 30 Sep
    assert body["status"] == "registered" and body["number"] == f"QH{body['id']:08d}"


def test_another_enterprise_gets_404_for_a_request_it_does_not_own(
        applicant: Any, make_user: Any, register: Any) -> None:
    t = register(at(2026, 3, 2))
    stranger = make_user("enterprise", username="other")
    client = Client()
    client.force_login(stranger)
    assert client.get(f"/api/tickets/{t.pk}").status_code == 404
    client.force_login(applicant)
    assert client.get(f"/api/tickets/{t.pk}").json()["events"][0]["label"].startswith("登记投诉")


def test_a_system_push_retried_with_the_same_external_id_makes_one_request(
        system: tuple[ApiClient, str], applicant: Any) -> None:
    api, key = system
    body = {"category": "求助", "title": "招工难", "content": "春节后缺工 50 人", "external_id": "12345-0001",
            "enterprise_uscc": applicant.enterprise.uscc}
    # a system has no session and no CSRF token: the key alone authenticates it
    first = _post(Client(enforce_csrf_checks=True), "/api/tickets", body, **{"X-API-Key": key})
    again = _post(Client(enforce_csrf_checks=True), "/api/tickets", body, **{"X-API-Key": key})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Ticket.objects.filter(external_id="12345-0001").count() == 1
    assert Ticket.objects.get().source == Ticket.Source.SYSTEM
    assert AuditEvent.objects.filter(action="api.call", actor_label="接口：12345 热线").count() == 2


def test_a_system_reads_only_its_own_pushes_and_posts_events_back(
        system: tuple[ApiClient, str], register: Any, applicant: Any) -> None:
    api, key = system
    mine = _post(Client(), "/api/tickets", {"category": "咨询", "title": "问", "content": "内容",
                                           "enterprise_uscc": applicant.enterprise.uscc},
                 **{"X-API-Key": key}).json()["id"]
    other = register(at(2026, 3, 2))
    assert Client().get(f"/api/tickets/{other.pk}", headers={"X-API-Key": key}).status_code == 404
    pushed = _post(Client(), f"/api/tickets/{mine}/events", {"kind": "progress", "text": "热线已回访企业"},
                   **{"X-API-Key": key})
    assert pushed.status_code == 200 and pushed.json()["events"][-1]["label"] == "12345 热线回传办理进展"
    bad = _post(Client(), f"/api/tickets/{mine}/events", {"kind": "closed", "text": "x"}, **{"X-API-Key": key})
    assert bad.status_code == 400 and "事件类型" in bad.json()["detail"]


def test_a_key_without_the_scope_is_refused(make_user: Any, applicant: Any) -> None:
    admin = make_user("sysadmin", username="admin")
    _api, key = services.api_client_create(actor=admin, name="一网通办", scopes=["tickets:read"])
    response = _post(Client(), "/api/tickets", {"category": "咨询", "title": "t", "content": "c",
                                                "enterprise_uscc": applicant.enterprise.uscc}, **{"X-API-Key": key})
    assert response.status_code == 403 and "登记诉求" in response.json()["detail"]
    assert not Ticket.objects.exists()


def test_a_revoked_key_gets_a_clear_401_stores_nothing_and_is_audited(
        system: tuple[ApiClient, str], make_user: Any, applicant: Any) -> None:
    api, key = system
    services.api_client_revoke(actor=make_user("sysadmin", username="admin2"), client=api, now=at(2026, 3, 2))
    response = _post(Client(), "/api/tickets", {"category": "咨询", "title": "t", "content": "c",
                                                "enterprise_uscc": applicant.enterprise.uscc}, **{"X-API-Key": key})
    assert response.status_code == 401 and "已被吊销" in response.json()["detail"]
    assert not Ticket.objects.exists()
    assert AuditEvent.objects.filter(action="api.call", result="denied").count() == 1


def test_only_the_hash_of_a_key_is_stored(system: tuple[ApiClient, str]) -> None:
    api, key = system
    assert key not in json.dumps(list(ApiClient.objects.values()), default=str)
    assert api.key_hash != key and len(api.key_hash) == 64


@pytest.mark.parametrize("body, field, message", [
    ({"category": "闲聊", "title": "t", "content": "c"}, "category", "诉求类别“闲聊”不存在"),
    ({"category": "咨询", "title": "t", "content": "   "}, "content", "请填写诉求内容"),
    ({"category": "咨询", "title": "t", "content": "字" * (10 * 1024 * 1024 // 3)}, "content", "诉求内容最多 5000 字"),
])
def test_bad_input_gets_a_clear_message_and_stores_nothing(applicant: Any, body: dict[str, str], field: str,
                                                           message: str) -> None:
    client = Client()
    client.force_login(applicant)
    response = _post(client, "/api/tickets", body)
    assert response.status_code == 400
    assert message in response.json()["errors"][field]
    assert not Ticket.objects.exists()


def test_a_forbidden_attachment_type_is_refused_and_nothing_is_stored(applicant: Any) -> None:
    client = Client()
    client.force_login(applicant)
    exe = SimpleUploadedFile("发票.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post("/tickets/new/", {"category": "投诉", "title": "t", "content": "c", "attachments": [exe]})
    assert response.status_code == 200 and "类型不支持" in response.content.decode()
    assert not Ticket.objects.exists() and not TicketAttachment.objects.exists()


def test_an_allowed_attachment_is_stored_with_its_request(applicant: Any) -> None:
    client = Client()
    client.force_login(applicant)
    pdf = SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf")
    response = client.post("/tickets/new/", {"category": "投诉", "title": "t", "content": "c", "attachments": [pdf]})
    assert response.status_code == 302
    assert TicketAttachment.objects.get().original_name == "合同.pdf"
