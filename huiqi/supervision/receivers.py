"""Rating invitations without touching the other apps: an application's timeline gets an
"approved" or "reject" event when it is decided, and the ledger gets a payment entry when money
is paid (a 免申即享 payment is rated on its own). Both are created rows, so post_save sees them
inside the deciding transaction."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from huiqi.disbursement.models import Entitlement, LedgerEntry
from huiqi.fulfilment.models import ApplicationEvent
from huiqi.tickets.models import Ticket
from huiqi.tickets.services import on_escalated

from .services import order_raise, rating_invite


@receiver(post_save, sender=ApplicationEvent, dispatch_uid="supervision-rate-decided-application")
def invite_after_decision(sender: Any, instance: ApplicationEvent, created: bool, **kwargs: Any) -> None:
    if not created or instance.kind not in {"approved", "reject"}:
        return
    app = instance.application
    rating_invite(enterprise_id=app.enterprise_id, kind="application", pk=app.pk, title=app.item.title)


@receiver(post_save, sender=LedgerEntry, dispatch_uid="supervision-rate-auto-payment")
def invite_after_payment(sender: Any, instance: LedgerEntry, created: bool, **kwargs: Any) -> None:
    if not created or instance.kind != LedgerEntry.Kind.PAYMENT:
        return
    ent = instance.entitlement
    if ent.source == Entitlement.Source.AUTO_RUN:
        rating_invite(enterprise_id=ent.enterprise_id, kind="payment", pk=ent.pk, title=ent.item.title)


@on_escalated
def order_for_escalated_ticket(ticket: Ticket) -> None:
    """A second 不满意 puts the request under 督办 (企呼我应 → 评与督), once per request."""
    order_raise(actor=None, target_region=ticket.region, target_department=ticket.lead_department,
                reason=f"诉求 {ticket.number}“{ticket.title}”两次答复后企业仍不满意",
                figures={"诉求编号": ticket.number, "不满意次数": ticket.unsatisfied},
                source="ticket", source_key=f"ticket:{ticket.pk}")
