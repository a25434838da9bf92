"""应享未享 / 不应享错享 as figures per region."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from huiqi.disbursement.models import Entitlement, Suspect
from huiqi.matching.models import MatchResult
from huiqi.supervision.selectors import missed_and_wrong

pytestmark = pytest.mark.django_db


def _match(enterprise: Any, item: Any, amount: str) -> None:
    MatchResult.objects.create(enterprise=enterprise, item=item, status="eligible", amount_min=Decimal(amount),
                               rules_version="t", computed_at=timezone.now())


def test_eligible_but_unpaid_and_suspect_payments_are_counted_with_their_money(
        paid: Any, make_enterprise: Any) -> None:
    _match(paid.enterprise, paid.item, "200000")  # already paid: not 应享未享
    _match(make_enterprise(region="350503"), paid.item, "150000")
    _match(make_enterprise(region="350582"), paid.item, "80000")
    entitlement = Entitlement.objects.get()
    Suspect.objects.create(entitlement=entitlement, kind="flag", reason="失信", found_at=timezone.now(),
                           last_seen_at=timezone.now())
    rows = {r["region"]: r for r in missed_and_wrong(region="350500")}
    assert (rows["350503"]["missed"], rows["350503"]["missed_money"]) == (1, Decimal("150000"))
    assert (rows["350582"]["missed"], rows["350582"]["missed_money"]) == (1, Decimal("80000"))
    assert (rows["350503"]["wrong"], rows["350503"]["wrong_money"]) == (1, entitlement.amount)
    assert rows["350582"]["wrong"] == 0
