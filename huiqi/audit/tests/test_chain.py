from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from huiqi.audit.models import AuditEvent
from huiqi.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db


def _behind_the_back(sql: str, params: list[Any]) -> None:
    """Tamper as a database superuser would: past the append-only trigger on PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # superuser: triggers off
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def _three_events() -> list[AuditEvent]:
    return [audit_record(actor=None, action=f"test.event{i}", object_type="test", object_id=str(i),
                         before={"n": i}, after={"n": i + 1}) for i in range(3)]


def test_an_untouched_chain_verifies() -> None:
    _three_events()
    report = audit_verify()
    assert report.ok, report.problems
    assert report.checked == AuditEvent.objects.count()


def test_each_event_links_to_the_previous_hash() -> None:
    events = _three_events()
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash


def test_a_row_changed_behind_the_applications_back_is_reported() -> None:
    events = _three_events()
    _behind_the_back("UPDATE audit_auditevent SET after = %s WHERE seq = %s", ['{"n": 999}', events[1].seq])
    report = audit_verify()
    assert not report.ok
    assert any(f"#{events[1].seq}" in problem and "改动" in problem for problem in report.problems)


def test_a_deleted_row_in_the_middle_is_reported() -> None:
    events = _three_events()
    _behind_the_back("DELETE FROM audit_auditevent WHERE seq = %s", [events[1].seq])
    assert any("缺失" in problem for problem in audit_verify().problems)


def test_a_deleted_last_row_is_reported_through_the_chain_head() -> None:
    events = _three_events()
    _behind_the_back("DELETE FROM audit_auditevent WHERE seq = %s", [events[-1].seq])
    assert any("链尾" in problem for problem in audit_verify().problems)


def test_the_model_refuses_updates_and_deletes() -> None:
    event = _three_events()[0]
    event.action = "forged"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_an_event_recorded_in_a_rolled_back_transaction_disappears_with_it() -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="test.rolled_back")
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == before
    assert audit_verify().ok


def test_the_verify_command_fails_on_a_tampered_log() -> None:
    events = _three_events()
    call_command("audit_verify")
    _behind_the_back("UPDATE audit_auditevent SET actor_label = %s WHERE seq = %s", ["someone-else", events[0].seq])
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_on_postgresql_the_database_itself_refuses_to_change_the_log() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    from django.db import DatabaseError

    event = _three_events()[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'forged' WHERE seq = %s", [event.seq])
