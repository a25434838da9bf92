"""Writing and verifying the hash-chained audit log.

Every service function in every app calls `audit_record` inside its own transaction, so the
event exists exactly when the change does.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


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


def _event_hash(*, prev_hash: str, seq: int, at: datetime, actor_label: str, action: str,
                object_type: str, object_id: str, before: Any, after: Any, result: str,
                detail: str) -> str:
    payload = json.dumps(
        {
            "prev": prev_hash,
            "seq": seq,
            "at": at.isoformat(),
            "actor": actor_label,
            "action": action,
            "type": object_type,
            "id": object_id,
            "before": before,
            "after": after,
            "result": result,
            "detail": detail,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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
    """Append one event. Call it inside the transaction of the change it records."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    actor_label = actor_user.get_username() if actor_user is not None else (str(actor) if actor else "系统")
    before_json = _jsonable(before)
    after_json = _jsonable(after)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        seq = head.last_seq + 1
        at = timezone.now()
        digest = _event_hash(
            prev_hash=head.last_hash, seq=seq, at=at, actor_label=actor_label, action=action,
            object_type=object_type, object_id=object_id, before=before_json, after=after_json,
            result=str(result), detail=detail,
        )
        event = AuditEvent.objects.create(
            seq=seq, at=at, actor=actor_user, actor_label=actor_label, action=action,
            object_type=object_type, object_id=object_id, object_repr=object_repr[:300],
            before=before_json, after=after_json, result=result, detail=detail[:500],
            prev_hash=head.last_hash, hash=digest,
        )
        AuditChainHead.objects.filter(id=1).update(last_seq=seq, last_hash=digest)
    return event


@dataclass
class VerifyReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_verify() -> VerifyReport:
    """Recompute the chain; report changed rows, gaps (deleted rows) and a cut-off tail."""
    report = VerifyReport()
    expected_prev = GENESIS
    expected_seq = 1
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        report.checked += 1
        if event.seq != expected_seq:
            report.problems.append(f"序号 {expected_seq}–{event.seq - 1} 的记录缺失（被删除）")
            expected_seq = event.seq
        if event.prev_hash != expected_prev:
            report.problems.append(f"记录 #{event.seq} 的前序哈希与上一条不符")
        recomputed = _event_hash(
            prev_hash=event.prev_hash, seq=event.seq, at=event.at, actor_label=event.actor_label,
            action=event.action, object_type=event.object_type, object_id=event.object_id,
            before=event.before, after=event.after, result=event.result, detail=event.detail,
        )
        if recomputed != event.hash:
            report.problems.append(f"记录 #{event.seq}（{event.action}）的内容被改动")
        expected_prev = event.hash
        expected_seq = event.seq + 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.last_seq != expected_seq - 1:
        report.problems.append(f"链尾缺失：链头记到 #{head.last_seq}，实际只到 #{expected_seq - 1}")
    if head is not None and report.checked and head.last_hash != expected_prev:
        report.problems.append("链头哈希与最后一条记录不符")
    return report
