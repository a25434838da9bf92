"""The pages: 一案一卡 with masked contact and timeline, the department queue by colour, the public
企业问题库 after review, 会诊 and statistics, category editing, a key shown once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from huiqi.tickets import services
from huiqi.tickets.models import ApiClient, Ticket, TicketCategory

from .conftest import at

pytestmark = pytest.mark.django_db


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_card_masks_the_contact_phone_and_shows_the_timeline(register: Any, applicant: Any) -> None:
    t = register(at(2026, 3, 2))
    page = _as(applicant).get(f"/tickets/{t.pk}/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    assert "登记投诉（企业自行登记）" in page


def test_another_enterprise_is_refused_the_card(register: Any, make_user: Any) -> None:
    t = register(at(2026, 3, 2))
    assert _as(make_user("enterprise")).get(f"/tickets/{t.pk}/").status_code == 403


def test_the_department_queue_filters_by_colour(assigned: Any, handler: Any) -> None:
    late = assigned(at(2026, 3, 2), title="红灯诉求", category="咨询")
    assigned(at(2026, 3, 20), title="绿灯诉求")
    services.ticket_sweep(now=at(2026, 3, 20, 12))
    late.refresh_from_db()
    assert late.colour == "red"
    page = _as(handler).get("/tickets/?colour=red").content.decode()
    assert "红灯诉求" in page and "绿灯诉求" not in page


def test_an_answered_consultation_reaches_the_public_faq_only_after_the_dispatcher_publishes_it(
        assigned: Any, handler: Any, dispatcher: Any) -> None:
    t = assigned(at(2026, 3, 2), category="咨询", title="加计扣除比例", content="今年研发费用加计扣除比例是多少？")
    services.ticket_sign(actor=handler, ticket=t, now=at(2026, 3, 2, 11))
    services.ticket_answer(actor=handler, ticket=t, answer="制造业企业按 100% 加计扣除。", now=at(2026, 3, 3))
    services.faq_propose(actor=handler, ticket=t, question="研发费用加计扣除比例是多少？",
                         answer="制造业企业按 100% 加计扣除。", now=at(2026, 3, 3))
    assert "加计扣除" not in Client().get("/tickets/faq/").content.decode()
    services.faq_review(actor=dispatcher, ticket=t, publish=True, now=at(2026, 3, 3))
    page = Client().get("/tickets/faq/?q=加计扣除").content.decode()
    assert "研发费用加计扣除比例是多少？" in page and "恒信" not in page


def test_a_complaint_cannot_be_proposed_for_the_faq(assigned: Any, handler: Any) -> None:
    t = assigned(at(2026, 3, 2))
    services.ticket_sign(actor=handler, ticket=t, now=at(2026, 3, 2, 11))
    services.ticket_answer(actor=handler, ticket=t, answer="已处理", now=at(2026, 3, 3))
    with pytest.raises(services.WorkflowError, match="只有已答复的咨询类诉求"):
        services.faq_propose(actor=handler, ticket=t, question="q", answer="a", now=at(2026, 3, 3))


def test_handlers_see_similar_answered_requests(assigned: Any, handler: Any, applicant: Any) -> None:
    old = assigned(at(2026, 3, 2), title="技改补助未到账", content="技改设备补助审核通过后未到账")
    services.ticket_sign(actor=handler, ticket=old, now=at(2026, 3, 2, 11))
    services.ticket_answer(actor=handler, ticket=old, answer="已拨付，请查收。", now=at(2026, 3, 3))
    services.ticket_rate(actor=applicant, ticket=old, rating="satisfied", now=at(2026, 3, 3))
    assigned(at(2026, 3, 2), title="用电增容", content="厂房用电增容审批")
    new = assigned(at(2026, 3, 9), title="技改补助何时到账", content="我司技改补助何时到账？")
    page = _as(handler).get(f"/tickets/{new.pk}/").content.decode()
    assert "相似的已办结诉求" in page and "已拨付，请查收。" in page


def test_the_statistics_page_lists_departments_and_the_consultation(assigned: Any, supervisor: Any,
                                                                   department: Any) -> None:
    assigned(at(2026, 3, 2))
    page = _as(supervisor).get("/tickets/stats/?month=2026-03").content.decode()
    assert department.name in page and "反复出现的问题" in page


def test_an_administrator_shortens_a_category_and_new_requests_follow_it(make_user: Any, register: Any) -> None:
    admin = make_user("sysadmin", username="admin")
    c = TicketCategory.objects.get(name="投诉")
    response = _as(admin).post("/tickets/categories/", {
        "pk": c.pk, "name": "投诉", "days": "3", "warn_days": "1", "sign_hours": "24", "active": "on"})
    assert response.status_code == 302
    assert register(at(2026, 3, 2)).due_at.isoformat() == "2026-03-05"
    bad = _as(admin).post("/tickets/categories/", {"pk": c.pk, "name": "投诉", "days": "0", "warn_days": "1",
                                                   "sign_hours": "24", "active": "on"}, follow=True)
    assert "答复时限应为 1–60 的整数" in bad.content.decode()
    assert TicketCategory.objects.get(pk=c.pk).days == 3


def test_a_new_key_is_shown_once_and_listed_by_its_prefix_afterwards(make_user: Any) -> None:
    admin = _as(make_user("sysadmin", username="admin"))
    created = admin.post("/tickets/keys/", {"name": "12345 热线", "scopes": ["tickets:create"]}).content.decode()
    api = ApiClient.objects.get()
    shown = created.split("<code>")[1].split("</code>")[0]
    assert shown.startswith(api.key_prefix) and "登记诉求" in created
    assert shown not in admin.get("/tickets/keys/").content.decode()


def test_an_officer_registers_on_behalf_of_an_enterprise(handler: Any, applicant: Any) -> None:
    response = _as(handler).post("/tickets/new/", {"uscc": applicant.enterprise.uscc, "category": "求助",
                                                   "title": "代登记", "content": "电话反映用工问题"})
    assert response.status_code == 302
    assert Ticket.objects.get().source == Ticket.Source.OFFICER


def test_a_supervisor_puts_an_overdue_request_under_a_supervision_order_from_its_card(
        assigned: Any, supervisor: Any, handler: Any) -> None:
    from huiqi.supervision.models import SupervisionOrder

    late = assigned(at(2026, 3, 2), title="红灯诉求", category="咨询")
    on_time = assigned(at(2026, 3, 20), title="绿灯诉求")
    services.ticket_sweep(now=at(2026, 3, 20, 12))
    client = _as(supervisor)
    assert 'id="supervise-link"' not in client.get(f"/tickets/{on_time.pk}/").content.decode()
    assert 'id="supervise-link"' not in _as(handler).get(f"/tickets/{late.pk}/").content.decode()
    card = client.get(f"/tickets/{late.pk}/").content.decode()
    assert 'id="supervise-link"' in card and "source=ticket" in card
    client.post("/supervision/orders/", {"target_region": late.region, "source": "ticket", "days": "10",
                                          "target_department": str(late.lead_department_id),
                                          "reason": f"诉求超期未办结：{late.number}"})
    order = SupervisionOrder.objects.get(source="ticket")
    assert (order.target_region, order.target_department_id) == (late.region, late.lead_department_id)
