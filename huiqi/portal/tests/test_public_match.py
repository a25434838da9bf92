"""The NumPy public path must agree with the rules engine's scalar one-enterprise path."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from huiqi.enterprises.selectors import profile_of
from huiqi.policies.models import PolicyDocument, PolicyItem
from huiqi.policies.services import library_version_bump
from huiqi.portal import public_match
from huiqi.portal.explaining import public_item
from rules.batch import ItemIndex, match_enterprise
from rules.evaluate import Amount, Evaluation, choose_in_exclusive_groups

from .conftest import World

pytestmark = pytest.mark.django_db

ATOMS: list[dict[str, Any]] = [
    {"field": "region", "op": "within", "value": "350500"},
    {"field": "region", "op": "within", "value": "350503"},
    {"field": "region", "op": "within", "value": "350100"},
    {"field": "industry", "op": "within", "value": "C"},
    {"field": "industry", "op": "within", "value": "39"},
    {"field": "industry", "op": "within", "value": "F"},
    {"field": "established_years", "op": ">=", "value": 3},
    {"field": "established_years", "op": "<", "value": 5},
    {"field": "registered_capital", "op": ">=", "value": 5000000},
    {"field": "ownership", "op": "==", "value": "private"},
    {"field": "qualifications", "op": "has", "value": "hnte"},
    {"field": "qualifications", "op": "has", "value": "srdi"},
    {"field": "qualifications", "op": "has", "value": "secret_cert"},
    {"field": "flags", "op": "not_has", "value": "dishonest"},
    {"field": "revenue", "op": ">=", "value": 20000000},
    {"field": "rd_ratio", "op": ">=", "value": 0.03},
    {"field": "tax_paid", "op": "known"},
    {"check": "符合产业方向"},
]
REWARDS: list[dict[str, Any]] = [
    {"fixed": 100000}, {"up_to": 500000}, {"rate": 0.1, "base": {"field": "rd_expense"}, "cap": 300000},
    {"rate": 0.01, "base": {"field": "registered_capital"}, "cap": 90000},
    {"tiers": [{"when": {"field": "established_years", "op": ">=", "value": 10}, "then": {"fixed": 200000}},
               {"when": {"field": "revenue", "op": ">=", "value": 1e8}, "then": {"fixed": 100000}}]},
    {"per_unit": 2000, "base": {"field": "employees"}},
]


def _condition(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    roll = rng.random()
    if depth < 2 and roll < 0.25:
        return {"any": [_condition(rng, depth + 1) for _ in range(rng.randint(1, 3))]}
    if depth < 2 and roll < 0.35:
        return {"not": _condition(rng, depth + 1)}
    if depth < 2 and roll < 0.6:
        return {"all": [_condition(rng, depth + 1) for _ in range(rng.randint(1, 3))]}
    return dict(rng.choice(ATOMS))


def test_numpy_public_path_agrees_with_the_scalar_engine_on_random_items(world: World, make_enterprise: Any) -> None:
    rng = random.Random(5)
    document = PolicyDocument.objects.create(title="随机政策", issuer="测试", level="city", region="350500")
    rows = []
    for i in range(300):
        rows.append(PolicyItem(document=document, code=f"rand-{i}", title=f"随机事项{i}", mode="申报审核",
                               region=rng.choice(["350500", "350503", "", "350000"]),
                               conditions={"all": [_condition(rng) for _ in range(rng.randint(1, 4))]},
                               reward=rng.choice(REWARDS), exclusive_group=rng.choice(["", "", "g1", "g2"]),
                               status=PolicyItem.Status.PUBLISHED, rules_version="x",
                               valid_to=rng.choice([None, date(2000, 1, 1)])))
    PolicyItem.objects.bulk_create(rows)
    library_version_bump()
    public_match.clear_cache()
    index = public_match.public_index()
    assert len(index.fallback) > 0 and len(index.fallback) < len(index.items)  # both paths exercised
    others = [make_enterprise(region="350582", industry="5212", established_on=date(2024, 1, 1),
                              registered_capital=Decimal("100")),
              make_enterprise(region="350102", industry=""),
              world.enterprise]
    on = timezone.localdate()
    scalar_index = ItemIndex([public_item(item.as_rules_item(), private_qualifications={"secret_cert"})
                              for item in index.items])
    for enterprise in others:
        profile = profile_of(enterprise, include_private=False)
        result = public_match.evaluate_public(index, profile, on=on)
        fast = [result.row(i) for i in range(len(result.pos))]
        slow = match_enterprise(profile, scalar_index, on=on, unknown_fields=False)
        assert [(index.items[r.pos].code, r.status, r.amount_min, r.amount_max) for r in fast] == [
            (str(r.policy), r.status, Decimal(r.amount_min), None if r.amount_max is None else Decimal(r.amount_max))
            for r in slow]
        # 惠中选惠 on the arrays picks what the engine's choose_in_exclusive_groups picks.
        evaluations = [Evaluation(r.policy, r.status, Amount(r.amount_min, r.amount_max), [], [], [], "", on)
                       for r in slow]
        groups = [{"exclusive_group": index.group[index.by_code[str(r.policy)]]} for r in slow]
        expected = {str(c.policy): c.alternative_to for c in choose_in_exclusive_groups(evaluations, groups)}
        _keep, alternative_to = public_match.choose_groups(index, result)
        got: dict[str, str | None] = {index.items[int(p)].code: None for p in result.pos}
        got.update({index.items[int(result.pos[h])].code: index.items[int(result.pos[lead])].code
                    for h, lead in alternative_to.items()})
        assert got == expected
        assert any(expected.values())
