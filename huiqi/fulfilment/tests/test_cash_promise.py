"""The promised days to cash of an application: the clock starts at submission (day 0), waits
with the node while the enterprise answers a 补正, and ends when nothing is owed any more."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from huiqi.disbursement.models import CashPromise
from huiqi.fulfilment import services
from huiqi.fulfilment.models import Application

from .conftest import at

pytestmark = pytest.mark.django_db


def test_a_submission_starts_the_cash_promise_and_a_correction_pauses_it_like_the_node(
        reviewer: Any, applicant: Any, submitted: Any) -> None:
    app = submitted(at(2025, 9, 26))  # 40 working days from Friday 26 Sep 2025, across 国庆
    promise = CashPromise.objects.get(source_ref=app.reference)
    assert (promise.started_on, promise.days, promise.due_at) == (date(2025, 9, 26), 40, app.cash_due_on)
    services.review_return(actor=reviewer, application=app, now=at(2025, 9, 29), reasons="发票清单不清晰")
    assert CashPromise.objects.get(pk=promise.pk).colour == "paused"
    services.application_resubmit(actor=applicant, application=app, now=at(2025, 10, 10))
    resumed = CashPromise.objects.get(pk=promise.pk)
    # 30 Sep … 10 Oct paused: the promised date moves on by the working days inside the pause.
    assert resumed.due_at is not None and promise.due_at is not None
    assert resumed.pauses == [["2025-09-30", "2025-10-10"]] and resumed.due_at > promise.due_at
    assert Application.objects.get(pk=app.pk).cash_due_on == resumed.due_at


def test_a_rejected_application_owes_nothing_and_its_promise_never_turns_red(
        reviewer: Any, submitted: Any) -> None:
    from huiqi.disbursement.services import cash_promises_sweep

    app = submitted(at(2025, 9, 26))
    services.review_reject(actor=reviewer, application=app, now=at(2025, 9, 29), reasons="不符合条件")
    promise = CashPromise.objects.get(source_ref=app.reference)
    assert (promise.outcome, promise.colour) == ("dropped", "done")
    cash_promises_sweep(now=at(2026, 3, 1))
    assert CashPromise.objects.get(pk=promise.pk).colour == "done"
