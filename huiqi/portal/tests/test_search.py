from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from huiqi.policies.models import PolicyItem, SearchDoc, SearchPosting
from huiqi.policies.search import search_items, tokens
from huiqi.policies.workflow import transition

from .conftest import World

pytestmark = pytest.mark.django_db


def _codes(qs: Any) -> list[str]:
    return [item.code for item in qs]


def test_publishing_indexes_the_item_and_withdrawing_removes_it(world: World, django_capture_on_commit_callbacks: Any) -> None:
    assert SearchDoc.objects.count() == len(world.items)
    item = world.items["qz-rd"]
    with django_capture_on_commit_callbacks(execute=True):
        transition(actor=world.officer, item=item, name="withdraw")
    assert not SearchDoc.objects.filter(item=item).exists()
    assert "qz-rd" not in _codes(search_items(q="研发"))


def test_chinese_query_is_segmented_and_ranked_by_bm25_title_first(world: World) -> None:
    assert "研发" in tokens("研发费用分段补助")
    ranked = _codes(search_items(q="研发费用补助"))
    assert ranked[0] == "qz-rd"
    assert "fz-only" not in ranked
    assert _codes(search_items(q="高新技术企业"))[:2] == ["qz-hnte-a", "qz-hnte-b"] or set(
        _codes(search_items(q="高新技术企业"))[:2]) == {"qz-hnte-a", "qz-hnte-b"}
    assert _codes(search_items(q="不存在的词语组合")) == []


def test_filters_by_region_mode_level_support_and_open_window(world: World) -> None:
    assert "fz-only" not in _codes(search_items(region="350503"))
    assert "qz-rd" in _codes(search_items(region="350503"))
    assert _codes(search_items(region="350100")) == ["fz-only"]
    assert _codes(search_items(mode="免申即享")) == ["qz-rd"]
    assert len(_codes(search_items(level="city"))) == len(world.items)
    assert _codes(search_items(level="province")) == []
    assert _codes(search_items(support_type="award")) == []
    assert set(_codes(search_items(open_now=True))) == set(world.items)
    PolicyItem.objects.filter(code="qz-review").update(window_start="2000-01-01", window_end="2000-12-31")
    assert "qz-review" not in _codes(search_items(open_now=True))
    assert _codes(search_items(department=world.items["qz-rd"].department_id, mode="免申即享")) == ["qz-rd"]


def test_sorting_by_deadline_and_by_amount(world: World) -> None:
    by_deadline = _codes(search_items(sort="deadline"))
    assert by_deadline[:3] == ["qz-review", "qz-hnte-b", "qz-hnte-a"]
    by_amount = _codes(search_items(sort="amount"))
    assert by_amount[:3] == ["qz-rd", "qz-review", "qz-hnte-a"] or by_amount[0] in {"qz-rd", "qz-review"}
    amounts = [SearchDoc.objects.get(item__code=c).amount_max for c in by_amount]
    known = [a for a in amounts if a is not None]
    assert known == sorted(known, reverse=True)


def test_rebuild_command_recreates_the_index(world: World) -> None:
    SearchPosting.objects.all().delete()
    SearchDoc.objects.all().delete()
    call_command("rebuild_policy_search", verbosity=0)
    assert SearchDoc.objects.count() == len(world.items)
    assert _codes(search_items(q="研发"))[0] == "qz-rd"


def test_policies_api_lists_filters_and_shows_one_item(world: World) -> None:
    data = Client().get("/api/policies", {"q": "研发", "limit": "5"}).json()
    assert data["results"][0]["code"] == "qz-rd" and data["results"][0]["max_amount_text"] == "最高 50 万元"
    assert Client().get("/api/policies", {"mode": "免申即享"}).json()["count"] == 1
    detail = Client().get("/api/policies/qz-rd").json()
    assert detail["clause"] == "第五条" and detail["reward"]["cap"] == 500000
    assert Client().get("/api/policies/no-such-item").status_code == 404


def test_an_unknown_department_matches_nothing_instead_of_failing(world: World) -> None:
    assert _codes(search_items(department="工信局")) == []
    assert Client().get("/api/policies", {"department": "工信局"}).json()["count"] == 0


def test_the_portal_endpoints_are_in_the_openapi_document(world: World) -> None:
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert {"/api/quick-match", "/api/quick-match/suggest", "/api/enterprises/{uscc}/matches", "/api/policies",
            "/api/policies/{code}"} <= set(paths)
