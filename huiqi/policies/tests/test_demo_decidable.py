"""Every piece of open work in the demo has a demo account that can act on it: review nodes of
applications, 诉求 waiting for 分办 or for the lead department, commitments and contracts to confirm,
督办单 and 差评 waiting for an answer or a supervisor's decision. A demo where nobody can move a
case on is a dead end for whoever tries it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from huiqi.accounts.models import User
from huiqi.commitments.access import access_commitment_fail, access_contract_edit
from huiqi.commitments.models import Commitment, Contract
from huiqi.demo.loader import ACCOUNTS
from huiqi.fulfilment.access import access_step_decide
from huiqi.fulfilment.models import Application, ReviewStep
from huiqi.supervision.access import access_case_answer, access_order_answer, access_order_raise
from huiqi.supervision.models import PoorRatingCase, SupervisionOrder
from huiqi.tickets.access import access_ticket_dispatch, access_ticket_handle
from huiqi.tickets.models import Ticket


def _stuck(rows: Iterable[Any], can_act: Callable[[Any, Any], bool], accounts: list[Any],
           name: Callable[[Any], str]) -> list[str]:
    return sorted({name(row) for row in rows if not any(can_act(user, row) for user in accounts)})


def _order_decider(user: Any, order: SupervisionOrder) -> bool:
    if order.status in (SupervisionOrder.Status.REPLIED, SupervisionOrder.Status.ACCEPTED):
        return access_order_raise(user, order.target_region)  # the supervisor accepts, returns or closes
    return access_order_answer(user, order)


def _ticket_mover(user: Any, ticket: Ticket) -> bool:
    if ticket.status == Ticket.Status.REGISTERED:
        return access_ticket_dispatch(user, ticket)
    return access_ticket_handle(user, ticket)


@pytest.mark.django_db
def test_every_open_case_in_the_demo_can_be_moved_on_by_a_demo_account(demo: Any) -> None:
    accounts = list(User.objects.filter(username__in=[a.username for a in ACCOUNTS]))
    open_steps = ReviewStep.objects.filter(outcome=ReviewStep.Outcome.OPEN,
                                           application__status=Application.Status.SUBMITTED)
    government_tickets = Ticket.objects.filter(status__in=[Ticket.Status.REGISTERED, Ticket.Status.ASSIGNED,
                                                           Ticket.Status.HANDLING])
    commitments = Commitment.objects.filter(status__in=Commitment.OPEN).select_related("contract")
    contracts = Contract.objects.filter(status=Contract.Status.DRAFT)
    orders = SupervisionOrder.objects.exclude(status=SupervisionOrder.Status.CLOSED)
    cases = PoorRatingCase.objects.filter(status=PoorRatingCase.Status.OPEN)
    assert open_steps.exists() and government_tickets.exists() and commitments.exists() and orders.exists()

    stuck = {
        "审核环节": _stuck(open_steps, access_step_decide, accounts, lambda s: f"{s.department}（{s.role}）"),
        "企业诉求": _stuck(government_tickets, _ticket_mover, accounts,
                       lambda t: f"{t.title}（{t.get_status_display()}）"),
        "承诺事项": _stuck(commitments, access_commitment_fail, accounts, lambda c: f"{c.content[:20]}（{c.region}）"),
        "待确认合同": _stuck(contracts, access_contract_edit, accounts, lambda c: c.title),
        "督办单": _stuck(orders, _order_decider, accounts, lambda o: f"{o.target_region}（{o.get_status_display()}）"),
        "差评整改": _stuck(cases, access_case_answer, accounts, lambda c: f"{c.region}"),
    }
    assert {kind: rows for kind, rows in stuck.items() if rows} == {}
