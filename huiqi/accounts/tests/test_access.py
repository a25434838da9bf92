"""Each access function, case by case."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from huiqi.accounts import access
from huiqi.policies.models import PolicyDocument, PolicyItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(department: Any) -> PolicyItem:
    document = PolicyDocument.objects.create(title="测试政策", issuer="泉州市工信局", level="city", region="350500",
                                             department=department)
    return PolicyItem.objects.create(document=document, code="qz-test-1", title="研发补助", region="350500",
                                     department=department, mode="申报审核", conditions={"always": True},
                                     reward={"fixed": 1000})


def test_an_enterprise_user_sees_only_its_own_enterprise(make_user: Any, make_enterprise: Any) -> None:
    user = make_user("enterprise")
    other = make_enterprise()
    assert access.access_enterprise_view(user, user.enterprise)
    assert not access.access_enterprise_view(user, other)


def test_an_officer_sees_enterprises_inside_the_region_only(make_user: Any, make_enterprise: Any) -> None:
    officer = make_user("officer", region="350500")
    assert access.access_enterprise_view(officer, make_enterprise(region="350582"))
    assert not access.access_enterprise_view(officer, make_enterprise(region="350102"))


def test_a_province_wide_supervisor_sees_every_fujian_enterprise(make_user: Any, make_enterprise: Any) -> None:
    supervisor = make_user("supervisor", region="350000")
    assert access.access_enterprise_view(supervisor, make_enterprise(region="350102"))
    assert not access.access_enterprise_view(supervisor, make_enterprise(region="330110"))


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_the_three_administrators_do_not_see_enterprise_data(role: str, make_user: Any, make_enterprise: Any) -> None:
    assert not access.access_enterprise_view(make_user(role, region=""), make_enterprise())
    assert not access.access_enterprise_list(make_user(role, region=""))


def test_anonymous_visitors_see_no_enterprise(make_enterprise: Any) -> None:
    assert not access.access_enterprise_view(AnonymousUser(), make_enterprise())


def test_an_inactive_account_has_no_access(make_user: Any) -> None:
    officer = make_user("officer", is_active=False)
    assert not access.access_enterprise_list(officer)


def test_only_the_auditor_reads_the_audit_log(make_user: Any) -> None:
    assert access.access_audit_log(make_user("auditor", region=""))
    for role in ["sysadmin", "secadmin", "officer", "supervisor", "enterprise"]:
        assert not access.access_audit_log(make_user(role)), role


def test_only_the_system_administrator_manages_users(make_user: Any) -> None:
    assert access.access_user_admin(make_user("sysadmin", region=""))
    assert not access.access_user_admin(make_user("secadmin", region=""))
    assert not access.access_user_admin(make_user("auditor", region=""))


def test_only_the_security_administrator_changes_security_settings(make_user: Any) -> None:
    assert access.access_security_settings(make_user("secadmin", region=""))
    assert not access.access_security_settings(make_user("sysadmin", region=""))


def test_an_officer_edits_items_of_the_own_department_in_the_own_region(make_user: Any, item: PolicyItem) -> None:
    assert access.access_policy_item_edit(make_user("officer", region="350500"), item)


def test_an_officer_of_another_department_cannot_edit_the_item(make_user: Any, item: PolicyItem) -> None:
    from huiqi.accounts.models import Department

    other = Department.objects.create(name="泉州市科技局", region="350500")
    assert not access.access_policy_item_edit(make_user("officer", region="350500", dept=other), item)


def test_an_officer_of_another_region_cannot_edit_the_item(make_user: Any, item: PolicyItem) -> None:
    assert not access.access_policy_item_edit(make_user("officer", region="350100"), item)


def test_reviewers_review_but_do_not_edit(make_user: Any, item: PolicyItem) -> None:
    reviewer = make_user("reviewer", region="350500")
    assert access.access_policy_review(reviewer, item)
    assert not access.access_policy_item_edit(reviewer, item)


def test_an_enterprise_files_corrections_only_for_itself(make_user: Any, make_enterprise: Any) -> None:
    user = make_user("enterprise")
    assert access.access_enterprise_correct(user, user.enterprise)
    assert not access.access_enterprise_correct(user, make_enterprise())
    assert not access.access_enterprise_correct(make_user("officer"), user.enterprise)


def test_officers_decide_corrections_in_their_region(make_user: Any, make_enterprise: Any) -> None:
    assert access.access_correction_decide(make_user("officer", region="350500"), make_enterprise(region="350503"))
    assert not access.access_correction_decide(make_user("officer", region="350100"), make_enterprise(region="350503"))
    assert not access.access_correction_decide(make_user("reviewer", region="350500"), make_enterprise(region="350503"))


def test_only_an_enterprise_user_with_an_enterprise_opens_the_own_enterprise_pages(
        make_user: Any, make_enterprise: Any) -> None:
    own = make_user("enterprise")
    assert access.access_own_enterprise_pages(own)
    assert access.access_enterprise_own(own, own.enterprise_id)
    assert not access.access_enterprise_own(own, make_enterprise().pk)
    own.enterprise = None
    assert not access.access_own_enterprise_pages(own)
    for role in ["officer", "reviewer", "finance", "supervisor", "sysadmin"]:
        assert not access.access_own_enterprise_pages(make_user(role))


@pytest.mark.parametrize("role,allowed", [("officer", True), ("reviewer", True), ("supervisor", True),
                                          ("finance", False), ("enterprise", False), ("sysadmin", False)])
def test_policy_management_is_for_officers_reviewers_and_supervisors(role: str, allowed: bool, make_user: Any) -> None:
    assert access.access_policy_manage(make_user(role)) is allowed


def test_the_menu_shows_a_link_exactly_when_its_access_function_allows_it(make_user: Any) -> None:
    from django.test import Client

    from conftest import PASSWORD

    client = Client()
    finance = make_user("finance")
    client.login(username=finance.username, password=PASSWORD)
    page = client.get("/inbox/").content.decode()
    assert 'href="/fulfilment/queue/"' in page and 'href="/disbursement/"' in page
    assert "事项管理" not in page and 'href="/my/"' not in page
def test_an_officer_keeps_its_department_items_that_apply_outside_its_region(make_user: Any, item: PolicyItem) -> None:
    item.region = "350128"  # 平潭: the author's department recorded a policy of another prefecture
    item.save(update_fields=["region"])
    assert access.access_policy_item_edit(make_user("officer", region="350500"), item)
