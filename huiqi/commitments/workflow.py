"""The commitment state machine, on the shared kernel (huiqi.core.workflow)::

    待确认 ─confirm─▶ 未到期 ─near─▶ 临期 ─overdue─▶ 逾期
                        │ ▲           │ │             │ │
                        │ └───roll────┴─┼─────────────┴─┘   (a yearly one met for its year: next year, 未到期)
                        └───────────────┴───────────────┴──▶ 已兑现 / 部分兑现 / 无法兑现

``near`` and ``overdue`` are taken by the daily sweep (actor "system") as the light turns yellow
or red; ``fulfil``/``partial`` by the party confirming evidence or by the data check; ``fail``
(with a reason) by an officer or by the data check. Every move is one compare-and-set UPDATE.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from huiqi.core.workflow import Transition, TransitionTable, WorkflowConflict, WorkflowError, transition_cas

from .models import Commitment

S = Commitment.Status

__all__ = ["TABLE", "WorkflowConflict", "WorkflowError", "move"]

_CLOSING = (("fulfil", "确认已兑现", S.FULFILLED), ("partial", "确认部分兑现", S.PARTIAL),
            ("fail", "认定无法兑现", S.FAILED))

TABLE: TransitionTable[Transition] = TransitionTable((
    Transition("confirm", "确认承诺", S.DRAFT, S.PENDING, "officer"),
    Transition("near", "转为临期", S.PENDING, S.DUE_SOON, "system"),
    Transition("overdue", "转为逾期", S.PENDING, S.OVERDUE, "system"),
    Transition("overdue_soon", "转为逾期", S.DUE_SOON, S.OVERDUE, "system"),
    *(Transition(f"{name}:{source}", label, source, target, "party")
      for name, label, target in _CLOSING for source in (S.PENDING, S.DUE_SOON, S.OVERDUE)),
    *(Transition(f"roll:{source}", "本期达标，进入下一考核期", source, S.PENDING, "system")
      for source in (S.PENDING, S.DUE_SOON, S.OVERDUE)),
))


def step_for(action: str, status: str) -> Transition:
    """The transition for ``action`` (confirm, near, overdue, fulfil, partial, fail, roll) from ``status``."""
    if action == "overdue" and status == S.DUE_SOON:
        return TABLE.get("overdue_soon")
    name = f"{action}:{status}" if action in {"fulfil", "partial", "fail", "roll"} else action
    if name not in TABLE.by_name:
        labels = {"fulfil": "确认已兑现", "partial": "确认部分兑现", "fail": "认定无法兑现", "confirm": "确认承诺",
                  "near": "转为临期", "overdue": "转为逾期", "roll": "进入下一考核期"}
        if action not in labels:
            raise WorkflowError(f"未知操作：{action}")
        raise WorkflowError(f"承诺当前为“{S(status).label}”，不能{labels[action]}")
    return TABLE.get(name)


def move(*, commitment: Commitment, action: str, now: datetime, changes: dict[str, Any] | None = None) -> Transition:
    """Move ``commitment`` (as the caller saw it) by ``action``; call inside the caller's
    transaction. WorkflowConflict when somebody moved it first."""
    step = step_for(action, commitment.status)
    fields = dict(changes or {})
    if step.target in (S.FULFILLED, S.PARTIAL, S.FAILED):
        fields.setdefault("closed_at", now)
        fields.setdefault("colour", Commitment.Colour.DONE)
    transition_cas(Commitment.objects, obj=commitment, transition=step, changes=fields)
    return step
