from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "page"), [
    ("enterprise", "/my/"), ("officer", "/policies/manage/"), ("reviewer", "/fulfilment/queue/"),
    ("finance", "/fulfilment/queue/"), ("supervisor", "/supervision/"), ("sysadmin", "/accounts/users/"),
    ("auditor", "/audit/"),
])
def test_each_role_lands_on_its_own_work_page_after_login(make_user: Any, role: str, page: str) -> None:
    user = make_user(role)
    response = Client().post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == page


def test_a_next_page_still_wins_over_the_work_page(make_user: Any) -> None:
    user = make_user("enterprise")
    response = Client().post("/accounts/login/?next=/policies/", {"username": user.username, "password": PASSWORD,
                                                                  "next": "/policies/"})
    assert response["Location"] == "/policies/"
