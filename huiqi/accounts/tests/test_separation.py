"""三员 separation: nobody creates, changes or resets an account of a role that checks it; 三员
accounts come from deployment or from two of the three together; regions and passwords."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from conftest import PASSWORD
from huiqi.accounts import access
from huiqi.accounts.models import AdminAccountProposal, User
from huiqi.accounts.services import (
    AdminAccountRefused,
    admin_account_approve,
    admin_account_propose,
    user_create,
    user_unlock,
)
from huiqi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

STRONG = "Qz-Policy-2026!x"


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_the_system_administrator_cannot_create_a_three_administrator_account(make_user: Any, role: str) -> None:
    sysadmin = make_user("sysadmin", region="")
    with pytest.raises(PermissionDenied):
        user_create(actor=sysadmin, username=f"new-{role}", password=STRONG, role=role)
    assert not User.objects.filter(username=f"new-{role}").exists()


def test_the_user_page_refuses_a_sysadmin_creating_an_auditor(make_user: Any, client: Client) -> None:
    client.force_login(make_user("sysadmin", region=""))
    response = client.post("/accounts/users/", {"username": "my-auditor", "display_name": "自己人", "role": "auditor",
                                                "password": STRONG})
    assert not User.objects.filter(username="my-auditor").exists()
    assert "auditor" not in [value for value, _ in response.context["form"].fields["role"].choices]


def test_the_system_administrator_creates_business_accounts(make_user: Any, department: Any) -> None:
    officer = user_create(actor=make_user("sysadmin", region=""), username="lin.xiao", password=STRONG,
                          role="officer", department=department, region="350500")
    assert officer.role == "officer"


@pytest.mark.parametrize("role", ["officer", "reviewer", "finance", "supervisor"])
def test_a_government_account_with_a_blank_region_is_refused(make_user: Any, role: str) -> None:
    with pytest.raises(ValidationError, match="必须填写管辖区划"):
        user_create(actor=make_user("sysadmin", region=""), username="blank", password=STRONG, role=role, region="")


def test_an_unknown_region_code_is_refused(make_user: Any) -> None:
    with pytest.raises(ValidationError, match="不是现行"):
        user_create(actor=make_user("sysadmin", region=""), username="x1", password=STRONG, role="officer",
                    region="359999")


def test_a_blank_region_covers_nothing(make_user: Any, make_enterprise: Any) -> None:
    officer = make_user("officer", region="")
    assert not access.user_covers_region(officer, "350503")
    assert not access.access_enterprise_view(officer, make_enterprise(region="350503"))


def test_the_security_administrator_cannot_unlock_the_auditor_who_checks_it(make_user: Any) -> None:
    secadmin, auditor, officer = make_user("secadmin", region=""), make_user("auditor", region=""), make_user("officer")
    with pytest.raises(PermissionDenied):
        user_unlock(actor=secadmin, user=auditor)
    user_unlock(actor=secadmin, user=officer)  # a business account is fine


def test_deployment_creates_the_first_administrator_of_a_role_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    call_command("admin_create", role="auditor", username="audit1", display_name="审计一", password_stdin=True)
    assert User.objects.get(username="audit1").role == "auditor"
    assert AuditEvent.objects.filter(action="user.create", object_id=str(User.objects.get(username="audit1").pk)).exists()
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    with pytest.raises(CommandError, match="两人"):
        call_command("admin_create", role="auditor", username="audit2", display_name="审计二", password_stdin=True)


def test_deployment_refuses_business_accounts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    with pytest.raises(CommandError, match="业务账号由系统管理员"):
        call_command("admin_create", role="officer", username="y", display_name="y", password_stdin=True)
    assert not User.objects.filter(username="y").exists()


def test_a_three_administrator_account_needs_a_second_administrator_of_another_role(make_user: Any) -> None:
    sysadmin, other_sysadmin = make_user("sysadmin", region=""), make_user("sysadmin", region="")
    secadmin = make_user("secadmin", region="")
    proposal = admin_account_propose(actor=sysadmin, role="auditor", username="audit9", display_name="新审计员")
    for alone in (sysadmin, other_sysadmin):  # the proposer, or a second person of the same role
        with pytest.raises(PermissionDenied):
            admin_account_approve(actor=alone, proposal=proposal)
    assert not User.objects.filter(username="audit9").exists()
    user, password = admin_account_approve(actor=secadmin, proposal=proposal)
    assert user.role == "auditor" and user.check_password(password)
    assert AdminAccountProposal.objects.get(pk=proposal.pk).status == "approved"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"admin_account.propose", "admin_account.approve", "user.create"} <= actions
    with pytest.raises(AdminAccountRefused):
        admin_account_approve(actor=make_user("auditor", region=""), proposal=proposal)


def test_the_two_person_page_shows_the_initial_password_to_the_approver_once(make_user: Any, client: Client) -> None:
    proposer, approver = make_user("auditor", region=""), make_user("secadmin", region="")
    client.force_login(proposer)
    client.post("/accounts/admins/", {"op": "propose", "role": "sysadmin", "username": "sys2", "display_name": "二号"})
    proposal = AdminAccountProposal.objects.get(username="sys2")
    client.force_login(approver)
    page = client.post("/accounts/admins/", {"op": "approve", "proposal": proposal.pk}).content.decode()
    assert "初始密码" in page and User.objects.get(username="sys2").role == "sysadmin"


def test_business_users_cannot_open_the_two_person_page(make_user: Any, client: Client) -> None:
    client.force_login(make_user("officer"))
    assert client.get("/accounts/admins/").status_code == 403


@pytest.mark.parametrize("password, message", [
    ("aaaaaaaaaA1", "相同的字符"),
    ("Ab1Ab1Ab1Ab1", "不同的字符"),
    ("Qwerty12345", "常见"),
    ("Wang.Wei2026!", "用户名"),
])
def test_weak_passwords_are_refused_in_chinese(password: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User(username="wang.wei"))
    assert any(message in text for text in refused.value.messages), refused.value.messages


def test_a_good_password_passes_every_rule() -> None:
    validate_password(PASSWORD, User(username="zhang.san"))
