"""The request state machine, on the shared kernel (huiqi.core.workflow).

    registered ──assign──▶ assigned ──sign──▶ handling ──answer──▶ answered ──rate_ok──▶ closed
        ▲                   │  ▲ transfer        │  ▲                  │
        └──────return───────┘  └──(back)         ask_info supplement     ├─rate_bad (1st 不满意, 二次交办)─▶ assigned
                                                  ▼  │                   └─escalate (2nd 不满意, 转督办)───▶ closed
                                                 waiting

Actors: ``dispatcher`` (分办员 of the request's region), ``department`` (a member of the lead
department), ``enterprise`` (a user of the requesting enterprise; also an external system relaying
its 补充说明). Every status change is ``transition_cas`` on (pk, status, round): of two people
acting at once exactly one wins, the other gets WorkflowConflict. 退回 and 转办 are limited to
``MAX_RETURNS`` and ``MAX_TRANSFERS`` per request.
"""

from __future__ import annotations

from typing import Any

from huiqi.core.workflow import Transition, TransitionTable, WorkflowConflict, WorkflowError, transition_cas

from .models import Ticket

S = Ticket.Status
MAX_RETURNS = 2
MAX_TRANSFERS = 2

__all__ = ["MAX_RETURNS", "MAX_TRANSFERS", "TABLE", "WorkflowConflict", "WorkflowError", "move"]

TABLE: TransitionTable[Transition] = TransitionTable((
    Transition("assign", "分办", S.REGISTERED, S.ASSIGNED, "dispatcher"),
    Transition("transfer", "转办", S.ASSIGNED, S.ASSIGNED, "dispatcher"),
    Transition("return", "退回分办", S.ASSIGNED, S.REGISTERED, "department"),
    Transition("sign", "签收", S.ASSIGNED, S.HANDLING, "department"),
    Transition("ask_info", "请企业补充说明", S.HANDLING, S.WAITING, "department"),
    Transition("supplement", "补充说明", S.WAITING, S.HANDLING, "enterprise"),
    Transition("answer", "答复", S.HANDLING, S.ANSWERED, "department"),
    Transition("rate_ok", "评价", S.ANSWERED, S.CLOSED, "enterprise"),
    Transition("rate_bad", "不满意，二次交办", S.ANSWERED, S.ASSIGNED, "enterprise"),
    Transition("escalate", "不满意，转督办", S.ANSWERED, S.CLOSED, "enterprise"),
))


def move(*, ticket: Ticket, name: str, changes: dict[str, Any]) -> Transition:
    """Take transition ``name`` on ``ticket`` as the caller saw it (call inside the caller's
    transaction, which writes the timeline and the audit record)."""
    step = TABLE.get(name)
    step.check_source(ticket.status, ticket.get_status_display(), noun="诉求")
    transition_cas(Ticket, obj=ticket, transition=step, extra_filter={"round": ticket.round}, changes=changes,
                   conflict_message="该诉求已被他人处理或状态已变化，请刷新后查看最新状态")
    return step
