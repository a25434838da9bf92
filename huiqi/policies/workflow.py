"""The policy item state machine: draft → reviewed → published → expired.

A typed table of allowed transitions with the roles that may take them. Status changes happen
only through `transition`, as a compare-and-set UPDATE: of two people acting on the same item
at once, exactly one wins and the other gets a WorkflowConflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from huiqi.accounts.models import Role
from huiqi.audit.services import audit_record

from .models import PolicyItem
from .services import library_version_bump

S = PolicyItem.Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    source: str
    target: str
    roles: frozenset[str]


TRANSITIONS: tuple[Transition, ...] = (
    Transition("review", "审核通过", S.DRAFT, S.REVIEWED, frozenset({Role.REVIEWER})),
    Transition("return", "退回修改", S.REVIEWED, S.DRAFT, frozenset({Role.REVIEWER})),
    Transition("publish", "发布", S.REVIEWED, S.PUBLISHED, frozenset({Role.REVIEWER})),
    Transition("withdraw", "撤回修订", S.PUBLISHED, S.DRAFT, frozenset({Role.OFFICER})),
    Transition("expire", "标记失效", S.PUBLISHED, S.EXPIRED, frozenset({Role.OFFICER, Role.REVIEWER})),
)
BY_NAME = {t.name: t for t in TRANSITIONS}


class WorkflowError(Exception):
    pass


class WorkflowConflict(WorkflowError):
    """Somebody else changed the item's status first."""


def allowed_transitions(*, user: Any, item: PolicyItem) -> list[Transition]:
    role = getattr(user, "role", None)
    return [t for t in TRANSITIONS if t.source == item.status and role in t.roles]


def transition(*, actor: Any, item: PolicyItem, name: str, note: str = "", today: date | None = None) -> PolicyItem:
    """Move the item along ``name``. ``today`` is the day a publication is judged on (default:
    today); the demo passes the historical day when it replays a policy published in the past."""
    step = BY_NAME.get(name)
    if step is None:
        raise WorkflowError(f"未知操作：{name}")
    if getattr(actor, "role", None) not in step.roles:
        raise WorkflowError(f"当前角色不能执行“{step.label}”")
    if item.status != step.source:
        raise WorkflowError(f"事项当前为“{item.get_status_display()}”，不能{step.label}")
    today = today or timezone.localdate()
    if step.target == S.PUBLISHED and item.valid_to is not None and item.valid_to < today:
        raise WorkflowError(f"该事项的政策有效期已于{item.valid_to:%Y年%-m月%-d日}届满，不能发布；"
                            "如政策已延续，请先按延续文件修改有效期")
    changes: dict[str, Any] = {"status": step.target, "updated_at": timezone.now()}
    if step.target == S.PUBLISHED:
        changes["published_at"] = timezone.now()
    with transaction.atomic():
        updated = PolicyItem.objects.filter(pk=item.pk, status=step.source).update(**changes)
        if updated != 1:
            raise WorkflowConflict("该事项已被他人处理，请刷新后查看最新状态")
        library_version_bump()  # an UPDATE sends no post_save: the public index must still see it
        audit_record(actor=actor, action=f"policy_item.{step.name}", obj=item,
                     before={"status": step.source}, after={"status": step.target}, detail=note)
        transaction.on_commit(lambda: _after_transition(item.pk, step))
    item.refresh_from_db()
    return item


def _after_transition(item_pk: int, step: Transition) -> None:
    """Hook point for consumers (matching recomputes when an item is published or withdrawn)."""
    from . import signals

    signals.item_status_changed.send(sender=PolicyItem, item_pk=item_pk, transition=step.name)
