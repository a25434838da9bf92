"""The API documentation works on a government intranet: no script or style from the internet."""

from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.mark.django_db
def test_the_api_docs_load_only_local_assets(client: Client) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.content.decode())
    assert assets and all(not asset.startswith(("http://", "https://", "//")) for asset in assets), assets


@pytest.mark.django_db
def test_the_openapi_document_lists_the_public_endpoints(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ["/api/quick-match", "/api/policies", "/api/enterprises/{uscc}/matches", "/api/applications"]:
        assert path in paths, path
