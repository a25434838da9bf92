"""Who may rate, see the index, answer a 差评 and move a 督办 order — case by case."""

from __future__ import annotations

from typing import Any

import pytest

from huiqi.accounts.models import Department
from huiqi.supervision import access
from huiqi.supervision.models import PoorRatingCase, SupervisionOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def u(make_user: Any, department: Any) -> dict[str, Any]:
    other = Department.objects.create(name="厦门市科技局", region="350200", kind="科技")
    return {"fj": make_user("supervisor", region="350000"), "qz": make_user("supervisor", region="350500"),
            "all": make_user("supervisor", region=""), "off": make_user("officer", region="350500"),
            "off_xm": make_user("officer", region="350200", dept=other), "ent": make_user("enterprise"),
            "rev": make_user("reviewer"), "admin": make_user("sysadmin", region="")}


def test_only_the_enterprises_own_users_rate(u: dict[str, Any]) -> None:
    assert access.access_rate(u["ent"], u["ent"].enterprise_id)
    assert not access.access_rate(u["ent"], u["ent"].enterprise_id + 1)
    assert not access.access_rate(u["off"], u["ent"].enterprise_id)


def test_the_cockpit_is_for_supervisors_and_officers(u: dict[str, Any]) -> None:
    assert [access.access_supervision_view(u[k]) for k in ("fj", "off", "ent", "rev", "admin")] == [
        True, True, False, False, False]


def test_a_supervisor_sees_the_index_inside_their_region_only(u: dict[str, Any]) -> None:
    assert access.access_index_region(u["fj"], "350500") and access.access_index_region(u["qz"], "350582")
    assert not access.access_index_region(u["qz"], "350000") and not access.access_index_region(u["qz"], "350200")
    assert not access.access_index_region(u["off"], "350500")


def test_only_a_province_wide_supervisor_changes_weights_and_recomputes(u: dict[str, Any]) -> None:
    assert access.access_index_settings_edit(u["fj"]) and access.access_index_settings_edit(u["all"])
    assert not access.access_index_settings_edit(u["qz"]) and not access.access_index_recompute(u["admin"])


def test_an_order_is_answered_by_its_department_or_by_the_regions_officer(u: dict[str, Any], department: Any) -> None:
    to_region = SupervisionOrder(target_region="350500")
    to_dept = SupervisionOrder(target_region="350200", target_department_id=department.pk)
    assert access.access_order_answer(u["off"], to_region) and not access.access_order_answer(u["off_xm"], to_region)
    assert access.access_order_answer(u["off"], to_dept) and not access.access_order_answer(u["off_xm"], to_dept)
    assert access.access_order_view(u["qz"], to_region) and not access.access_order_view(u["qz"], to_dept)
    assert not access.access_order_answer(u["qz"], to_region)


def test_a_poor_rating_is_answered_by_the_responsible_department(u: dict[str, Any], department: Any) -> None:
    case = PoorRatingCase(department_id=department.pk, region="350503")
    assert access.access_case_answer(u["off"], case) and not access.access_case_answer(u["off_xm"], case)
    assert access.access_case_view(u["qz"], case) and not access.access_case_view(u["ent"], case)
