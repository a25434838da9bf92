from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huiqi.accounts.models import Department
from huiqi.enterprises.models import EnterpriseFlag, YearFigure
from huiqi.policies.models import PolicyDocument, PolicyItem

CHECK = "项目符合我市主导产业发展方向"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(y: int, m: int, d: int, hour: int = 10) -> datetime:
    """An aware moment in Asia/Shanghai (the services take ``now`` explicitly)."""
    return timezone.make_aware(datetime(y, m, d, hour, 0))


def pdf(name: str = "合同.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _fast_passwords_and_media(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def finance_department(db: Any) -> Department:
    return Department.objects.create(name="泉州市财政局", region="350500", kind="财政")


@pytest.fixture
def make_item(department: Department, finance_department: Department) -> Callable[..., PolicyItem]:
    """A published 即申即享 item: 设备投资 ≥ 100万 declared, 营收 ≥ 500万 from the profile, not 失信,
    one reviewer-decided check; 10 % of the declared investment, at most 50万. Two nodes:
    主管部门确认 (reviewer, 3 days, yellow 1 day before) and 财政复核 (finance, 3 days)."""
    document = PolicyDocument.objects.create(title="泉州市技改措施", issuer="泉州市工信局", level="city", region="350500",
                                             department=department, doc_number="泉工信〔2025〕7号")
    counter = iter(range(1, 1000))

    def make(*, conditions: Any = None, reward: Any = None, budget: str | None = None, mode: str = "即申即享",
             **extra: Any) -> PolicyItem:
        n = next(counter)
        fields: dict[str, Any] = {
            "document": document, "code": f"qz-jg-{n}", "title": f"技术改造设备补助{n}", "region": "350500",
            "department": department, "mode": mode, "status": PolicyItem.Status.PUBLISHED,
            "conditions": conditions or {"all": [
                {"field": "revenue", "op": ">=", "value": 5000000},
                {"field": "flags", "op": "not_has", "value": "dishonest"},
                {"field": "input.equipment_investment", "op": ">=", "value": 1000000},
                {"check": CHECK}]},
            "reward": reward or {"rate": 0.1, "base": {"input": "equipment_investment"}, "cap": 500000},
            "valid_from": date(2024, 1, 1), "valid_to": date(2027, 12, 31),
            "inputs": [{"name": "equipment_investment", "label": "设备投资额（不含税）", "unit": "元"}],
            "materials": ["设备购置合同及发票清单", "营业执照（系统核验）"],
            "commitments": ["所填报信息真实、准确、完整", "同一项目未重复享受同类财政资金支持"],
            "review_nodes": [
                {"name": "主管部门确认", "role": "reviewer", "department": department.name, "days": 3, "warn_days": 1},
                {"name": "财政复核", "role": "finance", "department": finance_department.name, "days": 3,
                 "warn_days": 1}],
            "cash_days": 40, "budget": None if budget is None else Decimal(budget),
        }
        fields.update(extra)
        return PolicyItem.objects.create(**fields)

    return make


@pytest.fixture
def item(make_item: Callable[..., PolicyItem]) -> PolicyItem:
    return make_item()


def clean_enterprise(enterprise: Any, *, revenue: str = "30000000", dishonest: bool = False) -> Any:
    for year in (2024, 2025, 2026):
        YearFigure.objects.create(enterprise=enterprise, year=year, field="revenue", value_number=Decimal(revenue),
                                  source="税务", as_of=date(year + 1, 3, 31) if year < 2026 else date(2026, 6, 30))
    for name in EnterpriseFlag.FLAGS:
        EnterpriseFlag.objects.create(enterprise=enterprise, flag=name, value=dishonest and name == "dishonest",
                                      source="信用中国", as_of=date(2025, 6, 1))
    return enterprise


@pytest.fixture
def applicant(make_user: Callable[..., Any], make_enterprise: Callable[..., Any]) -> Any:
    enterprise = clean_enterprise(make_enterprise(name="泉州申报示范电子有限公司"))
    return make_user("enterprise", username="ent-applicant", enterprise=enterprise)


@pytest.fixture
def reviewer(make_user: Callable[..., Any]) -> Any:
    return make_user("reviewer", username="reviewer-qz")


@pytest.fixture
def finance(make_user: Callable[..., Any], finance_department: Department) -> Any:
    return make_user("finance", username="finance-qz", dept=finance_department)


@pytest.fixture
def supervisor(make_user: Callable[..., Any]) -> Any:
    return make_user("supervisor", username="supervisor-qz")


@pytest.fixture
def submitted(item: PolicyItem, applicant: Any) -> Callable[..., Any]:
    """An application filled in completely and submitted at ``now``."""
    from huiqi.fulfilment import services

    def make(now: datetime, *, investment: str = "2000000", user: Any = None) -> Any:
        user = user or applicant
        app = services.application_create(actor=user, item=item, now=now)
        services.application_save(actor=user, application=app, inputs={"equipment_investment": investment},
                                  commitments=list(item.commitments), now=now)
        services.material_add(actor=user, application=app, label="设备购置合同及发票清单", upload=pdf(), now=now)
        return services.application_submit(actor=user, application=app, now=now)

    return make


@pytest.fixture(autouse=True)
def _next_year(assumed_next_year_calendar: None) -> None:
    """Deadlines 40 working days out reach into next year from November on."""
