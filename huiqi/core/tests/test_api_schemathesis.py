"""schemathesis over the whole JSON API, as anonymous, an enterprise user, an officer and a
supervisor: no generated request — valid or not — gets a server error, and every status code
that comes back is in the OpenAPI document. The example count is bounded to keep the run short."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
EXAMPLES = 4


@pytest.fixture(autouse=True)
def _connection_kept_across_requests() -> Iterator[None]:
    """As Django's test client does: a request must not close the test's database connection
    (on PostgreSQL that would end the test transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def sessions(make_user: Any, settings: Any) -> dict[str, dict[str, str]]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out: dict[str, dict[str, str]] = {"anonymous": {}}
    for role in ("enterprise", "officer", "supervisor"):
        client = Client()
        client.force_login(make_user(role))
        out[role] = {"sessionid": client.cookies["sessionid"].value}
    return out


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_api_operation_answers_a_server_error_or_an_undocumented_status(
        case: Any, sessions: dict[str, dict[str, str]]) -> None:
    for cookies in sessions.values():
        case.call_and_validate(cookies=cookies, checks=[not_a_server_error, status_code_conformance])
