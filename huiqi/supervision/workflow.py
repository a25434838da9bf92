"""The 督办 order state machine, on the shared kernel (huiqi.core.workflow).

    issued ──acknowledge──▶ acknowledged ──reply──▶ replied ──accept──▶ accepted ──close──▶ closed
                                              ▲          │
                                              └─reply── returned ◀──return──┘

``target`` is the region or department the order is addressed to (access.access_order_answer);
``supervisor`` is a supervisor whose region covers the target (access.access_order_raise).
Every status change is one compare-and-set UPDATE (kernel.transition_cas)."""

from __future__ import annotations

from typing import Any

from huiqi.core import workflow as kernel
from huiqi.core.workflow import Transition, WorkflowConflict, WorkflowError

from .access import access_order_answer, access_order_raise
from .models import SupervisionOrder

S = SupervisionOrder.Status

__all__ = ["TABLE", "WorkflowConflict", "WorkflowError", "available", "may_take", "transition"]

TABLE: kernel.TransitionTable[Transition] = kernel.TransitionTable((
    Transition("acknowledge", "签收", S.ISSUED, S.ACKNOWLEDGED, "target"),
    Transition("reply", "报送整改情况", S.ACKNOWLEDGED, S.REPLIED, "target"),
    Transition("reply_again", "重新报送整改情况", S.RETURNED, S.REPLIED, "target"),
    Transition("accept", "整改通过并公开", S.REPLIED, S.ACCEPTED, "supervisor"),
    Transition("return", "退回重新整改", S.REPLIED, S.RETURNED, "supervisor"),
    Transition("close", "办结", S.ACCEPTED, S.CLOSED, "supervisor"),
))


def may_take(*, user: Any, order: SupervisionOrder, step: Transition) -> bool:
    if step.actor == "target":
        return access_order_answer(user, order)
    return access_order_raise(user, order.target_region)


def transition(*, actor: Any, order: SupervisionOrder, name: str, changes: dict[str, Any]) -> Transition:
    """Move ``order`` along ``name`` (inside the caller's transaction, which writes the audit)."""
    step = TABLE.get(name)
    step.check_source(order.status, order.get_status_display(), noun="督办单")
    if not may_take(user=actor, order=order, step=step):
        raise WorkflowError(f"您不能对该督办单执行“{step.label}”")
    kernel.transition_cas(SupervisionOrder, obj=order, transition=step, changes=changes,
                          conflict_message="该督办单已被他人处理或状态已变化，请刷新后查看最新状态")
    return step


def available(*, user: Any, order: SupervisionOrder) -> list[Transition]:
    return TABLE.available(order.status, lambda t: may_take(user=user, order=order, step=t))
