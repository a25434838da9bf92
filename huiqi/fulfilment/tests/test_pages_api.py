from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from huiqi.fulfilment.models import Application, ReviewStep

from .conftest import CHECK, PDF, at, pdf

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_enterprise_fills_the_form_sees_the_amount_and_submits_through_the_pages(item: Any,
                                                                                      applicant: Any) -> None:
    client = _client(applicant)
    start = client.get(f"/fulfilment/apply/{item.code}/")
    assert start.status_code == 200 and "开始申报" in start.content.decode()
    created = client.post(f"/fulfilment/apply/{item.code}/")
    app = Application.objects.get(enterprise=applicant.enterprise, item=item)
    assert created["Location"] == f"/fulfilment/applications/{app.pk}/"
    page = client.get(created["Location"]).content.decode()
    assert "数据最多采一次" in page and "营业收入" in page and "税务" in page  # pre-filled with its source
    assert "营业执照（系统核验）" in page  # fetched by the system, no upload field

    quote = client.get(f"/fulfilment/applications/{app.pk}/quote/", {"equipment_investment": "3,000,000"})
    assert quote.json()["amount_min"] == "300000.00" and quote.json()["amount_max"] == "300000.00"
    bad = client.get(f"/fulfilment/applications/{app.pk}/quote/", {"equipment_investment": "三百万"})
    assert bad.status_code == 400 and "设备投资额" in bad.json()["errors"]["equipment_investment"]

    refused = client.post(f"/fulfilment/applications/{app.pk}/edit/", {
        "equipment_investment": "3000000", "commitment_0": "1", "commitment_1": "1", "action": "submit",
        "material_0": SimpleUploadedFile("病毒.exe", b"MZ")})
    assert refused.status_code == 400 and "“病毒.exe”类型不支持" in refused.content.decode()
    assert Application.objects.get(pk=app.pk).status == Application.Status.DRAFT

    done = client.post(f"/fulfilment/applications/{app.pk}/edit/", {
        "equipment_investment": "3000000", "commitment_0": "1", "commitment_1": "1", "action": "submit",
        "material_0": pdf()})
    assert done.status_code == 302
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED and app.inputs == {"equipment_investment": "3000000"}
    detail = client.get(f"/fulfilment/applications/{app.pk}/").content.decode()
    assert "主管部门确认" in detail and "提交申报，已受理" in detail


def test_the_reviewer_queue_and_the_verification_page(item: Any, reviewer: Any, submitted: Any) -> None:
    app = submitted(at(2026, 3, 2))
    client = _client(reviewer)
    page = client.get("/fulfilment/queue/").content.decode()
    assert app.reference in page
    assert app.reference not in client.get("/fulfilment/queue/?colour=yellow").content.decode()
    verified = client.post(f"/fulfilment/items/{item.code}/verify/").content.decode()
    assert "核验结果" in verified and "全部通过" in verified


def test_the_empty_queue_says_what_happens_next(reviewer: Any) -> None:
    page = _client(reviewer).get("/fulfilment/queue/").content.decode()
    assert "当前没有待办的审核环节" in page


def test_the_api_walks_an_application_from_creation_to_approval(item: Any, applicant: Any, reviewer: Any,
                                                               finance: Any, make_user: Any) -> None:
    ent = _client(applicant)
    created = ent.post("/api/applications", json.dumps({
        "item_code": item.code, "inputs": {"equipment_investment": "1500000"},
        "commitments": list(item.commitments)}), content_type="application/json")
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    missing = ent.post(f"/api/applications/{app_id}/submit")
    assert missing.status_code == 400 and "material_0" in missing.json()["errors"]
    uploaded = ent.post(f"/api/applications/{app_id}/materials",
                        {"label": "设备购置合同及发票清单", "file": SimpleUploadedFile("合同.pdf", PDF)})
    assert uploaded.status_code == 201, uploaded.content
    submitted = ent.post(f"/api/applications/{app_id}/submit")
    assert submitted.status_code == 200 and submitted.json()["current_node"] == "主管部门确认"
    assert ent.get("/api/reviews").status_code == 403
    other = _client(make_user("enterprise"))
    assert other.post(f"/api/applications/{app_id}/submit").status_code == 403
    assert other.get("/api/applications").json() == []

    rev = _client(reviewer)
    queue = rev.get("/api/reviews").json()
    assert [r["application_id"] for r in queue] == [app_id] and queue[0]["checks"] == [CHECK]
    step_id = queue[0]["id"]
    assert _client(finance).post(f"/api/reviews/{step_id}/decide", json.dumps({"decision": "approve"}),
                                 content_type="application/json").status_code == 403
    ok = rev.post(f"/api/reviews/{step_id}/decide", json.dumps({"decision": "approve", "checks": {CHECK: True}}),
                  content_type="application/json")
    assert ok.status_code == 200 and ok.json()["current_node"] == "财政复核"
    again = rev.post(f"/api/reviews/{step_id}/decide", json.dumps({"decision": "approve"}),
                     content_type="application/json")
    assert again.status_code == 409
    second = _client(finance).get("/api/reviews").json()[0]["id"]
    final = _client(finance).post(f"/api/reviews/{second}/decide", json.dumps({"decision": "approve"}),
                                  content_type="application/json")
    assert final.status_code == 200 and final.json()["status"] == "approved"
    assert final.json()["amount_approved"] == "150000.00"
    assert ReviewStep.objects.filter(application_id=app_id, outcome="approved").count() == 2
    assert ent.get("/api/applications").json()[0]["status"] == "approved"


def test_the_api_refuses_anonymous_callers() -> None:
    assert Client().get("/api/applications").status_code == 401


def test_the_api_refuses_a_figure_that_is_not_a_number_and_creates_nothing(item: Any, applicant: Any) -> None:
    response = _client(applicant).post("/api/applications", json.dumps({
        "item_code": item.code, "inputs": {"equipment_investment": "很多"}}), content_type="application/json")
    assert response.status_code == 400 and "设备投资额" in response.json()["errors"]["equipment_investment"]
    assert not Application.objects.exists()


def test_withdrawing_under_review_asks_for_a_confirmation_first(applicant: Any, submitted: Any) -> None:
    from django.utils import timezone

    app = submitted(timezone.now())
    client = _client(applicant)
    page = client.post(f"/fulfilment/applications/{app.pk}/withdraw/", {"reason": "填错"}, follow=True)
    assert "请勾选“确认撤回”" in page.content.decode()
    assert Application.objects.get(pk=app.pk).status == Application.Status.SUBMITTED
    client.post(f"/fulfilment/applications/{app.pk}/withdraw/", {"reason": "填错", "confirm": "yes"})
    assert Application.objects.get(pk=app.pk).status == Application.Status.WITHDRAWN


def test_the_item_page_leads_an_enterprise_with_a_running_application_to_it_instead_of_a_new_one(
        item: Any, applicant: Any, submitted: Any) -> None:
    from django.utils import timezone

    client = _client(applicant)
    before = client.get(f"/policies/{item.code}/").content.decode()
    assert "在线申报" in before and "查看我的申报" not in before
    app = submitted(timezone.now())
    after = client.get(f"/policies/{item.code}/").content.decode()
    assert f'href="/fulfilment/applications/{app.pk}/">查看我的申报' in after and ">在线申报<" not in after
