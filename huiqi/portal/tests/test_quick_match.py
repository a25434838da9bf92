from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from huiqi.enterprises.models import Enterprise, EnterpriseFlag, EnterpriseQualification, Qualification
from huiqi.enterprises.selectors import profile_of
from huiqi.policies.services import policy_item_create
from huiqi.portal.selectors import find_enterprise_exact

from .conftest import PRIVATE_SPELLINGS, World, publish

pytestmark = pytest.mark.django_db


def _quick(client: Client, q: str) -> Any:
    return client.get("/api/quick-match", {"q": q})


def _assert_no_private_figure(text: str) -> None:
    for spelling in PRIVATE_SPELLINGS:
        assert spelling not in text, f"private figure {spelling} leaked"


def test_quick_match_by_exact_name_judges_public_facts_and_shows_private_conditions_as_login(world: World) -> None:
    response = _quick(Client(), world.enterprise.name)
    assert response.status_code == 200
    data = response.json()
    possible = {c["code"]: c for c in data["possible"]}
    eligible = {c["code"]: c for c in data["eligible"]}
    assert "qz-hnte-a" in possible and "qz-rd" in possible
    assert any(r["kind"] == "login" and "营业收入" in r["text"] and "登录后判断" in r["text"]
               for r in possible["qz-hnte-a"]["reasons"])
    assert any(r["kind"] == "met" and "高新技术企业" in r["text"] for r in possible["qz-hnte-a"]["reasons"])
    # A reviewer's check is told apart from a login-only condition.
    assert any(r["kind"] == "review" for r in possible["qz-review"]["reasons"])
    assert "fz-only" not in possible and "fz-only" not in eligible


def test_anonymous_answer_contains_no_private_figure_and_no_failed_private_atom(world: World) -> None:
    response = _quick(Client(), world.enterprise.uscc)
    text = response.content.decode()
    _assert_no_private_figure(text)
    data = json.loads(text)
    cards = data["eligible"] + data["possible"] + [a for c in data["eligible"] + data["possible"]
                                                   for a in c.get("alternatives", [])]
    for card in cards:
        for reason in card["reasons"]:
            assert reason["kind"] != "unmet", reason
            assert "营业收入 3" not in reason["text"]
        assert "missing" not in card, "the public answer does not list which private figures exist"
    # `known` on a private figure is never decided without login (it would say "has filed" otherwise).
    known = next(c for c in data["possible"] if c["code"] == "qz-known")
    assert [r["kind"] for r in known["reasons"] if r["kind"] != "info"][-1] == "login"
    # A certificate that is not on a public list is neither confirmed nor denied.
    secret = next(c for c in data["possible"] if c["code"] == "qz-secret")
    assert [r["text"] for r in secret["reasons"] if r["kind"] == "login"] == ["具有内部培育名单资格：登录后判断"]
    # The amount of a rate on a private base is a range up to the cap, never the computed figure.
    rd = next(c for c in data["possible"] if c["code"] == "qz-rd")
    assert rd["amount"] == {"min": "0", "max": "500000", "text": "最高 50 万元"} or rd["amount"]["max"] in {"500000", "500000.00"}
    assert rd["amount"]["text"] == "最高 50 万元"


def test_quick_match_page_shows_the_matches_without_private_figures(world: World) -> None:
    response = Client().get("/quick-match/", {"q": world.enterprise.name})
    assert response.status_code == 200
    html = response.content.decode()
    assert "研发费用分段补助" in html and "登录后判断" in html
    _assert_no_private_figure(html)


def test_a_partial_name_gives_no_result_only_at_most_five_masked_suggestions(world: World, make_enterprise: Any) -> None:
    for n in range(8):
        make_enterprise(name=f"泉州星河配套{n}号有限公司")
    client = Client()
    assert _quick(client, "泉州星河").status_code == 404
    suggestions = client.get("/api/quick-match/suggest", {"q": "泉州星河"}).json()["suggestions"]
    assert 0 < len(suggestions) <= 5
    assert all(world.enterprise.uscc not in json.dumps(s) and "****" in s["code_hint"] for s in suggestions)


