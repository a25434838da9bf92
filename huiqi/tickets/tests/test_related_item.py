"""An enterprise asks about a policy from the policy's page: the request form names the policy by
its title and links it, and never asks anybody to type an item code."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from huiqi.policies.models import PolicyDocument
from huiqi.policies.services import policy_item_create
from huiqi.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_the_request_form_shows_the_policy_by_title_and_links_the_request_to_it(
        applicant: Any, department: Any, make_user: Any) -> None:
    document = PolicyDocument.objects.create(title="泉州市稳增长措施", issuer="泉州市工信局", level="city",
                                             region="350500", department=department, doc_number="泉工信〔2026〕9号")
    item = policy_item_create(actor=make_user("officer"), document=document, code="qz-ask-1",
                              title="规上工业企业增产奖励", mode="免申即享",
                              conditions={"field": "revenue", "op": ">=", "value": 20000000},
                              reward={"fixed": 100000}, department=department)
    client = Client()
    client.force_login(applicant)
    page = BeautifulSoup(client.get(f"/tickets/new/?item={item.code}").content.decode(), "html.parser")
    form = page.select_one("#ticket-form")
    assert form is not None
    assert item.title in form.get_text() and item.code not in form.get_text()
    assert not form.select('input[name=related_item]:not([type=hidden])')
    assert "编码" not in form.get_text()

    client.post("/tickets/new/", {"category": "咨询", "title": "奖励何时到账", "content": "请问增产奖励何时拨付？",
                                  "related_item": item.code})
    assert Ticket.objects.get().related_item == item
