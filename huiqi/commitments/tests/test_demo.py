"""The demo set has about 20 泉州 contracts with commitments in every state."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_loads_about_twenty_contracts_with_commitments_in_every_state(fast_hasher: None) -> None:
    from huiqi.commitments.models import Commitment, Contract
    from huiqi.demo.loader import load_demo

    report = load_demo(enterprises=200, seed=7)
    contracts = Contract.objects.all()
    assert contracts.count() == 20 and all(c.region.startswith("3505") for c in contracts)
    states = Counter(Commitment.objects.filter(contract__isnull=False).values_list("status", flat=True))
    assert set(states) == set(Commitment.Status.values) - {Commitment.Status.DRAFT}
    assert sum(states.values()) == report.counts["commitments"] == 160
    both: Any = set(Commitment.objects.values_list("side", flat=True))
    assert both == {"government", "enterprise"}
