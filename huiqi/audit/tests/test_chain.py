"""The audit chain: unlocked appends, a keyed seal, and one failing verification per tamper."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from huiqi.audit import services
from huiqi.audit.models import AuditChainHead, AuditEvent, AuditSeal
from huiqi.audit.services import audit_record, audit_seal, audit_verify

pytestmark = pytest.mark.django_db


def _behind_the_back(sql: str, params: list[Any]) -> None:
    """Tamper as a database superuser would: past the append-only triggers on PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # superuser: triggers off
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


@pytest.fixture
def seal(django_capture_on_commit_callbacks: Any) -> Callable[[], int]:
    """Seal as the worker does, checkpoint included (the test transaction never commits)."""

    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return audit_seal()

    return run


def _events(n: int = 5) -> list[AuditEvent]:
    return [audit_record(actor=None, action=f"test.event{i}", object_type="test", object_id=str(i),
                         object_repr=f"对象{i}", before={"n": i}, after={"n": i + 1}) for i in range(n)]


def _seq_of(event: AuditEvent) -> int:
    return AuditSeal.objects.get(event=event).seq


def _problems() -> list[str]:
    return audit_verify().problems


def test_an_untouched_chain_verifies_after_sealing(seal: Callable[[], int]) -> None:
    _events()
    assert seal() == AuditEvent.objects.count() >= 5
    report = audit_verify()
    assert report.ok, report.problems
    assert report.checked == AuditEvent.objects.count()


def test_recording_takes_no_chain_lock_and_the_sealer_links_each_event_to_the_previous() -> None:
    audit_seal()
    events = _events(3)
    assert not AuditSeal.objects.filter(event__in=events).exists()  # nothing chained on the write path
    audit_seal()
    links = list(AuditSeal.objects.filter(event__in=events).order_by("seq"))
    assert [link.event_id for link in links] == [e.pk for e in events]
    assert links[1].prev_hash == links[0].hash and links[2].prev_hash == links[1].hash


def test_a_5000_character_detail_is_stored_in_full_and_verifies_intact(seal: Callable[[], int]) -> None:
    long_reason = "撤回原因：" + "材料需补充" * 1000
    assert len(long_reason) > 5000
    event = audit_record(actor=None, action="test.long", detail=long_reason)
    seal()
    assert AuditEvent.objects.get(pk=event.pk).detail == long_reason
    assert audit_verify().ok


def test_a_changed_row_is_reported(seal: Callable[[], int]) -> None:
    events = _events()
    seal()
    _behind_the_back("UPDATE audit_auditevent SET after = %s WHERE id = %s", ['{"n": 999}', events[1].pk])
    seq = _seq_of(events[1])
    assert any(f"#{seq}" in p and "改动" in p for p in _problems())


