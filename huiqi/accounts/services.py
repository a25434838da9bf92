"""Account writes: creating users, logging in with lockout, unlocking. Each one audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from huiqi.audit.services import audit_record
from huiqi.core.request_context import client_ip, current_request

from .models import Department, LoginThrottle, Role, User


class LoginRefused(Exception):
    """Login failed; the message is safe to show (never tells whether the account exists)."""


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
    if role not in Role.values:
        raise ValueError(f"未知角色：{role}")
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
            actor=actor, action="user.create", obj=user,
            after={"username": username, "role": role, "department": department.pk if department else None,
                   "region": region, "enterprise": getattr(enterprise, "pk", None)},
        )
    return user


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
