from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from huiqi.accounts.models import User
from huiqi.policies.models import PolicyItem

pytestmark = [pytest.mark.django_db]


def _login(client: Client, username: str) -> None:
    client.force_login(User.objects.get(username=username))


def _codes(response: Any) -> set[str]:
    return {item.code for item in response.context["page"].paginator.object_list}


def test_list_shows_published_items_with_mode_window_and_amount(client: Client, demo: Any) -> None:
    response = client.get("/policies/")
    assert response.status_code == 200
    published = set(PolicyItem.objects.filter(status="published").values_list("code", flat=True))
    assert _codes(response) == published
    page = response.content.decode()
    assert "免申即享" in page and "最高 50 万元" in page and "剩 " in page


def test_drafts_and_reviewed_items_are_invisible_to_anonymous_visitors(client: Client, demo: Any) -> None:
    hidden = PolicyItem.objects.exclude(status="published")
    assert hidden.exists()
    listed = _codes(client.get("/policies/"))
    for item in hidden:
        assert item.code not in listed
        assert client.get(f"/policies/{item.code}/").status_code == 404


def test_filters_narrow_the_list(client: Client, demo: Any) -> None:
    auto = _codes(client.get("/policies/", {"mode": "免申即享"}))
    assert auto and all(PolicyItem.objects.get(code=c).mode == "免申即享" for c in auto)
    jinjiang = _codes(client.get("/policies/", {"region": "350582"}))
    assert "jj-xf-zczx" in jinjiang and "qz-gy-zczx" in jinjiang  # city items apply in its counties
    assert not any(code.startswith("fz-") for code in jinjiang)
    quanzhou = _codes(client.get("/policies/", {"region": "350500"}))
    assert {"jj-xf-zczx", "qz-gy-zczx", "na-zb-rd"} <= quanzhou
    county = _codes(client.get("/policies/", {"level": "county"}))
    assert county and all(PolicyItem.objects.get(code=c).document.level == "county" for c in county)
    assert _codes(client.get("/policies/", {"q": "技术改造 设备"})) >= {"qz-gy-jg", "fz-jg-sb"}
    open_now = _codes(client.get("/policies/", {"open": "1"}))
    assert "qz-kj-cxq" not in open_now and "qz-gy-jg" in open_now  # closed vs closing soon
    empty = client.get("/policies/", {"q": "不存在的关键词"})
    assert "没有符合这些条件的政策事项" in empty.content.decode()


def test_amount_sort_puts_the_largest_first_and_unbounded_last(client: Client, demo: Any) -> None:
    items = list(client.get("/policies/", {"sort": "amount"}).context["page"].paginator.object_list)
    amounts = [i.max_amount for i in items]
    bounded = [a for a in amounts if a is not None]
    assert bounded == sorted(bounded, reverse=True)
    assert amounts[-1] is None and amounts[0] is not None


def test_detail_shows_every_key_element_in_plain_chinese(client: Client, demo: Any) -> None:
    page = client.get("/policies/qz-gy-zczx/").content.decode()
    for text in ("政策要点", "申报条件", "上年度营业收入不低于 5,000 万元", "属于规模以上企业", "奖补标准",
                 "给予 50 万元", "兑现方式", "审核流程", "名单比对核定", "拨付部门", "泉州市财政局", "资金来源",
                 "咨询电话", "政策依据", "泉工信规〔2026〕3号", "政策原文"):
        assert text in page, text
    reviewed = client.get("/policies/qz-gy-jg/").content.decode()
    assert "需审核确认" in reviewed and "专家评审" in reviewed and "剩 " in reviewed
    assert "<dt>单企上限</dt><dd>500 万元</dd>" in reviewed


def test_officer_sees_own_department_draft_and_manage_list(client: Client, demo: Any) -> None:
    _login(client, "officer_qz")
    assert client.get("/policies/qz-gy-szh/").status_code == 200  # draft of 泉州市工信局
    assert client.get("/policies/dh-tc-yl/").status_code == 404  # draft of another county
    manage = client.get("/policies/manage/", {"status": "draft"})
    codes = {i.code for i in manage.context["page"].paginator.object_list}
    assert codes == {"qz-gy-szh"}
    everything = {i.code for i in client.get("/policies/manage/").context["page"].paginator.object_list}
    assert everything == set(PolicyItem.objects.filter(department__name="泉州市工业和信息化局").values_list("code", flat=True))


def test_enterprise_users_cannot_open_the_manage_list(client: Client, demo: Any) -> None:
    _login(client, "qiye_hengxin")
    assert client.get("/policies/manage/").status_code == 403


def test_reviewer_moves_a_draft_through_the_workflow_buttons(client: Client, demo: Any) -> None:
    _login(client, "reviewer_qz")
    page = client.get("/policies/qz-gy-szh/").content.decode()
    assert "审核通过" in page
    response = client.post("/policies/qz-gy-szh/transition/review/", {"status": "draft"}, follow=True)
    assert PolicyItem.objects.get(code="qz-gy-szh").status == "reviewed"
    assert "已审核通过" in response.content.decode()
    client.post("/policies/qz-gy-szh/transition/publish/", {"status": "reviewed"})
    assert PolicyItem.objects.get(code="qz-gy-szh").status == "published"


def test_a_stale_button_reports_a_conflict_and_changes_nothing(client: Client, demo: Any) -> None:
    _login(client, "reviewer_qz")
    client.post("/policies/qz-gy-szh/transition/review/", {"status": "draft"})
    response = client.post("/policies/qz-gy-szh/transition/review/", {"status": "draft"}, follow=True)
    assert "已被他人处理" in response.content.decode()
    assert PolicyItem.objects.get(code="qz-gy-szh").status == "reviewed"


def test_transitions_are_refused_outside_the_role_or_region(client: Client, demo: Any) -> None:
    _login(client, "qiye_hengxin")
    assert client.post("/policies/qz-gy-zczx/transition/expire/", {"status": "published"}).status_code == 403
    client.logout()
    _login(client, "officer_jj")
    assert client.post("/policies/qz-gy-zczx/transition/expire/", {"status": "published"}).status_code == 403
    _login(client, "officer_qz")
    response = client.post("/policies/qz-gy-zczx/transition/publish/", {"status": "published"}, follow=True)
    assert "当前角色不能执行" in response.content.decode()
    assert PolicyItem.objects.get(code="qz-gy-zczx").status == "published"
