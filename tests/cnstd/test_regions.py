from collections import Counter

import pytest

from cnstd.regions import (
    Region,
    UnknownRegion,
    children,
    find_regions,
    get_region,
    history,
    is_known_region,
    provinces,
    region_name,
    region_within,
)
from cnstd.regions import _current as current_table

FUJIAN_PREFECTURES = {
    "350100": "福州市",
    "350200": "厦门市",
    "350300": "莆田市",
    "350400": "三明市",
    "350500": "泉州市",
    "350600": "漳州市",
    "350700": "南平市",
    "350800": "龙岩市",
    "350900": "宁德市",
}


def test_current_table_has_the_documented_level_counts() -> None:
    counts = Counter(r.level for r in current_table().values())
    assert counts == {"province": 34, "prefecture": 333, "county": 2846}
    assert len(provinces()) == 34


def test_fujian_has_nine_prefectures_with_their_names() -> None:
    prefectures = [r for r in children("350000") if r.level == "prefecture"]
    assert {r.code: r.name for r in prefectures} == FUJIAN_PREFECTURES
    assert len(children("350000")) == 9  # Fujian has no directly administered county


def test_get_region_returns_code_name_level_and_parent() -> None:
    assert get_region("350500") == Region("350500", "泉州市", "prefecture", "350000")
    assert get_region("350582") == Region("350582", "晋江市", "county", "350500")
    assert get_region("350000") == Region("350000", "福建省", "province", None)
    assert get_region("350522") is None  # 晋江县, abolished 1992
    assert get_region("999999") is None


def test_pingtan_uses_the_pingtan_county_code() -> None:
    region = get_region("350128")
    assert region is not None and region.name == "平潭县" and region.parent == "350100"


def test_region_name_is_the_full_name_from_the_province_down() -> None:
    assert region_name("350502") == "福建省泉州市鲤城区"
    assert region_name("350500") == "福建省泉州市"
    assert region_name("350000") == "福建省"
    assert region_name("110101") == "北京市东城区"
    assert region_name("429004") == "湖北省仙桃市"


def test_region_name_covers_abolished_codes_from_the_history() -> None:
    assert region_name("350522") == "福建省泉州市晋江县"
    assert region_name("110103") == "北京市崇文区"


def test_region_name_of_a_never_used_code_raises_with_a_chinese_message() -> None:
    with pytest.raises(UnknownRegion, match="未知的行政区划代码"):
        region_name("999999")
    with pytest.raises(LookupError):
        region_name("35050")


def test_abolished_code_is_still_known_unless_asked_for_current_only() -> None:
    assert is_known_region("350522") is True
    assert is_known_region("350522", include_abolished=False) is False
    assert is_known_region("350502", include_abolished=False) is True
    assert is_known_region("999999") is False
    assert [r.status for r in history("350522")] == ["abolished"]


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("泉州", ["350500"]),
        ("泉州市", ["350500"]),
        ("晋江", ["350582"]),
        ("福建", ["350000"]),
        ("广西", ["450000"]),
        ("延边", ["222400"]),
        ("吉林", ["220000", "220200"]),
        ("平潭县", ["350128"]),
        ("浦东", ["310115"]),
        ("香港", ["810000"]),
        ("新疆", ["650000"]),
        ("黔东南", ["522600"]),
        ("晋江县", ["350582"]),  # old name, found by its short form
        ("不存在的地方", []),
        ("", []),
    ],
)
def test_find_regions_by_exact_then_short_name(name: str, codes: list[str]) -> None:
    assert [r.code for r in find_regions(name)] == codes


def test_find_regions_exact_name_wins_over_short_name() -> None:
    # 长沙县 is an exact name; 长沙市 only matches when the suffix is dropped.
    assert [r.code for r in find_regions("长沙县")] == ["430121"]
    assert [r.code for r in find_regions("长沙")] == ["430100", "430121"]


def test_find_regions_within_limits_to_the_given_area() -> None:
    everywhere = find_regions("鼓楼区")
    assert len(everywhere) >= 4
    assert [r.code for r in find_regions("鼓楼区", within="350000")] == ["350102"]
    assert [r.code for r in find_regions("鼓楼", within="350100")] == ["350102"]
    assert find_regions("鼓楼区", within="350500") == []


@pytest.mark.parametrize(
    ("code", "ancestor", "expected"),
    [
        ("350502", "350500", True),
        ("350500", "350500", True),
        ("350502", "350000", True),
        ("350500", "350000", True),
        ("350000", "350000", True),
        ("350502", "350502", True),
        ("350502", "350503", False),
        ("350502", "350600", False),
        ("350000", "350500", False),
        ("360102", "350000", False),
        ("110101", "110000", True),  # 北京 district: parent is the province
        ("429004", "420000", True),  # 仙桃市: directly administered county
        ("350522", "350500", True),  # abolished 晋江县 is still inside 泉州 by its digits
        ("35050", "350000", False),
        ("350502", "000000", False),
        ("350502", "abcdef", False),
    ],
)
def test_region_within_uses_code_prefixes(code: str, ancestor: str, expected: bool) -> None:
    assert region_within(code, ancestor) is expected


def test_children_of_a_prefecture_are_its_counties_in_code_order() -> None:
    kids = children("350500")
    assert [r.code for r in kids] == sorted(r.code for r in kids)
    assert {"350502", "350582", "350583"} <= {r.code for r in kids}
    assert all(r.level == "county" and r.parent == "350500" for r in kids)
    assert children("350502") == []


def test_every_parent_in_the_current_table_exists() -> None:
    table = current_table()
    for region in table.values():
        if region.parent is not None:
            assert region.parent in table
            assert region_within(region.code, region.parent)
