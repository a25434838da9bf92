from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from huiqi.enterprises.models import DataStatus, YearFigure
from huiqi.matching.models import MatchJob, MatchResult
from huiqi.matching.services import match_enterprise_recompute, match_jobs_run_queued
from huiqi.portal.selectors import my_matches

from .conftest import LAST_YEAR, World

pytestmark = pytest.mark.django_db


def _login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_my_matches_are_grouped_with_amounts_reasons_window_and_next_step(world: World) -> None:
    today = timezone.localdate()
    m = my_matches(enterprise=world.enterprise, on=today)  # no results yet: computed on the fly
    assert MatchResult.objects.filter(enterprise=world.enterprise).exists()
    eligible = {c.item.code: c for c in m.eligible}
    possible = {c.item.code: c for c in m.possible}
    # 惠中选惠: the 30万 award is recommended, the 10万 one of the same group is its alternative.
    assert "qz-hnte-a" in eligible and "qz-hnte-b" not in eligible and "qz-hnte-b" not in possible
    assert [a.item.code for a in eligible["qz-hnte-a"].alternatives] == ["qz-hnte-b"]
    assert eligible["qz-hnte-a"].amount == "30 万元"
    assert eligible["qz-hnte-a"].days_left == 20 and eligible["qz-hnte-a"].next_step["kind"] == "apply"
    # The rate on R&D expense is computed from the private figure: 10% of 234.56 万 = 23.456 万.
    assert eligible["qz-rd"].amount == "23.46 万元"
    assert eligible["qz-rd"].next_step == {"kind": "none", "label": "免申即享，无需申请：核定后直接拨付"}
    reasons = [r["text"] for r in eligible["qz-rd"].reasons]
    assert any("营业收入" in t and "3,512 万元" in t and "达到" in t for t in reasons), reasons
    assert eligible["qz-known"].amount == "2 万元"
    assert eligible["qz-secret"].amount == "5 万元"
    # Possible: a reviewer decides the check; the amount is a ceiling.
    review = possible["qz-review"]
    assert review.amount == "最高 50 万元" and review.reviews == ["由审核人员在申报时确认：符合我区主导产业方向"]
    assert review.unknown_fields == [] and review.next_step["kind"] == "apply"
    assert "fz-only" not in eligible and "fz-only" not in possible
    assert eligible["qz-hnte-a"].item.clause_path == "第三条"
    texts = [r["text"] for r in eligible["qz-hnte-a"].reasons]
    assert len(texts) == len(set(texts)), "the implicit region condition is not repeated"


