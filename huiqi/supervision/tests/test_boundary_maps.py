"""The vendored boundary maps: every county the demo places enterprises in has a shape on its
prefecture's map, labelled with today's 行政区划 code and name, and the 驾驶舱 points a prefecture
page at that map (not at the bar chart)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from cnstd.regions import children, get_region
from huiqi.demo.enterprises import PREFECTURES, counties_of
from huiqi.supervision import selectors, services
from huiqi.supervision.tests.conftest import at


def _shapes(region: str) -> dict[str, str]:
    path = selectors.BOUNDARY_DIR / f"map-{region}.json"
    geo = json.loads(path.read_text(encoding="utf-8"))
    return {str(f["id"]): f["properties"]["name"] for f in geo["features"]}


@pytest.mark.parametrize("prefecture", sorted(PREFECTURES))
def test_every_demo_county_of_the_prefecture_has_a_shape_with_its_current_code_and_name(prefecture: str) -> None:
    shapes = _shapes(prefecture)
    for county in counties_of(prefecture):
        region = get_region(county)
        assert region is not None
        assert shapes.get(county) == region.name, f"{county} {region.name} 在 {prefecture} 的地图上没有图形"


@pytest.mark.parametrize("prefecture", sorted(PREFECTURES))
def test_a_prefecture_map_holds_only_its_own_current_counties(prefecture: str) -> None:
    assert set(_shapes(prefecture)) <= {r.code for r in children(prefecture)}


def test_the_province_map_has_the_nine_prefectures() -> None:
    assert set(_shapes("350000")) == set(PREFECTURES)


def test_a_prefecture_page_gets_its_county_map_and_a_county_page_none() -> None:
    assert selectors.boundary_map_file("350000") == "supervision/vendor/map-350000.json"
    assert selectors.boundary_map_file("350500") == "supervision/vendor/map-350500.json"
    assert selectors.boundary_map_file("350582") == ""
    assert selectors.boundary_map_file("../SOURCES") == ""


@pytest.mark.django_db
def test_the_dashboard_of_a_prefecture_links_its_county_map(client: Any, make_user: Any, rate_row: Any) -> None:
    rate_row("350582", 5, at(2026, 11, 5))
    services.index_snapshot_month(actor=None, month=date(2026, 11, 1))
    client.force_login(make_user("supervisor", username="supervisor_fj", region="350000"))
    html = client.get("/supervision/?region=350500&month=2026-11").content.decode()
    assert "supervision/vendor/map-350500.json" in html
    assert "各县（市、区）三色图" in html
