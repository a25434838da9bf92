"""The application state machine.

    draft ──submit──▶ submitted(node 0) ──approve──▶ submitted(node 1) … ──approve_final──▶ approved
      │                  │    ▲                         │
    discard           return  resubmit                reject ──▶ rejected
      ▼                  ▼    │
    withdrawn ◀─withdraw─ returned

A typed table of allowed transitions and who may take them: ``enterprise`` is a user of the
applying enterprise, ``node`` is whoever the current review node names (its role, department and
region; see access.access_step_decide). Status and node changes happen only in ``transition``, as
one compare-and-set UPDATE on (pk, status, node_index) through the shared kernel
(huiqi.core.workflow.transition_cas): of two reviewers approving the same node at once, exactly
one UPDATE matches and the other gets WorkflowConflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from huiqi.core import workflow as kernel
from huiqi.core.workflow import WorkflowConflict, WorkflowError

from .access import access_application_edit, access_step_decide
from .models import Application, ReviewStep

S = Application.Status
ActorKind = Literal["enterprise", "node"]


__all__ = ["BY_NAME", "TABLE", "TRANSITIONS", "Transition", "WorkflowConflict", "WorkflowError", "available",
           "may_take", "transition"]


@dataclass(frozen=True)
class Transition(kernel.Transition):
    actor: ActorKind
    next_node: bool = False  # node_index moves on by one
    before_review: bool = False  # only while no reviewer has acted yet


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", "提交申报", S.DRAFT, S.SUBMITTED, "enterprise"),
    Transition("discard", "放弃草稿", S.DRAFT, S.WITHDRAWN, "enterprise"),
    Transition("withdraw", "撤回申报", S.SUBMITTED, S.WITHDRAWN, "enterprise", before_review=True),
    Transition("approve", "审核通过，转下一环节", S.SUBMITTED, S.SUBMITTED, "node", next_node=True),
    Transition("approve_final", "审核通过", S.SUBMITTED, S.APPROVED, "node"),
    Transition("return", "退回补正", S.SUBMITTED, S.RETURNED, "node"),
    Transition("resubmit", "补正后重新提交", S.RETURNED, S.SUBMITTED, "enterprise"),
    Transition("reject", "不予通过", S.SUBMITTED, S.REJECTED, "node"),
)
TABLE = kernel.TransitionTable(TRANSITIONS)
BY_NAME: dict[str, Transition] = TABLE.by_name


def may_take(*, user: Any, application: Application, step: Transition, node: ReviewStep | None) -> bool:
    if step.actor == "enterprise":
        return access_application_edit(user, application)
    return node is not None and node.outcome == ReviewStep.Outcome.OPEN and access_step_decide(user, node)


def transition(*, actor: Any, application: Application, name: str, node: ReviewStep | None, now: datetime,
               changes: dict[str, Any] | None = None) -> Transition:
    """Move ``application`` along transition ``name`` (call inside the caller's transaction, which
    also writes the steps, timeline and audit event). ``application`` carries the status and
    node the caller saw; a newer state in the database makes this raise WorkflowConflict."""
    step = TABLE.get(name)
    step.check_source(application.status, application.get_status_display(), noun="申报")
    if not may_take(user=actor, application=application, step=step, node=node):
        raise WorkflowError(f"您不能对该申报执行“{step.label}”")
    if step.before_review and application.first_reviewed_at is not None:
        raise WorkflowError("审核人员已开始办理，不能撤回；如需修改请联系审核部门退回补正")
    fields: dict[str, Any] = dict(changes or {})
    fields["updated_at"] = now
    if step.next_node:
        fields["node_index"] = application.node_index + 1
    extra: dict[str, Any] = {"node_index": application.node_index}
    if step.before_review:
        extra["first_reviewed_at__isnull"] = True
    kernel.transition_cas(Application, obj=application, transition=step, extra_filter=extra, changes=fields,
                          conflict_message="该申报已被他人处理或状态已变化，请刷新后查看最新状态")
    return step


def available(*, user: Any, application: Application, node: ReviewStep | None) -> list[Transition]:
    """Transitions the user may take now (for buttons); approve vs approve_final by node position."""
    last = application.node_index >= len(application.item.review_nodes or []) - 1

    def allowed(t: Transition) -> bool:
        if (t.name == "approve" and last) or (t.name == "approve_final" and not last):
            return False
        if t.before_review and application.first_reviewed_at is not None:
            return False
        return may_take(user=user, application=application, step=t, node=node)

    return TABLE.available(application.status, allowed)
