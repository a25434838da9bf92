from __future__ import annotations

import re
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from huiqi.accounts.models import User
from huiqi.fulfilment.models import Application
from huiqi.policies.models import PolicyItem
from rules.fields import QUALIFICATION_LABELS

CODE_WORDS = re.compile(r"\b(" + "|".join(sorted(QUALIFICATION_LABELS)) + r"|qualifications|declared_amount|"
                        r"auth\.login|input\.[a-z_]+|years\.\d{4}\.[a-z_]+)\b")
GROUP_CODE = re.compile(r"同组（[a-z0-9-]+）")


def _visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "template"]):
        tag.decompose()
    for expert in soup.select(".expert, [data-expert]"):
        expert.decompose()
    return soup.get_text(" ")


def _pages_for(user: User) -> list[str]:
    items = list(PolicyItem.objects.filter(status=PolicyItem.Status.PUBLISHED).values_list("code", flat=True)[:12])
    common = ["/", "/policies/", "/inbox/"] + [f"/policies/{code}/" for code in items]
    role = user.role
    if role == "enterprise":
        apps = Application.objects.filter(enterprise=user.enterprise).values_list("pk", flat=True)[:5]
        return common + ["/my/", "/my/profile/", "/fulfilment/applications/", "/disbursement/mine/"] + [
            f"/fulfilment/applications/{pk}/" for pk in apps]
    if role in ("officer", "reviewer", "finance", "supervisor"):
        apps = Application.objects.values_list("pk", flat=True)[:5]
        return common + ["/policies/manage/", "/enterprises/", "/disbursement/", "/fulfilment/queue/"] + [
            f"/fulfilment/applications/{pk}/" for pk in apps]
    if role == "auditor":
        return ["/audit/"]
    return common


@pytest.mark.django_db
def test_no_page_a_role_visits_shows_a_code_name(demo: Any) -> None:
    from huiqi.demo.loader import ACCOUNTS, DEMO_PASSWORD

    leaks: list[str] = []
    for account in ACCOUNTS:
        user = User.objects.get(username=account.username)
        client = Client()
        assert client.login(username=user.username, password=DEMO_PASSWORD)
        for url in _pages_for(user):
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            text = _visible_text(response.content.decode())
            for match in list(CODE_WORDS.finditer(text)) + list(GROUP_CODE.finditer(text)):
                leaks.append(f"{account.username} {url}: {text[max(0, match.start() - 30):match.end() + 10].strip()}")
    assert leaks == [], "\n".join(sorted(set(leaks))[:60])
