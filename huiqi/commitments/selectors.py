"""Reads of 承诺必践, always given the viewer; plus the hold and region counts other apps call."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from cnstd.regions import region_name
from huiqi.accounts.models import Role
from huiqi.core.regions import region_within_q

from .models import Commitment, Contract, IncentiveHold

STATUS_PARAM = {"overdue": Commitment.Status.OVERDUE, "due_soon": Commitment.Status.DUE_SOON,
                "pending": Commitment.Status.PENDING, "fulfilled": Commitment.Status.FULFILLED,
                "partial": Commitment.Status.PARTIAL, "failed": Commitment.Status.FAILED}


def contracts_visible(*, viewer: Any) -> QuerySet[Contract]:
    qs = Contract.objects.select_related("enterprise", "department")
    if viewer.role == Role.ENTERPRISE:
        return qs.filter(enterprise_id=viewer.enterprise_id, status=Contract.Status.ACTIVE)
    if viewer.role == Role.OFFICER:
        return qs.filter(region_within_q(viewer.region), department_id=viewer.department_id)
    if viewer.role in {Role.SUPERVISOR, Role.REVIEWER, Role.FINANCE}:
        return qs.filter(region_within_q(viewer.region))
    return qs.none()


def commitments_visible(*, viewer: Any) -> QuerySet[Commitment]:
    """An enterprise user sees its own enterprise's (both sides'); an officer those of its
    department (responsible, or the contract's signing department) in its region; supervisors,
    reviewers and finance those in their region. Drafts are the drafting officers' only."""
    qs = Commitment.objects.select_related("contract", "enterprise", "department", "responsible")
    if viewer.role == Role.ENTERPRISE:
        return qs.filter(enterprise_id=viewer.enterprise_id).exclude(status=Commitment.Status.DRAFT)
    if viewer.role == Role.OFFICER:
        mine = Q(department_id=viewer.department_id) | Q(contract__department_id=viewer.department_id)
        return qs.filter(mine, region_within_q(viewer.region))
    if viewer.role in {Role.SUPERVISOR, Role.REVIEWER, Role.FINANCE}:
        return qs.filter(region_within_q(viewer.region)).exclude(status=Commitment.Status.DRAFT)
    return qs.none()


def active_hold(enterprise_id: int) -> IncentiveHold | None:
    """The enterprise's current hold on incentives (called by fulfilment and disbursement)."""
    return IncentiveHold.objects.filter(enterprise_id=enterprise_id, lifted_at__isnull=True).first()


def due_calendar(qs: QuerySet[Commitment], *, today: date, days: int = 60) -> list[tuple[date, list[Commitment]]]:
    """Coming due dates (open commitments due from today within ``days`` days), grouped by day."""
    rows = qs.filter(status__in=Commitment.RUNNING, due_at__gte=today, due_at__lte=today + timedelta(days=days))
    by_day: dict[date, list[Commitment]] = defaultdict(list)
    for c in rows.order_by("due_at", "pk"):
        assert c.due_at is not None
        by_day[c.due_at].append(c)
    return sorted(by_day.items())


def _rate(fulfilled: int, closed_or_due: int) -> Decimal | None:
    if not closed_or_due:
        return None
    return (Decimal(fulfilled) / Decimal(closed_or_due) * 100).quantize(Decimal("0.1"))


def region_summary(*, region: str = "", side: str = "") -> list[dict[str, Any]]:
    """Per county (six-digit region code) within ``region``: commitments counted, fulfilled,
    兑现率 (已兑现 ÷ those already due or closed, in %), overdue (逾期 + 无法兑现 + 部分兑现) and the
    government's overdue. For the supervision index and the supervisors' page."""
    S = Commitment.Status
    qs = Commitment.objects.exclude(status=S.DRAFT).filter(region_within_q(region))
    if side:
        qs = qs.filter(side=side)
    rows = qs.values("region").annotate(
        total=Count("pk"), fulfilled=Count("pk", filter=Q(status=S.FULFILLED)),
        due=Count("pk", filter=Q(status__in=[S.FULFILLED, S.PARTIAL, S.FAILED, S.OVERDUE])),
        overdue=Count("pk", filter=Q(status__in=[S.OVERDUE, S.PARTIAL, S.FAILED])),
        gov_overdue=Count("pk", filter=Q(status=S.OVERDUE, side=Commitment.Side.GOVERNMENT)),
    ).order_by("region")
    return [{"region": r["region"], "region_name": region_name(r["region"]) or r["region"], "total": r["total"],
             "fulfilled": r["fulfilled"], "rate": _rate(r["fulfilled"], r["due"]), "overdue": r["overdue"],
             "government_overdue": r["gov_overdue"]} for r in rows]


def overdue_government(*, region: str = "") -> QuerySet[Commitment]:
    """Overdue government commitments within ``region`` (each may raise a 督办)."""
    return (Commitment.objects.filter(region_within_q(region), side=Commitment.Side.GOVERNMENT,
                                      status=Commitment.Status.OVERDUE).select_related("department", "responsible"))
