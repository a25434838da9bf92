"""Reads for disbursement pages and the API, always given the viewer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from huiqi.accounts.models import Role
from huiqi.policies.models import Mode, PolicyItem

from . import access
from .models import (
    AutoRun,
    BankAccount,
    CashPromise,
    Entitlement,
    LedgerEntry,
    PaymentBatch,
    RunLine,
    Suspect,
)
from .services import BudgetStatus, budget_of


def mask_uscc(uscc: str) -> str:
    """公示 shows 91350503****2X: the first six (registration authority and region) and last two."""
    return f"{uscc[:6]}****{uscc[-2:]}" if len(uscc) >= 8 else "****"


def _visible_items(viewer: Any, check: Any) -> list[PolicyItem]:
    items = PolicyItem.objects.filter(status__in=[PolicyItem.Status.PUBLISHED, PolicyItem.Status.EXPIRED]).order_by("code")
    return [item for item in items if check(viewer, item)]


def auto_items(*, viewer: Any) -> list[PolicyItem]:
    """Published 免申即享 items the viewer may run."""
    items = PolicyItem.objects.filter(mode=Mode.AUTO, status=PolicyItem.Status.PUBLISHED).order_by("code")
    return [item for item in items if access.access_run_manage(viewer, item)]


def runs_visible(*, viewer: Any) -> QuerySet[AutoRun]:
    ids = [item.pk for item in _visible_items(viewer, access.access_run_view)]
    return AutoRun.objects.filter(item_id__in=ids).select_related("item").order_by("-created_at")


def run_lines(run: AutoRun) -> dict[str, list[RunLine]]:
    lines = list(run.lines.select_related("enterprise").order_by("decision", "enterprise__name"))
    return {decision: [ln for ln in lines if ln.decision == decision] for decision in RunLine.Decision.values}


def public_notices(*, item: Any = None) -> QuerySet[AutoRun]:
    """Every 公示 the public may read (running first, then finished), optionally of one item."""
    qs = (AutoRun.objects.filter(status__in=[AutoRun.Status.PUBLICIZING, AutoRun.Status.GRANTED])
          .select_related("item", "item__document").annotate(enterprises=Count("lines"))
          .order_by("-publicity_starts_on", "-pk"))
    return qs.filter(item=item) if item is not None else qs


def notice_for_public(run_id: int) -> AutoRun | None:
    """A 公示 is public from confirmation on; a list not yet confirmed or cancelled is not."""
    return (AutoRun.objects.filter(pk=run_id, status__in=[AutoRun.Status.PUBLICIZING, AutoRun.Status.GRANTED])
            .select_related("item", "item__document").first())


@dataclass(frozen=True)
class NoticeRow:
    line_id: int
    name: str
    uscc_masked: str
    amount: Any
    declined: bool


def notice_rows(run: AutoRun) -> list[NoticeRow]:
    lines = run.lines.filter(decision=RunLine.Decision.INCLUDED).select_related("enterprise").order_by("enterprise__name")
    return [NoticeRow(ln.pk, ln.enterprise.name, mask_uscc(ln.enterprise.uscc), ln.amount, ln.declined_at is not None)
            for ln in lines]


@dataclass(frozen=True)
class BudgetRow:
    item: PolicyItem
    status: BudgetStatus


def budget_rows(*, viewer: Any) -> list[BudgetRow]:
    return [BudgetRow(item, budget_of(item)) for item in _visible_items(viewer, access.access_payments_view)]


def batches_visible(*, viewer: Any) -> QuerySet[PaymentBatch]:
    ids = [item.pk for item in _visible_items(viewer, access.access_payments_view)]
    return PaymentBatch.objects.filter(item_id__in=ids).select_related("item").order_by("-created_at")


def ledger_visible(*, viewer: Any) -> QuerySet[LedgerEntry]:
    if getattr(viewer, "role", None) == Role.ENTERPRISE:
        return LedgerEntry.objects.filter(entitlement__enterprise_id=viewer.enterprise_id).select_related(
            "entitlement__item", "entitlement__enterprise").order_by("-at")
    ids = [item.pk for item in _visible_items(viewer, access.access_payments_view)]
    return LedgerEntry.objects.filter(entitlement__item_id__in=ids).select_related(
        "entitlement__item", "entitlement__enterprise").order_by("-at")


def entitlements_visible(*, viewer: Any) -> QuerySet[Entitlement]:
    base = Entitlement.objects.select_related("item", "enterprise").order_by("-granted_at")
    if getattr(viewer, "role", None) == Role.ENTERPRISE:
        return base.filter(enterprise_id=viewer.enterprise_id)
    ids = [item.pk for item in _visible_items(viewer, access.access_payments_view)]
    return base.filter(item_id__in=ids)


def my_run_lines(*, viewer: Any) -> list[RunLine]:
    """The 免申即享 lists the enterprise is on, still before payment."""
    return list(RunLine.objects.filter(enterprise_id=viewer.enterprise_id, decision=RunLine.Decision.INCLUDED,
                                       run__status=AutoRun.Status.PUBLICIZING)
                .select_related("run", "run__item").order_by("-run__created_at"))


def bank_account_of(*, viewer: Any) -> BankAccount | None:
    return BankAccount.objects.filter(enterprise_id=viewer.enterprise_id).first()


def suspects_visible(*, viewer: Any, status: str = "open") -> QuerySet[Suspect]:
    ids = [item.pk for item in _visible_items(viewer, access.access_payments_view)]
    qs = Suspect.objects.filter(entitlement__item_id__in=ids).select_related(
        "entitlement__item", "entitlement__enterprise")
    return qs.filter(status=status) if status else qs


def cash_promises_visible(*, viewer: Any, light: str = "") -> QuerySet[CashPromise]:
    """The promises of the items whose payments the viewer sees; ``light`` "red" is 逾期未兑付
    (still unpaid after the promised date), "yellow" 即将到期, "paused" 补正中, "done" 已办结."""
    ids = [item.pk for item in _visible_items(viewer, access.access_payments_view)]
    qs = CashPromise.objects.filter(item_id__in=ids).select_related("item", "enterprise", "entitlement")
    if light == "done":
        return qs.exclude(outcome=CashPromise.Outcome.OPEN).order_by("-closed_on", "pk")
    qs = qs.filter(outcome=CashPromise.Outcome.OPEN)
    return qs.filter(colour=light) if light else qs


def cash_breach_count(*, viewer: Any) -> int:
    """逾期未兑付: open promises past their date, for the finance pages' counters."""
    return cash_promises_visible(viewer=viewer, light="red").count()
