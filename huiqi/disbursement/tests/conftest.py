from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from huiqi.enterprises.models import EnterpriseFlag, YearFigure
from huiqi.policies.models import PolicyDocument
from huiqi.policies.services import policy_item_create
from huiqi.policies.workflow import transition

LAST_YEAR = timezone.localdate().year - 1


def figure(enterprise: Any, field: str, value: str, year: int = LAST_YEAR) -> None:
    YearFigure.objects.update_or_create(enterprise=enterprise, year=year, field=field, defaults={
        "value_number": Decimal(value), "source": "统计", "as_of": date(year + 1, 3, 31)})


def flag(enterprise: Any, name: str, value: bool) -> None:
    EnterpriseFlag.objects.update_or_create(enterprise=enterprise, flag=name, defaults={
        "value": value, "source": "信用中国", "as_of": timezone.localdate()})


@pytest.fixture
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def officer(make_user: Any, fast_hasher: None) -> Any:
    return make_user("officer", username="officer-qz")


@pytest.fixture
def finance(make_user: Any, fast_hasher: None) -> Any:
    return make_user("finance", username="finance-qz")


@pytest.fixture
def make_item(department: Any, officer: Any, make_user: Any) -> Any:
    """A published 免申即享 item: 规上 (revenue ≥ 20 million), not 失信, 100,000 yuan each."""
    document = PolicyDocument.objects.create(title="泉州市稳增长措施", issuer="泉州市工信局", level="city",
                                             region="350500", department=department, doc_number="泉工信〔2026〕9号")
    reviewer = make_user("reviewer", username="reviewer-qz")
    counter = iter(range(1, 100))

    def make(*, budget: str | None = "1000000", cap: str | None = None, reward: Any = None,
             publicity_days: int | None = 5, cash_days: int | None = 5, mode: str = "免申即享") -> Any:
        n = next(counter)
        item = policy_item_create(
            actor=officer, document=document, code=f"qz-auto-{n}", title=f"规上工业企业增产奖励{n}", mode=mode,
            conditions={"all": [{"field": "region", "op": "within", "value": "350500"},
                                {"field": "revenue", "op": ">=", "value": 20000000},
                                {"field": "flags", "op": "not_has", "value": "dishonest"}]},
            reward=reward or {"fixed": 100000}, department=department,
            budget=None if budget is None else Decimal(budget),
            per_enterprise_cap=None if cap is None else Decimal(cap),
            publicity_days=publicity_days, cash_days=cash_days)
        transition(actor=reviewer, item=item, name="review")
        transition(actor=reviewer, item=item, name="publish")
        item.refresh_from_db()
        return item

    return make


@pytest.fixture
def scaled(make_enterprise: Any) -> Any:
    """An enterprise the item's conditions accept (规上, known clean)."""

    def make(name: str, revenue: str = "30000000", *, dishonest: bool | None = False) -> Any:
        enterprise = make_enterprise(name=name)
        figure(enterprise, "revenue", revenue)
        if dishonest is not None:
            flag(enterprise, "dishonest", dishonest)
        return enterprise

    return make


@pytest.fixture(autouse=True)
def _next_year(assumed_next_year_calendar: None) -> None:
    """公示 and payment deadlines counted from today reach into next year from December on."""
