"""Reads of the fulfilment app, always given the viewer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet

from huiqi.accounts.models import Role
from huiqi.core.regions import region_within_q

from .models import Application, ApplicationEvent, ReviewStep

C = ReviewStep.Colour


def applications_for(*, viewer: Any, status: str = "") -> QuerySet[Application]:
    """Applications the viewer may see: an enterprise its own; officers their department's items
    in their region; reviewers, finance and supervisors everything in their region."""
    qs = Application.objects.select_related("item", "enterprise")
    role = getattr(viewer, "role", None)
    if role == Role.ENTERPRISE:
        qs = qs.filter(enterprise_id=viewer.enterprise_id)
    elif role == Role.OFFICER:
        qs = qs.filter(region_within_q(viewer.region, field="item__region")).filter(
            Q(item__department__isnull=True) | Q(item__department_id=viewer.department_id))
    elif role in {Role.REVIEWER, Role.FINANCE, Role.SUPERVISOR}:
        qs = qs.filter(region_within_q(viewer.region, field="item__region"))
    else:
        return qs.none()
    if role != Role.ENTERPRISE:
        qs = qs.filter(submitted_at__isnull=False)  # drafts stay with the enterprise
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at")


def work_queue(*, viewer: Any, scope: str = "mine", colour: str = "") -> QuerySet[ReviewStep]:
    """Open review nodes. ``mine``: the nodes the viewer may decide (role, department, region);
    ``all``: every open node the viewer may see (officers, supervisors). Most urgent first."""
    qs = (ReviewStep.objects.filter(outcome=ReviewStep.Outcome.OPEN)
          .select_related("application__item", "application__enterprise"))
    role = getattr(viewer, "role", None)
    region_q = region_within_q(viewer.region, field="application__item__region")
    if scope == "mine":
        department = getattr(viewer, "department", None)
        # A viewer without a department (a supervisor) has only the nodes open to any department.
        own = Q(department="") | Q(department=department.name) if department else Q(department="")
        qs = qs.filter(region_q, role=role).filter(own)
    elif role == Role.OFFICER:
        qs = qs.filter(region_q).filter(Q(application__item__department__isnull=True)
                                        | Q(application__item__department_id=viewer.department_id))
    elif role in {Role.SUPERVISOR, Role.REVIEWER, Role.FINANCE}:
        qs = qs.filter(region_q)
    else:
        return qs.none()
    if colour:
        qs = qs.filter(colour=colour)
    return qs.order_by("due_at", "pk")


def queue_counts(steps: QuerySet[ReviewStep]) -> dict[str, int]:
    counts: dict[str, int] = {str(c): 0 for c in (C.RED, C.YELLOW, C.GREEN, C.PAUSED)}
    for colour in steps.order_by().values_list("colour", flat=True):
        counts[colour] = counts.get(colour, 0) + 1
    return counts


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime | None
    on: date | None
    label: str
    detail: str
    actor: str
    kind: str


def timeline(application: Application) -> list[TimelineEntry]:
    """一案一卡: every status change and node with its dates, oldest first."""
    events = ApplicationEvent.objects.filter(application=application).select_related("actor").order_by("at", "pk")
    return [TimelineEntry(e.at, None, e.label, e.detail, str(e.actor) if e.actor else "系统", e.kind) for e in events]


def steps_of(application: Application) -> list[ReviewStep]:
    return list(application.steps.select_related("decided_by").order_by("index"))


def planned_nodes(application: Application) -> list[dict[str, Any]]:
    """The configured nodes, with the step rows for those already started (a node not yet
    reached shows its time limit only)."""
    started = {s.index: s for s in steps_of(application)}
    out = []
    for i, node in enumerate(application.item.review_nodes or []):
        out.append({"index": i, "name": node.get("name"), "days": node.get("days"), "department": node.get("department"),
                    "step": started.get(i)})
    return out


def entitlement_of(application: Application) -> Any:
    """The ledger's entitlement granted on final approval (None before it, or without the
    disbursement app), so the enterprise follows its money on the same page."""
    if not application.entitlement_ref:
        return None
    try:
        from huiqi.disbursement.models import Entitlement
    except ImportError:
        return None
    return Entitlement.objects.filter(pk=application.entitlement_ref).first()
