from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from huiqi.accounts.models import Department
from huiqi.tickets import services
from huiqi.tickets.defaults import ensure_categories
from huiqi.tickets.models import Dispatcher, Ticket, TicketCategory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> datetime:
    """An aware moment in Asia/Shanghai (the services take ``now`` explicitly)."""
    return timezone.make_aware(datetime(y, m, d, hour, minute))


@pytest.fixture(autouse=True)
def _fast_passwords_and_media(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _categories(db: Any) -> None:
    ensure_categories(TicketCategory)  # a transactional test elsewhere may have flushed the migration's rows


@pytest.fixture
def finance_department(db: Any) -> Department:
    return Department.objects.create(name="泉州市财政局", region="350500", kind="财政")


@pytest.fixture
def applicant(make_user: Callable[..., Any], make_enterprise: Callable[..., Any]) -> Any:
    return make_user("enterprise", username="qiye", enterprise=make_enterprise(name="泉州恒信鞋业有限公司"),
                     display_name="陈经理")


@pytest.fixture
def handler(make_user: Callable[..., Any]) -> Any:
    return make_user("officer", username="gongxin")


@pytest.fixture
def dispatcher(make_user: Callable[..., Any]) -> Any:
    user = make_user("officer", username="fenban", dept=None)
    Dispatcher.objects.create(user=user, region="350500")
    return user


@pytest.fixture
def supervisor(make_user: Callable[..., Any]) -> Any:
    return make_user("supervisor", username="ducha")


@pytest.fixture
def register(applicant: Any) -> Callable[..., Ticket]:
    def make(now: datetime, *, category: str = "投诉", title: str = "技改补助迟迟未到账",
             content: str = "去年申报的技改设备补助至今未拨付，请协调。", user: Any = None, **extra: Any) -> Ticket:
        actor = user or applicant
        ticket, _ = services.ticket_register(
            actor=actor, enterprise=actor.enterprise,
            data=services.TicketInput(category=category, title=title, content=content, contact_name="陈经理",
                                      contact_phone="13812345678", **extra), now=now)
        return ticket

    return make


@pytest.fixture
def assigned(register: Callable[..., Ticket], dispatcher: Any, department: Department) -> Callable[..., Ticket]:
    def make(now: datetime, **kw: Any) -> Ticket:
        ticket = register(now, **kw)
        return services.ticket_assign(actor=dispatcher, ticket=ticket, lead=department, now=now)

    return make
