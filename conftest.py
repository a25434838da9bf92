"""Fixtures shared by every app's tests: people in each role and a small enterprise."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

PASSWORD = "Huiqi-Test-2026!"

# Production refuses to start without its shared secrets (config/environment.py). The PostgreSQL
# pass runs with DATABASE_URL set, so the servers and workers the tests start get test-only keys;
# a test that checks the refusal removes them from its child's environment.
os.environ.setdefault("HUIQI_SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("HUIQI_FIELD_KEY", "dGVzdC1vbmx5LWZpZWxkLWtleS0zMi1ieXRlcy0hISE=")
os.environ.setdefault("HUIQI_AUDIT_KEY", "test-only-audit-key-" + "y" * 40)

pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _private_caches(settings: Any) -> None:
    """Each test counts rate limits and progress in its own in-memory caches, never in var/ files
    left over from an earlier run (the multi-host test gives its servers Redis instead)."""
    name = uuid.uuid4().hex
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"default-{name}"},
        "progress": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"progress-{name}"},
    }


@pytest.fixture
def department(db: Any) -> Any:
    from huiqi.accounts.models import Department

    return Department.objects.create(name="泉州市工业和信息化局", region="350500", kind="工信")


@pytest.fixture
def make_enterprise(db: Any) -> Callable[..., Any]:
    from cnstd.uscc import uscc_check_char
    from huiqi.enterprises.models import Enterprise

    counter = iter(range(1, 10_000))

    def make(*, region: str = "350503", name: str | None = None, **fields: Any) -> Any:
        n = next(counter)
        body = f"91{region}MA{n:07d}"[:17]
        body = body.replace("I", "1").replace("O", "0")
        uscc = body + uscc_check_char(body)
        defaults: dict[str, Any] = {
            "industry": "3971", "established_on": date(2016, 9, 15),
            "registered_capital": Decimal("10000000"), "ownership": "private", "listed": "none",
        }
        defaults.update(fields)
        return Enterprise.objects.create(uscc=uscc, name=name or f"泉州示例{n}号电子有限公司", region=region, **defaults)

    return make


@pytest.fixture
def make_user(db: Any, department: Any, make_enterprise: Callable[..., Any]) -> Callable[..., Any]:
    from huiqi.accounts.models import User

    def make(role: str, *, username: str | None = None, region: str = "350500", enterprise: Any = None,
             dept: Any = department, **extra: Any) -> Any:
        if role == "enterprise" and enterprise is None:
            enterprise = make_enterprise()
        user = User(username=username or f"{role}-{User.objects.count() + 1}", role=role,
                    region="" if role == "enterprise" else region, enterprise=enterprise,
                    department=dept if role in {"officer", "reviewer", "finance"} else None, **extra)
        user.set_password(PASSWORD)
        user.save()
        return user

    return make


@pytest.fixture
def assumed_next_year_calendar(db: Any) -> None:
    """A placeholder holiday arrangement for next year (only 元旦), for tests whose deadlines,
    counted from today, run past 31 December before the State Council has published next year's
    arrangement. The real product refuses or warns instead (see huiqi/workdays)."""
    from django.utils import timezone

    from huiqi.workdays.models import CalendarYear
    from huiqi.workdays.services import calendar_seed_if_empty, calendar_year_save

    calendar_seed_if_empty()  # a transactional test elsewhere may have flushed the seeded years
    year = timezone.localdate().year + 1
    if not CalendarYear.objects.filter(year=year).exists():
        calendar_year_save(actor=None, year=year, holidays=[(date(year, 1, 1), "元旦")], workdays=[],
                           source=f"测试用（假定的{year}年安排）")


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(settings: Any, tmp_path: Any) -> None:
    """Signed audit checkpoints outlive a rolled-back test database: each test keeps its own."""
    settings.HUIQI_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
