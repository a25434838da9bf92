"""The shared workflow kernel: a typed transition table and the compare-and-set UPDATE.

Usage (review nodes, 诉求 tickets, 督办 orders and commitments all do it this way)::

    from huiqi.core.workflow import Transition, TransitionTable, WorkflowConflict, WorkflowError, transition_cas

    TABLE = TransitionTable((
        Transition("sign", "签收", S.ASSIGNED, S.SIGNED, "department"),
        Transition("answer", "答复", S.HANDLING, S.ANSWERED, "department"),
    ))

    step = TABLE.get(name)                       # WorkflowError("未知操作：…") for an unknown name
    step.check_source(obj.status, obj.get_status_display(), noun="诉求")   # WorkflowError in Chinese
    with transaction.atomic():
        transition_cas(Ticket.objects, obj=ticket, transition=step,
                       extra_filter={"round": ticket.round}, changes={"updated_at": now})
        ... events, audit_record(...), notify(...) in the same transaction ...

``transition_cas`` runs ONE ``UPDATE … WHERE pk = … AND status = <source> AND <extra_filter>``.
When no row matches (somebody else moved the object first, or its state is no longer what the
caller saw) it raises ``WorkflowConflict`` and changes nothing; when one matches, the new values
are also set on the caller's object. Of two people acting at once, exactly one wins.

An app whose transitions need more facts (e.g. "moves to the next review node") subclasses
``Transition`` as a frozen dataclass with extra fields that have defaults. Who may take a
transition stays in the app (its access.py); ``TransitionTable.available`` filters the
transitions from a status with the app's own ``may_take`` predicate (for buttons).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models


class WorkflowError(Exception):
    """A refused action; the message is shown to the person as is (Simplified Chinese)."""


class WorkflowConflict(WorkflowError):
    """Somebody else moved the object first (the compare-and-set matched no row)."""


class FormErrors(WorkflowError):
    """Field-by-field refusals: ``errors`` maps a form field (or "__all__") to a Chinese message;
    nothing is stored."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(errors.values()))
        self.errors = errors


CONFLICT_MESSAGE = "该事项已被他人处理或状态已变化，请刷新后查看最新状态"


@dataclass(frozen=True)
class Transition:
    """One allowed move: ``name`` (code), ``label`` (the Chinese verb shown on buttons and in
    messages), ``source`` and ``target`` statuses, and ``actor``, the kind of person who takes it
    (an app-defined word such as "enterprise", "node", "dispatcher", "department")."""

    name: str
    label: str
    source: str
    target: str
    actor: str

    def check_source(self, status: str, status_label: str, *, noun: str = "事项") -> None:
        """Refuse (in Chinese) when the object is not in this transition's source status."""
        if status != self.source:
            raise WorkflowError(f"{noun}当前为“{status_label}”，不能{self.label}")


T = TypeVar("T", bound=Transition)


class TransitionTable(Generic[T]):
    """The typed table of an app's transitions, looked up by name or by source status."""

    def __init__(self, transitions: Iterable[T]) -> None:
        self.transitions: tuple[T, ...] = tuple(transitions)
        self.by_name: dict[str, T] = {}
        for t in self.transitions:
            if t.name in self.by_name:
                raise ValueError(f"duplicate transition name {t.name!r}")
            self.by_name[t.name] = t

    def get(self, name: str) -> T:
        step = self.by_name.get(name)
        if step is None:
            raise WorkflowError(f"未知操作：{name}")
        return step

    def from_status(self, status: str) -> list[T]:
        return [t for t in self.transitions if t.source == status]

    def available(self, status: str, may_take: Callable[[T], bool]) -> list[T]:
        """Transitions from ``status`` that ``may_take`` allows (the buttons a person sees)."""
        return [t for t in self.from_status(status) if may_take(t)]


def transition_cas(model_or_qs: type[models.Model] | models.QuerySet[Any] | models.Manager[Any], *, obj: models.Model,
                   transition: Transition, status_field: str = "status",
                   extra_filter: Mapping[str, Any] | None = None, changes: Mapping[str, Any] | None = None,
                   conflict_message: str = CONFLICT_MESSAGE) -> dict[str, Any]:
    """Compare-and-set: move ``obj`` from ``transition.source`` to ``transition.target`` (plus
    ``changes``) only if its row still has the source status and matches ``extra_filter``.

    Call inside the caller's transaction (which also writes events and the audit record). Returns
    the fields written (also set on ``obj``); raises ``WorkflowConflict`` when no row matched."""
    if isinstance(model_or_qs, type):
        qs: models.QuerySet[Any] = model_or_qs._default_manager.all()
    elif isinstance(model_or_qs, models.Manager):
        qs = model_or_qs.all()
    else:
        qs = model_or_qs
    fields: dict[str, Any] = dict(changes or {})
    fields[status_field] = transition.target
    matched = qs.filter(pk=obj.pk, **{status_field: transition.source}, **dict(extra_filter or {})).update(**fields)
    if matched != 1:
        raise WorkflowConflict(conflict_message)
    for key, value in fields.items():
        setattr(obj, key, value)
    return fields