def test_an_edited_object_repr_is_reported(seal: Callable[[], int]) -> None:
    events = _events()
    seal()
    _behind_the_back("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["别的企业", events[2].pk])
    assert any("改动" in p for p in _problems())


def test_an_edited_actor_id_is_reported(seal: Callable[[], int], make_user: Callable[..., Any]) -> None:
    someone, other = make_user("officer"), make_user("reviewer")
    event = audit_record(actor=someone, action="test.by_someone")
    seal()
    _behind_the_back("UPDATE audit_auditevent SET actor_id = %s WHERE id = %s", [other.pk, event.pk])
    assert any("改动" in p for p in _problems())


def test_an_edited_client_address_is_reported(seal: Callable[[], int]) -> None:
    event = _events(2)[0]
    seal()
    _behind_the_back("UPDATE audit_auditevent SET client_ip = %s WHERE id = %s", ["10.9.9.9", event.pk])
    assert any("改动" in p for p in _problems())


def test_an_edited_timestamp_is_reported(seal: Callable[[], int]) -> None:
    event = _events(2)[0]
    seal()
    _behind_the_back("UPDATE audit_auditevent SET at = %s WHERE id = %s", ["2020-01-01 00:00:00+00:00", event.pk])
    assert any("改动" in p for p in _problems())


def test_a_deleted_middle_row_is_reported(seal: Callable[[], int]) -> None:
    events = _events()
    seal()
    _behind_the_back("DELETE FROM audit_auditseal WHERE event_id = %s", [events[2].pk])
    _behind_the_back("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    assert any("缺失" in p for p in _problems())


def test_deleted_last_rows_with_the_head_moved_back_are_reported_by_the_checkpoint(seal: Callable[[], int]) -> None:
    events = _events()
    seal()
    keep = AuditSeal.objects.get(event=events[2])
    for event in events[3:]:
        _behind_the_back("DELETE FROM audit_auditseal WHERE event_id = %s", [event.pk])
        _behind_the_back("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    AuditChainHead.objects.filter(id=1).update(last_seq=keep.seq, last_hash=keep.hash)
    problems = _problems()
    assert any("检查点" in p and "链尾缺失" in p for p in problems), problems


def test_a_chain_re_hashed_without_the_key_from_an_edited_row_onward_is_reported(
        seal: Callable[[], int], settings: Any) -> None:
    events = _events()
    seal()
    _behind_the_back("UPDATE audit_auditevent SET detail = %s WHERE id = %s", ["伪造的说明", events[1].pk])
    # The forger runs the platform's own code, but does not hold HUIQI_AUDIT_KEY.
    real_key, settings.HUIQI_AUDIT_KEY = settings.HUIQI_AUDIT_KEY, "the-forgers-guess"
    first = AuditSeal.objects.get(event=events[1])
    prev = first.prev_hash
    for link in AuditSeal.objects.select_related("event").filter(seq__gte=first.seq).order_by("seq"):
        digest = services._event_hash(link.event, seq=link.seq, prev_hash=prev)
        _behind_the_back("UPDATE audit_auditseal SET prev_hash = %s, hash = %s WHERE id = %s", [prev, digest, link.pk])
        prev = digest
    AuditChainHead.objects.filter(id=1).update(last_hash=prev)
    settings.HUIQI_AUDIT_KEY = real_key
    problems = audit_verify(seal=False).problems
    assert any("密钥" in p for p in problems), problems


def test_an_emptied_log_fails_when_checkpoints_say_records_existed(seal: Callable[[], int]) -> None:
    _events()
    seal()
    if connection.vendor == "postgresql":
        _behind_the_back("SET CONSTRAINTS ALL IMMEDIATE", [])  # flush the test transaction's deferred checks
        _behind_the_back("TRUNCATE audit_auditseal, audit_auditevent", [])
    else:
        _behind_the_back("DELETE FROM audit_auditseal", [])
        _behind_the_back("DELETE FROM audit_auditevent", [])
    AuditChainHead.objects.filter(id=1).update(last_seq=0, last_hash=services.GENESIS)
    problems = _problems()
    assert any("清空" in p for p in problems), problems


def test_a_tampered_checkpoint_file_is_reported(seal: Callable[[], int], settings: Any) -> None:
    _events(2)
    seal()
    path = settings.HUIQI_AUDIT_CHECKPOINT_DIR / "audit-checkpoints.jsonl"
    data = json.loads(path.read_text().splitlines()[-1])
    data["seq"] = 1
    path.write_text(json.dumps(data) + "\n")
    assert any("签名不符" in p for p in _problems())


def test_the_model_refuses_updates_and_deletes() -> None:
    event = _events(1)[0]
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


def test_the_verify_command_fails_on_a_tampered_log(seal: Callable[[], int]) -> None:
    events = _events(3)
    seal()
    call_command("audit_verify")
    _behind_the_back("UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["someone-else", events[0].pk])
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_a_sealer_whose_head_moved_meanwhile_loses_the_compare_and_set(monkeypatch: pytest.MonkeyPatch) -> None:
    audit_seal()
    _events(3)
    stale = AuditChainHead.objects.get(id=1)
    # Another sealer moves the head after this one has read it.
    AuditChainHead.objects.filter(id=1).update(last_seq=stale.last_seq + 7, last_hash="f" * 64)
    monkeypatch.setattr(services, "_head", lambda: stale)
    sealed_before = AuditSeal.objects.count()
    with pytest.raises(services._LostRace):
        services._seal_batch(100)
    assert AuditSeal.objects.count() == sealed_before


@pytest.fixture
def postgresql_only() -> Iterator[None]:
    if connection.vendor != "postgresql":
        pytest.skip("the triggers exist on PostgreSQL only")
    yield


def test_on_postgresql_the_database_itself_refuses_to_change_the_log(postgresql_only: None) -> None:
    event = _events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'forged' WHERE id = %s", [event.pk])


def test_on_postgresql_truncate_of_the_log_is_refused(postgresql_only: None, seal: Callable[[], int]) -> None:
    _events(2)
    seal()
    count = AuditEvent.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush the test transaction's deferred checks
    for table in ("audit_auditevent", "audit_auditseal"):
        with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEvent.objects.count() == count


def test_the_worker_schedule_seals_new_events_and_writes_a_checkpoint(
        django_capture_on_commit_callbacks: Any, settings: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from huiqi.matching.models import ScheduleSlot
    from huiqi.matching.scheduling import run_due

    event = _events(1)[0]
    now = timezone.now()
    ScheduleSlot.objects.update_or_create(name="audit.seal", defaults={"next_run_at": now - timedelta(seconds=1)})
    with django_capture_on_commit_callbacks(execute=True):
        assert "audit.seal" in run_due(now)
    assert AuditSeal.objects.filter(event=event).exists()
    assert (settings.HUIQI_AUDIT_CHECKPOINT_DIR / "audit-checkpoints.jsonl").exists()
