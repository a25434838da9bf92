from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.utils import timezone

from conftest import PASSWORD
from huiqi.accounts.models import LoginThrottle
from huiqi.accounts.passwords import CharacterClassValidator
from huiqi.accounts.services import LOGIN_REFUSED, LoginRefused, user_create, user_login, user_unlock
from huiqi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_correct_password_logs_in_and_is_audited(make_user: Any) -> None:
    user = make_user("officer")
    assert user_login(request=None, username=user.username, password=PASSWORD) == user
    assert AuditEvent.objects.filter(action="auth.login", object_id=str(user.pk), result="ok").exists()


def _fail(username: str, times: int, *, ip: str = "203.0.113.9") -> None:
    for _ in range(times):
        with pytest.raises(LoginRefused):
            user_login(request=_from(ip), username=username, password="Wrong-Password-1")


def _from(ip: str) -> Any:
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR=ip)


def test_repeated_failures_lock_the_account_for_that_address_even_against_the_right_password(
        make_user: Any, settings: Any) -> None:
    settings.HUIQI_LOGIN_MAX_FAILURES = 3
    user = make_user("officer")
    _fail(user.username, 3)
    with pytest.raises(LoginRefused):
        user_login(request=_from("203.0.113.9"), username=user.username, password=PASSWORD)


def test_a_stranger_failing_on_purpose_does_not_lock_the_owner_out_from_elsewhere(make_user: Any, settings: Any) -> None:
    settings.HUIQI_LOGIN_MAX_FAILURES = 2
    finance = make_user("finance")
    _fail(finance.username, 4, ip="198.51.100.66")  # the stranger, locked out twice over
    assert user_login(request=_from("10.1.2.3"), username=finance.username, password=PASSWORD) == finance


def test_the_lock_is_kept_in_the_database_so_every_web_host_sees_it(make_user: Any, settings: Any) -> None:
    settings.HUIQI_LOGIN_MAX_FAILURES = 3
    user = make_user("officer")
    _fail(user.username, 3)
    assert LoginThrottle.objects.filter(username=user.username, client_ip="203.0.113.9",
                                        locked_until__gt=timezone.now()).exists()


def test_the_lock_expires_by_itself(make_user: Any, settings: Any) -> None:
    settings.HUIQI_LOGIN_MAX_FAILURES = 3
    user = make_user("officer")
    _fail(user.username, 3)
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert user_login(request=_from("203.0.113.9"), username=user.username, password=PASSWORD) == user


def test_the_security_administrator_can_unlock(make_user: Any, settings: Any) -> None:
    settings.HUIQI_LOGIN_MAX_FAILURES = 3
    user = make_user("officer")
    _fail(user.username, 3)
    user_unlock(actor=make_user("secadmin", region=""), user=user)
    assert user_login(request=_from("203.0.113.9"), username=user.username, password=PASSWORD) == user
    assert AuditEvent.objects.filter(action="user.unlock", object_id=str(user.pk)).exists()


def test_an_unknown_username_gets_the_same_message_as_a_wrong_password(make_user: Any) -> None:
    user = make_user("officer")
    with pytest.raises(LoginRefused) as unknown:
        user_login(request=None, username="nobody", password=PASSWORD)
    with pytest.raises(LoginRefused) as wrong:
        user_login(request=None, username=user.username, password="Wrong-Password-1")
    assert str(unknown.value) == str(wrong.value)


def test_a_locked_account_and_an_unknown_one_answer_alike_after_repeated_failures(make_user: Any, settings: Any) -> None:
    settings.HUIQI_LOGIN_MAX_FAILURES = 2
    user = make_user("officer")
    messages = []
    for username in (user.username, "nobody-here"):
        _fail(username, 2)
        with pytest.raises(LoginRefused) as refused:
            user_login(request=_from("203.0.113.9"), username=username, password="Another-Wrong-2")
        messages.append(str(refused.value))
    assert messages[0] == messages[1]
    assert "锁定" not in messages[0]


@pytest.mark.parametrize("password", ["alllowercase1", "ALLUPPERCASE1", "NoDigitsHere"])
def test_passwords_need_three_character_classes(password: str) -> None:
    with pytest.raises(ValidationError):
        CharacterClassValidator().validate(password)


def test_a_strong_password_is_accepted_when_creating_a_user() -> None:
    user = user_create(actor=None, username="zhang.san", password="Zs-2026-policy", role="supervisor", region="350000")
    assert user.check_password("Zs-2026-policy")


def test_a_short_simple_password_is_refused_when_creating_a_user() -> None:
    with pytest.raises(ValidationError):
        user_create(actor=None, username="li.si", password="abc123", role="officer")


def test_the_login_page_answers_a_locked_pair_with_the_usual_message(
        make_user: Any, client: Client, settings: Any) -> None:
    settings.HUIQI_LOGIN_MAX_FAILURES = 2
    user = make_user("officer")
    for _ in range(2):
        client.post("/accounts/login/", {"username": user.username, "password": "x"}, REMOTE_ADDR="203.0.113.5")
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD},
                           REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 401
    assert LOGIN_REFUSED in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_an_idle_session_is_ended(make_user: Any, client: Client, settings: Any) -> None:
    settings.HUIQI_IDLE_TIMEOUT_MINUTES = 30
    user = make_user("officer")
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert client.get("/").wsgi_request.user.is_authenticated
    session = client.session
    session["huiqi_last_seen"] = session["huiqi_last_seen"] - 31 * 60
    session.save()
    assert not client.get("/").wsgi_request.user.is_authenticated
