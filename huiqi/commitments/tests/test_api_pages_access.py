"""The JSON API scoped to the viewer with its documented errors, the pages, and access case by case."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import PASSWORD
from huiqi.accounts.models import Department
from huiqi.commitments import access
from huiqi.commitments.models import Commitment, Contract

from .conftest import CONTRACT_TEXT

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def test_post_contracts_drafts_for_an_officer_and_refuses_others_with_the_documented_codes(
        officer: Any, enterprise: Any, enterprise_user: Any) -> None:
    def post(client: Client, data: bytes = CONTRACT_TEXT.encode(), uscc: str = enterprise.uscc) -> Any:
        return client.post("/api/contracts", {"file": SimpleUploadedFile("协议.txt", data), "uscc": uscc,
                                              "title": "新材料产业园项目", "signed_on": "2026-01-10"})

    assert post(Client()).status_code == 401
    assert post(_client(enterprise_user)).status_code == 403
    officer_client = _client(officer)
    assert post(officer_client, uscc="91350503MA0000000X").status_code == 404
    empty = post(officer_client, data=b"  ")
    assert empty.status_code == 422 and "没有可识别的文字" in empty.json()["errors"]["file"]
    assert not Contract.objects.exists()
    created = post(officer_client)
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "draft" and len(body["commitments"]) == 4
    assert {c["side_label"] for c in body["commitments"]} == {"政府方", "企业方"}


def test_get_commitments_is_scoped_to_the_viewer_and_filters_overdue(
        confirmed: Any, officer: Any, enterprise_user: Any, make_user: Any, make_enterprise: Any) -> None:
    stranger = make_user("enterprise", username="ent-other", enterprise=make_enterprise(name="别家公司"))
    other_dept = Department.objects.create(name="泉州市商务局", region="350500", kind="商务")
    other_officer = make_user("officer", username="officer-sw", dept=other_dept)
    overdue = set(Commitment.objects.filter(status=Commitment.Status.OVERDUE).values_list("pk", flat=True))
    assert overdue  # 第一条 (due 2026-10-31) was already past when confirmed
    mine = _client(enterprise_user).get("/api/commitments?status=overdue").json()
    assert {c["id"] for c in mine} == overdue
    assert _client(officer).get("/api/commitments").json().__len__() == 4
    assert _client(stranger).get("/api/commitments").json() == []
    assert _client(other_officer).get("/api/commitments").json() == []
    bad = _client(officer).get("/api/commitments?status=late")
    assert bad.status_code == 422 and "未知的状态" in bad.json()["detail"]
    assert Client().get("/api/commitments").status_code == 401


def test_the_desk_shows_lights_and_calendar_and_exports_text_cells(confirmed: Any, officer: Any) -> None:
    from openpyxl import load_workbook

    Commitment.objects.filter(clause_path="第三条").update(content="=HYPERLINK(\"x\")道路交付")
    client = _client(officer)
    page = client.get("/commitments/").content.decode()
    assert "新材料产业园项目" in page and 'data-light="red"' in page and "2026年12月15日" in page
    response = client.get("/commitments/?export=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=HYPERLINK(\"x\")道路交付" in values
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in values)


def test_the_enterprise_sees_both_sides_and_its_hold_and_may_turn_an_overdue_government_promise_into_a_request(
        confirmed: Any, officer: Any, enterprise_user: Any) -> None:
    from huiqi.commitments.services import hold_place

    hold_place(actor=officer, enterprise=enterprise_user.enterprise, reason="固定资产投资逾期未兑现")
    road = Commitment.objects.get(clause_path="第三条")
    Commitment.objects.filter(pk=road.pk).update(status=Commitment.Status.OVERDUE)
    client = _client(enterprise_user)
    page = client.get("/commitments/mine/").content.decode()
    assert "政府方" in page and "企业方" in page and "固定资产投资逾期未兑现" in page
    detail = client.get(f"/commitments/c/{road.pk}/").content.decode()
    assert f"/tickets/new/?commitment={road.pk}" in detail
    assert client.get("/commitments/").status_code == 403
    form = client.get(f"/tickets/new/?commitment={road.pk}").content.decode()
    assert "政府方承诺逾期未兑现" in form and road.content in form


def test_the_supervisor_sees_count_rate_and_overdue_per_region(confirmed: Any, supervisor: Any) -> None:
    from huiqi.commitments.selectors import region_summary

    Commitment.objects.filter(clause_path="第二条").update(status=Commitment.Status.FULFILLED)
    rows = region_summary(region="350500")
    assert len(rows) == 1
    row = rows[0]
    assert (row["total"], row["fulfilled"], row["overdue"]) == (4, 1, 1)
    assert str(row["rate"]) == "50.0"  # 1 fulfilled of 2 already due or closed
    page = _client(supervisor).get("/commitments/supervision/").content.decode()
    assert "50.0%" in page


def test_a_supervisor_puts_an_overdue_government_commitment_under_a_supervision_order(
        confirmed: Any, supervisor: Any) -> None:
    from huiqi.supervision.models import SupervisionOrder

    road = Commitment.objects.get(clause_path="第三条")
    Commitment.objects.filter(pk=road.pk).update(status=Commitment.Status.OVERDUE)
    client = _client(supervisor)
    detail = client.get(f"/commitments/c/{road.pk}/").content.decode()
    assert 'id="supervise-link"' in detail
    form = client.get(f"/supervision/orders/?region={road.region}&source=commitment&reason=x")
    assert form.status_code == 200
    client.post("/supervision/orders/", {"target_region": road.region, "source": "commitment",
                                          "reason": f"政府方承诺逾期未兑现：{road.content}", "days": "10"})
    assert SupervisionOrder.objects.filter(source="commitment", target_region=road.region).count() == 1


def test_access_case_by_case(confirmed: Any, officer: Any, enterprise_user: Any, supervisor: Any,
                             make_user: Any, make_enterprise: Any) -> None:
    stranger = make_user("enterprise", username="ent-x", enterprise=make_enterprise(name="别家"))
    far_officer = make_user("officer", username="officer-xm", region="350200")
    invest = Commitment.objects.get(clause_path="第一条")
    road = Commitment.objects.get(clause_path="第三条")
    Commitment.objects.filter(pk=road.pk).update(status=Commitment.Status.OVERDUE)
    road.refresh_from_db()
    assert access.access_contract_create(officer) and not access.access_contract_create(enterprise_user)
    assert access.access_contract_view(enterprise_user, confirmed) and not access.access_contract_view(stranger, confirmed)
    assert access.access_contract_view(supervisor, confirmed) and not access.access_contract_view(far_officer, confirmed)
    assert access.access_evidence_upload(enterprise_user, invest) and not access.access_evidence_upload(officer, invest)
    assert access.access_evidence_upload(officer, road) and not access.access_evidence_upload(enterprise_user, road)
    assert access.access_evidence_confirm(officer, invest) and not access.access_evidence_confirm(far_officer, invest)
    assert access.access_evidence_confirm(enterprise_user, road) and not access.access_evidence_confirm(stranger, road)
    assert access.access_ticket_from(enterprise_user, road) and not access.access_ticket_from(enterprise_user, invest)
    assert access.access_hold_place(officer, enterprise_user.enterprise)
    assert not access.access_hold_place(far_officer, enterprise_user.enterprise)
    assert access.access_commitment_supervision(supervisor) and not access.access_commitment_supervision(officer)
