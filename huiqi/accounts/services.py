"""Account writes: creating users, logging in with lockout, unlocking. Each one audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from huiqi.audit.services import audit_record

from .models import Department, Role, User


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


def user_login(*, request: HttpRequest | None, username: str, password: str) -> User:
    """Check the password, counting failures and locking the account after too many."""
    now = timezone.now()
    user = User.objects.filter(username=username).first()
    if user is not None and user.locked_until and user.locked_until > now:
        with transaction.atomic():
            audit_record(actor=username, action="auth.login", obj=user, result="denied", detail="账号锁定中")
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise LoginRefused(f"该账号因连续登录失败已被锁定，请约 {minutes} 分钟后再试，或联系安全管理员解锁。")
    authenticated = authenticate(request, username=username, password=password)
    if authenticated is None:
        if user is not None:
            with transaction.atomic():
                User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
                user.refresh_from_db(fields=["failed_logins"])
                detail = f"第 {user.failed_logins} 次失败"
                if user.failed_logins >= settings.HUIQI_LOGIN_MAX_FAILURES:
                    user.locked_until = now + timedelta(minutes=settings.HUIQI_LOGIN_LOCK_MINUTES)
                    User.objects.filter(pk=user.pk).update(locked_until=user.locked_until, failed_logins=0)
                    detail += "，账号已锁定"
                audit_record(actor=username, action="auth.login", obj=user, result="failed", detail=detail)
        else:
            with transaction.atomic():
                audit_record(actor=username, action="auth.login", object_type="accounts.user",
                             object_repr=username, result="failed", detail="账号不存在")
        raise LoginRefused("用户名或密码不正确。连续失败多次后账号将被临时锁定。")
    assert isinstance(authenticated, User)
    with transaction.atomic():
        User.objects.filter(pk=authenticated.pk).update(failed_logins=0, locked_until=None)
        audit_record(actor=authenticated, action="auth.login", obj=authenticated)
    return authenticated


def user_unlock(*, actor: Any, user: User) -> None:
    with transaction.atomic():
        before = {"locked_until": user.locked_until, "failed_logins": user.failed_logins}
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        audit_record(actor=actor, action="user.unlock", obj=user, before=before,
                     after={"locked_until": None, "failed_logins": 0})


def user_logout_recorded(*, user: Any, reason: str) -> None:
    if getattr(user, "is_authenticated", False):
        with transaction.atomic():
            audit_record(actor=user, action="auth.logout", obj=user, detail=reason)
