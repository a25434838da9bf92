"""Account writes: creating users, logging in with lockout, unlocking. Each one audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from cnstd.regions import is_known_region
from huiqi.audit.services import audit_record
from huiqi.core.request_context import client_ip, current_request

from .access import (
    ADMIN_ROLES,
    access_admin_account_approve,
    access_admin_account_propose,
    access_user_create,
    access_user_unlock,
)
from .models import GOVERNMENT_ROLES, AdminAccountProposal, Department, LoginThrottle, Role, User
from .passwords import CharacterClassValidator, RepeatedCharactersValidator


class LoginRefused(Exception):
    """Login failed; the message is safe to show (never tells whether the account exists)."""


def _validate_government_region(role: str, region: str) -> None:
    """An officer, reviewer, finance or supervisor account needs a known region code: a blank one
    would not mean "everything"."""
    if role not in GOVERNMENT_ROLES:
        return
    if not region:
        raise ValidationError("政府用户必须填写管辖区划代码（全省用户填 350000 这样的省级代码）。", code="region_required")
    if not (len(region) == 6 and region.isdigit() and is_known_region(region, include_abolished=False)):
        raise ValidationError(f"管辖区划代码 {region} 不是现行的行政区划代码。", code="region_unknown")


def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    department: Department | None = None,
    region: str = "",
    enterprise: Any = None,
    email: str = "",
    validate: bool = True,
) -> User:
    """Create a business account. 三员 accounts are never created here: see
    `admin_account_create_at_deployment` and the two-person `admin_account_propose/approve`."""
    if role not in Role.values:
        raise ValueError(f"未知角色：{role}")
    if role in ADMIN_ROLES:
        raise PermissionDenied("三员账号只能在部署时创建，或由三员中的两人共同批准创建。")
    if getattr(actor, "is_authenticated", False) and not access_user_create(actor, role):
        raise PermissionDenied("您无权创建该角色的账号。")
    region = region.strip()
    _validate_government_region(role, region)
    return _user_save(actor=actor, username=username, password=password, role=role, display_name=display_name,
                      department=department, region=region, enterprise=enterprise, email=email, validate=validate)


def _user_save(*, actor: Any, username: str, password: str, role: str, display_name: str,
               department: Department | None, region: str, enterprise: Any, email: str, validate: bool,
               detail: str = "") -> User:
    user = User(
        username=username, role=role, display_name=display_name, department=department,
        region=region, enterprise=enterprise, email=email,
    )
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    with transaction.atomic():
        user.save()
        audit_record(
            actor=actor, action="user.create", obj=user, detail=detail,
            after={"username": username, "role": role, "department": department.pk if department else None,
                   "region": region, "enterprise": getattr(enterprise, "pk", None)},
        )
    return user


class AdminAccountRefused(Exception):
    """A 三员 account request that may not go ahead; the message is for the person asking."""


def admin_account_create_at_deployment(*, username: str, password: str, role: str, display_name: str) -> User:
    """Bootstrap one 三员 account from the deployment host (`huiqi admin create`). Only while no
    active account of that role exists; after that, two of the three create it together."""
    if role not in ADMIN_ROLES:
        raise AdminAccountRefused("部署时只能创建三员账号（系统管理员、安全管理员、审计管理员）；业务账号由系统管理员在页面上创建。")
    if User.objects.filter(role=role, is_active=True).exists():
        raise AdminAccountRefused(
            f"已有在用的{Role(role).label}账号：新增三员账号须由三员中的两人在“三员账号”页面提议并批准。")
    return _user_save(actor="部署", username=username, password=password, role=role, display_name=display_name,
                      department=None, region="", enterprise=None, email="", validate=True,
                      detail="部署时创建")


def admin_account_propose(*, actor: User, role: str, username: str, display_name: str,
                          reason: str = "") -> AdminAccountProposal:
    if not access_admin_account_propose(actor):
        raise PermissionDenied("只有三员可以提议创建三员账号。")
    if role not in ADMIN_ROLES:
        raise AdminAccountRefused("这里只能提议三员账号；业务账号由系统管理员创建。")
    if User.objects.filter(username=username).exists():
        raise AdminAccountRefused(f"用户名 {username} 已被使用。")
    with transaction.atomic():
        proposal = AdminAccountProposal.objects.create(
            role=role, username=username, display_name=display_name, reason=reason,
            proposed_by=actor, proposed_at=timezone.now())
        audit_record(actor=actor, action="admin_account.propose", obj=proposal,
                     after={"role": role, "username": username, "display_name": display_name, "reason": reason})
    return proposal


def admin_account_approve(*, actor: User, proposal: AdminAccountProposal) -> tuple[User, str]:
    """The second administrator approves; returns the account and its one-time initial password
    (shown once to the approver, never to the proposer)."""
    if not access_admin_account_approve(actor, proposal):
        raise PermissionDenied("三员账号须由提议人以外、另一种三员角色的管理员批准。")
    password = _initial_password()
    with transaction.atomic():
        claimed = AdminAccountProposal.objects.filter(pk=proposal.pk, status=AdminAccountProposal.Status.PENDING).update(
            status=AdminAccountProposal.Status.APPROVED, decided_by=actor, decided_at=timezone.now())
        if not claimed:
            raise AdminAccountRefused("该申请已处理过。")
        user = _user_save(actor=actor, username=proposal.username, password=password, role=proposal.role,
                          display_name=proposal.display_name, department=None, region="", enterprise=None,
                          email="", validate=True,
                          detail=f"双人批准：{proposal.proposed_by.username} 提议，{actor.username} 批准")
        audit_record(actor=actor, action="admin_account.approve", obj=proposal,
                     after={"user": user.pk, "proposed_by": proposal.proposed_by.username})
    return user, password


def admin_account_reject(*, actor: User, proposal: AdminAccountProposal) -> None:
    if not access_admin_account_propose(actor):
        raise PermissionDenied("只有三员可以处理三员账号申请。")
    with transaction.atomic():
        AdminAccountProposal.objects.filter(pk=proposal.pk, status=AdminAccountProposal.Status.PENDING).update(
            status=AdminAccountProposal.Status.REJECTED, decided_by=actor, decided_at=timezone.now())
        audit_record(actor=actor, action="admin_account.reject", obj=proposal)


def _initial_password() -> str:
    import secrets

    while True:
        candidate = "Hq-" + secrets.token_urlsafe(12)
        try:
            RepeatedCharactersValidator().validate(candidate)
            CharacterClassValidator().validate(candidate)
        except ValidationError:
            continue
        return candidate


LOGIN_REFUSED = "用户名或密码不正确，或连续失败次数过多暂时无法登录。请稍后再试，或联系安全管理员。"


def _login_client(request: HttpRequest | None) -> str:
    return client_ip(request) if request is not None else current_request().client_ip


def login_locked(*, username: str, client: str) -> bool:
    """Whether this username is locked for this client address right now."""
    return LoginThrottle.objects.filter(username=username[:150], client_ip=client[:45],
                                        locked_until__gt=timezone.now()).exists()


def _login_failure(*, username: str, client: str, now: Any) -> tuple[int, bool]:
    """Count one failure for (username, client); lock the pair after too many. Race-safe: one
    row per pair, incremented with F()."""
    key: dict[str, Any] = {"username": username[:150], "client_ip": client[:45]}
    try:
        with transaction.atomic():
            LoginThrottle.objects.get_or_create(**key)
    except IntegrityError:  # created by a concurrent failure
        pass
    window = now - timedelta(minutes=settings.HUIQI_LOGIN_LOCK_MINUTES)
    LoginThrottle.objects.filter(**key, last_failure_at__lt=window).update(failures=0)  # old failures expire
    LoginThrottle.objects.filter(**key).update(failures=F("failures") + 1, last_failure_at=now)
    failures = LoginThrottle.objects.values_list("failures", flat=True).get(**key)
    if failures >= settings.HUIQI_LOGIN_MAX_FAILURES:
        LoginThrottle.objects.filter(**key).update(
            failures=0, locked_until=now + timedelta(minutes=settings.HUIQI_LOGIN_LOCK_MINUTES))
        return failures, True
    return failures, False


def user_login(*, request: HttpRequest | None, username: str, password: str) -> User:
    """Check the password, counting failures per account and client address and locking that
    pair after too many. Unknown account, wrong password and lock all get one message."""
    now = timezone.now()
    client = _login_client(request)
    user = User.objects.filter(username=username).first()
    target: dict[str, Any] = ({"obj": user} if user is not None
                              else {"object_type": "accounts.user", "object_repr": username[:300]})
    if login_locked(username=username, client=client):
        make_password(password)  # same work as a real check: the answer's timing tells nothing
        with transaction.atomic():
            audit_record(actor=username, action="auth.login", result="denied",
                         detail=f"该账号对地址 {client or '未知'} 锁定中", **target)
        raise LoginRefused(LOGIN_REFUSED)
    authenticated = authenticate(request, username=username, password=password)
    if authenticated is None:
        with transaction.atomic():
            failures, locked = _login_failure(username=username, client=client, now=now)
            detail = ("账号不存在，" if user is None else "") + f"第 {failures} 次失败"
            if locked:
                detail += f"，已对地址 {client or '未知'} 锁定 {settings.HUIQI_LOGIN_LOCK_MINUTES} 分钟"
            audit_record(actor=username, action="auth.login", result="failed", detail=detail, **target)
        raise LoginRefused(LOGIN_REFUSED)
    assert isinstance(authenticated, User)
    with transaction.atomic():
        LoginThrottle.objects.filter(username=username[:150], client_ip=client[:45]).delete()
        audit_record(actor=authenticated, action="auth.login", obj=authenticated)
    return authenticated


def user_unlock(*, actor: Any, user: User) -> int:
    """The security administrator lifts every login lock on the account; returns how many."""
    if getattr(actor, "is_authenticated", False) and not access_user_unlock(actor, user):
        raise PermissionDenied("您无权解锁该账号：三员不能处理检查自己的角色的账号。")
    with transaction.atomic():
        locks = LoginThrottle.objects.filter(username=user.username)
        before = [{"client_ip": t.client_ip, "locked_until": t.locked_until, "failures": t.failures} for t in locks]
        removed = locks.delete()[0]
        audit_record(actor=actor, action="user.unlock", obj=user, before={"locks": before}, after={"locks": []})
    return removed


def user_logout_recorded(*, user: Any, reason: str) -> None:
    if getattr(user, "is_authenticated", False):
        with transaction.atomic():
            audit_record(actor=user, action="auth.logout", obj=user, detail=reason)
