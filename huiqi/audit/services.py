"""Writing, sealing and verifying the audit log.

Write path: `audit_record` INSERTs one event inside the caller's transaction — no chain-head lock,
so audited writes on many connections never wait for each other; the event exists exactly when
the change does.

Sealing: `audit_seal` (run by the worker's scheduler every minute, by `huiqi audit seal` and
before every verification) takes committed, unsealed events in id order and appends one
`AuditSeal` link per event: `hash = HMAC(HUIQI_AUDIT_KEY, prev_hash + every stored field)`. The
chain head moves by compare-and-set, so of two sealers racing one wins and the other retries on
the new head: the chain never forks. After each seal the new head is appended to a signed
checkpoint file outside the database (`checkpoints.py`).

Verification (`audit_verify`) reads one snapshot (REPEATABLE READ on PostgreSQL), recomputes each
link, and compares the head and every checkpoint with the chain: a changed field, a deleted row,
a cut tail with the head moved back, a re-hash without the key and an emptied log all fail.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from huiqi.core.request_context import current_request

from . import checkpoints
from .models import AuditChainHead, AuditEvent, AuditSeal

log = logging.getLogger(__name__)

GENESIS = "0" * 64
SEAL_BATCH = 2000


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def audit_key() -> bytes:
    key = str(getattr(settings, "HUIQI_AUDIT_KEY", "") or "")
    if not key:
        raise RuntimeError("缺少审计日志密钥 HUIQI_AUDIT_KEY")
    return key.encode("utf-8")


def _event_hash(event: AuditEvent, *, seq: int, prev_hash: str) -> str:
    """HMAC of every stored field of the event (as read back from the database) and its place in
    the chain. Without HUIQI_AUDIT_KEY nobody can compute a hash the verifier accepts."""
    at = event.at.astimezone(UTC).isoformat()
    payload = json.dumps(
        {
            "prev": prev_hash,
            "seq": seq,
            "event": event.pk,
            "at": at,
            "actor_id": event.actor_id,
            "actor": event.actor_label,
            "action": event.action,
            "type": event.object_type,
            "id": event.object_id,
            "repr": event.object_repr,
            "before": event.before,
            "after": event.after,
            "result": event.result,
            "detail": event.detail,
            "ip": event.client_ip,
            "request": event.request_id,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hmac.new(audit_key(), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    result: str = AuditEvent.Result.OK,
    detail: str = "",
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it records.

    Takes no lock: the sealer chains the event after it commits. The client address and request
    id come from the request being served (huiqi.core.request_context)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    actor_label = actor_user.get_username() if actor_user is not None else (str(actor) if actor else "系统")
    context = current_request()
    return AuditEvent.objects.create(
        at=timezone.now(), actor=actor_user, actor_label=actor_label[:150], action=action[:80],
        object_type=object_type[:80], object_id=object_id[:80], object_repr=object_repr[:300],
        before=_jsonable(before), after=_jsonable(after), result=result, detail=detail,
        client_ip=context.client_ip[:45], request_id=context.request_id[:32],
    )


class _LostRace(Exception):
    """Another sealer moved the head first."""


def _head() -> AuditChainHead:
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            return AuditChainHead.objects.create(id=1)
    except IntegrityError:  # another sealer created it at the same moment
        return AuditChainHead.objects.get(id=1)


def _seal_batch(limit: int) -> tuple[int, int, str]:
    """Chain up to `limit` committed unsealed events; (count, new last seq, new last hash)."""
    with transaction.atomic():
        head = _head()
        pending = list(AuditEvent.objects.filter(seal__isnull=True).order_by("id")[:limit])
        if not pending:
            return 0, head.last_seq, head.last_hash
        seq, prev = head.last_seq, head.last_hash
        now = timezone.now()
        links = []
        for event in pending:
            seq += 1
            digest = _event_hash(event, seq=seq, prev_hash=prev)
            links.append(AuditSeal(event=event, seq=seq, prev_hash=prev, hash=digest, sealed_at=now))
            prev = digest
        moved = AuditChainHead.objects.filter(id=1, last_seq=head.last_seq, last_hash=head.last_hash).update(
            last_seq=seq, last_hash=prev)
        if not moved:
            raise _LostRace
        AuditSeal.objects.bulk_create(links)
    return len(links), seq, prev


def audit_seal(*, limit: int | None = None) -> int:
    """Chain every committed unsealed event (or at most `limit`); returns how many were sealed.

    Safe to run from several workers at once: the head moves by compare-and-set and a loser
    retries on the winner's head. Once the seal commits, the new head is appended to the signed
    checkpoint file."""
    sealed = 0
    last: tuple[int, str] | None = None
    attempts = 0
    while limit is None or sealed < limit:
        batch = SEAL_BATCH if limit is None else min(SEAL_BATCH, limit - sealed)
        try:
            count, seq, digest = _seal_batch(batch)
        except (_LostRace, IntegrityError):
            attempts += 1
            if attempts > 50:
                raise
            continue
        if not count:
            break
        sealed += count
        last = (seq, digest)
    if last is not None:
        seq, digest = last
        transaction.on_commit(lambda: checkpoints.checkpoint_append(seq=seq, hash=digest))
    return sealed


@dataclass
class VerifyReport:
    checked: int = 0
    unsealed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _verify_snapshot(report: VerifyReport) -> None:
    anchors = checkpoints.checkpoints_read()
    for problem in anchors.problems:
        report.problems.append(problem)
    wanted = {anchor.seq: anchor.hash for anchor in anchors.valid}
    highest = max(wanted, default=0)
    expected_prev = GENESIS
    expected_seq = 1
    links = AuditSeal.objects.select_related("event").order_by("seq")
    for link in links.iterator(chunk_size=SEAL_BATCH):
        report.checked += 1
        if link.seq != expected_seq:
            report.problems.append(f"链序号 {expected_seq}–{link.seq - 1} 的记录缺失（被删除）")
            expected_seq = link.seq
        if link.prev_hash != expected_prev:
            report.problems.append(f"记录 #{link.seq} 的前序哈希与上一条不符")
        if _event_hash(link.event, seq=link.seq, prev_hash=link.prev_hash) != link.hash:
            report.problems.append(f"记录 #{link.seq}（{link.event.action}）的内容被改动，或哈希不是用本系统密钥计算的")
        if link.seq in wanted and wanted[link.seq] != link.hash:
            report.problems.append(f"记录 #{link.seq} 与外部检查点记下的哈希不符（日志被改写）")
        expected_prev = link.hash
        expected_seq = link.seq + 1
    last_seq = expected_seq - 1
    report.unsealed = AuditEvent.objects.filter(seal__isnull=True).count()
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.last_seq != last_seq:
        report.problems.append(f"链尾缺失：链头记到 #{head.last_seq}，实际只到 #{last_seq}")
    elif head is not None and report.checked and head.last_hash != expected_prev:
        report.problems.append("链头哈希与最后一条记录不符")
    if highest > last_seq:
        if report.checked == 0:
            report.problems.append(f"审计日志为空，但外部检查点显示曾有 {highest} 条记录：日志被清空")
        else:
            report.problems.append(f"链尾缺失：外部检查点记到 #{highest}，数据库里只到 #{last_seq}（链尾被删除、链头被回退）")


def audit_verify(*, seal: bool = True) -> VerifyReport:
    """Seal what is committed, then recompute the whole chain under one snapshot and compare it
    with the head and the signed checkpoints."""
    if seal:
        audit_seal()
    report = VerifyReport()
    if connection.in_atomic_block:  # the caller's transaction is the snapshot
        _verify_snapshot(report)
        return report
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        _verify_snapshot(report)
    return report
