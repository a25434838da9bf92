"""State machines of the 免申即享 run and of an entitlement.

Typed tables of allowed transitions with the roles that may take them (`SYSTEM` = the scheduled
sweep, acting without a user). Status changes only through `run_transition` /
`entitlement_transition`, each a compare-and-set UPDATE: of two people acting at once exactly one
wins, the other gets a WorkflowConflict. Callers wrap them in their own transaction together with
the audit event and the side effects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from huiqi.accounts.models import Role

from .models import AutoRun, Entitlement

SYSTEM = "system"
R = AutoRun.Status
E = Entitlement.Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]


RUN_TRANSITIONS: tuple[Transition, ...] = (
    Transition("confirm", "确认名单并公示", frozenset({R.LISTED}), R.PUBLICIZING, frozenset({Role.OFFICER})),
    Transition("grant", "公示期满转入拨付", frozenset({R.PUBLICIZING}), R.GRANTED, frozenset({Role.OFFICER, SYSTEM})),
    Transition("cancel", "撤销批次", frozenset({R.LISTED, R.PUBLICIZING}), R.CANCELLED, frozenset({Role.OFFICER})),
)
RUN_BY_NAME = {t.name: t for t in RUN_TRANSITIONS}

ENTITLEMENT_TRANSITIONS: tuple[Transition, ...] = (
    Transition("batch", "编入拨付批次", frozenset({E.GRANTED}), E.BATCHED, frozenset({Role.FINANCE})),
    Transition("pay", "拨付到账", frozenset({E.BATCHED}), E.PAID, frozenset({Role.FINANCE, SYSTEM})),
    Transition("fail", "拨付失败待重发", frozenset({E.BATCHED}), E.GRANTED, frozenset({Role.FINANCE})),
    Transition("return", "退回不予拨付", frozenset({E.GRANTED, E.BATCHED}), E.RETURNED, frozenset({Role.FINANCE})),
    Transition("decline", "企业放弃", frozenset({E.GRANTED}), E.DECLINED, frozenset({Role.ENTERPRISE})),
    Transition("reverse", "冲正追回", frozenset({E.PAID}), E.REVERSED, frozenset({Role.FINANCE})),
)
ENTITLEMENT_BY_NAME = {t.name: t for t in ENTITLEMENT_TRANSITIONS}


class WorkflowError(Exception):
    pass


class WorkflowConflict(WorkflowError):
    """Somebody else changed the status first."""


def _role(actor: Any) -> str:
    return SYSTEM if actor is None else str(getattr(actor, "role", ""))


def run_allowed(*, user: Any, run: AutoRun) -> list[Transition]:
    role = _role(user)
    return [t for t in RUN_TRANSITIONS if run.status in t.sources and role in t.roles]


def run_transition(*, actor: Any, run: AutoRun, name: str, **changes: Any) -> Transition:
    step = RUN_BY_NAME.get(name)
    if step is None:
        raise WorkflowError(f"未知操作：{name}")
    if _role(actor) not in step.roles:
        raise WorkflowError(f"当前角色不能执行“{step.label}”")
    if run.status not in step.sources:
        raise WorkflowError(f"批次当前为“{run.get_status_display()}”，不能{step.label}")
    updated = AutoRun.objects.filter(pk=run.pk, status=run.status).update(status=step.target, **changes)
    if updated != 1:
        raise WorkflowConflict("该批次已被他人处理，请刷新后查看最新状态")
    run.status = step.target
    for key, value in changes.items():
        setattr(run, key, value)
    return step


def entitlement_transition(*, actor: Any, entitlement: Entitlement, name: str, note: str = "") -> Transition:
    step = ENTITLEMENT_BY_NAME[name]
    if _role(actor) not in step.roles:
        raise WorkflowError(f"当前角色不能执行“{step.label}”")
    if entitlement.status not in step.sources:
        raise WorkflowError(f"兑现资格当前为“{entitlement.get_status_display()}”，不能{step.label}")
    changes: dict[str, Any] = {"status": step.target, "updated_at": timezone.now()}
    if note:
        changes["status_note"] = note[:300]
    updated = Entitlement.objects.filter(pk=entitlement.pk, status=entitlement.status).update(**changes)
    if updated != 1:
        raise WorkflowConflict("该兑现资格已被他人处理，请刷新后查看最新状态")
    for key, value in changes.items():
        setattr(entitlement, key, value)
    return step
