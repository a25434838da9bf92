"""Fixtures: the fulfilment app's item and applicant (reused, not copied), a decided and a paid
application made through the real services, and rating rows as index input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from huiqi.fulfilment.tests.conftest import (  # noqa: F401  (fixtures)
    CHECK,
    _fast_passwords_and_media,
    _next_year,
    applicant,
    at,
    clean_enterprise,
    finance,
    finance_department,
    item,
    make_item,
    reviewer,
    submitted,
    supervisor,
)


@pytest.fixture
def rejected(submitted: Callable[..., Any], reviewer: Any) -> Any:  # noqa: F811
    """An application the reviewer has rejected (a decided application)."""
    from huiqi.fulfilment import services

    app = submitted(at(2026, 11, 2))
    return services.review_reject(actor=reviewer, application=app, now=at(2026, 11, 3), reasons="材料不全")


@pytest.fixture
def paid(submitted: Callable[..., Any], reviewer: Any, finance: Any, applicant: Any) -> Any:  # noqa: F811
    """An application approved at both nodes and paid by finance (ledger entry)."""
    from huiqi.disbursement import services as money
    from huiqi.fulfilment import services

    app = submitted(at(2026, 11, 2))
    services.review_approve(actor=reviewer, application=app, now=at(2026, 11, 3), checks={CHECK: True})
    services.review_approve(actor=finance, application=app, now=at(2026, 11, 4), opinion="同意")
    money.bank_account_set(actor=applicant, enterprise=applicant.enterprise, account_name=applicant.enterprise.name,
                           bank_name="泉州银行", number="6222 0200 1234 5678")
    batch, _ = money.batch_create(actor=finance, item=app.item)
    money.batch_confirm_paid(actor=finance, batch=batch, idempotency_key="test-pay-1", reference="国库 1")
    app.refresh_from_db()
    return app


@pytest.fixture
def rate_row(item: Any, make_user: Callable[..., Any],  # noqa: F811
             make_enterprise: Callable[..., Any]) -> Callable[..., Any]:
    """A rating row as index input (region = the enterprise's county, created at ``when``)."""
    from datetime import timedelta

    from huiqi.supervision.models import Rating

    def make(region: str, score: int, when: datetime) -> Rating:
        enterprise = make_enterprise(region=region)
        user = make_user("enterprise", enterprise=enterprise)
        return Rating.objects.create(subject="application", enterprise=enterprise, item=item,
                                     department_id=item.department_id, region=region, score=score, by=user,
                                     created_at=when, updated_at=when, editable_until=when + timedelta(days=7))

    return make
