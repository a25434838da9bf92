"""The audit log as the 审计管理员 reads it: actions in words, paging and export that keep the
filters, an export only the auditor may take and that is itself recorded, personal numbers masked."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from huiqi.audit.models import AuditEvent
from huiqi.audit.services import audit_record
from huiqi.audit.words import ACTION_WORDS, action_words

pytestmark = pytest.mark.django_db

HUIQI = Path(__file__).resolve().parents[2]
LITERAL_ACTION = re.compile(r"""\b(?:action|audit_action)=["']([a-z_]+(?:\.[a-z_]+)+)["']""")
BUILT_ACTION = re.compile(r"""\baction=f["']([a-z_]+)\.\{""")


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _written_actions() -> set[str]:
    """Every action code the application writes: the literals in the source and, for the three
    writers that build the code from a workflow step, every step of that workflow."""
    from huiqi.fulfilment.workflow import TRANSITIONS as APPLICATION_STEPS
    from huiqi.policies.workflow import TRANSITIONS as POLICY_STEPS
    from huiqi.supervision.workflow import TABLE as ORDER_TABLE

    built: dict[str, list[str]] = {"application": [t.name for t in APPLICATION_STEPS],
                                   "policy_item": [t.name for t in POLICY_STEPS],
                                   "supervision_order": [t.name for t in ORDER_TABLE.transitions]}
    codes: set[str] = set()
    for path in HUIQI.rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        codes.update(LITERAL_ACTION.findall(text))
        for prefix in BUILT_ACTION.findall(text):
            assert prefix in built, f"{path}: 由 {prefix}.{{…}} 拼出的审计事件没有登记其全部取值"
            codes.update(f"{prefix}.{name}" for name in built[prefix])
    return codes


def test_every_action_the_platform_writes_reads_as_words() -> None:
    written = _written_actions()
    assert {"auth.login", "application.approve_final", "policy_item.publish", "ticket.assign"} <= written
    assert sorted(written - set(ACTION_WORDS)) == []


def test_the_log_page_shows_actions_in_words_and_never_the_codes(make_user: Any) -> None:
    auditor = make_user("auditor", region="")
    officer = make_user("officer")
    audit_record(actor=officer, action="policy_item.publish", object_repr="规上工业企业增产增效奖励")
    text = _client(auditor).get("/audit/").content.decode()
    assert "发布政策事项" in text and "登录" in text
    for code in ("policy_item.publish", "auth.login"):
        assert f">{code}<" not in text


def test_paging_keeps_the_filters(make_user: Any) -> None:
    auditor = make_user("auditor", region="")
    for n in range(60):
        audit_record(actor=auditor, action="ticket.sign", object_repr=f"诉求{n}")
        audit_record(actor=auditor, action="rating.create", object_repr=f"评价{n}")
    client = _client(auditor)
    first = client.get("/audit/", {"action": "ticket.", "actor": auditor.username}).content.decode()
    links = re.findall(r'href="(\?[^"]*page=2[^"]*)"', first)
    assert links, "第一页没有下一页链接"
    second = client.get("/audit/" + links[0].replace("&amp;", "&"))
    rows = second.context["rows"]
    assert rows and {r.action for r in rows} == {"签收诉求"}


def _sheet(content: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


def test_the_export_keeps_the_filters_masks_personal_numbers_and_is_itself_recorded(make_user: Any) -> None:
    auditor = make_user("auditor", region="")
    officer = make_user("officer")
    AuditEvent.objects.create(at=timezone.now(), actor=officer,
                              actor_label=officer.username, action="bank_account.set", object_repr="泉州甲电子有限公司",
                              detail="联系人手机 13812345678，账号 6222020012345678，身份证 350503199001011234",
                              client_ip="192.0.2.55")
    audit_record(actor=officer, action="rating.create", object_repr="评价")

    response = _client(auditor).get("/audit/", {"action": "bank_account.", "format": "xlsx"})
    assert response.status_code == 200
    header, *rows = _sheet(response.content)
    assert header[:4] == ("序号", "时间", "操作人", "事件")
    assert [row[3] for row in rows] == ["登记银行账户"]
    exported = " ".join(str(v) for v in rows[0])
    for secret in ("13812345678", "6222020012345678", "350503199001011234", "192.0.2.55"):
        assert secret not in exported
    assert "138****5678" in exported and "6222 **** **** 5678" in exported and "192.0.2.*" in exported

    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor == auditor and "bank_account." in export.detail and "1 条" in export.object_repr
    assert action_words(export.action) == "导出审计日志"


@pytest.mark.parametrize("role", ["officer", "sysadmin", "secadmin", "supervisor"])
def test_only_the_audit_administrator_exports_the_log(make_user: Any, role: str) -> None:
    user = make_user(role, region="" if role in {"sysadmin", "secadmin"} else "350500")
    response = _client(user).get("/audit/", {"format": "xlsx"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="audit.export").exists()
