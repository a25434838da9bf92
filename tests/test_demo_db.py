"""Data loaded once per module (tests/demo_db.py) are the same for every test of the module: a
test's writes are rolled back before the next test starts. The two tests run in file order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.demo_db import data_for_module


def _two_departments() -> list[int]:
    from huiqi.accounts.models import Department

    return [Department.objects.create(name=name, region="350500", kind="工信").pk
            for name in ("泉州市工业和信息化局", "泉州市商务局")]


@pytest.fixture(scope="module")
def _departments_of_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[int]]:
    yield from data_for_module(django_db_blocker, _two_departments)


@pytest.fixture
def departments(db: Any, _departments_of_module: list[int]) -> list[int]:
    return _departments_of_module


def test_a_test_may_change_and_add_to_the_module_s_data(departments: list[int]) -> None:
    from huiqi.accounts.models import Department

    Department.objects.filter(pk=departments[0]).update(name="改过的名称")
    Department.objects.create(name="测试中新增的部门", region="350500", kind="工信")
    assert Department.objects.count() == 3


def test_the_next_test_sees_the_module_s_data_as_loaded(departments: list[int]) -> None:
    from huiqi.accounts.models import Department

    assert sorted(Department.objects.values_list("name", flat=True)) == ["泉州市商务局", "泉州市工业和信息化局"]
