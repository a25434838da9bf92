from __future__ import annotations

from datetime import date
from typing import Any

import pytest

CONTRACT_TEXT = """泉州台商投资区新材料产业园项目投资协议书

甲方：泉州台商投资区管理委员会
乙方：泉州示例新材料有限公司

第一条 乙方承诺在泉州台商投资区投资建设新材料产业园项目，固定资产投资不低于5亿元，于2026年10月31日前建成投产。
第二条 乙方承诺项目投产后营业收入不低于3亿元，考核年度为2025年，于2026年6月30日前报送数据。
第三条 甲方负责于2026年12月15日前完成项目配套道路建设并交付使用。
第四条 乙方承诺自2026年起年纳税不低于2000万元。
"""
SIGNED = date(2026, 1, 10)


@pytest.fixture
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def officer(make_user: Any, fast_hasher: None) -> Any:
    return make_user("officer", username="officer-qz", display_name="王专员")


@pytest.fixture
def enterprise(make_enterprise: Any) -> Any:
    return make_enterprise(name="泉州示例新材料有限公司")


@pytest.fixture
def enterprise_user(make_user: Any, enterprise: Any, fast_hasher: None) -> Any:
    return make_user("enterprise", username="ent-xcl", enterprise=enterprise)


@pytest.fixture
def supervisor(make_user: Any, fast_hasher: None) -> Any:
    return make_user("supervisor", username="super-qz")


@pytest.fixture
def drafted(officer: Any, enterprise: Any) -> Any:
    from huiqi.commitments.services import contract_draft

    return contract_draft(actor=officer, enterprise=enterprise, title="新材料产业园项目", government_party="",
                          signed_on=SIGNED, filename="投资协议.txt", data=CONTRACT_TEXT.encode())


def rows_of(contract: Any) -> list[Any]:
    from huiqi.commitments.services import CommitmentInput

    return [CommitmentInput(pk=c.pk, side=c.side, content=c.content, due_on=c.due_at, recurring=c.recurring,
                            target_field=c.target_field, target_op=c.target_op, target_value=c.target_value,
                            target_text=c.target_text, year_from=c.year_from, year_to=c.year_to)
            for c in contract.commitments.order_by("pk")]


@pytest.fixture
def confirmed(drafted: Any, officer: Any) -> Any:
    from huiqi.commitments.services import contract_confirm

    return contract_confirm(actor=officer, contract=drafted, rows=rows_of(drafted))
