"""Fixtures for the portal tests: a handful of published items that cover every kind of
condition (public facts, private figures, `known`, a private certificate, a reviewer's check, an
exclusive group) and one enterprise with private figures that must never leak."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from huiqi.enterprises.models import EnterpriseQualification, Qualification, YearFigure
from huiqi.policies.models import PolicyDocument, PolicyItem
from huiqi.policies.services import policy_item_create
from huiqi.policies.workflow import transition

LAST_YEAR = timezone.localdate().year - 1
# Private figures of the sample enterprise, in every spelling a page or a JSON answer could use.
PRIVATE_FIGURES = {"revenue": "35120000", "rd_expense": "2345600", "tax_paid": "1876500"}
PRIVATE_SPELLINGS = ("35120000", "3512", "3,512", "2345600", "234.56", "2,345,600", "1876500", "187.65",
                     "1,876,500")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    from huiqi.matching import services as matching_services
    from huiqi.portal import public_match

    matching_services._index_cache.clear()
    public_match.clear_cache()
    yield
    cache.clear()


@dataclass
class World:
    enterprise: Any
    items: dict[str, PolicyItem]
    officer: Any
    reviewer: Any


def publish(item: PolicyItem, reviewer: Any, capture: Any) -> PolicyItem:
    with capture(execute=True):
        transition(actor=reviewer, item=item, name="review")
        transition(actor=reviewer, item=item, name="publish")
    item.refresh_from_db()
    return item


def figure(enterprise: Any, field: str, value: str, year: int = LAST_YEAR) -> None:
    YearFigure.objects.create(enterprise=enterprise, year=year, field=field, value_number=Decimal(value),
                              source="税务", as_of=date(year + 1, 3, 31))


@pytest.fixture
def world(department: Any, make_user: Any, make_enterprise: Callable[..., Any],
          django_capture_on_commit_callbacks: Any) -> World:
    officer = make_user("officer")
    reviewer = make_user("reviewer")
    # Transactional tests (the browser test) flush the catalogue the migration seeded.
    Qualification.objects.get_or_create(code="hnte", defaults={"name": "高新技术企业", "level": "national"})
    Qualification.objects.get_or_create(code="srdi", defaults={"name": "省级专精特新中小企业", "level": "province"})
    Qualification.objects.create(code="secret_cert", name="内部培育名单", level="city", is_public=False)
    today = timezone.localdate()
    document = PolicyDocument.objects.create(title="泉州市促进科技创新若干措施", issuer="泉州市人民政府", level="city",
                                             region="350500", department=department, doc_number="泉政文〔2026〕8号")
    region = {"field": "region", "op": "within", "value": "350500"}
    specs: dict[str, dict[str, Any]] = {
        "qz-hnte-a": dict(title="高新技术企业认定奖励", mode="即申即享", exclusive_group="qz-hnte",
                          conditions={"all": [region, {"field": "qualifications", "op": "has", "value": "hnte"},
                                              {"field": "revenue", "op": ">=", "value": 20000000}]},
                          reward={"fixed": 300000}, window_end=today + timedelta(days=20), clause_path="第三条",
                          clause_text="对新认定的高新技术企业，上年度营业收入2000万元以上的，给予30万元奖励。",
                          summary="高新技术企业奖励", tags=["科技创新"]),
        "qz-hnte-b": dict(title="高新技术企业培育补助", mode="即申即享", exclusive_group="qz-hnte",
                          conditions={"all": [region, {"field": "established_years", "op": ">=", "value": 3}]},
                          reward={"fixed": 100000}, window_end=today + timedelta(days=7), clause_path="第四条",
                          clause_text="成立满三年的企业给予10万元培育补助。", summary="培育补助"),
        "qz-rd": dict(title="研发费用分段补助", mode="免申即享",
                      conditions={"all": [region, {"field": "revenue", "op": ">=", "value": 20000000}]},
                      reward={"rate": 0.1, "base": {"field": "rd_expense"}, "cap": 500000}, clause_path="第五条",
                      clause_text="按上年度研发费用的10%给予补助，最高50万元。", summary="研发费用补助 研发投入",
                      tags=["研发"]),
        "qz-review": dict(title="主导产业项目奖励", mode="申报审核",
                          conditions={"all": [region, {"check": "符合我区主导产业方向"}]},
                          reward={"up_to": 500000}, window_end=today + timedelta(days=1), clause_path="第六条",
                          clause_text="符合主导产业方向的项目，给予最高50万元奖励。", summary="产业项目"),
        "qz-known": dict(title="统计入库企业奖励", mode="即申即享",
                         conditions={"all": [region, {"field": "tax_paid", "op": "known"}]},
                         reward={"fixed": 20000}, clause_path="第七条", clause_text="已报送纳税数据的企业给予2万元奖励。"),
        "qz-secret": dict(title="培育名单企业奖励", mode="申报审核",
                          conditions={"all": [region, {"field": "qualifications", "op": "has", "value": "secret_cert"}]},
                          reward={"fixed": 50000}, clause_path="第八条", clause_text="列入培育名单的企业给予5万元奖励。"),
        "fz-only": dict(title="福州市数字经济奖励", mode="即申即享", region="350100",
                        conditions={"all": [{"field": "region", "op": "within", "value": "350100"}]},
                        reward={"fixed": 80000}),
    }
    items = {}
    for code, spec in specs.items():
        item = policy_item_create(actor=officer, document=document, code=code, **spec)
        items[code] = publish(item, reviewer, django_capture_on_commit_callbacks)
    enterprise = make_enterprise(region="350503", name="泉州星河电子科技有限公司", established_on=date(2015, 6, 1),
                                 qualifications_source="科技局", qualifications_as_of=today)
    hnte = Qualification.objects.get(code="hnte")
    EnterpriseQualification.objects.create(enterprise=enterprise, qualification=hnte, valid_from=date(2024, 12, 1),
                                           valid_to=date(2027, 11, 30), source="科技局", as_of=today)
    EnterpriseQualification.objects.create(enterprise=enterprise, qualification=Qualification.objects.get(
        code="secret_cert"), valid_from=date(2025, 1, 1), source="科技局", as_of=today)
    for name, value in PRIVATE_FIGURES.items():
        figure(enterprise, name, value)
    return World(enterprise, items, officer, reviewer)
