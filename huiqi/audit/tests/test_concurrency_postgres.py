"""Audited writes on many PostgreSQL connections at once: no writer waits for another's audit
row, and sealers racing each other still build one chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from huiqi.audit.models import AuditChainHead, AuditEvent, AuditSeal
from huiqi.audit.services import audit_record, audit_seal, audit_verify
from tests.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("并发审计测试需要 PostgreSQL（设置 DATABASE_URL）")


def test_a_writer_records_and_commits_while_another_audited_transaction_stays_open() -> None:
    holder_recorded, other_done = threading.Event(), threading.Event()

    def long_transaction() -> str:
        with transaction.atomic():
            audit_record(actor=None, action="test.long_import")
            holder_recorded.set()
            other_done.wait(10)  # keeps its transaction (and any lock it took) open meanwhile
        return "committed"

    def short_transaction() -> str:
        holder_recorded.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:  # with a global lock this would wait: fail fast instead
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            audit_record(actor=None, action="test.login")
        other_done.set()
        return "committed"

    assert race(long_transaction, short_transaction) == ["committed", "committed"]
    assert audit_verify().ok


def test_many_writers_then_racing_sealers_build_one_verified_chain() -> None:
    def writer(n: int) -> int:
        for i in range(10):
            with transaction.atomic():
                audit_record(actor=None, action="test.write", object_id=f"{n}-{i}")
        return n

    assert race(*(lambda n=n: writer(n) for n in range(6))) == list(range(6))
    outcomes = race(audit_seal, audit_seal, audit_seal, audit_seal)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(outcomes) == AuditEvent.objects.count() == AuditSeal.objects.count()
    seqs = list(AuditSeal.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))  # one chain, no fork, no gap
    assert AuditChainHead.objects.get(id=1).last_seq == len(seqs)
    report = audit_verify()
    assert report.ok, report.problems


def test_verify_reads_one_snapshot_while_another_connection_seals_new_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    from huiqi.audit import services

    for i in range(3):
        audit_record(actor=None, action="test.before", object_id=str(i))
    audit_seal()
    real_hash = services._event_hash
    meanwhile: list[threading.Thread] = []

    def write_and_seal_elsewhere() -> None:
        with transaction.atomic():
            audit_record(actor=None, action="test.meanwhile")
        audit_seal()
        connections_close()

    def hash_then_interleave(*args: object, **kwargs: object) -> str:
        if not meanwhile:  # mid-verification, after its first read: another host writes and seals
            thread = threading.Thread(target=write_and_seal_elsewhere)
            meanwhile.append(thread)
            thread.start()
            thread.join(30)
        return real_hash(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "_event_hash", hash_then_interleave)
    report = audit_verify(seal=False)
    assert meanwhile, "the interleaving write did not happen"
    assert report.ok, report.problems  # no cut tail reported for a head that moved after the snapshot
    monkeypatch.setattr(services, "_event_hash", real_hash)
    assert audit_verify().ok


def connections_close() -> None:
    from django.db import connections

    connections.close_all()
