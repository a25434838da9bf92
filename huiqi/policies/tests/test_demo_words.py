"""No code name on the pages each demo account visits.

Every demo account (enterprise, officer, dispatcher, reviewer, finance, supervisor, 三员) logs in,
opens every entry of its own menu and, from each of those pages, the first few links into other
pages (details of applications, requests, commitments, orders, items, enterprises…), the way a
person clicks through. The visible text (the expert view left out) must not contain a code:
qualification codes, field paths, declared-input names, item and exclusive-group codes, audit
action codes."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from huiqi.accounts.models import User
from huiqi.audit.words import ACTION_WORDS
from huiqi.policies.models import PolicyItem
from rules.fields import QUALIFICATION_LABELS

FOLLOWED_PER_PAGE = 3
# Links that leave the HTML pages, change something on GET, or only repeat a page with a filter.
SKIPPED = re.compile(r"^/(static|media|api|accounts/logout)|format=|fmt=|verify=|page=|/export|\.(xlsx|csv|docx|pdf)$")


def _code_words() -> re.Pattern[str]:
    items = PolicyItem.objects.values_list("code", "exclusive_group")
    codes = {code for code, _ in items} | {group for _, group in items if group}
    words = (sorted(QUALIFICATION_LABELS) + ["qualifications", "declared_amount", r"input\.[a-z_]+",
                                             r"years\.\d{4}(?:\.[a-z_]+)?"]
             + [re.escape(code) for code in sorted(ACTION_WORDS)] + [re.escape(code) for code in sorted(codes)])
    return re.compile(r"(?<![\w.-])(" + "|".join(words) + r")(?![\w-])")


def _visible_text(soup: BeautifulSoup) -> str:
    for tag in soup(["script", "style", "template"]):
        tag.decompose()
    for expert in soup.select(".expert, [data-expert]"):
        expert.decompose()
    return soup.get_text(" ")


def _links(soup: BeautifulSoup, selector: str) -> list[str]:
    found: list[str] = []
    for anchor in soup.select(selector):
        href = anchor.get("href") or ""
        parts = urlsplit(str(href))
        if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIPPED.search(str(href)):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if url not in found:
            found.append(url)
    return found


def _extra_pages(user: User) -> list[str]:
    """Pages two clicks deep that the menu walk would not reach: an officer's match list of an
    item of its department (item page → 匹配企业名单); a supervisor's first 督办单 (驾驶舱 → 督办单
    list → order)."""
    if user.role == "supervisor":
        from huiqi.supervision.models import SupervisionOrder

        return [f"/supervision/orders/{pk}/" for pk in SupervisionOrder.objects.values_list("pk", flat=True)[:1]]
    if user.role != "officer" or user.department_id is None:
        return []
    codes = PolicyItem.objects.filter(department=user.department, status=PolicyItem.Status.PUBLISHED)
    return [f"/matching/items/{code}/" for code in codes.values_list("code", flat=True)[:1]]


def _shape(url: str) -> str:
    """/fulfilment/applications/17/ and /fulfilment/applications/18/ are the same page to read."""
    return re.sub(r"\d+", "N", urlsplit(url).path)


@pytest.mark.django_db
def test_no_page_a_demo_account_visits_shows_a_code_name(demo: Any) -> None:
    from huiqi.demo.loader import ACCOUNTS, DEMO_PASSWORD

    code_words = _code_words()
    leaks: list[str] = []
    visited_by_role: dict[str, set[str]] = {}
    shapes_seen: set[str] = set()
    for account in ACCOUNTS:
        user = User.objects.get(username=account.username)
        client = Client()
        assert client.login(username=user.username, password=DEMO_PASSWORD)
        home = BeautifulSoup(client.get("/", follow=True).content.decode(), "html.parser")
        queue = _links(home, "header .nav a") + _extra_pages(user)
        seen_shapes: set[str] = set()
        visited = 0
        while queue:
            url = queue.pop(0)
            if _shape(url) in seen_shapes:
                continue
            seen_shapes.add(_shape(url))
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            visited += 1
            shapes_seen.add(_shape(url))
            soup = BeautifulSoup(response.content.decode(), "html.parser")
            if url in _links(home, "header .nav a"):
                queue += [link for link in _links(soup, "main a") if _shape(link) not in seen_shapes][:FOLLOWED_PER_PAGE]
            text = _visible_text(soup)
            for match in code_words.finditer(text):
                leaks.append(f"{account.username} {url}: …{text[max(0, match.start() - 30):match.end() + 10].strip()}…")
        visited_by_role.setdefault(str(user.role), set()).add(account.username)
        assert visited >= 3, f"{account.username} 只打开了 {visited} 个页面"
    assert set(visited_by_role) == {"enterprise", "officer", "reviewer", "finance", "supervisor", "sysadmin",
                                    "secadmin", "auditor"}
    # the pages of every app a role works in, including 企呼我应, 承诺必践 and 评与督
    for shape in ("/my/", "/fulfilment/applications/N/", "/policies/manage/", "/matching/items/", "/enterprises/",
                  "/tickets/N/", "/commitments/c/N/", "/supervision/orders/N/", "/supervision/", "/audit/",
                  "/disbursement/", "/accounts/users/"):
        assert any(seen.startswith(shape) for seen in shapes_seen), f"没有角色打开过 {shape}"
    assert leaks == [], "\n".join(sorted(set(leaks))[:80])
