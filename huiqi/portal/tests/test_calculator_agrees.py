"""The calculator can never disagree with matching: demo enterprises' own figures typed into the
calculator give the statuses and amounts the matching stored for them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from huiqi.enterprises.models import Enterprise
from huiqi.enterprises.selectors import profile_of, profiles_queryset
from huiqi.matching.models import MatchResult
from huiqi.matching.services import match_enterprise_recompute
from huiqi.portal import calculator

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> Any:
    from huiqi.demo.loader import load_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the demo accounts, fast

    with django_capture_on_commit_callbacks(execute=True):
        return load_demo(enterprises=60, seed=11)


def _typed_like(profile: dict[str, Any], on: date) -> dict[str, Any]:
    """What a visitor would type for this enterprise, in the API's units (元, fractions)."""
    held = [q["code"] for q in profile["qualifications"]
            if (q["valid_from"] is None or date.fromisoformat(q["valid_from"]) <= on)
            and (q["valid_to"] is None or date.fromisoformat(q["valid_to"]) >= on)]
    figures = {f"years.{year}.{name}": value for year, row in profile.get("years", {}).items()
               for name, value in row.items()}
    for name in ("registered_capital", "established_on"):
        if name in profile:
            figures[name] = profile[name]
    return {"region": profile["region"], "industry": profile.get("industry", ""), "qualifications": held,
            "flags": profile.get("flags", {}), "figures": figures}


def test_demo_enterprises_figures_give_in_the_calculator_what_matching_gives(demo: Any) -> None:
    on = timezone.localdate()
    compiled, _items = calculator.published_items()
    figures = calculator.figures_for([ci.raw for ci in compiled], on=on)
    catalogue = calculator.qualification_catalogue()
    compared = eligible_seen = paid_seen = 0
    for enterprise in profiles_queryset(Enterprise.objects.exclude(qualifications_source="")).order_by("pk")[:40]:
        profile = profile_of(enterprise)
        match_enterprise_recompute(enterprise_id=enterprise.pk, on=on)
        matched = {r.item.code: (r.status, r.amount_min, r.amount_max)
                   for r in MatchResult.objects.filter(enterprise=enterprise).select_related("item")}
        what = calculator.parse_input(_typed_like(profile, on), figures=figures, catalogue=catalogue,
                                      form_units=False)
        result = calculator.calculate(what, on=on)
        answered = {c.item.code: (c.status, c.amount_min, c.amount_max) for c in result.cards()}
        assert answered == matched, enterprise.name
        compared += 1
        eligible_seen += sum(1 for status, _lo, _hi in matched.values() if status == "eligible")
        paid_seen += sum(1 for _s, _lo, hi in matched.values() if hi is not None and hi > Decimal(0))
    assert compared >= 20 and eligible_seen > 0 and paid_seen > 0  # the comparison covers real answers
