from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from huiqi.accounts.models import User
from huiqi.accounts.passwords import CharacterClassValidator
from huiqi.accounts.services import LoginRefused, user_create, user_login, user_unlock
from huiqi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_correct_password_logs_in_and_is_audited(make_user: Any) -> None:
    user = make_user("officer")
    assert user_login(request=None, username=user.username, password=PASSWORD) == user
    assert AuditEvent.objects.filter(action="auth.login", object_id=str(user.pk), result="ok").exists()


def test_five_failures_lock_the_account_even_against_the_right_password(make_user: Any, settings: Any) -> None:
    settings.HUIQI_LOGIN_MAX_FAILURES = 5
    user = make_user("officer")
    for _ in range(5):
        with pytest.raises(LoginRefused):
            user_login(request=None, username=user.username, password="wrong-password")
    user.refresh_from_db()
    assert user.locked_until is not None and user.locked_until > timezone.now()
    with pytest.raises(LoginRefused, match="锁定"):
        user_login(request=None, username=user.username, password=PASSWORD)


def test_the_lock_expires_by_itself(make_user: Any) -> None:
    user = make_user("officer")
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert user_login(request=None, username=user.username, password=PASSWORD) == user


def test_the_security_administrator_can_unlock(make_user: Any) -> None:
    user = make_user("officer")
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() + timedelta(hours=1))
    user.refresh_from_db()
    user_unlock(actor=make_user("secadmin", region=""), user=user)
    assert user_login(request=None, username=user.username, password=PASSWORD) == user


def test_an_unknown_username_gets_the_same_message_as_a_wrong_password(make_user: Any) -> None:
    user = make_user("officer")
    with pytest.raises(LoginRefused) as unknown:
        user_login(request=None, username="nobody", password=PASSWORD)
    with pytest.raises(LoginRefused) as wrong:
        user_login(request=None, username=user.username, password="Wrong-Password-1")
    assert str(unknown.value) == str(wrong.value)


@pytest.mark.parametrize("password", ["alllowercase1", "ALLUPPERCASE1", "NoDigitsHere"])
def test_passwords_need_three_character_classes(password: str) -> None:
    with pytest.raises(ValidationError):
        CharacterClassValidator().validate(password)


def test_a_strong_password_is_accepted_when_creating_a_user() -> None:
    user = user_create(actor=None, username="zhang.san", password="Zs-2026-policy", role="supervisor")
    assert user.check_password("Zs-2026-policy")


def test_a_short_simple_password_is_refused_when_creating_a_user() -> None:
    with pytest.raises(ValidationError):
        user_create(actor=None, username="li.si", password="abc123", role="officer")


def test_the_login_page_shows_the_lockout_message(make_user: Any, client: Client) -> None:
    user = make_user("officer")
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() + timedelta(minutes=10))
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 401
    assert "锁定" in response.content.decode()


def test_an_idle_session_is_ended(make_user: Any, client: Client, settings: Any) -> None:
    settings.HUIQI_IDLE_TIMEOUT_MINUTES = 30
    user = make_user("officer")
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert client.get("/").wsgi_request.user.is_authenticated
    session = client.session
    session["huiqi_last_seen"] = session["huiqi_last_seen"] - 31 * 60
    session.save()
    assert not client.get("/").wsgi_request.user.is_authenticated
