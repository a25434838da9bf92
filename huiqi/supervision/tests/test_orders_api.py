"""督办 orders through their workflow and clock, the public results page, and the supervision
API's scope rules and refusals."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from huiqi.audit.models import AuditEvent
from huiqi.supervision import services
from huiqi.supervision.models import SupervisionOrder
from huiqi.supervision.tests.conftest import at
from huiqi.supervision.workflow import WorkflowConflict, WorkflowError

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user: Any, department: Any) -> dict[str, Any]:
    return {"boss": make_user("supervisor", username="sup-fj", region="350000"),
            "qz_sup": make_user("supervisor", username="sup-qz", region="350500"),
            "officer": make_user("officer", username="off-qz", region="350500"),
            "other": make_user("officer", username="off-xm", region="350200"),
            "enterprise": make_user("enterprise", username="ent-1")}


def _order(people: dict[str, Any], **kw: Any) -> SupervisionOrder:
    return services.order_raise(actor=people["boss"], target_region="350500", target_department=None,
                                reason="审核红灯 5 个", figures={"red_lights": 5}, source="red_light",
                                now=at(2026, 11, 2), **kw)


def test_an_order_goes_from_issued_to_a_published_result(people: dict[str, Any]) -> None:
    order = _order(people)
    assert order.number.startswith("督办〔2026〕") and order.due_at == date(2026, 11, 16)
    services.order_acknowledge(actor=people["officer"], order=order, now=at(2026, 11, 3))
    services.order_reply(actor=people["officer"], order=order, text="已增派审核人员", now=at(2026, 11, 5))
    services.order_return(actor=people["boss"], order=order, note="请附整改台账", now=at(2026, 11, 6))
    assert Client().get("/supervision/results/").content.decode().count("已增派审核人员") == 0
    services.order_reply(actor=people["officer"], order=order, text="已增派审核人员并建立台账", now=at(2026, 11, 9))
    services.order_accept(actor=people["boss"], order=order, note="同意", now=at(2026, 11, 10))
    order.refresh_from_db()
    assert (order.status, order.colour) == ("accepted", "done")
    assert "已增派审核人员并建立台账" in Client().get("/supervision/results/").content.decode()
    services.order_close(actor=people["boss"], order=order)
    actions = list(AuditEvent.objects.filter(action__startswith="supervision_order.").values_list("action", flat=True))
    assert actions == ["supervision_order.raise", "supervision_order.acknowledge", "supervision_order.reply",
                       "supervision_order.return", "supervision_order.reply_again", "supervision_order.accept",
                       "supervision_order.close"]


def test_only_the_target_answers_and_only_a_covering_supervisor_decides(people: dict[str, Any]) -> None:
    order = _order(people)
    with pytest.raises(WorkflowError, match="不能对该督办单执行“签收”"):
        services.order_acknowledge(actor=people["other"], order=order)
    services.order_acknowledge(actor=people["officer"], order=order)
    services.order_reply(actor=people["officer"], order=order, text="整改")
    with pytest.raises(WorkflowError, match="整改通过"):
        services.order_accept(actor=people["officer"], order=order)
    with pytest.raises(WorkflowError, match="辖区督查人员"):
        services.order_raise(actor=people["qz_sup"], target_region="350200", reason="x", figures={}, source="manual")


def test_an_order_acted_on_by_someone_else_first_is_a_conflict(people: dict[str, Any]) -> None:
    order = _order(people)
    stale = SupervisionOrder.objects.get(pk=order.pk)
    services.order_acknowledge(actor=people["officer"], order=order)
    stale.status = "issued"
    with pytest.raises(WorkflowConflict):
        services.order_acknowledge(actor=people["officer"], order=stale)


def test_the_same_cause_raises_one_order(people: dict[str, Any]) -> None:
    a = _order(people, source_key="poor-rating:1")
    b = _order(people, source_key="poor-rating:1")
    assert a.pk == b.pk and SupervisionOrder.objects.count() == 1


def test_the_sweep_turns_an_overdue_order_red_and_tells_the_target(people: dict[str, Any]) -> None:
    order = _order(people)
    services.orders_sweep(now=at(2026, 11, 13))
    order.refresh_from_db()
    assert order.colour == "yellow"
    report = services.orders_sweep(now=at(2026, 11, 17))
    order.refresh_from_db()
    assert order.colour == "red" and report.notified >= 1


# -- API -----------------------------------------------------------------------------------------


@pytest.fixture
def two_months(rate_row: Any) -> None:
    for month in (9, 10):
        for county, score in {"350102": 5, "350203": 4, "350304": 1, "350503": 2}.items():
            rate_row(county, score, at(2026, month, 10))
        services.index_snapshot_month(actor=None, month=date(2026, month, 1))


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_index_api_returns_each_child_region_of_the_viewers_scope(people: dict[str, Any], two_months: None) -> None:
    rows = _client(people["boss"]).get("/api/supervision/index?month=2026-10&region=350000").json()
    assert [r["region_name"] for r in rows] == ["福州市", "厦门市", "泉州市", "莆田市"]
    assert rows[0] == {"region": "350100", "region_name": "福州市", "strength": None, "speed": None,
                       "convenience": None, "satisfaction": 100.0, "score": 100.0, "colour": "green"}
    assert rows[-1]["colour"] == "red"
    county = _client(people["qz_sup"]).get("/api/supervision/index?month=2026-10&region=350500").json()
    assert [r["region"] for r in county] == ["350503"]


@pytest.mark.parametrize(("who", "query", "status", "words"), [
    (None, "month=2026-10", 401, "登录"),
    ("enterprise", "month=2026-10", 403, "督查人员"),
    ("officer", "month=2026-10", 403, "本部门"),
    ("qz_sup", "month=2026-10&region=350000", 403, "督查范围"),
    ("boss", "month=2099-01", 400, "未来月份"),
    ("boss", "month=10-2026", 400, "YYYY-MM"),
])
def test_the_index_api_refuses_with_a_clear_message(people: dict[str, Any], two_months: None, who: str | None,
                                                     query: str, status: int, words: str) -> None:
    response = _client(people[who] if who else None).get(f"/api/supervision/index?{query}")
    assert response.status_code == status
    assert words in response.json()["detail"]


def test_the_orders_api_shows_a_supervisor_their_region_and_an_officer_their_own(people: dict[str, Any]) -> None:
    _order(people)
    services.order_raise(actor=people["boss"], target_region="350200", reason="厦门红灯", figures={}, source="red_light")
    assert len(_client(people["boss"]).get("/api/supervision/orders").json()) == 2
    assert [o["target_region"] for o in _client(people["qz_sup"]).get("/api/supervision/orders").json()] == ["350500"]
    assert [o["target_region"] for o in _client(people["officer"]).get("/api/supervision/orders").json()] == ["350500"]
    assert _client(people["enterprise"]).get("/api/supervision/orders").status_code == 403
    assert _client().get("/api/supervision/orders").status_code == 401


def test_the_dashboard_and_its_excel_export_for_a_supervisor(people: dict[str, Any], two_months: None) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    client = _client(people["boss"])
    html = client.get("/supervision/?month=2026-10").content.decode()
    assert "福州市" in html and "指标说明" in html and "echarts.min.js" in html
    response = client.get("/supervision/export.xlsx?month=2026-10&region=350000")
    sheet = load_workbook(BytesIO(response.content))["区域排名"]
    assert [sheet.cell(row=r, column=2).value for r in range(3, 7)] == ["福州市", "厦门市", "泉州市", "莆田市"]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert _client(people["enterprise"]).get("/supervision/").status_code == 403


def test_an_officer_sees_their_departments_index_and_the_chosen_month(people: dict[str, Any], two_months: None,
                                                                       department: Any) -> None:
    html = _client(people["officer"]).get("/supervision/?month=2026-09").content.decode()
    assert f"督查驾驶舱：{department.name}" in html and "近12个月趋势" in html
    assert '<option value="2026-09" selected>' in html
    assert "区域排名" not in html