def test_one_character_queries_and_short_code_prefixes_suggest_nothing(world: World) -> None:
    client = Client()
    assert client.get("/api/quick-match/suggest", {"q": "泉"}).json()["suggestions"] == []
    assert client.get("/api/quick-match/suggest", {"q": "91"}).json()["suggestions"] == []
    assert client.get("/api/quick-match/suggest", {"q": world.enterprise.uscc[:8]}).json()["suggestions"]


def test_two_enterprises_with_the_same_name_require_the_credit_code(world: World, make_enterprise: Any) -> None:
    make_enterprise(name=world.enterprise.name, region="350582")
    response = _quick(Client(), world.enterprise.name)
    assert response.status_code == 409 and "信用代码" in response.json()["detail"]
    assert _quick(Client(), world.enterprise.uscc).status_code == 200


@override_settings(HUIQI_RATE_LIMITS={"quick": (3, 60), "suggest": (2, 60)})
def test_too_many_queries_from_one_address_get_429_with_a_chinese_message(world: World) -> None:
    client = Client()
    codes = [_quick(client, world.enterprise.uscc).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = _quick(client, world.enterprise.uscc)
    assert "查询过于频繁" in limited.json()["detail"]
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert _quick(other, world.enterprise.uscc).status_code == 200
    page = client.get("/quick-match/", {"q": world.enterprise.uscc})
    assert page.status_code == 429 and "查询过于频繁" in page.content.decode()
    assert [client.get("/api/quick-match/suggest", {"q": "泉州"}).status_code for _ in range(3)] == [200, 200, 429]


def test_the_enterprise_is_found_by_code_or_name_with_its_public_profile_in_one_query(
        world: World, make_enterprise: Any, django_assert_num_queries: Any) -> None:
    today = timezone.localdate()
    known = world.enterprise  # holds a public and a private certificate (conftest)
    for flag, value in (("dishonest", False), ("abnormal_operation", True)):
        EnterpriseFlag.objects.create(enterprise=known, flag=flag, value=value, source="信用中国", as_of=today)
    EnterpriseQualification.objects.create(enterprise=known, qualification=Qualification.objects.get(code="srdi"),
                                           source="工信局", as_of=today)  # open-ended: no dates
    unknown = make_enterprise(name="泉州资质未知有限公司", registered_capital=Decimal("1234567.89"),
                              address="泉州市丰泽区东海街道1号")
    EnterpriseQualification.objects.create(enterprise=unknown, qualification=Qualification.objects.get(code="hnte"),
                                           source="科技局", as_of=today)  # no qualification list: stays unknown
    profiles = {}
    for enterprise in (known, unknown):
        expected = profiles[enterprise.pk] = profile_of(Enterprise.objects.get(pk=enterprise.pk), include_private=False)
        for q in (enterprise.uscc, enterprise.uscc.lower(), f" {enterprise.name} "):
            with django_assert_num_queries(1):
                found = find_enterprise_exact(q=q)
            assert found is not None and found.pk == enterprise.pk
            assert found.public_profile == expected  # type: ignore[attr-defined]
    # Two flags joined with three certificates (one private): each once, the private one left out.
    assert [q["code"] for q in profiles[known.pk]["qualifications"]] == ["hnte", "srdi"]
    assert profiles[known.pk]["flags"] == {"dishonest": False, "abnormal_operation": True}
    assert "qualifications" not in profiles[unknown.pk] and "flags" not in profiles[unknown.pk]
    again = find_enterprise_exact(q=unknown.name)
    assert again is not None and again.address == unknown.address  # other fields load when read


def test_a_non_monetary_item_is_worded_as_such_in_the_public_answer(world: World, django_capture_on_commit_callbacks: Any) -> None:
    item = policy_item_create(actor=world.officer, document=world.items["qz-rd"].document, code="qz-space",
                              title="免费入驻孵化器", mode="申报审核",
                              conditions={"all": [{"field": "region", "op": "within", "value": "350500"}]},
                              reward={"none": "免费提供办公场地"})
    publish(item, world.reviewer, django_capture_on_commit_callbacks)
    data = _quick(Client(), world.enterprise.uscc).json()
    card = next(c for c in data["eligible"] + data["possible"] if c["code"] == "qz-space")
    assert card["amount"]["text"] == "非资金支持"
