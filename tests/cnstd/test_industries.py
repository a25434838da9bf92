from collections import Counter

import pytest

from cnstd.industries import (
    Industry,
    all_industries,
    find_industries,
    get_industry,
    industry_within,
    is_industrial,
    minors,
    section_of,
)


def test_level_counts_match_the_amended_standard() -> None:
    counts = Counter(i.level for i in all_industries())
    assert counts == {"section": 20, "major": 97, "middle": 473, "minor": 1382}


def test_all_1382_minor_classes_are_present_and_unique() -> None:
    codes = [m.code for m in minors()]
    assert len(codes) == 1382
    assert len(set(codes)) == 1382
    assert all(len(c) == 4 and c.isdigit() for c in codes)


def test_every_minor_sits_under_its_middle_major_and_section() -> None:
    for m in minors():
        assert m.parent == m.code[:3]
        middle = get_industry(m.code[:3])
        assert middle is not None and middle.level == "middle" and middle.parent == m.code[:2]
        major = get_industry(m.code[:2])
        assert major is not None and major.parent == section_of(m.code)


def test_amendment_no1_gives_9231_to_the_supervisory_commission() -> None:
    assert get_industry("9231") == Industry("9231", "监察委员会", "minor", "923")
    assert get_industry("9233") is not None and get_industry("9233").name == "人民检察院"  # type: ignore[union-attr]


def test_leading_zeros_are_kept() -> None:
    ind = get_industry("0111")
    assert ind is not None and ind.name == "稻谷种植"
    # "111" is a different class (a 中类 of mining), not 0111 with its zero lost
    other = get_industry("111")
    assert other is not None and other.level == "middle" and section_of("111") == "B"


@pytest.mark.parametrize(
    ("code", "section"),
    [("01", "A"), ("0111", "A"), ("05", "A"), ("06", "B"), ("12", "B"), ("13", "C"), ("3971", "C"),
     ("43", "C"), ("44", "D"), ("46", "D"), ("47", "E"), ("51", "F"), ("52", "F"), ("53", "G"),
     ("60", "G"), ("61", "H"), ("65", "I"), ("66", "J"), ("70", "K"), ("701", "K"), ("72", "L"),
     ("75", "M"), ("79", "N"), ("82", "O"), ("83", "P"), ("85", "Q"), ("90", "R"), ("96", "S"),
     ("97", "T"), ("C", "C"), ("t", "T")],
)
def test_section_of_uses_the_major_class_ranges(code: str, section: str) -> None:
    assert section_of(code) == section


@pytest.mark.parametrize("code", ["", "98", "00", "X", "3", "39711", "C39", "abc"])
def test_section_of_malformed_or_out_of_range_code_is_none(code: str) -> None:
    assert section_of(code) is None


def test_every_major_in_the_table_agrees_with_the_ranges() -> None:
    for ind in all_industries():
        if ind.level == "major":
            assert section_of(ind.code) == ind.parent


@pytest.mark.parametrize(
    ("code", "ancestor", "expected"),
    [("3971", "C", True), ("3971", "39", True), ("3971", "397", True), ("3971", "3971", True),
     ("3971", "398", False), ("3971", "B", False), ("39", "C", True), ("C", "C", True),
     ("C", "39", False), ("39", "3971", False), ("0111", "A", True), ("0111", "01", True),
     ("C3971", "39", True), ("3971", "c", True), ("3971", "", False)],
)
def test_industry_within_follows_rules_section_3(code: str, ancestor: str, expected: bool) -> None:
    assert industry_within(code, ancestor) is expected


def test_find_industries_puts_exact_names_first_and_specific_levels_last() -> None:
    found = find_industries("其他农业")
    assert [i.code for i in found[:2]] == ["019", "0190"]
    assert "0519" in [i.code for i in found[2:]]
    manufacturing = find_industries("计算机、通信和其他电子设备制造业")
    assert manufacturing[0].code == "39"


def test_find_industries_by_partial_name_orders_levels_broad_to_specific() -> None:
    found = find_industries("仓储")
    levels = [i.level for i in found]
    order = {"section": 0, "major": 1, "middle": 2, "minor": 3}
    assert levels == sorted(levels, key=order.__getitem__)
    assert {"G", "59", "5920"} <= {i.code for i in found}


def test_find_industries_for_unknown_or_blank_name_is_empty() -> None:
    assert find_industries("星际旅行") == []
    assert find_industries("  ") == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [("B", True), ("C", True), ("D", True), ("0610", True), ("3971", True), ("4411", True),
     ("E", False), ("4710", False), ("0111", False), ("6513", False), ("nonsense", False)],
)
def test_industrial_means_sections_b_c_and_d(code: str, expected: bool) -> None:
    assert is_industrial(code) is expected
