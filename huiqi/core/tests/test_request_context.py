"""Every request gets an id, one log line with user and client address, and the audit log
records where an action came from."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, RequestFactory

from huiqi.audit.models import AuditEvent
from huiqi.core.request_context import JsonFormatter, client_ip

pytestmark = pytest.mark.django_db


def _access_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "huiqi.request"]


def test_each_response_carries_a_request_id_and_one_access_line_names_user_and_client(
        caplog: pytest.LogCaptureFixture, client: Client, make_user: Callable[..., Any]) -> None:
    user = make_user("officer")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="huiqi.request"):
        response = client.get("/healthz", REMOTE_ADDR="203.0.113.7")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = _access_lines(caplog)
    assert (line.request_id, line.client_ip, line.user, line.status) == (request_id, "203.0.113.7", user.username, 200)  # type: ignore[attr-defined]


def test_two_requests_get_different_ids(client: Client) -> None:
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def test_the_json_format_writes_one_json_object_with_the_request_fields(
        caplog: pytest.LogCaptureFixture, client: Client) -> None:
    with caplog.at_level(logging.INFO, logger="huiqi.request"):
        response = client.get("/healthz", REMOTE_ADDR="198.51.100.4")
    data = json.loads(JsonFormatter().format(_access_lines(caplog)[0]))
    assert data["request_id"] == response["X-Request-ID"]
    assert data["client_ip"] == "198.51.100.4" and data["status"] == 200 and data["path"] == "/healthz"


def test_the_500_page_shows_the_request_id_that_the_error_log_carries(
        caplog: pytest.LogCaptureFixture, settings: Any) -> None:
    settings.ROOT_URLCONF = "huiqi.core.tests.error_urls"
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/broken/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert request_id in response.content.decode()
    errors = [r for r in caplog.records if r.name == "django.request" and r.levelno >= logging.ERROR]
    assert errors and all(r.request_id == request_id for r in errors)  # type: ignore[attr-defined]


def test_audit_events_record_the_client_address_of_the_request(client: Client, make_user: Callable[..., Any]) -> None:
    from conftest import PASSWORD

    user = make_user("officer")
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="192.0.2.55")
    event = AuditEvent.objects.filter(action="auth.login", actor=user).latest("id")
    assert event.client_ip == "192.0.2.55" and len(event.request_id) == 32


def test_forwarded_for_is_ignored_unless_the_direct_peer_is_a_trusted_proxy(settings: Any) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.9")
    settings.HUIQI_TRUSTED_PROXIES = []
    assert client_ip(request) == "10.0.0.2"
    settings.HUIQI_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request) == "192.0.2.9"  # the right-most address the proxy saw, not a spoofable left one


def test_huiqi_log_format_json_makes_every_log_line_json(tmp_path: Any) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(HUIQI_LOG_FORMAT="json", HUIQI_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings")
    code = "import django, logging; django.setup(); logging.getLogger('huiqi.test').warning('你好')"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    line = json.loads(done.stderr.strip().splitlines()[-1])
    assert line["message"] == "你好" and line["level"] == "WARNING" and "request_id" in line