def test_missing_figure_is_named_and_supplementing_it_stores_self_reported_and_updates_matches(
        world: World, make_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    YearFigure.objects.filter(enterprise=world.enterprise, field="revenue").delete()
    match_enterprise_recompute(enterprise_id=world.enterprise.pk)
    user = make_user("enterprise", enterprise=world.enterprise)
    client = _login(user)
    page = client.get("/my/").content.decode()
    path = f"years.{LAST_YEAR}.revenue"
    assert f"缺少{LAST_YEAR}年营业收入数据" in page
    assert f"/my/supplement/?field={path.replace('.', '.')}" in page.replace("%2E", ".")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/my/supplement/", {"field": path, "value": "3000"})
    assert response.status_code == 302
    stored = YearFigure.objects.get(enterprise=world.enterprise, field="revenue", year=LAST_YEAR)
    assert stored.status == DataStatus.SELF_REPORTED and stored.value == 30000000
    assert MatchJob.objects.filter(kind="enterprise", target=str(world.enterprise.pk), state="queued").exists()
    assert "匹配结果更新中" in client.get("/my/").content.decode()
    match_jobs_run_queued()  # the worker loop (db_worker) would close this test's connection
    statuses = dict(MatchResult.objects.filter(enterprise=world.enterprise).values_list("item__code", "status"))
    assert statuses["qz-hnte-a"] == "eligible" and statuses["qz-rd"] == "eligible"
    assert "匹配结果更新中" not in client.get("/my/").content.decode()


def test_a_wrong_supplement_value_names_the_field(world: World, make_user: Any) -> None:
    user = make_user("enterprise", enterprise=world.enterprise)
    response = _login(user).post("/my/supplement/", {"field": f"years.{LAST_YEAR}.employees", "value": "很多"})
    assert response.status_code == 400 and "从业人员" in response.content.decode()


def test_window_days_left_and_closed_window(world: World) -> None:
    item = world.items["qz-hnte-a"]
    type(item).objects.filter(pk=item.pk).update(window_end=timezone.localdate() - timedelta(days=1))
    m = my_matches(enterprise=world.enterprise, on=timezone.localdate())
    card = next(c for c in m.eligible if c.item.code == "qz-hnte-a")
    assert card.days_left == -1 and card.next_step["kind"] == "closed"


def test_matches_api_access_matrix(world: World, make_user: Any, make_enterprise: Any) -> None:
    url = f"/api/enterprises/{world.enterprise.uscc}/matches"
    assert Client().get(url).status_code == 401
    own = make_user("enterprise", enterprise=world.enterprise)
    data = _login(own).get(url).json()
    assert {c["code"] for c in data["eligible"]} >= {"qz-hnte-a", "qz-rd"}
    rd = next(c for c in data["eligible"] if c["code"] == "qz-rd")
    assert rd["amount"]["text"] == "23.46 万元" and rd["next_step"]["kind"] == "none"
    assert _login(make_user("enterprise")).get(url).status_code == 404  # another enterprise
    assert _login(make_user("officer", username="qz-officer", region="350500")).get(url).status_code == 200
    assert _login(make_user("officer", username="fz-officer", region="350100")).get(url).status_code == 404
    assert _login(make_user("auditor", username="auditor-1")).get(url).status_code == 404
    assert _login(own).get("/api/enterprises/91350100MA0000000X/matches").status_code == 404


def test_my_page_is_for_enterprise_users_only(world: World, make_user: Any) -> None:
    assert Client().get("/my/").status_code == 302
    assert _login(make_user("officer")).get("/my/").status_code == 403
    html = _login(make_user("enterprise", enterprise=world.enterprise)).get("/my/").content.decode()
    assert "30 万元" in html and "惠中选惠" in html and "免申即享，无需申请" in html and "还剩 20 天" in html


def test_items_of_the_region_not_met_are_listed_with_the_conditions_that_fail(world: World, make_user: Any) -> None:
    from huiqi.policies.models import PolicyItem

    base = world.items["qz-hnte-a"]
    PolicyItem.objects.create(
        document=base.document, code="qz-giant", title="百亿企业奖励", region="350500", department=base.department,
        mode="即申即享", status=PolicyItem.Status.PUBLISHED, reward={"fixed": 1000000},
        conditions={"all": [{"any": [{"field": "revenue", "op": ">=", "value": 20000000},
                                     {"field": "qualifications", "op": "has", "value": "srdi"}]},
                            {"field": "revenue", "op": ">=", "value": 10000000000}]})
    m = my_matches(enterprise=world.enterprise, on=timezone.localdate())
    not_met = {n.item.code: n.failed for n in m.not_met}
    assert "fz-only" not in not_met, "another city's item is not this enterprise's business"
    assert not set(not_met) & {c.item.code for c in m.eligible + m.possible}
    failed = not_met["qz-giant"]
    assert len(failed) == 1 and "营业收入" in failed[0] and "未达到" in failed[0], failed
    assert not any("专精特新" in text for text in failed), "the met alternative's sibling is not shown as failing"
    html = _login(make_user("enterprise", enterprise=world.enterprise)).get("/my/").content.decode()
    assert "不符合（" in html and "百亿企业奖励" in html and failed[0] in html
