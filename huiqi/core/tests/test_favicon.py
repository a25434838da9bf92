from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_every_page_names_an_icon_that_is_served(client: Client) -> None:
    page = client.get("/").content.decode()
    assert 'rel="icon" href="/static/huiqi/favicon.svg"' in page
    redirect = client.get("/favicon.ico")
    assert redirect.status_code == 301 and redirect["Location"] == "/static/huiqi/favicon.svg"
