from __future__ import annotations

from typing import Any

import pytest

from huiqi.accounts.models import User
from huiqi.demo.loader import ACCOUNTS
from huiqi.fulfilment.access import access_step_decide
from huiqi.fulfilment.models import Application, ReviewStep


@pytest.mark.django_db
def test_every_open_review_step_in_the_demo_can_be_decided_by_a_demo_account(demo: Any) -> None:
    accounts = list(User.objects.filter(username__in=[a.username for a in ACCOUNTS]))
    open_steps = list(ReviewStep.objects.filter(outcome=ReviewStep.Outcome.OPEN,
                                                application__status=Application.Status.SUBMITTED))
    assert open_steps
    stuck = sorted({f"{s.department}（{s.role}）" for s in open_steps
                    if not any(access_step_decide(user, s) for user in accounts)})
    assert stuck == [], "；".join(stuck)
