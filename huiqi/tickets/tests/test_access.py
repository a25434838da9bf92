"""Who may see and act on a request, case by case."""

from __future__ import annotations

from typing import Any

import pytest

from huiqi.accounts.models import Department
from huiqi.tickets.access import (
    access_api_keys,
    access_ticket_dispatch,
    access_ticket_enterprise,
    access_ticket_handle,
    access_ticket_register,
    access_ticket_stats,
    access_ticket_view,
    is_dispatcher,
)
from huiqi.tickets.models import Dispatcher

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_enterprise_sees_and_rates_its_own_request_only(register: Any, applicant: Any, make_user: Any) -> None:
    t = register(at(2026, 3, 2))
    stranger = make_user("enterprise")
    assert access_ticket_view(applicant, t) and access_ticket_enterprise(applicant, t)
    assert not access_ticket_view(stranger, t) and not access_ticket_enterprise(stranger, t)


def test_the_lead_department_handles_and_a_co_department_only_sees(
        assigned: Any, handler: Any, make_user: Any) -> None:
    t = assigned(at(2026, 3, 2))
    co_dept = Department.objects.create(name="泉州市商务局", region="350500", kind="商务")
    co_user = make_user("officer", dept=co_dept)
    t.co_departments.add(co_dept)
    assert access_ticket_handle(handler, t) and access_ticket_view(handler, t)
    assert access_ticket_view(co_user, t) and not access_ticket_handle(co_user, t)


def test_a_dispatcher_covers_only_their_region(register: Any, dispatcher: Any, make_user: Any) -> None:
    t = register(at(2026, 3, 2))
    far = make_user("officer", dept=None, region="350200")
    Dispatcher.objects.create(user=far, region="350200")
    assert access_ticket_dispatch(dispatcher, t) and is_dispatcher(dispatcher)
    assert not access_ticket_dispatch(far, t) and not access_ticket_view(far, t)


def test_supervisors_see_their_region_and_reach_the_statistics(register: Any, make_user: Any, supervisor: Any) -> None:
    t = register(at(2026, 3, 2))
    elsewhere = make_user("supervisor", region="350200")
    assert access_ticket_view(supervisor, t) and access_ticket_stats(supervisor)
    assert not access_ticket_view(elsewhere, t)


def test_registration_is_for_enterprises_officers_and_dispatchers_but_not_reviewers(make_user: Any,
                                                                                    applicant: Any) -> None:
    assert access_ticket_register(applicant) and access_ticket_register(make_user("officer"))
    assert not access_ticket_register(make_user("reviewer")) and not access_ticket_register(make_user("supervisor"))


def test_only_the_system_administrator_manages_keys_and_categories(make_user: Any, applicant: Any) -> None:
    assert access_api_keys(make_user("sysadmin"))
    assert not access_api_keys(make_user("officer")) and not access_api_keys(applicant)
